#pragma once

#include "RdKafkaHandles.h"
#include "core/model/Batch.h"

#include <cstdint>

namespace kbatch::core {

// One rd_kafka_produceva() call for a row, without copying its value: librdkafka reads it in place until the row's
// delivery report, so the row's bytes must live that long (librdkafka copies keys and takes the headers built here).
// Empty keys, values and header values are sent as empty, not null. Returns librdkafka's answer:
// RD_KAFKA_RESP_ERR__QUEUE_FULL when its queue is full (poll, then call again). Internal to core/kafka.
rd_kafka_resp_err_t produceRow(rd_kafka_t *rk, rd_kafka_topic_t *topic, const Batch::SendView &row,
                               std::int64_t timestampMs, void *opaque);

} // namespace kbatch::core

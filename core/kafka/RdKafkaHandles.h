#pragma once

// RAII owners for librdkafka's C handles. Internal to core/kafka: nothing outside this folder includes rdkafka.h.

#include <librdkafka/rdkafka.h>

#include <QByteArray>
#include <QString>

#include "ProduceErrors.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <memory>

namespace kbatch::core::rdk {

struct KafkaDeleter
{
    void operator()(rd_kafka_t *rk) const { rd_kafka_destroy(rk); }
};
struct ConfDeleter
{
    void operator()(rd_kafka_conf_t *conf) const { rd_kafka_conf_destroy(conf); }
};
struct TopicDeleter
{
    void operator()(rd_kafka_topic_t *rkt) const { rd_kafka_topic_destroy(rkt); }
};
struct MetadataDeleter
{
    void operator()(const rd_kafka_metadata_t *md) const { rd_kafka_metadata_destroy(md); }
};
struct ErrorDeleter
{
    void operator()(rd_kafka_error_t *error) const { rd_kafka_error_destroy(error); }
};
struct HeadersDeleter
{
    void operator()(rd_kafka_headers_t *headers) const { rd_kafka_headers_destroy(headers); }
};
struct PartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *list) const { rd_kafka_topic_partition_list_destroy(list); }
};
struct MessageDeleter
{
    void operator()(rd_kafka_message_t *message) const { rd_kafka_message_destroy(message); }
};

using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// Sets each property in order; the first one librdkafka refuses gives an error naming it and librdkafka's reason.
// Secret values are never echoed in the error.
Status applyProperties(rd_kafka_conf_t *conf, const Properties &properties);

// Routes librdkafka's log lines into the kbatch.kafka logging category (from librdkafka's threads).
void installLogCallback(rd_kafka_conf_t *conf);

// Creates a client handle (consumes conf on success and on failure). An unreadable private key is an error of kind
// PrivateKeyUnreadable.
Result<KafkaPtr> createClient(rd_kafka_type_t type, ConfPtr conf);

struct ConnectErrors;

// A consumer that reads what it is assigned, read_committed, in a group of its own that never commits offsets
// (for read-back and peek). `purpose` names it in the broker's logs: client.id "kbatch-<purpose>". With `errors`,
// its error callback goes there (see ClientConnect.h).
Result<KafkaPtr> createReader(const Properties &connection, const QString &purpose, ConnectErrors *errors = nullptr);

QString errorName(rd_kafka_resp_err_t err);
QString errorText(rd_kafka_resp_err_t err);

// The client's fatal error (rd_kafka_fatal_error()): code 0 when it has none, or when `rk` is null. Only what
// librdkafka wrote is read: it leaves the buffer untouched when there is no fatal error.
FatalError fatalError(rd_kafka_t *rk);

// The value of a property as the caller set it (last one wins), or the fallback.
QString propertyValue(const Properties &properties, const QString &name, const QString &fallback = {});

} // namespace kbatch::core::rdk

#pragma once

#include "ProduceErrors.h"
#include "core/model/DeliveryResult.h"

#include <cstdint>
#include <optional>

namespace kbatch::core {

// How one delivery report of librdkafka becomes a row's outcome: delivered, failed, possibly written or cancelled,
// and the error's name and text. A pure function of plain values, so that every case is tested with the outcomes
// librdkafka really reports (tests/core/kafka/tst_deliveryclassifier.cpp has them, recorded from 2.14.2).
// Any thread.

// A delivery report in plain values, and what the producer knew when it came.
struct DeliveryReport
{
    int err = 0;                                // rd_kafka_message_t::err
    Persisted status = Persisted::NotPersisted; // rd_kafka_message_status() (the same values)
    std::int64_t offset = -1;                   // rd_kafka_message_t::offset
    bool overduePurged = false;                 // the producer purged rows still open past message.timeout.ms
    // The row is part of a transaction. librdkafka purges a transaction's queue when the transaction fails
    // (an abortable error, and abort_transaction()): a purge that is neither the user's cancel nor the overdue purge.
    bool transactional = false;
    bool cancelled = false; // the user cancelled the job
};

struct DeliveryVerdict
{
    DeliveryStatus status = DeliveryStatus::Failed;
    Persisted persisted = Persisted::NotPersisted;
    std::int64_t offset = -1; // delivered rows: where, when the broker said it
    int errorCode = 0;
    QString errorName;
    QString errorText;
    // The row failed because the producer has a fatal error (or the report says so): the job must stop, and
    // fatalText says why, once.
    bool fatal = false;
    QString fatalText;
};

// `facts` describe the row (for the error text) and the producer's fatal error, read after the report came.
DeliveryVerdict classifyDelivery(const DeliveryReport &report, const ProduceFacts &facts);

// A row that ends without a delivery report: never handed to librdkafka, or given up on as the job ends.
struct JobEnd
{
    bool fatal = false; // the producer has a fatal error
    int fatalCode = 0;  // rd_kafka_fatal_error()'s code; 0 when it names none
    QString fatalText;  // the job's account of it (fatalErrorText())
    bool cancelled = false;
    QString jobError; // why the job stopped, if it said
};
DeliveryVerdict classifyUnsent(const JobEnd &end);

// The timestamp a delivered row shows. librdkafka's mock cluster (the sandbox) answers every produce with a made-up
// log-append time (1234): the message's own create time is shown instead of a date in 1970, from the row's
// timestamp, else from the create time its opaque carries, else `estimateMs`.
std::int64_t shownTimestamp(std::int64_t reported, bool logAppendTime, std::optional<std::int64_t> rowTimestamp,
                            std::optional<std::int64_t> createdMs, std::int64_t estimateMs);

} // namespace kbatch::core

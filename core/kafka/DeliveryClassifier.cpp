#include "DeliveryClassifier.h"

#include "RdKafkaHandles.h"

namespace kbatch::core {

static_assert(int(Persisted::NotPersisted) == RD_KAFKA_MSG_STATUS_NOT_PERSISTED);
static_assert(int(Persisted::PossiblyPersisted) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED);
static_assert(int(Persisted::Persisted) == RD_KAFKA_MSG_STATUS_PERSISTED);

namespace {

const QString &mayHaveBeenWritten()
{
    static const QString text = QStringLiteral("; the broker may have written it: check before resending");
    return text;
}

} // namespace

DeliveryVerdict classifyDelivery(const DeliveryReport &report, const ProduceFacts &facts)
{
    DeliveryVerdict v;
    v.persisted = report.status;
    if (report.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        v.status = DeliveryStatus::Delivered;
        v.offset = report.offset;
        if (report.offset < 0) // the broker called a retried batch a duplicate of one it had written
            v.errorText = QStringLiteral("acknowledged as a duplicate of an earlier attempt; offset unknown");
        return v;
    }
    v.errorCode = report.err;
    v.errorName = rdk::errorName(rd_kafka_resp_err_t(report.err));
    v.errorText = explainProduceError(report.err, facts);
    const bool purgedQueued = report.err == RD_KAFKA_RESP_ERR__PURGE_QUEUE;
    const bool purgedInFlight = report.err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
    if (facts.fatal.isSet() &&
        (purgedQueued || report.err == RD_KAFKA_RESP_ERR__FATAL || report.err == facts.fatal.code)) {
        // The row failed because of the producer's fatal error (librdkafka purges its queue, or fails the row with
        // _FATAL or the error itself, and the error callback may come after the last report): the user did not
        // cancel it, and "Local: Fatal error" alone does not say what went wrong.
        v.fatal = true;
        v.fatalText = fatalErrorText(facts.fatal, facts.topic);
        v.status = DeliveryStatus::Failed;
        v.errorCode = facts.fatal.code;
        v.errorName = rdk::errorName(rd_kafka_resp_err_t(facts.fatal.code));
        v.errorText = QStringLiteral("not sent: the producer hit a fatal error: ") + v.fatalText;
        return v;
    }
    if (report.overduePurged && !report.cancelled && (purgedQueued || purgedInFlight)) {
        // Purged because it was overdue, not because the user cancelled: queued rows were never sent, in-flight ones
        // may have been written.
        v.status = purgedInFlight ? DeliveryStatus::PossiblyWritten : DeliveryStatus::Failed;
        v.persisted = purgedInFlight ? Persisted::PossiblyPersisted : Persisted::NotPersisted;
        v.errorText = explainProduceError(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, facts) +
                      (purgedInFlight ? mayHaveBeenWritten() : QString());
    } else if (report.transactional && !report.cancelled && (purgedQueued || purgedInFlight)) {
        // Purged because the transaction failed (librdkafka purges on an abortable error, and abort_transaction()
        // does): not the user's cancel. Whatever reached the log is aborted, so read_committed readers never see it.
        v.status = DeliveryStatus::Failed;
        v.persisted = Persisted::NotPersisted;
        v.errorName = QStringLiteral("TRANSACTION_ABORTED");
        v.errorText =
            QStringLiteral("batch not committed: the transaction was aborted before this row was acknowledged");
    } else if (purgedQueued) {
        v.status = DeliveryStatus::Cancelled;
        v.errorText = QStringLiteral("cancelled before it was sent");
    } else if (v.persisted == Persisted::PossiblyPersisted) {
        v.status = DeliveryStatus::PossiblyWritten;
        v.errorText += mayHaveBeenWritten();
    } else {
        v.status = DeliveryStatus::Failed;
    }
    if (report.err == RD_KAFKA_RESP_ERR__FATAL) {
        // A fatal report while rd_kafka_fatal_error() names none: librdkafka's own text, never a buffer it did not
        // fill.
        v.fatal = true;
        v.fatalText = fatalErrorText(FatalError{}, facts.topic);
    }
    return v;
}

DeliveryVerdict classifyUnsent(const JobEnd &end)
{
    DeliveryVerdict v;
    if (end.fatal) {
        // Named like the rows librdkafka failed with the same error (e.g. CLUSTER_AUTHORIZATION_FAILED).
        v.errorCode = end.fatalCode != 0 ? end.fatalCode : RD_KAFKA_RESP_ERR__FATAL;
        v.errorName = rdk::errorName(rd_kafka_resp_err_t(v.errorCode));
        v.errorText = QStringLiteral("not sent: the producer hit a fatal error: ") + end.fatalText;
    } else if (end.cancelled) {
        v.status = DeliveryStatus::Cancelled;
        v.errorCode = RD_KAFKA_RESP_ERR__PURGE_QUEUE;
        v.errorName = QStringLiteral("CANCELLED");
        v.errorText = QStringLiteral("cancelled before it was sent");
    } else {
        v.errorCode = RD_KAFKA_RESP_ERR__FAIL;
        v.errorName = QStringLiteral("NOT_SENT");
        v.errorText = QStringLiteral("not sent: ") +
                      (end.jobError.isEmpty() ? QStringLiteral("the job stopped early") : end.jobError);
    }
    return v;
}

std::int64_t shownTimestamp(std::int64_t reported, bool logAppendTime, std::optional<std::int64_t> rowTimestamp,
                            std::optional<std::int64_t> createdMs, std::int64_t estimateMs)
{
    constexpr std::int64_t PlausibleMs = 946684800000; // 2000-01-01: no broker stamps a message earlier
    if (!logAppendTime || reported >= PlausibleMs)
        return reported;
    return rowTimestamp.value_or(createdMs.value_or(estimateMs));
}

} // namespace kbatch::core

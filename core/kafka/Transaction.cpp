#include "Transaction.h"

#include "CommitRetry.h"
#include "KafkaLog.h"
#include "RdKafkaHandles.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>

#include <algorithm>

namespace kbatch::core {

namespace {

QString describe(const rd_kafka_error_t *error)
{
    return QStringLiteral("%1 (%2)").arg(QString::fromUtf8(rd_kafka_error_string(error)),
                                         QString::fromUtf8(rd_kafka_error_name(error)));
}

} // namespace

Transaction::Transaction(rd_kafka_t *rk, int timeoutMs, QString transactionalId)
    : m_rk(rk), m_timeoutMs(timeoutMs), m_transactionalId(std::move(transactionalId))
{}

Status Transaction::begin()
{
    rdk::ErrorPtr error(rd_kafka_init_transactions(m_rk, m_timeoutMs));
    if (!error)
        error.reset(rd_kafka_begin_transaction(m_rk));
    if (!error)
        return Ok{};
    const QString name = QString::fromUtf8(rd_kafka_error_name(error.get()));
    QString text = QString::fromUtf8(rd_kafka_error_string(error.get()));
    if (rd_kafka_error_code(error.get()) == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
        text = QStringLiteral("not authorized to use transactional id '%1' (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); "
                              "ask for a WRITE ACL on that transactional id or send in independent mode")
                   .arg(m_transactionalId);
    return Error(QStringLiteral("cannot start the transaction: %1 (%2)").arg(text, name));
}

Transaction::CommitOutcome Transaction::commit(const std::function<void(int)> &poll)
{
    QElapsedTimer t;
    t.start();
    CommitRetry retry(m_timeoutMs);
    for (;;) {
        const qint64 left = m_timeoutMs - t.elapsed();
        rdk::ErrorPtr error(rd_kafka_commit_transaction(m_rk, int(std::max<qint64>(left, 1))));
        if (!error)
            return {true, false, false, {}};
        const QString text = describe(error.get());
        // The transaction failed before it could commit (a produce error, a fenced epoch before EndTxn): abort.
        if (rd_kafka_error_txn_requires_abort(error.get()))
            return {false, false, false, text};
        const rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
        if (rd_kafka_error_is_fatal(error.get())) {
            // Fenced: another producer took the transactional id, and the coordinator aborted this transaction.
            const bool fenced = code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
                                code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
            return {false, !fenced, true, text};
        }
        if (rd_kafka_error_is_retriable(error.get())) {
            if (const auto waitMs = retry.nextWait(t.elapsed())) {
                qCInfo(lcKafka) << "commit failed, retrying in" << *waitMs << "ms:" << text;
                const QDeadlineTimer wake(*waitMs);
                while (!wake.hasExpired())
                    poll(int(std::max<qint64>(1, std::min<qint64>(20, wake.remainingTime()))));
                continue;
            }
        }
        // Timed out (the EndTxn request may be on its way or processed), or retriable until the deadline: unknown.
        return {false, true, false, text};
    }
}

QString Transaction::abort()
{
    const rdk::ErrorPtr error(rd_kafka_abort_transaction(m_rk, m_timeoutMs));
    if (!error)
        return {};
    return QStringLiteral("the abort request failed too (%1), so the coordinator aborts the transaction when "
                          "transaction.timeout.ms runs out")
        .arg(QString::fromUtf8(rd_kafka_error_string(error.get())));
}

void Transaction::settle(DeliveryResult &row, End end, const QString &reason)
{
    if (end == End::Committed || row.status == DeliveryStatus::Cancelled)
        return;
    if (end == End::Unknown) {
        // Written to its partition and acknowledged; whether read_committed readers will see it depends on the
        // commit nobody heard back from. Neither delivered nor failed.
        row.status = DeliveryStatus::PossiblyWritten;
        row.persisted = Persisted::PossiblyPersisted;
        row.errorCode = RD_KAFKA_RESP_ERR__TIMED_OUT;
        row.errorName = QStringLiteral("TRANSACTION_OUTCOME_UNKNOWN");
        row.errorText = QStringLiteral("the commit may have succeeded; read committed data to check (%1)").arg(reason);
    } else if (row.status == DeliveryStatus::Delivered || row.status == DeliveryStatus::PossiblyWritten) {
        row.status = DeliveryStatus::Failed;
        row.persisted = Persisted::NotPersisted;
        row.errorCode = RD_KAFKA_RESP_ERR__TRANSPORT;
        row.errorName = QStringLiteral("TRANSACTION_ABORTED");
        row.errorText = QStringLiteral("batch not committed: the transaction was aborted (%1)").arg(reason);
    }
}

} // namespace kbatch::core

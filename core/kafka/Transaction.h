#pragma once

#include "core/model/DeliveryResult.h"
#include "core/model/Error.h"

#include <QString>

#include <functional>

// As rdkafka.h declares it: this header is read by the tests too, which do not see librdkafka.
typedef struct rd_kafka_s rd_kafka_t; // NOLINT(modernize-use-using): the same declaration as librdkafka's C one

namespace kbatch::core {

// The Kafka transaction around an atomic job: begin, commit (retried with CommitRetry), abort, and what the rows held
// for its end become. Internal to core/kafka; producer thread only.
class Transaction
{
public:
    // Each call is bounded by `timeoutMs`.
    Transaction(rd_kafka_t *rk, int timeoutMs, QString transactionalId);

    // init_transactions() and begin_transaction(); the error names the transactional id when it may not be used.
    Status begin();

    struct CommitOutcome
    {
        bool committed = false;
        bool unknown = false; // the commit may or may not have taken
        bool fatal = false;   // the producer has a fatal error now (`text` says which)
        QString text;         // why it did not commit, or why its outcome is unknown
    };
    // `poll` serves delivery reports while a retry waits.
    CommitOutcome commit(const std::function<void(int timeoutMs)> &poll);

    // Empty when the coordinator took the abort; else what to tell the user.
    QString abort();

    enum class End { Committed, Unknown, Aborted };
    // A row held for the transaction's end, as it ends: unchanged when committed (or cancelled before it was sent);
    // possibly written when nobody knows whether the commit took; failed when it was aborted. `reason` says why.
    static void settle(DeliveryResult &row, End end, const QString &reason);

private:
    rd_kafka_t *m_rk;
    int m_timeoutMs;
    QString m_transactionalId;
};

} // namespace kbatch::core

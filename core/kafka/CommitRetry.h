#pragma once

#include <QtGlobal>

#include <algorithm>
#include <optional>

namespace kbatch::core {

// When to try rd_kafka_commit_transaction() again after a retriable error that came before its deadline: after
// 100 ms, doubling to at most 1 s, so that a coordinator that answers at once with a retriable error is not hammered,
// and never when the next attempt could not begin before the deadline (the outcome is then unknown). librdkafka
// 2.14.2 retries a failed EndTxn request itself until the call's timeout, so these retries are for the errors it
// returns early (a coordinator it cannot send to, a commit still in progress). Internal to core/kafka; any thread.
class CommitRetry
{
public:
    static constexpr int FirstWaitMs = 100;
    static constexpr int MaxWaitMs = 1000;

    explicit CommitRetry(qint64 deadlineMs) : m_deadlineMs(deadlineMs) {}

    // The wait before the next attempt, `elapsedMs` after the first one began; nullopt: give up.
    std::optional<int> nextWait(qint64 elapsedMs)
    {
        if (elapsedMs + m_nextMs >= m_deadlineMs)
            return std::nullopt;
        const int wait = m_nextMs;
        m_nextMs = std::min(m_nextMs * 2, MaxWaitMs);
        return wait;
    }

private:
    qint64 m_deadlineMs;
    int m_nextMs = FirstWaitMs;
};

} // namespace kbatch::core

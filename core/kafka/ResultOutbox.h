#pragma once

#include "Producer.h"

#include <memory>

namespace kbatch::core {

// A job's results on their way to the owner thread: each counted into the job's summary as it is added, then posted
// in batches, at most every 16 ms or 8,192 results, with the progress (one deliveriesReported() per batch, never one
// per message). Internal to core/kafka; producer thread only.
class ResultOutbox
{
public:
    static constexpr int FlushEveryMs = 16; // at most ~60 result batches per second to the owner thread
    static constexpr int FlushEveryResults = 8192;

    ResultOutbox(Producer *owner, std::shared_ptr<Producer::Flow> flow, JobSummary &summary);

    void add(DeliveryResult result);
    bool isFull() const { return m_pending.size() >= FlushEveryResults; }
    // Posts the progress and the results collected, when due at `nowMs` (on the job's clock) or when forced.
    void flush(bool force, qint64 nowMs, Producer::Progress progress);
    // The owner has not handled MaxUnhandledResults of the results posted to it, and is not blocked in wait().
    bool ownerIsBehind() const;

    void postSettings(EffectiveSettings settings) { m_owner->postSettings(std::move(settings)); }
    void postFinished() { m_owner->postFinished(m_summary); }

private:
    Producer *m_owner;
    std::shared_ptr<Producer::Flow> m_flow;
    JobSummary &m_summary;
    DeliveryResults m_pending;
    qint64 m_lastFlushMs = 0;
};

} // namespace kbatch::core

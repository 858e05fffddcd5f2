#include "ResultOutbox.h"

namespace kbatch::core {

ResultOutbox::ResultOutbox(Producer *owner, std::shared_ptr<Producer::Flow> flow, JobSummary &summary)
    : m_owner(owner), m_flow(std::move(flow)), m_summary(summary)
{}

void ResultOutbox::add(DeliveryResult result)
{
    switch (result.status) {
    case DeliveryStatus::Delivered:
        ++m_summary.delivered;
        break;
    case DeliveryStatus::Failed:
        ++m_summary.failed;
        break;
    case DeliveryStatus::PossiblyWritten:
        ++m_summary.possiblyWritten;
        break;
    case DeliveryStatus::Cancelled:
        ++m_summary.cancelled;
        break;
    case DeliveryStatus::Pending:
        break;
    }
    m_pending.append(std::move(result));
}

void ResultOutbox::flush(bool force, qint64 nowMs, Producer::Progress progress)
{
    if (!force && !isFull() && nowMs - m_lastFlushMs < FlushEveryMs)
        return;
    m_lastFlushMs = nowMs;
    m_owner->postProgress(progress);
    if (!m_pending.isEmpty()) {
        m_owner->post(std::move(m_pending));
        m_pending = DeliveryResults();
    }
}

bool ResultOutbox::ownerIsBehind() const
{
    return m_flow->unhandled.load(std::memory_order_relaxed) > Producer::MaxUnhandledResults &&
           !m_flow->ownerWaiting.load(std::memory_order_relaxed);
}

} // namespace kbatch::core

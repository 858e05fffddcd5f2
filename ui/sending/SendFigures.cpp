#include "ui/sending/SendFigures.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kbatch::ui {

namespace {
int bucketOf(qint64 us)
{
    if (us < 1)
        return 0;
    const auto v = std::uint64_t(us);
    const int exponent = 63 - std::countl_zero(v);
    // Three bits below the leading one pick one of 8 sub-buckets.
    const int sub = exponent >= 3 ? int((v >> (exponent - 3)) & 7) : int((v << (3 - exponent)) & 7);
    return std::min(exponent * 8 + sub, 8 * 40 - 1);
}

double bucketMidUs(int bucket)
{
    const int exponent = bucket / 8, sub = bucket % 8;
    const double low = std::ldexp(1.0 + sub / 8.0, exponent);
    const double high = std::ldexp(1.0 + (sub + 1) / 8.0, exponent);
    return (low + high) / 2;
}
} // namespace

void SendFigures::start(qsizetype total, bool atomic)
{
    m_stats = SendStats();
    m_stats.total = total;
    m_stats.atomic = atomic;
    m_stats.running = true;
    m_deliveredBytes = 0;
    m_latencyBuckets.fill(0);
    m_latencyCount = 0;
    m_clock.start();
}

void SendFigures::add(const core::DeliveryResult &r, qint64 bytes)
{
    using core::DeliveryStatus;
    switch (r.status) {
    case DeliveryStatus::Delivered:
        ++m_stats.delivered;
        m_deliveredBytes += bytes;
        if (r.latencyUs >= 0) {
            ++m_latencyBuckets[std::size_t(bucketOf(r.latencyUs))];
            ++m_latencyCount;
        }
        break;
    case DeliveryStatus::Failed:
        ++m_stats.failed;
        break;
    case DeliveryStatus::PossiblyWritten:
        ++m_stats.possiblyWritten;
        break;
    case DeliveryStatus::Cancelled:
        ++m_stats.cancelled;
        break;
    case DeliveryStatus::Pending:
        break;
    }
}

void SendFigures::setProgress(qsizetype produced, qsizetype acknowledged)
{
    m_stats.produced = produced;
    m_stats.acknowledged = acknowledged;
}

double SendFigures::percentileMs(double fraction) const
{
    if (m_latencyCount == 0)
        return -1;
    const auto target = qint64(std::ceil(fraction * double(m_latencyCount)));
    qint64 seen = 0;
    for (std::size_t i = 0; i < m_latencyBuckets.size(); ++i) {
        seen += m_latencyBuckets[i];
        if (seen >= target)
            return bucketMidUs(int(i)) / 1000.0;
    }
    return -1;
}

const SendStats &SendFigures::update(qint64 finalElapsedMs)
{
    const double seconds =
        finalElapsedMs > 0 ? double(finalElapsedMs) / 1000.0 : std::max(0.001, double(m_clock.elapsed()) / 1000.0);
    // A transaction delivers nothing before its commit: meanwhile the rate is of acknowledged messages.
    const bool uncommitted = m_stats.atomic && m_stats.running && finalElapsedMs < 0;
    m_stats.messagesPerSecond = double(uncommitted ? m_stats.acknowledged : m_stats.delivered) / seconds;
    m_stats.megabytesPerSecond = double(m_deliveredBytes) / seconds / 1e6;
    m_stats.p50Ms = percentileMs(0.50);
    m_stats.p99Ms = percentileMs(0.99);
    if (finalElapsedMs >= 0)
        m_stats.running = false;
    return m_stats;
}

} // namespace kbatch::ui

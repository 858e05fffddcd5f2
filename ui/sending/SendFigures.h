#pragma once

#include "core/model/DeliveryResult.h"

#include <QElapsedTimer>
#include <QMetaType>

#include <array>

namespace kbatch::ui {

// Live figures of the running (or last) send, for the status bar. Counts are of messages (a generator row makes
// many), not of editor rows.
struct SendStats
{
    qsizetype total = 0;
    qsizetype delivered = 0;
    qsizetype failed = 0;
    qsizetype possiblyWritten = 0;
    qsizetype cancelled = 0;
    // Atomic mode: outcomes are known only when the transaction ends; meanwhile these say how far it got.
    bool atomic = false;
    qsizetype produced = 0;     // handed to the producer
    qsizetype acknowledged = 0; // acknowledged by the broker, not committed yet
    double messagesPerSecond = 0;
    double megabytesPerSecond = 0;
    double p50Ms = -1; // of delivered messages only; -1 when none
    double p99Ms = -1;
    bool running = false;
    qsizetype done() const { return delivered + failed + possiblyWritten + cancelled; }
};

// Adds up a send's results into SendStats: counts, throughput and latency percentiles. Latencies are kept in
// log-spaced buckets (8 per power of two): constant memory and time whatever the row count, percentiles within
// about 9 %. Only delivered messages have a latency that means anything (a failure's is how long it took to fail).
class SendFigures
{
public:
    void start(qsizetype total, bool atomic);
    // `bytes`: key and value bytes of the message, counted when it was delivered.
    void add(const core::DeliveryResult &result, qint64 bytes);
    void setProgress(qsizetype produced, qsizetype acknowledged);
    void setTotal(qsizetype total) { m_stats.total = total; }
    // Rates and percentiles as of now; `finalElapsedMs` (the producer's own clock, more exact) once it has ended.
    const SendStats &update(qint64 finalElapsedMs = -1);
    const SendStats &stats() const { return m_stats; }

private:
    double percentileMs(double fraction) const;

    SendStats m_stats;
    qint64 m_deliveredBytes = 0;
    QElapsedTimer m_clock;
    std::array<qint64, std::size_t(8) * 40> m_latencyBuckets{};
    qint64 m_latencyCount = 0;
};

} // namespace kbatch::ui

Q_DECLARE_METATYPE(kbatch::ui::SendStats)

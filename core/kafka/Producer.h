#pragma once

#include "ProducerConfig.h"
#include "PublishJob.h"
#include "ThreadPriority.h"
#include "core/model/Error.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <thread>

namespace kbatch::core {

class ProducerWorker;

// Publishes one PublishJob at a time on a thread of its own, which owns the rd_kafka_t: every produce, poll, purge,
// flush and transaction call happens there. Results come back to the thread that owns this object, coalesced:
// one deliveriesReported() per batch of delivery reports, never one signal per message. Every row of the job gets
// exactly one final outcome, reported as a DeliveryResult (a job with reportDelivered off only counts its delivered
// rows in the summary), then jobFinished() is emitted once. Rows that arrive through the job's feed count too.
//
// Values are produced without a copy: the job's rows keep them until their delivery reports.
//
// Atomic mode wraps the job in one transaction; since a row's fate is known only at commit or abort, its results
// are reported after the transaction ends (progress() tells how many were acknowledged meanwhile).
//
// All functions must be called from the owner thread.
class Producer : public QObject
{
    Q_OBJECT
public:
    explicit Producer(QObject *parent = nullptr);
    ~Producer() override; // cancels a running job and waits for it (bounded by the drain deadline)

    // Starts a job. Fails if a job is running or the job is empty of a topic.
    Status start(PublishJob job);
    // Asks the running job to stop: unsent rows end as cancelled, queued ones are purged (cancelled), in-flight ones
    // finish with their real outcome. An atomic job is aborted.
    void cancel();
    bool isBusy() const { return m_busy; }
    // The priority of the next jobs' threads (the worker and librdkafka's). The GUI asks for Background.
    void setThreadPriority(ThreadPriority priority) { m_priority = priority; }
    // Waits for the running job's thread (for command-line use and tests; the GUI never calls it). Results not
    // handled yet are then no longer waited for (see MaxUnhandledResults).
    void wait();

    // At most about this many results are posted to the owner thread and not yet handled there: a worker ahead of
    // its owner (a --report written line by line, a busy UI) stops producing until the owner catches up, so that
    // results do not pile up in the event queue, 100 bytes each, for millions of messages.
    static constexpr qint64 MaxUnhandledResults = 131072;
    // Results posted to the owner thread and not yet emitted there (the batch being emitted included).
    qint64 unhandledResults() const { return m_flow->unhandled.load(); }

    struct Progress
    {
        qsizetype produced = 0;     // handed to librdkafka
        qsizetype acknowledged = 0; // delivery reports received (not yet final in atomic mode)
    };

signals:
    void deliveriesReported(const kbatch::core::DeliveryResults &results);
    void progressed(const kbatch::core::Producer::Progress &progress);
    void jobFinished(const kbatch::core::JobSummary &summary);
    // Once per job, before its first message: every property librdkafka got and where it came from (secrets hidden).
    void settingsApplied(const kbatch::core::EffectiveSettings &settings);

private:
    // Shared by the owner and the worker of one job.
    struct Flow
    {
        std::atomic<qint64> unhandled{0};      // results posted, not yet emitted on the owner thread
        std::atomic<bool> ownerWaiting{false}; // the owner blocks in wait(): nothing posted will be handled
    };
    void post(DeliveryResults results);
    void postProgress(Progress progress);
    void postFinished(JobSummary summary);
    void postSettings(EffectiveSettings settings);

    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<Flow> m_flow;
    bool m_busy = false;
    ThreadPriority m_priority = ThreadPriority::Normal;
    friend class ProducerWorker;
    friend class ResultOutbox;
};

} // namespace kbatch::core

Q_DECLARE_METATYPE(kbatch::core::DeliveryResults)
Q_DECLARE_METATYPE(kbatch::core::JobSummary)
Q_DECLARE_METATYPE(kbatch::core::Producer::Progress)
Q_DECLARE_METATYPE(kbatch::core::EffectiveSettings)

#include "Producer.h"

#include "ProducerWorker.h"
#include "QueuedHandOver.h"

namespace kbatch::core {

Producer::Producer(QObject *parent)
    : QObject(parent), m_cancel(std::make_shared<std::atomic<bool>>(false)), m_flow(std::make_shared<Flow>())
{
    qRegisterMetaType<kbatch::core::DeliveryResults>();
    qRegisterMetaType<kbatch::core::JobSummary>();
    qRegisterMetaType<kbatch::core::Producer::Progress>();
    qRegisterMetaType<kbatch::core::EffectiveSettings>();
}

Producer::~Producer()
{
    cancel();
    wait();
}

Status Producer::start(PublishJob job)
{
    if (m_busy)
        return Error(QStringLiteral("a batch is being sent already; cancel it or wait for it to finish"));
    if (job.topic.trimmed().isEmpty())
        return Error(QStringLiteral("no topic chosen"), {}, 0, 0, QStringLiteral("topic"));
    if (job.rows.hasGenerator())
        return Error(QStringLiteral("the batch still has generator rows: expand them before sending"));
    wait(); // join a finished thread
    m_busy = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_flow = std::make_shared<Flow>();
    m_thread =
        std::thread([this, job = std::move(job), cancel = m_cancel, flow = m_flow, priority = m_priority]() mutable {
            applyToCurrentThread(priority); // before the worker creates librdkafka's threads, which inherit it
            ProducerWorker worker(this, std::move(job), std::move(cancel), std::move(flow));
            worker.run();
        });
    return Ok{};
}

void Producer::cancel()
{
    m_cancel->store(true);
}

void Producer::wait()
{
    m_flow->ownerWaiting.store(true); // this thread handles no posted result until the join: do not wait for it
    if (m_thread.joinable())
        m_thread.join();
}

// The worker thread only posts; signals are emitted on the owner thread. Pending posts die with this object.
void Producer::post(DeliveryResults results)
{
    const qint64 n = results.size();
    m_flow->unhandled.fetch_add(n);
    QueuedHandOver::post([&] {
        QMetaObject::invokeMethod(
            this,
            [this, results = std::move(results), flow = m_flow, n] {
                QueuedHandOver::received(); // before the captures are read
                emit deliveriesReported(results);
                flow->unhandled.fetch_sub(n);
            },
            Qt::QueuedConnection);
    });
}

void Producer::postProgress(Progress progress)
{
    QueuedHandOver::post([&] {
        QMetaObject::invokeMethod(
            this,
            [this, progress] {
                QueuedHandOver::received(); // before the captures are read
                emit progressed(progress);
            },
            Qt::QueuedConnection);
    });
}

void Producer::postSettings(EffectiveSettings settings)
{
    QueuedHandOver::post([&] {
        QMetaObject::invokeMethod(
            this,
            [this, settings = std::move(settings)] {
                QueuedHandOver::received(); // before the captures are read
                emit settingsApplied(settings);
            },
            Qt::QueuedConnection);
    });
}

void Producer::postFinished(JobSummary summary)
{
    QueuedHandOver::post([&] {
        QMetaObject::invokeMethod(
            this,
            [this, summary = std::move(summary)] {
                QueuedHandOver::received(); // before the captures are read
                m_busy = false;
                emit jobFinished(summary);
            },
            Qt::QueuedConnection);
    });
}

} // namespace kbatch::core

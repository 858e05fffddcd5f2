#include "ui/sending/SendController.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/documents/DocumentModel.h"

namespace kbatch::ui {

using core::DeliveryStatus;

SendController::SendController(BatchTableModel *model, DocumentModel *document, ConnectionService *connections,
                               QObject *parent)
    : QObject(parent), m_model(model), m_document(document), m_connections(connections),
      m_producer(new core::Producer(this))
{
    // The window must stay smooth while a million results arrive on a 2-core machine: sending yields the CPU to it.
    m_producer->setThreadPriority(core::ThreadPriority::Background);
    connect(m_producer, &core::Producer::deliveriesReported, this, &SendController::onResults);
    connect(m_producer, &core::Producer::progressed, this, &SendController::onProgress);
    connect(m_producer, &core::Producer::jobFinished, this, &SendController::onFinished);
    connect(m_producer, &core::Producer::settingsApplied, this, &SendController::settingsApplied);
    // Figures at 4 Hz: fast enough to feel live, slow enough that the text does not flicker.
    m_statsTimer.setInterval(250);
    connect(&m_statsTimer, &QTimer::timeout, this, &SendController::publishStats);
}

SendController::~SendController()
{
    // The producer first: it may be taking rows from the feeder, and the sandbox it talks to goes after this.
    delete m_producer;
    m_producer = nullptr;
    m_feeder.reset();
}

bool SendController::isBusy() const
{
    return m_producer->isBusy();
}

core::Status SendController::send(const QString &profile, Scope scope, const QList<qsizetype> &rows)
{
    const QString &topic = m_document->topic();
    if (isBusy())
        return core::Error(tr("A send is already running — wait for it or cancel it"));
    if (topic.isEmpty())
        return core::Error(tr("No target topic — type one in the toolbar or double-click a topic in Connections"));
    // Rows sent as JSON text where the template asks for Schema Registry framing would be wrong bytes in the topic:
    // refused until the window encodes them.
    if (m_document->serialization().usesRegistry())
        return core::Error(tr("This template sends its keys or values through a Schema Registry (its \"serialization\" "
                              "block), which the window cannot encode yet: send it with kbatch-cli send"));
    auto connection = m_connections->connection(profile);
    if (!connection.ok())
        return connection.error();
    core::PublishJob job;
    job.topic = topic;
    job.settings = m_document->producer();
    job.connection = connection.value();
    // The template's settings are untrusted: refused here, before any row is marked, with the property named (the
    // producer checks again).
    if (auto config = core::buildProducerConfig(job); !config.ok())
        return config.error();
    // The profile's connect timeout bounds how long a send waits for an unreachable cluster (as in kbatch-cli).
    job.connectTimeoutMs = m_connections->connectTimeoutMs(profile);

    auto prepared = core::prepareBatchRows(
        m_model->batch(), scope, rows, [this](qsizetype r) { return m_model->rowId(r); }, core::freshSeed());
    if (!prepared.ok())
        return core::Error(tr("Nothing sent: %1").arg(prepared.error().message()));
    m_sources = std::move(prepared->sources);
    m_jobRows = prepared->rows;
    const QList<qsizetype> batchRows = std::move(prepared->batchRows);
    const qsizetype total = qsizetype(prepared->messages);
    prepared->moveInto(job);
    m_feeder = std::move(prepared->feeder);

    // Locked from here on: the rows being sent can be moved, not deleted or changed, while their expansion and
    // sending run.
    m_model->beginSend(batchRows);
    const bool atomic = job.settings.mode == core::PublishMode::Atomic;
    if (auto started = m_producer->start(std::move(job)); !started.ok()) {
        m_feeder.reset();
        m_model->endSend(true);
        return started.error();
    }
    if (m_feeder)
        m_feeder->start(); // expands while the producer connects and sends
    m_figures.start(total, atomic);
    m_shownProduced = 0;
    m_statsTimer.start();
    emit started(total);
    emit statsChanged(m_figures.stats());
    return core::Ok{};
}

void SendController::cancel()
{
    m_producer->cancel();
}

qint64 SendController::deliveredBytes(const core::DeliveryResult &r) const
{
    if (r.row >= 0 && r.row < m_jobRows.size())
        return m_jobRows.key(r.row).size() + m_jobRows.value(r.row).size();
    // Streamed rows are not kept here: the mean size of those handed over so far.
    const qint64 rows = m_feeder ? m_feeder->rowsHandedOver() : 0;
    return rows > 0 ? m_feeder->bytesHandedOver() / rows : 0;
}

void SendController::onResults(const core::DeliveryResults &results)
{
    m_model->applyJobResults(results, m_sources);
    for (const core::DeliveryResult &r : results)
        m_figures.add(r, r.status == DeliveryStatus::Delivered ? deliveredBytes(r) : 0);
    emit resultsApplied(results.size());
}

void SendController::onProgress(const core::Producer::Progress &progress)
{
    m_figures.setProgress(progress.produced, progress.acknowledged);
    // In a transaction no row has its outcome before the commit: the rows handed over say so meanwhile.
    if (m_figures.stats().atomic && progress.produced > m_shownProduced) {
        m_model->markInTransaction(m_sources, m_shownProduced, progress.produced);
        m_shownProduced = progress.produced;
    }
}

void SendController::publishStats()
{
    emit statsChanged(m_figures.update());
}

void SendController::onFinished(const core::JobSummary &summary)
{
    m_statsTimer.stop();
    if (m_figures.stats().total < summary.total)
        m_figures.setTotal(summary.total);
    // The producer's own clock is the more exact one for the final figures.
    emit statsChanged(m_figures.update(std::max<qint64>(summary.elapsedMs, 0)));
    m_model->endSend();
    m_feeder.reset(); // it handed over every row (the producer took them all to give each its outcome)
    m_jobRows = core::Batch();
    m_sources = core::JobSources();
    emit finished(summary);
}

core::Result<core::EffectiveSettings> SendController::previewSettings(const QString &profile, const QString &topic,
                                                                      const core::ProducerSettings &settings) const
{
    core::PublishJob job;
    job.topic = topic;
    job.settings = settings;
    auto connection = m_connections->previewConnection(profile);
    if (!connection.ok())
        return connection.error();
    job.connection = connection.value();
    auto config = core::buildProducerConfig(job);
    if (!config.ok())
        return config.error();
    return config->effective;
}

QList<qsizetype> SendController::resendableRows(bool includePossiblyWritten) const
{
    QList<qsizetype> rows;
    const ResultStore &results = m_model->results();
    for (qsizetype r = 0; r < results.size(); ++r) {
        const auto &res = results.at(r);
        if (!res.sent())
            continue;
        const DeliveryStatus s = res.status();
        if (s == DeliveryStatus::Failed || s == DeliveryStatus::Cancelled ||
            (includePossiblyWritten && s == DeliveryStatus::PossiblyWritten))
            rows.append(r);
    }
    return rows;
}

qsizetype SendController::possiblyWrittenCount() const
{
    qsizetype n = 0;
    const ResultStore &results = m_model->results();
    for (qsizetype r = 0; r < results.size(); ++r)
        if (results.at(r).sent() && results.at(r).status() == DeliveryStatus::PossiblyWritten)
            ++n;
    return n;
}

} // namespace kbatch::ui

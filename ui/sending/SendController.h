#pragma once

#include "core/kafka/Producer.h"
#include "core/model/Error.h"
#include "core/send/JobPreparation.h"
#include "ui/sending/SendFigures.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace kbatch::ui {

class BatchTableModel;
class ConnectionService;
class DocumentModel;

// Runs a send of the open document (its rows in BatchTableModel, its topic and producer settings in DocumentModel):
// prepares the job from the rows (core::prepareBatchRows: the scope, generator rows streamed as
// they expand, each job row mapped to its row's id), runs it on the Producer (which owns its own thread) and feeds
// the coalesced results into the model by row id, and the figures into SendStats. The rows it sends are locked in
// the model from the moment Send is pressed until their outcomes are in.
class SendController : public QObject
{
    Q_OBJECT
public:
    using Scope = core::SendScope;

    SendController(BatchTableModel *model, DocumentModel *document, ConnectionService *connections,
                   QObject *parent = nullptr);
    ~SendController() override; // stops a running send (bounded by the producer's drain deadline)

    // Starts a send of `rows` (editor rows; ignored with Scope::All) to the document's topic with its producer
    // settings, through `profile`'s connection.
    core::Status send(const QString &profile, Scope scope, const QList<qsizetype> &rows = {});
    void cancel();
    bool isBusy() const;
    // The producer settings a send with these choices would use, and where each comes from (buildProducerConfig()),
    // without starting the sandbox or reading a secret: secrets are shown as "(secret)" anyway.
    core::Result<core::EffectiveSettings> previewSettings(const QString &profile, const QString &topic,
                                                          const core::ProducerSettings &settings) const;
    const SendStats &stats() const { return m_figures.stats(); }

    // Rows a "Resend failed" would take: failed and cancelled ones, and possibly written ones only when asked.
    QList<qsizetype> resendableRows(bool includePossiblyWritten) const;
    qsizetype possiblyWrittenCount() const;

signals:
    void started(qsizetype total);
    void statsChanged(const kbatch::ui::SendStats &stats);
    void finished(const kbatch::core::JobSummary &summary);
    // Once per send, before its first message: what librdkafka got (from core::Producer::settingsApplied).
    void settingsApplied(const kbatch::core::EffectiveSettings &settings);
    void resultsApplied(qsizetype count); // after each coalesced vector reached the model (for the benchmark)

private:
    void onResults(const core::DeliveryResults &results);
    void onProgress(const core::Producer::Progress &progress);
    void onFinished(const core::JobSummary &summary);
    qint64 deliveredBytes(const core::DeliveryResult &result) const;
    void publishStats();

    BatchTableModel *m_model;
    DocumentModel *m_document;
    ConnectionService *m_connections;
    core::Producer *m_producer;
    std::unique_ptr<core::JobFeeder> m_feeder; // generated rows on their way to the running job
    core::JobSources m_sources;                // the running job's rows -> row ids
    core::Batch m_jobRows; // a job in memory: a cheap copy (shared chunks) to count the bytes of delivered rows
    SendFigures m_figures;
    qint64 m_shownProduced = 0; // atomic: job rows shown as in the transaction
    QTimer m_statsTimer;
};

} // namespace kbatch::ui

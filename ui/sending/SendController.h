#pragma once

#include "core/kafka/Producer.h"
#include "core/model/Error.h"
#include "core/model/RegistrySettings.h"
#include "core/model/SerializerSettings.h"
#include "core/send/JobPreparation.h"
#include "ui/sending/SendFigures.h"

#include <QObject>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <optional>

template <typename T> class QFutureWatcher;

namespace kbatch::core {
class CodecCache;
} // namespace kbatch::core

namespace kbatch::ui {

class BatchTableModel;
class ConnectionService;
class DocumentModel;

// Runs a send of the open document (its rows in BatchTableModel, its topic and producer settings in DocumentModel):
// prepares the job from the rows (core::prepareBatchRows: the scope, generator rows streamed as
// they expand, each job row mapped to its row's id), runs it on the Producer (which owns its own thread) and feeds
// the coalesced results into the model by row id, and the figures into SendStats. The rows it sends are locked in
// the model from the moment Send is pressed until their outcomes are in.
//
// A document whose keys or values are serialized (DocumentModel::serialization(): through a Schema Registry, or
// Protobuf from .proto files or a descriptor set) is encoded before its first message: the profile's registry and
// secrets are read when a part needs them, then, in Qt's thread pool (a slow registry or a large batch never freezes
// the window), both schemas are resolved once and every row encoded; generator rows that make more than a piece are
// expanded there too, piece by piece, so that only the encoded bytes of every message are held, never the JSON of
// all of them. A registry that is down, refuses the credentials or lacks the subject, .proto files that do not
// compile, and a row that does not fit its schema, refuse the whole send with nothing sent: refused() says why,
// naming the row and the JSON path, and which row it is.
class SendController : public QObject
{
    Q_OBJECT
public:
    using Scope = core::SendScope;

    SendController(BatchTableModel *model, DocumentModel *document, ConnectionService *connections,
                   QObject *parent = nullptr);
    ~SendController() override; // stops a running send (bounded by the producer's drain deadline)

    // Starts a send of `rows` (editor rows; ignored with Scope::All) to the document's topic with its producer
    // settings, through `profile`'s connection. An error when it cannot start; for a send through a Schema Registry,
    // Ok means it is preparing (isPreparing()): it then either starts (started()) or is refused (refused()).
    core::Status send(const QString &profile, Scope scope, const QList<qsizetype> &rows = {});
    void cancel();
    bool isBusy() const;      // preparing or sending
    bool isPreparing() const; // reading the registry's secrets, resolving the schemas, encoding the rows
    // The folder of the document's file (empty: not saved yet), which relative .proto and descriptor set paths are
    // taken from, as kbatch-cli takes them from the template's.
    void setDocumentDir(const QString &dir) { m_documentDir = dir; }
    // The user agreed that the next send may register its schemas (the document's autoRegister): asked once by the
    // window before Send. Without it such a send is refused, as kbatch-cli refuses it without --allow-register.
    void allowRegisterOnce() { m_registerAllowed = true; }
    // The schema ids the last send through a registry used (0: that part was sent as bytes).
    int lastKeySchemaId() const { return m_keySchemaId; }
    int lastValueSchemaId() const { return m_valueSchemaId; }
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
    // A send through a Schema Registry is preparing: `what` for the status bar.
    void preparing(const QString &what);
    // A send that send() accepted did not start, nothing sent: `message` says why; `row` is the editor row at fault
    // (a row that does not fit its schema), -1 when none is.
    void refused(const QString &message, qsizetype row);

private:
    struct Encoded;
    // What a serialized send holds while it prepares.
    struct Preparing
    {
        core::PublishJob job;
        core::Batch rows; // expanded; or, with `expand`, the rows taken with their generator rows still to expand
        bool expand = false;
        std::uint64_t seed = 0; // of the expansion, with `expand`
        core::Serialization serialization;
        QString documentDir;
        QList<qsizetype> batchRows;
        qsizetype total = 0;
        QString profile;
    };
    core::Status startPrepared(core::PublishJob job, qsizetype total, bool atomic);
    void onRegistrySettings(const core::Result<core::RegistrySettings> &registry);
    void encodeRows(const std::optional<core::RegistrySettings> &registry);
    void onEncoded(const Encoded &encoded);
    void refuse(const QString &message, qsizetype row = -1);
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
    std::unique_ptr<Preparing> m_preparing;        // a serialized send, until it starts or is refused
    QFutureWatcher<Encoded> *m_encoding = nullptr; // its resolving and encoding in the pool
    std::shared_ptr<core::CodecCache> m_codecs;    // compiled schemas by id, for every send of this window
    QString m_documentDir;
    bool m_registerAllowed = false;
    int m_keySchemaId = 0;
    int m_valueSchemaId = 0;
};

} // namespace kbatch::ui

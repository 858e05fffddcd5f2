#include "ui/sending/SendController.h"

#include "core/generate/Generator.h"
#include "core/profiles/ProfileStore.h"
#include "core/schema/CodecCache.h"
#include "core/schema/SendCodecResolution.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/documents/DocumentModel.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include <limits>

namespace kbatch::ui {

using core::DeliveryStatus;

// What the pool's work for a send through a registry found: the rows encoded, or why not.
struct SendController::Encoded
{
    QString error;         // empty: `rows` are the encoded rows
    qsizetype jobRow = -1; // the row that does not fit, in the job's rows; -1 when the error is not a row's
    core::Batch rows;
    core::SendCodecs codecs;
    qint64 registryRequests = 0;
};

namespace {

QString partName(bool key)
{
    return key ? SendController::tr("key") : SendController::tr("value");
}

// What to do about a registry's refusal, said after its own one line (which names the URL, never a secret).
QString registryAdvice(const core::RegistryError &e, const QString &profile)
{
    using Kind = core::RegistryError::Kind;
    switch (e.kind) {
    case Kind::Unreachable:
        return SendController::tr("is the registry running? Check its URL in profile '%1'").arg(profile);
    case Kind::Tls:
        return SendController::tr("check the registry's CA file and client certificate in profile '%1'").arg(profile);
    case Kind::Unauthorized:
        return SendController::tr("check the registry user and password (or token) in profile '%1'").arg(profile);
    case Kind::Forbidden:
        return SendController::tr("the registry user of profile '%1' may not do this").arg(profile);
    case Kind::NotFound:
        return SendController::tr("register the schema first, or choose another subject or version (Serialization "
                                  "on the send bar)");
    default:
        return {};
    }
}

// "subject 'orders-value' version 3, id 7" for messages; "from protos/shop.proto" for Protobuf from files.
QString describeSchema(const core::ResolvedCodec &codec)
{
    if (!codec.framed)
        return SendController::tr("from %1").arg(codec.source);
    if (codec.schema.subject.isEmpty())
        return SendController::tr("schema id %1").arg(codec.schema.id);
    return SendController::tr("subject '%1' version %2, id %3")
        .arg(codec.schema.subject)
        .arg(codec.schema.version)
        .arg(codec.schema.id);
}

} // namespace

SendController::SendController(BatchTableModel *model, DocumentModel *document, ConnectionService *connections,
                               QObject *parent)
    : QObject(parent), m_model(model), m_document(document), m_connections(connections),
      m_producer(new core::Producer(this)), m_codecs(std::make_shared<core::CodecCache>())
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
    return m_preparing || m_producer->isBusy();
}

bool SendController::isPreparing() const
{
    return m_preparing != nullptr;
}

core::Status SendController::send(const QString &profile, Scope scope, const QList<qsizetype> &rows)
{
    const QString &topic = m_document->topic();
    if (isBusy())
        return core::Error(tr("A send is already running — wait for it or cancel it"));
    if (topic.isEmpty())
        return core::Error(tr("No target topic — type one in the toolbar or double-click a topic in Connections"));
    // Keys or values serialized (through a Schema Registry, or Protobuf from files): checked here what can be checked
    // at once, the rest (the registry's answers, the .proto files, every row against its schema) before the first
    // message, off this thread.
    const core::Serialization serialization = m_document->serialization();
    const bool typed = serialization.usesRegistry();
    const bool registry = core::needsRegistry(serialization);
    const bool registerAllowed = std::exchange(m_registerAllowed, false); // for this send only
    if (typed) {
        for (const bool key : {true, false}) {
            const core::SerializerSettings &part = key ? serialization.key : serialization.value;
            // Registering is a write to the user's registry with the user's credentials: more than sending the
            // messages, which is all a template may do on its own.
            if (part.usesRegistry() && !part.sendsUnframed() && part.autoRegister && !registerAllowed)
                return core::Error(tr("The %1's schema would be registered in the Schema Registry (auto-register), "
                                      "which was not confirmed: nothing was sent")
                                       .arg(partName(key)));
        }
    }
    if (registry) {
        const auto asks = [](const core::SerializerSettings &s) { return s.usesRegistry() && !s.sendsUnframed(); };
        const auto found = m_connections->profiles()->find(profile);
        if (!found || found->isSandbox || !found->registry.isSet())
            return core::Error(tr("This document sends its %1 through a Schema Registry, and profile '%2' has none — "
                                  "add the registry in View > Connection Profiles, or choose bytes under "
                                  "Serialization on the send bar")
                                   .arg(asks(serialization.key) && asks(serialization.value) ? tr("keys and values")
                                        : asks(serialization.key)                            ? tr("keys")
                                                                                             : tr("values"),
                                        profile.isEmpty() ? ConnectionService::sandboxProfileName() : profile));
    }
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

    const core::Batch &batch = m_model->batch();
    const std::uint64_t seed = core::freshSeed();
    auto prepared = core::prepareBatchRows(
        batch, scope, rows, [this](qsizetype r) { return m_model->rowId(r); }, seed);
    if (!prepared.ok())
        return core::Error(tr("Nothing sent: %1").arg(prepared.error().message()));
    // Generator rows that make more than a piece stream to an untyped send as they expand. A serialized send encodes
    // every message before the first goes out, so they are expanded (from the same seed) and encoded in the pool
    // instead, piece by piece: the rows taken go there unexpanded.
    core::Batch unexpanded;
    const bool expand = typed && prepared->feeder;
    if (expand) {
        prepared->feeder.reset();
        if (prepared->batchRows.isEmpty()) {
            unexpanded = batch;
        } else {
            unexpanded.reserve(prepared->batchRows.size());
            for (const qsizetype r : std::as_const(prepared->batchRows))
                unexpanded.append(batch.at(r));
        }
    }
    m_sources = std::move(prepared->sources);
    m_jobRows = prepared->rows;
    const QList<qsizetype> batchRows = std::move(prepared->batchRows);
    const qsizetype total = qsizetype(prepared->messages);
    const bool atomic = job.settings.mode == core::PublishMode::Atomic;
    m_keySchemaId = m_valueSchemaId = 0;

    // Locked from here on: the rows being sent can be moved, not deleted or changed, while their expansion and
    // sending run (and, through a registry, while they are encoded).
    m_model->beginSend(batchRows);
    if (typed) {
        m_preparing = std::make_unique<Preparing>();
        m_preparing->job = std::move(job);
        m_preparing->rows = expand ? std::move(unexpanded) : std::move(prepared->rows);
        m_preparing->expand = expand;
        m_preparing->seed = seed;
        m_preparing->serialization = serialization;
        m_preparing->documentDir = m_documentDir;
        m_preparing->batchRows = batchRows;
        m_preparing->total = total;
        m_preparing->profile = profile;
        if (!registry) { // Protobuf from files only: nothing to read first
            encodeRows(std::nullopt);
            return core::Ok{};
        }
        emit preparing(tr("Reading the schemas from the Schema Registry of '%1'…").arg(profile));
        m_connections->readRegistrySettings(
            profile, this,
            [this](const core::Result<core::RegistrySettings> &settings) { onRegistrySettings(settings); });
        return core::Ok{};
    }
    prepared->moveInto(job);
    m_feeder = std::move(prepared->feeder);
    m_model->setSendSchemaIds(0, 0);
    return startPrepared(std::move(job), total, atomic);
}

core::Status SendController::startPrepared(core::PublishJob job, qsizetype total, bool atomic)
{
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

void SendController::onRegistrySettings(const core::Result<core::RegistrySettings> &registry)
{
    if (!m_preparing) // cancelled meanwhile
        return;
    if (!registry.ok()) {
        refuse(tr("Nothing sent: %1").arg(registry.error().message()));
        return;
    }
    encodeRows(registry.value());
}

void SendController::encodeRows(const std::optional<core::RegistrySettings> &registry)
{
    const int rows = int(std::min<qsizetype>(m_preparing->total, std::numeric_limits<int>::max()));
    emit preparing(registry ? tr("Resolving the schemas at %1 and encoding %Ln message(s)…", nullptr, rows)
                                  .arg(registry->url.toDisplayString(QUrl::RemoveUserInfo))
                            : tr("Compiling the Protobuf schema and encoding %Ln message(s)…", nullptr, rows));
    m_encoding = new QFutureWatcher<Encoded>(this);
    QFutureWatcher<Encoded> *watcher = m_encoding;
    connect(watcher, &QFutureWatcher<Encoded>::finished, this, [this, watcher] {
        watcher->deleteLater();
        if (watcher != m_encoding) // cancelled: its answer goes nowhere
            return;
        m_encoding = nullptr;
        onEncoded(watcher->result());
    });
    const Preparing &p = *m_preparing;
    watcher->setFuture(QtConcurrent::run([registry, serialization = p.serialization, topic = p.job.topic, rows = p.rows,
                                          expand = p.expand, seed = p.seed, documentDir = p.documentDir,
                                          codecs = m_codecs, profile = p.profile] {
        Encoded out;
        // Protobuf from files: compiled here, relative paths from the document's folder.
        for (const bool key : {true, false}) {
            const core::SerializerSettings &part = key ? serialization.key : serialization.value;
            if (!part.sendsUnframed())
                continue;
            auto compiled = core::resolveUnframed(part, documentDir);
            if (!compiled) {
                out.error =
                    tr("Nothing sent: the %1's Protobuf schema: %2").arg(partName(key), compiled.error().message());
                return out;
            }
            (key ? out.codecs.key : out.codecs.value) = std::move(compiled.value());
        }
        if (registry) {
            auto resolved =
                core::resolveSendCodecsBlocking(*registry, serialization, topic, codecs, &out.registryRequests);
            if (!resolved) {
                const QString advice = registryAdvice(resolved.error(), profile);
                out.error = advice.isEmpty() ? tr("Nothing sent: %1").arg(resolved.error().text)
                                             : tr("Nothing sent: %1 — %2").arg(resolved.error().text, advice);
                return out;
            }
            if (resolved->key)
                out.codecs.key = std::move(resolved->key);
            if (resolved->value)
                out.codecs.value = std::move(resolved->value);
        }
        core::RowSerializeFailure failure;
        core::Result<core::Batch> encoded = core::Error(QString());
        if (expand) {
            // Expanded and encoded piece by piece: the JSON of a piece is dropped once it is encoded.
            core::GeneratorExpander expander(seed);
            if (auto added = expander.add(rows); !added) {
                out.error = tr("Nothing sent: %1").arg(added.error().message());
                return out;
            }
            encoded = core::serializeRows(expander, out.codecs, core::JobFeeder::PieceRows, &failure);
        } else {
            encoded = core::serializeRows(rows, out.codecs, &failure);
        }
        if (!encoded) {
            if (failure.row < 0) {
                out.error = tr("Nothing sent: %1").arg(encoded.error().message());
                return out;
            }
            out.jobRow = failure.row;
            const bool key = failure.part == QLatin1String("key");
            const auto &codec = key ? out.codecs.key : out.codecs.value;
            out.error = codec ? tr("%1: %2 — it does not fit the %1 schema (%3). Nothing was sent: fix the row in "
                                   "the Message editor.")
                                    .arg(failure.part, failure.reason, describeSchema(*codec))
                              : tr("%1: %2. Nothing was sent.").arg(failure.part, failure.reason);
            return out;
        }
        out.rows = std::move(encoded.value());
        return out;
    }));
}

void SendController::onEncoded(const Encoded &encoded)
{
    if (!m_preparing)
        return;
    if (!encoded.error.isEmpty()) {
        qsizetype row = -1;
        if (encoded.jobRow >= 0)
            if (const auto id = m_sources.keyOf(encoded.jobRow))
                row = m_model->rowOfId(*id);
        refuse(row >= 0 ? tr("Row %L1: %2").arg(row + 1).arg(encoded.error) : encoded.error, row);
        return;
    }
    std::unique_ptr<Preparing> prepared = std::move(m_preparing);
    core::PublishJob job = std::move(prepared->job);
    job.rows = encoded.rows;
    m_jobRows = encoded.rows; // the bytes that go out, for the figures
    m_keySchemaId = encoded.codecs.key ? encoded.codecs.key->schema.id : 0;
    m_valueSchemaId = encoded.codecs.value ? encoded.codecs.value->schema.id : 0;
    m_model->setSendSchemaIds(m_keySchemaId, m_valueSchemaId);
    const bool atomic = job.settings.mode == core::PublishMode::Atomic;
    if (auto started = startPrepared(std::move(job), prepared->total, atomic); !started.ok()) {
        m_sources = core::JobSources();
        m_jobRows = core::Batch();
        emit refused(started.error().message(), -1);
    }
}

void SendController::refuse(const QString &message, qsizetype row)
{
    m_preparing.reset();
    m_encoding = nullptr; // a watcher still running finishes into nothing
    m_model->endSend(true);
    m_sources = core::JobSources();
    m_jobRows = core::Batch();
    emit refused(message, row);
}

void SendController::cancel()
{
    if (m_preparing) {
        refuse(tr("Send cancelled before its first message: nothing was sent"));
        return;
    }
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

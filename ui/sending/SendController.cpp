#include "ui/sending/SendController.h"

#include "core/generate/Generator.h"
#include "core/kafka/SandboxCluster.h"
#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/SecretStore.h"
#include "ui/batch/BatchTableModel.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include <QCoreApplication>

#include <bit>
#include <cmath>

namespace kbatch::ui {

using core::DeliveryStatus;

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

QString SendController::sandboxProfileName()
{
    return core::sandboxProfileName();
}

SendController::SendController(BatchTableModel *model, QObject *parent)
    : QObject(parent), m_model(model), m_producer(new core::Producer(this))
{
    // The window must stay smooth while a million results arrive on a 2-core machine: sending yields the CPU to it.
    m_producer->setThreadPriority(core::ThreadPriority::Background);
    connect(m_producer, &core::Producer::deliveriesReported, this, &SendController::onResults);
    connect(m_producer, &core::Producer::jobFinished, this, &SendController::onFinished);
    connect(m_producer, &core::Producer::settingsApplied, this, &SendController::settingsApplied);
    // Figures at 4 Hz: fast enough to feel live, slow enough that the text does not flicker.
    m_statsTimer.setInterval(250);
    connect(&m_statsTimer, &QTimer::timeout, this, &SendController::publishStats);
}

SendController::~SendController()
{
    // The producer must stop before the sandbox it talks to goes away.
    delete m_producer;
    m_producer = nullptr;
}

core::Result<core::Properties> SendController::connection(const QString &profile)
{
    if (profile == sandboxProfileName() || profile.isEmpty()) {
        if (!m_sandbox) {
            auto started = core::SandboxCluster::start(1, core::ThreadPriority::Background);
            if (!started.ok())
                return core::Error(tr("The local sandbox cluster could not start: %1").arg(started.error().message()));
            m_sandbox = std::move(started.value());
        }
        return core::Properties{{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    }
    const auto found = m_profiles ? m_profiles->find(profile) : std::nullopt;
    if (!found)
        return core::Error(tr("Unknown connection profile '%1' — pick a profile in the toolbar").arg(profile));
    return core::librdkafkaProperties(*found, m_secrets.value(profile));
}

void SendController::setProfileSources(core::ProfileStore *profiles, core::SecretStore *secrets)
{
    m_profiles = profiles;
    m_secretStore = secrets;
}

QStringList SendController::profileNames() const
{
    if (!m_profiles)
        return {sandboxProfileName()};
    QStringList names;
    const QList<core::ConnectionProfile> all = m_profiles->list();
    for (const core::ConnectionProfile &p : all)
        names << p.name;
    return names;
}

void SendController::prefetchSecrets(const QString &profile)
{
    const auto found = m_profiles ? m_profiles->find(profile) : std::nullopt;
    if (!found || !m_secretStore)
        return;
    const QList<core::SecretNeed> needs = core::secretsNeeded(*found);
    for (const core::SecretNeed &need : needs) {
        const core::SecretKind kind = need.kind;
        const core::SecretJobId job = m_secretStore->readSecret(profile, kind);
        m_secretStore->onFinished(job, this, [this, profile, kind](const core::SecretResult &result) {
            if (result.ok())
                m_secrets[profile][kind] = result.secret;
            else if (result.status != core::SecretResult::Status::NotFound)
                // Said now, not later as a puzzling "no password stored" when Send is pressed.
                emit secretReadFailed(tr("The %1 of profile '%2' could not be read from the keychain: %3")
                                          .arg(core::describe(kind), profile, result.message));
        });
    }
}

void SendController::setSessionSecret(const QString &profile, core::SecretKind kind, const QByteArray &secret)
{
    m_secrets[profile][kind] = secret;
}

QString SendController::sandboxBootstrap() const
{
    return m_sandbox ? m_sandbox->bootstrapServers() : QString();
}

core::Result<core::SandboxCluster *> SendController::sandbox()
{
    if (auto started = connection(sandboxProfileName()); !started.ok())
        return started.error();
    return m_sandbox.get();
}

core::Status SendController::createSandboxTopic(const QString &topic, int partitions)
{
    if (auto started = connection(sandboxProfileName()); !started.ok())
        return started.error();
    return m_sandbox->createTopic(topic, partitions);
}

bool SendController::isBusy() const
{
    return m_preparing || m_producer->isBusy();
}

core::Status SendController::send(const QString &profile, const QString &topic, const core::ProducerSettings &settings,
                                  Scope scope, QList<qsizetype> rows)
{
    if (isBusy())
        return core::Error(tr("A send is already running — wait for it or cancel it"));
    if (topic.isEmpty())
        return core::Error(tr("No target topic — type one in the toolbar or double-click a topic in Connections"));
    const core::Batch &batch = m_model->batch();
    if (scope == Scope::All)
        rows.clear();
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (scope != Scope::All && rows.isEmpty())
        return core::Error(scope == Scope::Failed ? tr("No failed rows to resend") : tr("No rows selected"));
    if (batch.isEmpty())
        return core::Error(tr("The batch has no rows — add a row first (Ctrl+N)"));

    auto conn = connection(profile);
    if (!conn.ok())
        return conn.error();

    core::PublishJob job;
    job.topic = topic;
    job.settings = settings;
    job.connection = conn.value();
    // The template's settings are untrusted: refused here, before any row is marked, with the property named (the
    // producer checks again).
    if (auto config = core::buildProducerConfig(job); !config.ok())
        return config.error();
    // The profile's connect timeout bounds how long a send waits for an unreachable cluster (as in kbatch-cli).
    if (const auto found = m_profiles ? m_profiles->find(profile) : std::nullopt; found && !found->isSandbox)
        job.connectTimeoutMs = found->connectTimeoutMs;
    if (rows.isEmpty()) {
        job.rows = batch; // shares the payload chunks; the editor may go on afterwards
    } else {
        job.rows.reserve(rows.size());
        for (qsizetype r : rows)
            job.rows.append(batch.at(r));
        job.sourceRows = rows;
    }
    if (!job.rows.hasGenerator()) {
        startJob(std::move(job), rows);
        return core::Ok{};
    }
    // Generator rows become many rows: expand on a worker thread (a million rows must not freeze the window), and
    // map every expanded row back to the editor row it came from.
    QList<qsizetype> editorRows = job.sourceRows;
    if (editorRows.isEmpty())
        for (qsizetype r = 0; r < job.rows.size(); ++r)
            editorRows.append(r);
    QList<qsizetype> expandedSources;
    for (qsizetype r = 0; r < job.rows.size(); ++r) {
        const auto spec = job.rows.generate(r);
        const qsizetype n = spec ? qsizetype(std::max<std::int64_t>(spec->count, 0)) : 1;
        for (qsizetype i = 0; i < n && expandedSources.size() <= core::MaxExpandedMessages; ++i)
            expandedSources.append(editorRows[r]);
    }
    struct Expanded
    {
        std::optional<core::Batch> rows;
        core::Error error;
    };
    m_preparing = true;
    auto *watcher = new QFutureWatcher<Expanded>(this);
    connect(watcher, &QFutureWatcher<Expanded>::finished, this, [this, watcher, job, rows, expandedSources]() mutable {
        watcher->deleteLater();
        m_preparing = false;
        Expanded result = watcher->result();
        if (!result.rows) {
            emit failedToStart(tr("Generator rows could not be expanded: %1").arg(result.error.message()));
            return;
        }
        job.rows = std::move(*result.rows);
        job.sourceRows = expandedSources;
        startJob(std::move(job), rows);
    });
    const core::Batch unexpanded = job.rows;
    watcher->setFuture(QtConcurrent::run([unexpanded] {
        Expanded out;
        auto expanded = core::expandGenerators(unexpanded, core::freshSeed());
        if (expanded.ok())
            out.rows = std::move(expanded.value());
        else
            out.error = expanded.error();
        return out;
    }));
    return core::Ok{};
}

void SendController::startJob(core::PublishJob job, const QList<qsizetype> &pendingRows)
{
    m_sourceRows = job.sourceRows;
    m_jobRows = job.rows;
    const qsizetype total = job.rows.size();

    m_model->markPending(pendingRows);
    m_model->setSending(true);
    const core::Status startedOk = m_producer->start(std::move(job));
    if (!startedOk.ok()) {
        m_model->setSending(false);
        m_model->clearResults();
        emit failedToStart(startedOk.error().message());
        return;
    }
    m_stats = SendStats();
    m_stats.total = total;
    m_stats.running = true;
    m_deliveredBytes = 0;
    m_latencyBuckets.fill(0);
    m_latencyCount = 0;
    m_clock.start();
    m_statsTimer.start();
    emit started(total);
    emit statsChanged(m_stats);
}

void SendController::cancel()
{
    m_producer->cancel();
}

void SendController::onResults(const core::DeliveryResults &results)
{
    m_model->applyResults(results, m_sourceRows);
    for (const core::DeliveryResult &r : results) {
        switch (r.status) {
        case DeliveryStatus::Delivered:
            ++m_stats.delivered;
            if (r.row >= 0 && r.row < m_jobRows.size())
                m_deliveredBytes += m_jobRows.key(r.row).size() + m_jobRows.value(r.row).size();
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
        if (r.latencyUs >= 0) {
            ++m_latencyBuckets[std::size_t(bucketOf(r.latencyUs))];
            ++m_latencyCount;
        }
    }
    emit resultsApplied(results.size());
}

double SendController::percentileMs(double fraction) const
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

void SendController::publishStats()
{
    const double seconds = std::max(0.001, double(m_clock.elapsed()) / 1000.0);
    m_stats.messagesPerSecond = double(m_stats.delivered) / seconds;
    m_stats.megabytesPerSecond = double(m_deliveredBytes) / seconds / 1e6;
    m_stats.p50Ms = percentileMs(0.50);
    m_stats.p99Ms = percentileMs(0.99);
    emit statsChanged(m_stats);
}

void SendController::onFinished(const core::JobSummary &summary)
{
    m_statsTimer.stop();
    m_model->flushResultChanges();
    m_model->setSending(false);
    m_stats.running = false;
    publishStats();
    if (summary.elapsedMs > 0) {
        // The producer's own clock is the more exact one for the final figures.
        m_stats.messagesPerSecond = double(summary.delivered) * 1000.0 / double(summary.elapsedMs);
        m_stats.megabytesPerSecond = double(m_deliveredBytes) / double(summary.elapsedMs) / 1e3;
        emit statsChanged(m_stats);
    }
    m_jobRows = core::Batch();
    emit finished(summary);
}

core::Result<core::EffectiveSettings> SendController::previewSettings(const QString &profile, const QString &topic,
                                                                      const core::ProducerSettings &settings) const
{
    core::PublishJob job;
    job.topic = topic;
    job.settings = settings;
    if (profile == sandboxProfileName() || profile.isEmpty()) {
        job.connection = {{QStringLiteral("bootstrap.servers"),
                           m_sandbox ? m_sandbox->bootstrapServers() : tr("(the sandbox, started by the first send)")}};
    } else {
        const auto found = m_profiles ? m_profiles->find(profile) : std::nullopt;
        if (!found)
            return core::Error(tr("Unknown connection profile '%1'").arg(profile));
        core::ResolvedSecrets placeholders; // never shown: secret values read "(secret)"
        for (const core::SecretNeed &need : core::secretsNeeded(*found))
            placeholders[need.kind] = QByteArrayLiteral("(secret)");
        auto props = core::librdkafkaProperties(*found, placeholders);
        if (!props.ok())
            return props.error();
        job.connection = props.value();
    }
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

#pragma once

#include "core/kafka/Producer.h"
#include "core/model/Error.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>
#include <memory>

#include "core/profiles/Secrets.h"

#include <QHash>

namespace kbatch::core {
class ProfileStore;
class SandboxCluster;
class SecretStore;
} // namespace kbatch::core

namespace kbatch::ui {

class BatchTableModel;

// Live figures of the running (or last) send, for the status bar.
struct SendStats
{
    qsizetype total = 0;
    qsizetype delivered = 0;
    qsizetype failed = 0;
    qsizetype possiblyWritten = 0;
    qsizetype cancelled = 0;
    double messagesPerSecond = 0;
    double megabytesPerSecond = 0;
    double p50Ms = -1;
    double p99Ms = -1;
    bool running = false;
    qsizetype done() const { return delivered + failed + possiblyWritten + cancelled; }
};

// Turns "send" into a PublishJob, runs it on the Producer (which owns its own thread) and feeds the coalesced
// results into the model. Owns the in-process sandbox cluster of the "Local sandbox" profile, started on first use.
class SendController : public QObject
{
    Q_OBJECT
public:
    static QString sandboxProfileName(); // "Local sandbox"

    explicit SendController(BatchTableModel *model, QObject *parent = nullptr);
    ~SendController() override;

    // Where profiles and their secrets come from (not owned). Without them only the sandbox is known.
    void setProfileSources(core::ProfileStore *profiles, core::SecretStore *secrets);
    QStringList profileNames() const; // the sandbox first
    // Reads the profile's secrets from the keychain ahead of a send (asynchronously), so connection() needs no wait.
    void prefetchSecrets(const QString &profile);
    void setSessionSecret(const QString &profile, core::SecretKind kind, const QByteArray &secret);

    // Connection properties of a profile; starts the sandbox when the profile is the sandbox.
    core::Result<core::Properties> connection(const QString &profile);
    QString sandboxBootstrap() const; // empty until the sandbox runs
    // The sandbox cluster (started when needed), for its fault switches. Owned here; valid while this lives.
    core::Result<core::SandboxCluster *> sandbox();
    // Creates a topic on the sandbox (starting it when needed).
    core::Status createSandboxTopic(const QString &topic, int partitions);

    enum class Scope { All, Selected, Failed };
    // Starts a send of `rows` (editor rows; empty with Scope::All means every row).
    core::Status send(const QString &profile, const QString &topic, const core::ProducerSettings &settings, Scope scope,
                      QList<qsizetype> rows);
    void cancel();
    bool isBusy() const;
    // The producer settings a send with these choices would use, and where each comes from (buildProducerConfig()),
    // without starting the sandbox or reading a secret: secrets are shown as "(secret)" anyway.
    core::Result<core::EffectiveSettings>
    previewSettings(const QString &profile, const QString &topic,
                    const core::ProducerSettings &settings) const; // preparing (expanding generator rows) or sending
    const SendStats &stats() const { return m_stats; }

    // Rows a "Resend failed" would take: failed and cancelled ones, and possibly written ones only when asked.
    QList<qsizetype> resendableRows(bool includePossiblyWritten) const;
    qsizetype possiblyWrittenCount() const;

signals:
    void started(qsizetype total);
    void statsChanged(const kbatch::ui::SendStats &stats);
    void finished(const kbatch::core::JobSummary &summary);
    void failedToStart(const QString &message);
    // Once per send, before its first message: what librdkafka got (from core::Producer::settingsApplied).
    void settingsApplied(const kbatch::core::EffectiveSettings &settings);
    void secretReadFailed(const QString &message); // a stored secret of the selected profile could not be read
    void resultsApplied(qsizetype count); // after each coalesced vector reached the model (for the benchmark) // after
                                          // an asynchronous preparation step failed

private:
    void startJob(core::PublishJob job, const QList<qsizetype> &pendingRows);
    void onResults(const core::DeliveryResults &results);
    void onFinished(const core::JobSummary &summary);
    void publishStats();
    double percentileMs(double fraction) const;

    BatchTableModel *m_model;
    core::Producer *m_producer;
    bool m_preparing = false;
    std::unique_ptr<core::SandboxCluster> m_sandbox;
    core::ProfileStore *m_profiles = nullptr;
    core::SecretStore *m_secretStore = nullptr;
    QHash<QString, core::ResolvedSecrets> m_secrets; // in memory only, never written anywhere
    QList<qsizetype> m_sourceRows;
    core::Batch m_jobRows; // a cheap copy (shared chunks) to count the bytes of delivered rows
    SendStats m_stats;
    qint64 m_deliveredBytes = 0;
    QElapsedTimer m_clock;
    QTimer m_statsTimer;
    // Latencies in log-spaced buckets (8 per power of two): constant memory and time whatever the row count, and
    // percentiles within about 9 %.
    std::array<qint64, 8 * 40> m_latencyBuckets{};
    qint64 m_latencyCount = 0;
};

} // namespace kbatch::ui

Q_DECLARE_METATYPE(kbatch::ui::SendStats)

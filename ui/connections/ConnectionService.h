#pragma once

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"
#include "core/model/RegistrySettings.h"
#include "core/profiles/Secrets.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

class QSettings;

namespace kbatch::core {
class ProfileStore;
class SandboxCluster;
class SecretStore;
} // namespace kbatch::core

namespace kbatch::ui {

// Where connections come from: the connection profiles, their secrets (read from the keychain ahead of a send, or
// given for this session only, and kept in memory only) and the in-process sandbox cluster of the "Local sandbox"
// profile, started on first use. No widgets: the window's panels and the send ask it.
//
// Owns the sandbox: whatever talks to it (a producer, a pooled query) must be stopped before this goes.
class ConnectionService : public QObject
{
    Q_OBJECT
public:
    static QString sandboxProfileName(); // "Local sandbox"

    // `secrets`: not owned; null: the system keychain.
    explicit ConnectionService(core::SecretStore *secrets = nullptr, QObject *parent = nullptr);
    ~ConnectionService() override;

    core::ProfileStore *profiles() const { return m_profiles.get(); }
    core::SecretStore *secretStore() const { return m_secretStore; }
    QStringList profileNames() const; // the sandbox first

    // Reads the profile's secrets from the keychain ahead of a send (asynchronously), so connection() needs no wait.
    void prefetchSecrets(const QString &profile);
    void setSessionSecret(const QString &profile, core::SecretKind kind, const QByteArray &secret);

    // Connection properties of a profile with its secrets; starts the sandbox when the profile is the sandbox.
    core::Result<core::Properties> connection(const QString &profile);
    // As connection(), without starting the sandbox or reading a secret: secrets read "(secret)". For showing.
    core::Result<core::Properties> previewConnection(const QString &profile) const;
    // The Schema Registry settings of a profile, with the registry secrets read so far (prefetchSecrets(), or given
    // for the session). Errors: an unknown profile, a profile without a registry (the sandbox has none).
    core::Result<core::RegistrySettings> registrySettings(const QString &profile) const;
    // How long a send waits for the profile's cluster; the default for the sandbox or an unknown profile.
    int connectTimeoutMs(const QString &profile) const;

    // The Schema Registry of `profile` with its password or token, read from the keychain (or this session's
    // memory) the first time, for a send that needs it: `done` once, on this thread, not at all when `context` goes
    // first. Errors: a profile without a registry (the sandbox has none), a required password not stored or not
    // readable.
    void readRegistrySettings(const QString &profile, QObject *context,
                              const std::function<void(const core::Result<core::RegistrySettings> &)> &done);

    QString sandboxBootstrap() const; // empty until the sandbox runs
    // The sandbox cluster (started when needed), for its fault switches. Valid while this lives.
    core::Result<core::SandboxCluster *> sandbox();
    core::Status createSandboxTopic(const QString &topic, int partitions);

signals:
    void secretReadFailed(const QString &message); // a stored secret of the profile could not be read

private:
    QSettings *m_settings;
    std::unique_ptr<core::ProfileStore> m_profiles;
    core::SecretStore *m_secretStore;
    QHash<QString, core::ResolvedSecrets> m_secrets; // in memory only, never written anywhere
    std::unique_ptr<core::SandboxCluster> m_sandbox;
};

} // namespace kbatch::ui

#include "ui/connections/ConnectionService.h"

#include "core/kafka/PublishJob.h"
#include "core/kafka/SandboxCluster.h"
#include "core/profiles/KeychainSecretStore.h"
#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/RegistryProfile.h"
#include "core/profiles/SecretStore.h"

#include <QPointer>
#include <QSettings>

namespace kbatch::ui {

QString ConnectionService::sandboxProfileName()
{
    return core::sandboxProfileName();
}

ConnectionService::ConnectionService(core::SecretStore *secrets, QObject *parent)
    : QObject(parent), m_settings(new QSettings(this)), m_profiles(std::make_unique<core::ProfileStore>(m_settings)),
      m_secretStore(secrets ? secrets : new core::KeychainSecretStore(m_settings, this))
{}

ConnectionService::~ConnectionService() = default;

QStringList ConnectionService::profileNames() const
{
    QStringList names;
    const QList<core::ConnectionProfile> all = m_profiles->list();
    for (const core::ConnectionProfile &p : all)
        names << p.name;
    return names;
}

void ConnectionService::prefetchSecrets(const QString &profile)
{
    const auto found = m_profiles->find(profile);
    if (!found)
        return;
    // The registry's too: Peek and the typed rows ask the registry without a send to read them first.
    const QList<core::SecretNeed> needs = core::secretsNeeded(*found) + core::registrySecretsNeeded(*found);
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

void ConnectionService::setSessionSecret(const QString &profile, core::SecretKind kind, const QByteArray &secret)
{
    m_secrets[profile][kind] = secret;
}

core::Result<core::Properties> ConnectionService::connection(const QString &profile)
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
    const auto found = m_profiles->find(profile);
    if (!found)
        return core::Error(tr("Unknown connection profile '%1' — pick a profile in the toolbar").arg(profile));
    return core::librdkafkaProperties(*found, m_secrets.value(profile));
}

core::Result<core::Properties> ConnectionService::previewConnection(const QString &profile) const
{
    if (profile == sandboxProfileName() || profile.isEmpty())
        return core::Properties{
            {QStringLiteral("bootstrap.servers"),
             m_sandbox ? m_sandbox->bootstrapServers() : tr("(the sandbox, started by the first send)")}};
    const auto found = m_profiles->find(profile);
    if (!found)
        return core::Error(tr("Unknown connection profile '%1'").arg(profile));
    core::ResolvedSecrets placeholders; // never shown: secret values read "(secret)"
    for (const core::SecretNeed &need : core::secretsNeeded(*found))
        placeholders[need.kind] = QByteArrayLiteral("(secret)");
    return core::librdkafkaProperties(*found, placeholders);
}

core::Result<core::RegistrySettings> ConnectionService::registrySettings(const QString &profile) const
{
    const auto found = m_profiles->find(profile);
    if (!found)
        return core::Error(tr("Unknown connection profile '%1'").arg(profile));
    if (!found->registry.isSet())
        return core::Error(tr("Profile '%1' has no Schema Registry: set one in Profiles").arg(profile));
    return core::registrySettings(found->registry, m_secrets.value(profile));
}

int ConnectionService::connectTimeoutMs(const QString &profile) const
{
    if (const auto found = m_profiles->find(profile); found && !found->isSandbox)
        return found->connectTimeoutMs;
    return core::PublishJob().connectTimeoutMs;
}

void ConnectionService::readRegistrySettings(
    const QString &profile, QObject *context,
    const std::function<void(const core::Result<core::RegistrySettings> &)> &done)
{
    const auto found = m_profiles->find(profile);
    const auto post = [this, context, done](const core::Result<core::RegistrySettings> &result) {
        // Never before the caller's own code has run (as RegistryClient promises too).
        QMetaObject::invokeMethod(
            this,
            [guard = QPointer<QObject>(context), done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    };
    if (!found || found->isSandbox || !found->registry.isSet()) {
        post(core::Error(tr("Profile '%1' has no Schema Registry — add its URL in View > Connection Profiles, or "
                            "choose a profile that has one")
                             .arg(profile.isEmpty() ? sandboxProfileName() : profile)));
        return;
    }
    const core::ConnectionProfile &p = *found; // copied into the lambdas below
    const QList<core::SecretNeed> needs = core::registrySecretsNeeded(p);
    auto pending = std::make_shared<int>(0);
    auto failure = std::make_shared<QString>();
    const auto finish = [this, p, needs, post, failure] {
        if (!failure->isEmpty()) {
            post(core::Error(*failure));
            return;
        }
        const core::ResolvedSecrets &secrets = m_secrets[p.name];
        for (const core::SecretNeed &need : needs)
            if (need.required && !secrets[need.kind])
                return post(core::Error(tr("No %1 is stored for profile '%2' — type it in View > Connection "
                                           "Profiles")
                                            .arg(core::describe(need.kind), p.name)));
        post(core::registrySettings(p.registry, secrets));
    };
    // Read every time: a password fixed in the Profiles dialog counts from the next send on. A secret the keychain
    // does not have may still be this session's (given when no keychain was available).
    for (const core::SecretNeed &need : needs) {
        ++*pending;
        const core::SecretKind kind = need.kind;
        const core::SecretJobId job = m_secretStore->readSecret(p.name, kind);
        m_secretStore->onFinished(job, this, [this, p, kind, pending, failure, finish](const core::SecretResult &r) {
            if (r.ok())
                m_secrets[p.name][kind] = r.secret;
            else if (r.status == core::SecretResult::Status::Error && failure->isEmpty())
                *failure = tr("The %1 of profile '%2' could not be read from the keychain: %3")
                               .arg(core::describe(kind), p.name, r.message);
            if (--*pending == 0)
                finish();
        });
    }
    if (*pending == 0)
        finish();
}

QString ConnectionService::sandboxBootstrap() const
{
    return m_sandbox ? m_sandbox->bootstrapServers() : QString();
}

core::Result<core::SandboxCluster *> ConnectionService::sandbox()
{
    if (auto started = connection(sandboxProfileName()); !started.ok())
        return started.error();
    return m_sandbox.get();
}

core::Status ConnectionService::createSandboxTopic(const QString &topic, int partitions)
{
    if (auto started = connection(sandboxProfileName()); !started.ok())
        return started.error();
    return m_sandbox->createTopic(topic, partitions);
}

} // namespace kbatch::ui

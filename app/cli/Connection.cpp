#include "Connection.h"

#include "CliSupport.h"
#include "core/profiles/KeychainSecretStore.h"
#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/ProfileStore.h"

#include <QSettings>

namespace kbatch::cli {

core::Result<ResolvedConnection> resolveConnection(const QCommandLineParser &parser, const ConnectionOptions &options)
{
    ResolvedConnection resolved;
    bool ok = false;
    resolved.connectTimeoutMs = parser.value(options.connectTimeout).toInt(&ok);
    if (!ok || resolved.connectTimeoutMs <= 0)
        return core::Error(
            QStringLiteral("'%1' is not a positive number of milliseconds").arg(parser.value(options.connectTimeout)),
            {}, 0, 0, QStringLiteral("--connect-timeout"));
    if (parser.isSet(options.bootstrap) && parser.isSet(options.profile))
        return core::Error(QStringLiteral("give --bootstrap or --profile, not both"));
    if (parser.isSet(options.bootstrap)) {
        const QString list = parser.value(options.bootstrap).trimmed();
        if (list.isEmpty())
            return core::Error(QStringLiteral("empty bootstrap server list"), {}, 0, 0, QStringLiteral("--bootstrap"));
        resolved.properties.append({QStringLiteral("bootstrap.servers"), list});
        resolved.origin = core::SettingOrigin::CommandLine;
        resolved.description = list;
        if (parser.isSet(options.passwordStdin)) {
            auto password = readSecret(QStringLiteral("SASL password"));
            if (!password)
                return password.error();
            resolved.properties.append({QStringLiteral("sasl.password"), QString::fromUtf8(*password)});
            password->fill('\0');
        }
        return resolved;
    }
    if (parser.isSet(options.profile)) {
        const QString name = parser.value(options.profile);
        QSettings settings; // shared with the kbatch app
        core::ProfileStore store(&settings);
        const auto profile = store.find(name);
        if (!profile)
            return core::Error(QStringLiteral("no profile named '%1' (see 'kbatch-cli profile list')").arg(name), {}, 0,
                               0, QStringLiteral("--profile"));
        if (profile->isSandbox)
            return core::Error(QStringLiteral("'%1' runs inside the kbatch app; for the command line start "
                                              "'kbatch-cli sandbox' and pass its list with --bootstrap")
                                   .arg(name),
                               {}, 0, 0, QStringLiteral("--profile"));
        // --password-stdin stands in for the keychain's password (or token): for CI machines without a keychain.
        std::optional<QByteArray> typed;
        const core::SecretKind typedKind = profile->saslMechanism == core::SaslMechanism::OAuthBearer
                                               ? core::SecretKind::OAuthToken
                                               : core::SecretKind::SaslPassword;
        if (parser.isSet(options.passwordStdin)) {
            if (!core::usesSasl(profile->securityProtocol))
                return core::Error(QStringLiteral("profile '%1' does not use SASL: --password-stdin has nothing to "
                                                  "stand in for")
                                       .arg(name),
                                   {}, 0, 0, QStringLiteral("--password-stdin"));
            auto password = readSecret(core::describe(typedKind));
            if (!password)
                return password.error();
            typed = std::move(password.value());
        }
        core::KeychainSecretStore keychain(&settings);
        core::ResolvedSecrets resolvedSecrets;
        if (typed) {
            // Read only what the typed secret does not replace (a key passphrase, say).
            for (const core::SecretNeed &need : core::secretsNeeded(*profile)) {
                if (need.kind == typedKind)
                    continue;
                const core::SecretResult r =
                    core::waitForSecretJob(keychain, keychain.readSecret(name, need.kind), sayKeychainIsWaiting);
                if (r.ok())
                    resolvedSecrets[need.kind] = r.secret;
                else if (need.required || r.status != core::SecretResult::Status::NotFound)
                    return core::Error(QStringLiteral("profile '%1': cannot read the %2: %3")
                                           .arg(name, core::describe(need.kind), r.message));
            }
            resolvedSecrets[typedKind] = std::move(*typed);
        } else {
            auto secrets = core::resolveSecretsBlocking(keychain, *profile, sayKeychainIsWaiting);
            if (!secrets)
                return secrets.error();
            resolvedSecrets = std::move(secrets.value());
        }
        auto props = core::librdkafkaProperties(*profile, resolvedSecrets);
        if (!props)
            return props.error();
        resolved.properties = std::move(props.value());
        if (!parser.isSet(options.connectTimeout))
            resolved.connectTimeoutMs = profile->connectTimeoutMs;
        resolved.description = QStringLiteral("profile '%1'").arg(name);
        return resolved;
    }
    return core::Error(QStringLiteral("no cluster given: use --bootstrap host:port or --profile NAME"));
}

} // namespace kbatch::cli

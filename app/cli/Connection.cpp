#include "Connection.h"

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
        resolved.description = list;
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
        core::KeychainSecretStore keychain(&settings);
        auto secrets = core::resolveSecretsBlocking(keychain, *profile);
        if (!secrets)
            return secrets.error();
        auto props = core::librdkafkaProperties(*profile, *secrets);
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

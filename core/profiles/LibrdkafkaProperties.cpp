#include "LibrdkafkaProperties.h"

namespace kbatch::core {

Result<Properties> librdkafkaProperties(const ConnectionProfile &profile, const ResolvedSecrets &secrets)
{
    const QString who = QStringLiteral("profile '%1': ").arg(profile.name);
    if (profile.isSandbox && profile.bootstrapServers.isEmpty()) {
        Error e(who + QStringLiteral("the sandbox's bootstrap servers are known only once it runs: start the "
                                     "sandbox cluster and fill them in first"));
        e.field = QStringLiteral("bootstrapServers");
        return e;
    }
    Status valid = validateProfile(profile);
    if (valid.ok() && profile.isSandbox)
        valid = validateBootstrapServers(profile.bootstrapServers);
    if (!valid.ok()) {
        Error e = valid.error();
        e.text = who + e.text;
        return e;
    }
    for (const SecretNeed &need : secretsNeeded(profile)) {
        if (need.required && !secrets[need.kind]) {
            Error e(who + QStringLiteral("no %1 stored; set it in the profile editor or with "
                                         "'kbatch-cli profile set'")
                              .arg(describe(need.kind)));
            e.field = need.kind == SecretKind::SaslPassword ? QStringLiteral("saslPassword")
                                                            : QStringLiteral("keyPassphrase");
            return e;
        }
    }

    Properties out;
    auto add = [&out](const char *name, const QString &value) { out.append({QLatin1String(name), value}); };
    add("bootstrap.servers", profile.bootstrapServers.trimmed());
    add("security.protocol", toString(profile.securityProtocol));
    if (usesSasl(profile.securityProtocol)) {
        add("sasl.mechanisms", toString(profile.saslMechanism));
        if (profile.saslMechanism == SaslMechanism::OAuthBearer) {
            if (!secrets.oauthToken) {
                if (profile.username.isEmpty()) {
                    Error e(who + QStringLiteral("OAUTHBEARER needs a token or, for an unsecured JWT, a username "
                                                 "as the principal"));
                    e.field = QStringLiteral("username");
                    return e;
                }
                add("enable.sasl.oauthbearer.unsecure.jwt", QStringLiteral("true"));
                add("sasl.oauthbearer.config", QStringLiteral("principal=") + profile.username);
            } else {
                add(staticOAuthTokenProperty, QString::fromUtf8(*secrets.oauthToken));
            }
        } else {
            add("sasl.username", profile.username);
            add("sasl.password", QString::fromUtf8(*secrets.saslPassword));
        }
    }
    if (usesTls(profile.securityProtocol)) {
        if (!profile.caFile.isEmpty())
            add("ssl.ca.location", profile.caFile);
        if (!profile.certFile.isEmpty())
            add("ssl.certificate.location", profile.certFile);
        if (!profile.keyFile.isEmpty())
            add("ssl.key.location", profile.keyFile);
        if (!profile.keyFile.isEmpty() && secrets.keyPassphrase)
            add("ssl.key.password", QString::fromUtf8(*secrets.keyPassphrase));
        if (profile.skipCertificateVerification) {
            add("enable.ssl.certificate.verification", QStringLiteral("false"));
            add("ssl.endpoint.identification.algorithm", QStringLiteral("none"));
        }
    }
    add("socket.connection.setup.timeout.ms", QString::number(profile.connectTimeoutMs));
    out.append(profile.properties);
    return out;
}

} // namespace kbatch::core

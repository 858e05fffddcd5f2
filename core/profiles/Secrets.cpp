#include "Secrets.h"

namespace kbatch::core {

QString toString(SecretKind kind)
{
    switch (kind) {
    case SecretKind::SaslPassword:
        return QStringLiteral("sasl-password");
    case SecretKind::KeyPassphrase:
        return QStringLiteral("key-passphrase");
    case SecretKind::OAuthToken:
        return QStringLiteral("oauth-token");
    case SecretKind::RegistryPassword:
        return QStringLiteral("registry-password");
    case SecretKind::RegistryToken:
        return QStringLiteral("registry-token");
    case SecretKind::RegistryKeyPassphrase:
        return QStringLiteral("registry-key-passphrase");
    }
    return QString();
}

QString describe(SecretKind kind)
{
    switch (kind) {
    case SecretKind::SaslPassword:
        return QStringLiteral("SASL password");
    case SecretKind::KeyPassphrase:
        return QStringLiteral("key passphrase");
    case SecretKind::OAuthToken:
        return QStringLiteral("OAuth token");
    case SecretKind::RegistryPassword:
        return QStringLiteral("registry password");
    case SecretKind::RegistryToken:
        return QStringLiteral("registry token");
    case SecretKind::RegistryKeyPassphrase:
        return QStringLiteral("registry key passphrase");
    }
    return QString();
}

std::optional<SecretKind> secretKindFromString(const QString &text)
{
    for (auto k : {SecretKind::SaslPassword, SecretKind::KeyPassphrase, SecretKind::OAuthToken,
                   SecretKind::RegistryPassword, SecretKind::RegistryToken, SecretKind::RegistryKeyPassphrase}) {
        if (text == toString(k))
            return k;
    }
    return std::nullopt;
}

std::optional<QByteArray> &ResolvedSecrets::operator[](SecretKind kind)
{
    switch (kind) {
    case SecretKind::KeyPassphrase:
        return keyPassphrase;
    case SecretKind::OAuthToken:
        return oauthToken;
    case SecretKind::RegistryPassword:
        return registryPassword;
    case SecretKind::RegistryToken:
        return registryToken;
    case SecretKind::RegistryKeyPassphrase:
        return registryKeyPassphrase;
    case SecretKind::SaslPassword:
        break;
    }
    return saslPassword;
}

const std::optional<QByteArray> &ResolvedSecrets::operator[](SecretKind kind) const
{
    return const_cast<ResolvedSecrets &>(*this)[kind];
}

QList<SecretNeed> secretsNeeded(const ConnectionProfile &profile)
{
    QList<SecretNeed> needs;
    if (usesSasl(profile.securityProtocol)) {
        if (profile.saslMechanism == SaslMechanism::OAuthBearer)
            needs.append({SecretKind::OAuthToken, false});
        else
            needs.append({SecretKind::SaslPassword, true});
    }
    if (usesTls(profile.securityProtocol) && !profile.keyFile.isEmpty())
        needs.append({SecretKind::KeyPassphrase, false});
    return needs;
}

QList<SecretNeed> registrySecretsNeeded(const ConnectionProfile &profile)
{
    if (!profile.registry.isSet())
        return {};
    QList<SecretNeed> needs;
    if (!profile.registry.username.isEmpty())
        needs.append({SecretKind::RegistryPassword, true});
    else
        needs.append({SecretKind::RegistryToken, false});
    if (!profile.registry.keyFile.isEmpty())
        needs.append({SecretKind::RegistryKeyPassphrase, false});
    return needs;
}

} // namespace kbatch::core

#include "ProducerSettings.h"

namespace kbatch::core {

QString toString(PublishMode mode)
{
    return mode == PublishMode::Atomic ? QStringLiteral("atomic") : QStringLiteral("independent");
}

std::optional<PublishMode> publishModeFromString(const QString &text)
{
    if (text == QLatin1String("independent"))
        return PublishMode::Independent;
    if (text == QLatin1String("atomic"))
        return PublishMode::Atomic;
    return std::nullopt;
}

bool isSecretProperty(const QString &name)
{
    const QString n = name.trimmed().toLower();
    return n == QLatin1String("sasl.password") || n == QLatin1String("ssl.key.password") ||
           n == QLatin1String("ssl.key.pem") || n == QLatin1String("ssl_key") ||
           n == QLatin1String("ssl.keystore.password") || n == QLatin1String("sasl.oauthbearer.config") ||
           n == QLatin1String("sasl.oauthbearer.client.secret") || n == QLatin1String(staticOAuthTokenProperty) ||
           n.endsWith(QLatin1String(".password")) || n.endsWith(QLatin1String(".secret"));
}

} // namespace kbatch::core

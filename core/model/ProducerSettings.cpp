#include "ProducerSettings.h"

#include <cmath>

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

Status checkRateLimit(double rate)
{
    if (rate == 0 || (std::isfinite(rate) && rate >= MinRateLimit))
        return Ok{};
    return Error(
        QStringLiteral("rateLimit %1 is too small: give 0 for no limit, or at least %2 messages per second (one "
                       "every 1,000 s)")
            .arg(rate)
            .arg(MinRateLimit),
        {}, 0, 0, QStringLiteral("rateLimit"));
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

#include "StaticOAuthToken.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

namespace kbatch::core {

namespace {

struct Claims
{
    enum class Kind { Opaque, Jwt, BadJwt } kind = Kind::Opaque; // BadJwt: JWT-shaped, claims not a JSON object
    QJsonObject object;
};

Claims jwtClaims(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return {};
    const auto options =
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors;
    const auto header = QByteArray::fromBase64Encoding(parts[0], options);
    const auto claims = QByteArray::fromBase64Encoding(parts[1], options);
    if (!header || !claims)
        return {};
    // A JWT's header is a JSON object; a token that merely has two dots is opaque.
    if (!QJsonDocument::fromJson(*header).isObject())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(*claims);
    if (!doc.isObject())
        return {Claims::Kind::BadJwt, {}};
    return {Claims::Kind::Jwt, doc.object()};
}

} // namespace

Result<StaticOAuthToken> parseStaticOAuthToken(const QByteArray &token, qint64 nowMs)
{
    const QString field = QStringLiteral("oauthToken");
    if (token.isEmpty())
        return Error(QStringLiteral("the OAuth token is empty"), {}, 0, 0, field);
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f)
            return Error(QStringLiteral("the OAuth token contains a space, line break or control character; "
                                        "paste the token alone"),
                         {}, 0, 0, field);
    }

    StaticOAuthToken out;
    out.token = token;
    out.principal = QStringLiteral("kbatch");
    out.expiresAtMs = nowMs + StaticOAuthToken::defaultLifetimeMs;

    const Claims parsed = jwtClaims(token);
    if (parsed.kind == Claims::Kind::Opaque)
        return out;
    if (parsed.kind == Claims::Kind::BadJwt)
        return Error(QStringLiteral("the OAuth token looks like a JWT but its claims are not a JSON object"), {}, 0, 0,
                     field);
    const QString sub = parsed.object.value(QStringLiteral("sub")).toString();
    if (!sub.isEmpty())
        out.principal = sub;
    const QJsonValue exp = parsed.object.value(QStringLiteral("exp"));
    if (exp.isDouble()) {
        out.expiresAtMs = static_cast<qint64>(exp.toDouble() * 1000.0);
        out.expiryFromToken = true;
        if (out.expiresAtMs <= nowMs) {
            const QString when = QDateTime::fromMSecsSinceEpoch(out.expiresAtMs, Qt::UTC)
                                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
            return Error(QStringLiteral("the OAuth token expired at %1; store a fresh one in the profile").arg(when),
                         {}, 0, 0, field);
        }
    }
    return out;
}

} // namespace kbatch::core

#pragma once

// A static OAUTHBEARER token, as librdkafka's rd_kafka_oauthbearer_set_token() needs it: the token, when it
// expires and a principal name. No librdkafka here, so it can be tested on its own.

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QByteArray>
#include <QString>

namespace kbatch::core {

struct StaticOAuthToken
{
    QByteArray token;
    QString principal;      // the JWT's "sub" claim; "kbatch" for a token that is not a JWT or has no "sub"
    qint64 expiresAtMs = 0; // the JWT's "exp" claim; for a token without one, now + defaultLifetimeMs
    bool expiryFromToken = false;

    static constexpr qint64 defaultLifetimeMs = qint64(3600) * 1000;
};

// Reads `token` at time `nowMs` (ms since the epoch). A JWT (three base64url parts) gives its "sub" and "exp"
// claims; anything else is taken as an opaque token for the broker to judge. Errors: an empty token, one with
// spaces or control characters (a paste accident), a JWT whose claims are not a JSON object, and an expired
// token ("the OAuth token expired at 2026-11-27 08:00:00 UTC"). The token itself never appears in an error.
Result<StaticOAuthToken> parseStaticOAuthToken(const QByteArray &token, qint64 nowMs);

} // namespace kbatch::core

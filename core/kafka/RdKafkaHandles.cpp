#include "RdKafkaHandles.h"

#include "ClientConnect.h"
#include "KafkaLog.h"
#include "StaticOAuthToken.h"

#include <QDateTime>

#include <QUuid>

namespace kbatch::core::rdk {

// librdkafka asks for a token when it connects and again at 80 % of the token's lifetime; a static token is
// handed over again each time. Runs on librdkafka's background thread (the SASL queue is forwarded there), so it
// works for every handle, also those nobody polls (metadata, read-back).
static void staticTokenRefresh(rd_kafka_t *rk, const char *config, void *)
{
    const auto parsed = parseStaticOAuthToken(QByteArray(config), QDateTime::currentMSecsSinceEpoch());
    if (!parsed) {
        rd_kafka_oauthbearer_set_token_failure(rk, parsed.error().message().toUtf8().constData());
        return;
    }
    const StaticOAuthToken &t = parsed.value();
    char errstr[512];
    const QByteArray principal = t.principal.toUtf8();
    if (rd_kafka_oauthbearer_set_token(rk, t.token.constData(), t.expiresAtMs, principal.constData(), nullptr, 0,
                                       errstr, sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR)
        rd_kafka_oauthbearer_set_token_failure(rk, errstr);
}

Status applyProperties(rd_kafka_conf_t *conf, const Properties &properties)
{
    char errstr[512];
    for (const auto &[name, value] : properties) {
        if (name == QLatin1String(staticOAuthTokenProperty)) {
            // Check it now, so a bad token is an error before any connection attempt (the text never shows it).
            if (auto parsed = parseStaticOAuthToken(value.toUtf8(), QDateTime::currentMSecsSinceEpoch()); !parsed)
                return parsed.error();
            // sasl.oauthbearer.config is sensitive in librdkafka (never printed with debug=conf) and is what the
            // refresh callback receives.
            if (rd_kafka_conf_set(conf, "sasl.oauthbearer.config", value.toUtf8().constData(), errstr, sizeof errstr) !=
                RD_KAFKA_CONF_OK)
                return Error(QStringLiteral("librdkafka refused the OAuth token: %1").arg(QString::fromUtf8(errstr)),
                             {}, 0, 0, QStringLiteral("oauthToken"));
            rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, staticTokenRefresh);
            rd_kafka_conf_enable_sasl_queue(conf, 1);
            continue;
        }
        const QByteArray n = name.toUtf8();
        const QByteArray v = value.toUtf8();
        if (rd_kafka_conf_set(conf, n.constData(), v.constData(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            QString reason = QString::fromUtf8(errstr);
            if (isSecretProperty(name))
                reason.replace(value, QStringLiteral("***"));
            return Error(QStringLiteral("librdkafka refused property %1: %2").arg(name, reason), {}, 0, 0, name);
        }
    }
    return Ok{};
}

static void logCallback(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    // librdkafka's threads: only format and hand to Qt's thread-safe logging. The client's name (client.id and
    // instance, e.g. kbatch#producer-1 or kbatch-peek#consumer-3) says which of several clients a line is from.
    const char *client = rk ? rd_kafka_name(rk) : "-";
    if (level <= 3)
        qCWarning(lcKafka, "librdkafka %s %s: %s", client, fac, buf);
    else if (level <= 5)
        qCInfo(lcKafka, "librdkafka %s %s: %s", client, fac, buf);
    else
        qCDebug(lcKafka, "librdkafka %s %s: %s", client, fac, buf);
}

void installLogCallback(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, logCallback);
}

Result<KafkaPtr> createClient(rd_kafka_type_t type, ConfPtr conf)
{
    char errstr[512] = {};
    rd_kafka_t *rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
    if (!rk) {
        const QString reason = QString::fromUtf8(errstr, qsizetype(qstrnlen(errstr, sizeof errstr)));
        Error error(QStringLiteral("cannot create the Kafka client: %1").arg(reason));
        // rd_kafka_new() gives only a text. This is where librdkafka's words are read, once, so that callers decide
        // by the kind: the key could not be loaded (a wrong ssl.key.password, or not a PEM key).
        if (reason.contains(QLatin1String("ssl.key.location failed")))
            error.setKind(ErrorKind::PrivateKeyUnreadable);
        return error;
    }
    static_cast<void>(conf.release()); // owned by rk now
    // With a static OAuth token, serve its refresh callback on librdkafka's background thread. Without one there
    // is no SASL queue and this reports "not configured", which is expected: the error is freed unread.
    const ErrorPtr notConfiguredWithoutOAuth(rd_kafka_sasl_background_callbacks_enable(rk));
    return KafkaPtr(rk);
}

Result<KafkaPtr> createReader(const Properties &connection, const QString &purpose, ConnectErrors *errors)
{
    ConfPtr conf(rd_kafka_conf_new());
    installLogCallback(conf.get());
    if (errors)
        collectConnectErrors(conf.get(), errors);
    Properties props = connection;
    props.append({QStringLiteral("client.id"), QStringLiteral("kbatch-") + purpose});
    props.append({QStringLiteral("group.id"),
                  QStringLiteral("kbatch-%1-%2").arg(purpose, QUuid::createUuid().toString(QUuid::WithoutBraces))});
    props.append({QStringLiteral("enable.auto.commit"), QStringLiteral("false")});
    props.append({QStringLiteral("isolation.level"), QStringLiteral("read_committed")});
    props.append({QStringLiteral("enable.partition.eof"), QStringLiteral("true")});
    if (Status s = applyProperties(conf.get(), props); !s)
        return s.error();
    return createClient(RD_KAFKA_CONSUMER, std::move(conf));
}

QString errorName(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2name(err));
}

QString errorText(rd_kafka_resp_err_t err)
{
    return QString::fromUtf8(rd_kafka_err2str(err));
}

FatalError fatalError(rd_kafka_t *rk)
{
    FatalError out;
    if (!rk)
        return out;
    char buf[512] = {};
    out.code = rd_kafka_fatal_error(rk, buf, sizeof buf);
    if (out.code != RD_KAFKA_RESP_ERR_NO_ERROR)
        out.text = QString::fromUtf8(buf, qsizetype(qstrnlen(buf, sizeof buf)));
    return out;
}

QString propertyValue(const Properties &properties, const QString &name, const QString &fallback)
{
    QString out = fallback;
    for (const auto &[n, v] : properties) {
        if (n == name)
            out = v;
    }
    return out;
}

} // namespace kbatch::core::rdk

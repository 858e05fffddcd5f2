#include "RdKafkaHandles.h"

#include "KafkaLog.h"

#include <QUuid>

namespace kbatch::core::rdk {

Status applyProperties(rd_kafka_conf_t *conf, const Properties &properties)
{
    char errstr[512];
    for (const auto &[name, value] : properties) {
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

static void logCallback(const rd_kafka_t *, int level, const char *fac, const char *buf)
{
    // librdkafka's threads: only format and hand to Qt's thread-safe logging.
    if (level <= 3)
        qCWarning(lcKafka, "librdkafka %s: %s", fac, buf);
    else if (level <= 5)
        qCInfo(lcKafka, "librdkafka %s: %s", fac, buf);
    else
        qCDebug(lcKafka, "librdkafka %s: %s", fac, buf);
}

void installLogCallback(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, logCallback);
}

Result<KafkaPtr> createClient(rd_kafka_type_t type, ConfPtr conf)
{
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
    if (!rk)
        return Error(QStringLiteral("cannot create the Kafka client: %1").arg(QString::fromUtf8(errstr)));
    conf.release(); // owned by rk now
    return KafkaPtr(rk);
}

Result<KafkaPtr> createReader(const Properties &connection, const QString &purpose)
{
    ConfPtr conf(rd_kafka_conf_new());
    installLogCallback(conf.get());
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

#include "KafkaVersion.h"

#include "RdKafkaHandles.h"

#include <librdkafka/rdkafka.h>

// A rdkafka.h older than the supported minimum means the wrong header was found (Debian 12's librdkafka-dev is
// 2.0.2): stop here rather than build a client that cannot log in to Kafka 4.
static_assert(RD_KAFKA_VERSION >= 0x020601ff, "librdkafka >= 2.6.1 required (see cmake/KBatchRdkafka.cmake)");

namespace kbatch::core {

QString librdkafkaVersion()
{
    return QString::fromUtf8(rd_kafka_version_str());
}

int librdkafkaVersionNumber()
{
    return rd_kafka_version();
}

int librdkafkaHeaderVersionNumber()
{
    return RD_KAFKA_VERSION;
}

QString librdkafkaMinimumVersion()
{
    return QStringLiteral("2.6.1");
}

int librdkafkaMinimumVersionNumber()
{
    return 0x020601ff;
}

QStringList librdkafkaFeatures()
{
    rdk::ConfPtr conf(rd_kafka_conf_new());
    size_t size = 0;
    if (rd_kafka_conf_get(conf.get(), "builtin.features", nullptr, &size) != RD_KAFKA_CONF_OK || size == 0)
        return {};
    QByteArray buf(qsizetype(size), '\0');
    if (rd_kafka_conf_get(conf.get(), "builtin.features", buf.data(), &size) != RD_KAFKA_CONF_OK)
        return {};
    return QString::fromUtf8(buf.constData()).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QString librdkafkaLinkage()
{
    return QStringLiteral(KBATCH_RDKAFKA_LINKAGE);
}

QString librdkafkaDescription()
{
    return QStringLiteral("librdkafka %1 (%2); features: %3")
        .arg(librdkafkaVersion(), librdkafkaLinkage(), librdkafkaFeatures().join(QStringLiteral(", ")));
}

} // namespace kbatch::core

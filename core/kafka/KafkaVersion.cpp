#include "KafkaVersion.h"

#include <librdkafka/rdkafka.h>

namespace kbatch::core {

QString librdkafkaVersion()
{
    return QString::fromUtf8(rd_kafka_version_str());
}

} // namespace kbatch::core

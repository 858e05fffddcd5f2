#include "KafkaLog.h"

namespace kbatch::core {
Q_LOGGING_CATEGORY(lcKafka, "kbatch.kafka", QtWarningMsg)
}

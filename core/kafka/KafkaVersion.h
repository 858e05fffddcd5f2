#pragma once

#include <QString>

namespace kbatch::core {

// The librdkafka version linked at run time, e.g. "2.0.2" (for --version and the About dialog).
QString librdkafkaVersion();

} // namespace kbatch::core

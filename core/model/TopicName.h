#pragma once

#include "Error.h"

#include <QString>

namespace kbatch::core {

// Apache Kafka's rule for topic names: 1 to 249 characters from ASCII letters, digits, '.', '_' and '-', and not
// "." or "..". A real broker refuses any other name (INVALID_TOPIC_EXCEPTION); the sandbox (librdkafka's mock
// cluster) would take it, so KBatch checks before sending or creating: what works on the sandbox must work on a
// cluster. The error names the first offending character and its position.
Status checkTopicName(const QString &name);

} // namespace kbatch::core

#pragma once

#include <QString>
#include <QStringList>

namespace kbatch::core {

// Which librdkafka KBatch runs on: for --version, Help > About and bug reports. Any thread may call these.

// The librdkafka version linked at run time, e.g. "2.14.2".
QString librdkafkaVersion();
// The same as a number, rd_kafka_version()'s 0xMMmmrrpp (pp is 0xff for a release), for comparisons.
int librdkafkaVersionNumber();
// RD_KAFKA_VERSION of the rdkafka.h that kbatch_core was compiled against. Equal to the linked version unless a
// shared librdkafka other than the one built against is loaded.
int librdkafkaHeaderVersionNumber();

// The oldest librdkafka KBatch supports, 2.6.1: older ones cannot log in with SCRAM to Kafka 4 (the build refuses
// them, and a core test fails if one is linked all the same).
QString librdkafkaMinimumVersion();
int librdkafkaMinimumVersionNumber();

// librdkafka's built-in features (its "builtin.features" property), e.g. gzip, snappy, ssl, sasl_scram, zstd.
QStringList librdkafkaFeatures();
// How this build links it: "bundled, static, Debian source 2.14.2-1" or "system, shared".
QString librdkafkaLinkage();
// One line for --version and the About dialog:
// "librdkafka 2.14.2 (bundled, static, Debian source 2.14.2-1); features: gzip, snappy, ssl, ...".
QString librdkafkaDescription();

} // namespace kbatch::core

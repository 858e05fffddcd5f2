#pragma once

#include "Error.h"

#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>
#include <optional>

namespace kbatch::core {

enum class PublishMode : std::uint8_t {
    Independent, // every message on its own
    Atomic,      // one Kafka transaction: all or nothing
};

QString toString(PublishMode mode); // "independent" / "atomic"
std::optional<PublishMode> publishModeFromString(const QString &text);

// A librdkafka property given by name, in the order the user wrote it.
using Property = QPair<QString, QString>;
using Properties = QList<Property>;

// How a batch is produced. Values left unset keep librdkafka's default, except idempotence, which KBatch turns on.
struct ProducerSettings
{
    PublishMode mode = PublishMode::Independent;
    QString acks = QStringLiteral("all");         // "all", "-1", "0", "1"
    QString compression = QStringLiteral("none"); // none, gzip, snappy, lz4, zstd
    bool idempotence = true;
    std::optional<int> lingerMs;
    std::optional<int> batchSize;        // bytes (batch.size)
    std::optional<int> messageTimeoutMs; // message.timeout.ms
    double rateLimit = 0;                // messages per second; 0 = unlimited
    QString transactionalId;             // atomic mode; empty: "kbatch-" and a random suffix
    Properties properties;               // any other librdkafka property

    friend bool operator==(const ProducerSettings &, const ProducerSettings &) = default;
};

// The slowest rate a batch may ask for. Anything slower would not finish in any useful time, and the send loop's
// schedule (row N is due at N / rate seconds) must stay far inside the clock's range.
inline constexpr double MinRateLimit = 0.001; // one message every 1,000 s

// rateLimit is 0 (no limit) or at least MinRateLimit messages per second, and finite.
Status checkRateLimit(double rate);

// Property names that hold secrets; they are never accepted in a template or a log line.
bool isSecretProperty(const QString &name);

// A private connection property (never passed to librdkafka as it is) that carries a profile's static OAUTHBEARER
// token from librdkafkaProperties() to core/kafka, which hands it to librdkafka through its sensitive
// sasl.oauthbearer.config and a token refresh callback. A secret, like the others.
inline constexpr char staticOAuthTokenProperty[] = "kbatch.sasl.oauthbearer.token";

} // namespace kbatch::core

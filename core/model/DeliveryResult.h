#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace kbatch::core {

enum class DeliveryStatus : std::uint8_t {
    Pending = 0,         // not reported yet (never a final outcome)
    Delivered = 1,       // acknowledged by the broker (and committed, in atomic mode)
    Failed = 2,          // not written
    PossiblyWritten = 3, // timed out or purged after it was sent: the broker may have it
    Cancelled = 4,       // cancelled by the user before it was sent
};

// Whether the broker holds the message, as librdkafka's rd_kafka_msg_status_t tells it.
enum class Persisted : std::uint8_t {
    NotPersisted = 0,
    PossiblyPersisted = 1,
    Persisted = 2,
};

QString statusText(DeliveryStatus status);  // "delivered", "failed", "possibly written", "cancelled", "pending"
QString persistedText(Persisted persisted); // "persisted", "possibly persisted", "not persisted"
bool isFinal(DeliveryStatus status);

// The outcome of one row of a PublishJob. Exactly one is reported per row.
struct DeliveryResult
{
    std::int64_t row = -1; // index into the PublishJob's rows
    DeliveryStatus status = DeliveryStatus::Pending;
    Persisted persisted = Persisted::NotPersisted;
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::int64_t timestamp = -1; // ms since the epoch as the broker (or producer) stamped it; -1 unknown
    std::int64_t latencyUs = -1; // from produce to delivery report
    int errorCode = 0;           // rd_kafka_resp_err_t value; 0 when delivered
    QString errorName;           // e.g. "MSG_SIZE_TOO_LARGE"
    QString errorText;           // human readable, names what is at fault

    friend bool operator==(const DeliveryResult &, const DeliveryResult &) = default;
};
using DeliveryResults = QList<DeliveryResult>;

} // namespace kbatch::core

Q_DECLARE_METATYPE(kbatch::core::DeliveryResult)

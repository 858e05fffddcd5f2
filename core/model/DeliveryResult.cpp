#include "DeliveryResult.h"

namespace kbatch::core {

QString statusText(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Pending:
        return QStringLiteral("pending");
    case DeliveryStatus::Delivered:
        return QStringLiteral("delivered");
    case DeliveryStatus::Failed:
        return QStringLiteral("failed");
    case DeliveryStatus::PossiblyWritten:
        return QStringLiteral("possibly written");
    case DeliveryStatus::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

QString persistedText(Persisted persisted)
{
    switch (persisted) {
    case Persisted::NotPersisted:
        return QStringLiteral("not persisted");
    case Persisted::PossiblyPersisted:
        return QStringLiteral("possibly persisted");
    case Persisted::Persisted:
        return QStringLiteral("persisted");
    }
    return QStringLiteral("unknown");
}

bool isFinal(DeliveryStatus status)
{
    return status != DeliveryStatus::Pending;
}

} // namespace kbatch::core

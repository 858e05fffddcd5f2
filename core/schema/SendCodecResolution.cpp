#include "SendCodecResolution.h"

#include "RegistryWait.h"

namespace kbatch::core {

namespace {
bool asksRegistry(const SerializerSettings &s)
{
    return s.usesRegistry() && !s.sendsUnframed();
}
} // namespace

bool needsRegistry(const Serialization &serialization)
{
    return asksRegistry(serialization.key) || asksRegistry(serialization.value);
}

RegistryResult<SendCodecs> resolveSendCodecsBlocking(const RegistrySettings &registry,
                                                     const Serialization &serialization, const QString &topic,
                                                     std::shared_ptr<CodecCache> codecs, qint64 *requests)
{
    if (!needsRegistry(serialization)) {
        RegistryError e;
        e.kind = RegistryError::Kind::Settings;
        e.text = QStringLiteral("no part is sent through a registry: there is no schema to resolve");
        return e;
    }
    RegistryClient client(registry);
    SchemaResolver resolver(client, std::move(codecs));
    SendCodecs out;
    for (const PayloadPart part : {PayloadPart::Key, PayloadPart::Value}) {
        const bool isKey = part == PayloadPart::Key;
        const SerializerSettings &s = isKey ? serialization.key : serialization.value;
        if (!asksRegistry(s))
            continue;
        auto resolved = resolveBlocking(resolver, s, topic, part, s.recordName);
        if (!resolved) {
            RegistryError e = resolved.error();
            e.text = QStringLiteral("%1: %2").arg(isKey ? QStringLiteral("key") : QStringLiteral("value"), e.text);
            if (requests)
                *requests = client.requestCount();
            return e;
        }
        (isKey ? out.key : out.value) = std::move(resolved.value());
    }
    if (requests)
        *requests = client.requestCount();
    return out;
}

} // namespace kbatch::core

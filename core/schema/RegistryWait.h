#pragma once

// Blocking use of RegistryClient and SchemaResolver, for kbatch-cli and tests: a local event loop runs until the
// answer comes. Never on the UI thread (the window uses the asynchronous calls with a context object).

#include "RegistryClient.h"
#include "SchemaResolver.h"

#include <QEventLoop>

#include <optional>

namespace kbatch::core {

// `start(context, callback)` starts one operation with `context` as its context object; waits for its callback.
// The operation's own deadline (RegistrySettings::timeoutMs) bounds the wait.
template <typename T, typename Start> RegistryResult<T> waitForRegistry(Start &&start)
{
    QEventLoop loop;
    std::optional<RegistryResult<T>> result;
    start(&loop, [&](const RegistryResult<T> &r) {
        result = r;
        loop.quit();
    });
    if (!result) // answers never come before the event loop runs, but do not wait for one that did
        loop.exec();
    return std::move(*result);
}

inline RegistryResult<ResolvedCodec> resolveBlocking(SchemaResolver &resolver, const SerializerSettings &settings,
                                                     const QString &topic, PayloadPart part,
                                                     const QString &recordName = {})
{
    return waitForRegistry<ResolvedCodec>(
        [&](QObject *context, auto done) { resolver.resolve(settings, topic, part, recordName, context, done); });
}

} // namespace kbatch::core

#pragma once

#include "CodecCache.h"
#include "RegistryError.h"
#include "RowSerializer.h"
#include "core/model/RegistrySettings.h"
#include "core/model/SerializerSettings.h"

#include <memory>

namespace kbatch::core {

// The codecs of one send: each part of `serialization` that goes through the registry resolved once (SchemaResolver),
// through a RegistryClient made on the calling thread for this call, with compiled codecs kept in `codecs` (shared
// between sends; a new cache when null). `requests`, when not null, gets how many HTTP requests the registry saw.
// A part from .proto files or a descriptor set (SerializerSettings::sendsUnframed()) asks no registry and is left
// empty here: resolveUnframed() compiles it.
//
// Blocking: the calling thread runs a local event loop until the answers come, each bounded by the registry's
// timeout. For a worker thread (the window runs it in Qt's thread pool, so that a slow registry never freezes it)
// and for tools; never on the UI thread.
//
// Errors: the part and the RegistryError, its kind kept ("value: subject 'orders-value' does not exist", "key:
// ... 401 ..."); Settings when neither part uses a registry.
//
// needsRegistry(): whether a send of `serialization` asks a registry at all (a part serialized, and not unframed).
bool needsRegistry(const Serialization &serialization);
RegistryResult<SendCodecs> resolveSendCodecsBlocking(const RegistrySettings &registry,
                                                     const Serialization &serialization, const QString &topic,
                                                     std::shared_ptr<CodecCache> codecs = {},
                                                     qint64 *requests = nullptr);

} // namespace kbatch::core

#pragma once

#include "PayloadCodec.h"
#include "Schema.h"
#include "core/model/Error.h"

#include <QHash>

#include <memory>
#include <mutex>

namespace kbatch::core {

// Compiled codecs by registry schema id (and, for Protobuf, the message type picked in it). An id names one schema
// forever, so a codec compiled for it serves every send, every topic and every thread for as long as the cache
// lives. Thread-safe.
class CodecCache
{
public:
    std::shared_ptr<const PayloadCodec> find(int schemaId, const QString &messageType = {}) const;
    // The codec for `schema` (schema.schema.id must be set): compiled the first time, found after. Errors:
    // compilePayloadCodec's. Compiling runs outside the lock; two threads may both compile an id once, the first
    // to finish wins.
    Result<std::shared_ptr<const PayloadCodec>> get(const ResolvedSchema &schema, const QString &messageType = {});
    // Keeps `codec` for `schemaId` unless one is there already; the one kept.
    std::shared_ptr<const PayloadCodec> insert(int schemaId, std::shared_ptr<const PayloadCodec> codec,
                                               const QString &messageType = {});
    qsizetype size() const;
    void clear();

private:
    mutable std::mutex m_mutex;
    QHash<std::pair<int, QString>, std::shared_ptr<const PayloadCodec>> m_codecs;
};

} // namespace kbatch::core

#include "CodecCache.h"

namespace kbatch::core {

std::shared_ptr<const PayloadCodec> CodecCache::find(int schemaId, const QString &messageType) const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_codecs.value({schemaId, messageType});
}

Result<std::shared_ptr<const PayloadCodec>> CodecCache::get(const ResolvedSchema &schema, const QString &messageType)
{
    if (auto found = find(schema.schema.id, messageType))
        return found;
    auto compiled = compilePayloadCodec(schema, messageType);
    if (!compiled)
        return compiled;
    return insert(schema.schema.id, std::move(compiled.value()), messageType);
}

std::shared_ptr<const PayloadCodec> CodecCache::insert(int schemaId, std::shared_ptr<const PayloadCodec> codec,
                                                       const QString &messageType)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::pair<int, QString> key{schemaId, messageType};
    auto it = m_codecs.find(key);
    if (it == m_codecs.end())
        it = m_codecs.emplace(key, std::move(codec)); // QHash::insert would copy: it takes a const reference
    return *it;
}

qsizetype CodecCache::size() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_codecs.size();
}

void CodecCache::clear()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_codecs.clear();
}

} // namespace kbatch::core

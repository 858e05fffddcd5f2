#include "CodecCache.h"

namespace kbatch::core {

std::shared_ptr<const PayloadCodec> CodecCache::find(int schemaId) const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_codecs.value(schemaId);
}

Result<std::shared_ptr<const PayloadCodec>> CodecCache::get(const ResolvedSchema &schema)
{
    if (auto found = find(schema.schema.id))
        return found;
    auto compiled = compilePayloadCodec(schema);
    if (!compiled)
        return compiled;
    return insert(schema.schema.id, std::move(compiled.value()));
}

std::shared_ptr<const PayloadCodec> CodecCache::insert(int schemaId, std::shared_ptr<const PayloadCodec> codec)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_codecs.find(schemaId);
    if (it == m_codecs.end())
        it = m_codecs.insert(schemaId, std::move(codec));
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

#include "Batch.h"

#include <algorithm>
#include <cstring>

namespace kbatch::core {

namespace {

constexpr std::size_t ChunkSize = std::size_t(1) << 20; // 1 MiB
constexpr std::size_t LargePayload = ChunkSize / 4;     // bigger payloads get a chunk of their own

enum Flag : std::uint8_t {
    KeyNull = 1u << 0,
    ValueNull = 1u << 1,
    KeyEncShift = 2,   // 2 bits
    ValueEncShift = 4, // 2 bits
};

const Headers &emptyHeaders()
{
    static const Headers none;
    return none;
}

} // namespace

Batch::Batch(const Batch &other)
    : m_rows(other.m_rows), m_chunks(other.m_chunks), m_tail(other.m_tail), m_tailUsed(other.m_tailUsed),
      m_tailShared(true), m_extras(other.m_extras), m_freeExtras(other.m_freeExtras), m_liveBytes(other.m_liveBytes),
      m_storedBytes(other.m_storedBytes), m_generatorRows(other.m_generatorRows)
{
    // Both now share the tail chunk; neither may append into it again.
    other.m_tailShared = true;
}

Batch &Batch::operator=(const Batch &other)
{
    if (this != &other) {
        Batch copy(other);
        *this = std::move(copy);
    }
    return *this;
}

void Batch::clear()
{
    *this = Batch();
}

void Batch::reserve(qsizetype rows, qsizetype payloadBytes)
{
    m_rows.write().reserve(std::size_t(rows));
    m_chunks.reserve(std::size_t(payloadBytes) / ChunkSize + 1);
}

std::optional<std::uint64_t> Batch::packLocation(std::size_t chunk, std::size_t position)
{
    constexpr std::size_t Limit = std::size_t(1) << 32;
    if (chunk >= Limit || position >= Limit)
        return std::nullopt;
    return (std::uint64_t(chunk) << 32) | std::uint64_t(position);
}

const char *Batch::bytesAt(std::uint64_t offset) const
{
    const auto chunk = std::size_t(offset >> 32);
    const auto pos = std::size_t(offset & 0xffffffffu);
    return m_chunks[chunk]->data.get() + pos;
}

std::uint64_t Batch::store(QByteArrayView key, QByteArrayView value)
{
    const std::size_t need = std::size_t(key.size() + value.size());
    if (need == 0)
        return 0;
    std::size_t chunkIndex;
    std::size_t pos = 0;
    if (need >= LargePayload) {
        // A chunk of its own, so the small-payload tail chunk keeps filling.
        chunkIndex = m_chunks.size();
        m_chunks.push_back(std::make_shared<Chunk>(Chunk{std::unique_ptr<char[]>(new char[need]), need}));
    } else {
        const bool fits = m_tail != NoTail && !m_tailShared && m_chunks[m_tail]->capacity - m_tailUsed >= need;
        if (!fits) {
            m_tail = m_chunks.size();
            m_tailUsed = 0;
            m_tailShared = false;
            m_chunks.push_back(std::make_shared<Chunk>(Chunk{std::unique_ptr<char[]>(new char[ChunkSize]), ChunkSize}));
        }
        chunkIndex = m_tail;
        pos = m_tailUsed;
        m_tailUsed += need;
    }
    const auto location = packLocation(chunkIndex, pos);
    if (!location)
        qBadAlloc(); // 2^32 chunks of at least 256 KiB each: memory ran out long before
    // Chunks are shared with copies only for the bytes those copies already reference; these bytes are new.
    char *dst = m_chunks[chunkIndex]->data.get() + pos;
    if (!key.isEmpty())
        std::memcpy(dst, key.data(), std::size_t(key.size()));
    if (!value.isEmpty())
        std::memcpy(dst + key.size(), value.data(), std::size_t(value.size()));
    m_storedBytes += qint64(need);
    return *location;
}

Batch::Row Batch::makeRow(const Message &message)
{
    Row row;
    const QByteArrayView key = message.key.bytes ? QByteArrayView(*message.key.bytes) : QByteArrayView();
    const QByteArrayView value = message.value.bytes ? QByteArrayView(*message.value.bytes) : QByteArrayView();
    row.keyLen = std::uint64_t(key.size());
    row.valueLen = std::uint64_t(value.size());
    row.offset = store(key, value);
    row.partition = message.partition.value_or(-1);
    row.flags = std::uint8_t((message.key.isNull() ? KeyNull : 0) | (message.value.isNull() ? ValueNull : 0) |
                             (std::uint8_t(message.key.encoding) << KeyEncShift) |
                             (std::uint8_t(message.value.encoding) << ValueEncShift));
    if (!message.headers.isEmpty() || message.timestamp || message.generate) {
        Extras extras{message.headers, message.timestamp, message.generate};
        if (!m_freeExtras.empty()) {
            row.extras = m_freeExtras.back();
            m_freeExtras.write().pop_back();
            m_extras.write()[row.extras] = std::move(extras);
        } else {
            row.extras = m_extras.size();
            m_extras.write().push_back(std::move(extras));
        }
        if (message.generate)
            ++m_generatorRows;
    }
    m_liveBytes += qint64(row.keyLen + row.valueLen);
    return row;
}

void Batch::releaseRow(const Row &row)
{
    m_liveBytes -= qint64(row.keyLen + row.valueLen);
    if (row.extras != NoExtras) {
        if (m_extras[row.extras].generate)
            --m_generatorRows;
        m_extras.write()[row.extras] = Extras();
        m_freeExtras.write().push_back(row.extras);
    }
}

void Batch::append(const Message &message)
{
    const Row made = makeRow(message);
    m_rows.write().push_back(made);
}

void Batch::append(const Batch &other)
{
    if (isEmpty() && m_chunks.empty()) {
        *this = other; // shares everything
        return;
    }
    const std::size_t chunkBase = m_chunks.size();
    if (!other.m_chunks.empty() && !packLocation(chunkBase + other.m_chunks.size() - 1, 0))
        qBadAlloc(); // as in store(): every chunk index of `other`'s rows, moved up by chunkBase, must still fit
    m_chunks.insert(m_chunks.end(), other.m_chunks.begin(), other.m_chunks.end());
    auto &rows = m_rows.write();
    const std::size_t needed = rows.size() + other.m_rows.size();
    if (needed > rows.capacity()) // geometric: appending piece after piece must not reallocate every time
        rows.reserve(std::max(needed, rows.capacity() * 2));
    for (Row row : other.m_rows) {
        if (row.keyLen + row.valueLen > 0)
            row.offset += std::uint64_t(chunkBase) << 32; // checked above: every chunk index still fits
        if (row.extras != NoExtras) {
            const Extras &extras = other.m_extras[row.extras];
            row.extras = m_extras.size();
            m_extras.write().push_back(extras);
        }
        rows.push_back(row);
    }
    m_liveBytes += other.m_liveBytes;
    m_storedBytes += other.m_storedBytes;
    m_generatorRows += other.m_generatorRows;
}

void Batch::appendReplacing(const Batch &other, qsizetype row, std::optional<QByteArrayView> key, Encoding keyEncoding,
                            std::optional<QByteArrayView> value, Encoding valueEncoding)
{
    Q_ASSERT(row >= 0 && row < other.size());
    const Row &from = other.m_rows[std::size_t(row)];
    Row made;
    const QByteArrayView k = key.value_or(QByteArrayView());
    const QByteArrayView v = value.value_or(QByteArrayView());
    made.keyLen = std::uint32_t(k.size());
    made.valueLen = std::uint32_t(v.size());
    made.offset = store(k, v);
    made.partition = from.partition;
    made.flags =
        std::uint8_t((key ? 0 : KeyNull) | (value ? 0 : ValueNull) | (std::uint8_t(keyEncoding) << KeyEncShift) |
                     (std::uint8_t(valueEncoding) << ValueEncShift));
    if (from.extras != NoExtras) {
        const Extras &extras = other.m_extras[from.extras];
        made.extras = std::uint32_t(m_extras.size());
        m_extras.write().push_back(extras);
        if (extras.generate)
            ++m_generatorRows;
    }
    m_liveBytes += qint64(made.keyLen) + made.valueLen;
    m_rows.write().push_back(made);
}

void Batch::insert(qsizetype row, const Message &message)
{
    Q_ASSERT(row >= 0 && row <= size());
    const Row made = makeRow(message);
    auto &rows = m_rows.write();
    rows.insert(rows.begin() + row, made);
}

void Batch::replace(qsizetype row, const Message &message)
{
    Q_ASSERT(row >= 0 && row < size());
    const Row made = makeRow(message);
    releaseRow(m_rows[std::size_t(row)]);
    m_rows.write()[std::size_t(row)] = made;
    maybeCompact();
}

void Batch::remove(qsizetype row, qsizetype count)
{
    Q_ASSERT(row >= 0 && count >= 0 && row + count <= size());
    for (qsizetype i = row; i < row + count; ++i)
        releaseRow(m_rows[std::size_t(i)]);
    auto &rows = m_rows.write();
    rows.erase(rows.begin() + row, rows.begin() + row + count);
    maybeCompact();
}

void Batch::move(qsizetype from, qsizetype to)
{
    Q_ASSERT(from >= 0 && from < size() && to >= 0 && to < size());
    if (from == to)
        return;
    auto &rows = m_rows.write();
    if (from < to)
        std::rotate(rows.begin() + from, rows.begin() + from + 1, rows.begin() + to + 1);
    else
        std::rotate(rows.begin() + to, rows.begin() + from, rows.begin() + from + 1);
}

void Batch::maybeCompact()
{
    // Edits leave the old bytes behind in the chunks; rewrite once more than half is garbage.
    const qint64 garbage = m_storedBytes - m_liveBytes;
    if (garbage < 4 * qint64(ChunkSize) || garbage < m_liveBytes)
        return;
    Batch fresh;
    fresh.reserve(size(), m_liveBytes);
    for (qsizetype i = 0; i < size(); ++i)
        fresh.append(at(i));
    *this = std::move(fresh);
}

Message Batch::at(qsizetype row) const
{
    Message m;
    m.key = keyIsNull(row) ? Payload() : Payload(key(row).toByteArray(), keyEncoding(row));
    if (keyIsNull(row))
        m.key.encoding = keyEncoding(row);
    m.value = valueIsNull(row) ? Payload() : Payload(value(row).toByteArray(), valueEncoding(row));
    if (valueIsNull(row))
        m.value.encoding = valueEncoding(row);
    m.partition = partition(row);
    const Row &r = m_rows[std::size_t(row)];
    if (r.extras != NoExtras) {
        const Extras &e = m_extras[r.extras];
        m.headers = e.headers;
        m.timestamp = e.timestamp;
        m.generate = e.generate;
    }
    return m;
}

bool Batch::keyIsNull(qsizetype row) const
{
    return m_rows[std::size_t(row)].flags & KeyNull;
}

bool Batch::valueIsNull(qsizetype row) const
{
    return m_rows[std::size_t(row)].flags & ValueNull;
}

QByteArrayView Batch::key(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    if (r.keyLen == 0)
        return {};
    return {bytesAt(r.offset), qsizetype(r.keyLen)};
}

QByteArrayView Batch::value(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    if (r.valueLen == 0)
        return {};
    return {bytesAt(r.offset) + r.keyLen, qsizetype(r.valueLen)};
}

Encoding Batch::keyEncoding(qsizetype row) const
{
    return Encoding((m_rows[std::size_t(row)].flags >> KeyEncShift) & 0x3);
}

Encoding Batch::valueEncoding(qsizetype row) const
{
    return Encoding((m_rows[std::size_t(row)].flags >> ValueEncShift) & 0x3);
}

std::optional<std::int32_t> Batch::partition(qsizetype row) const
{
    const std::int32_t p = m_rows[std::size_t(row)].partition;
    return p < 0 ? std::nullopt : std::optional<std::int32_t>(p);
}

std::optional<std::int64_t> Batch::timestamp(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    return r.extras == NoExtras ? std::nullopt : m_extras[r.extras].timestamp;
}

const Headers &Batch::headers(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    return r.extras == NoExtras ? emptyHeaders() : m_extras[r.extras].headers;
}

std::optional<GenerateSpec> Batch::generate(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    return r.extras == NoExtras ? std::nullopt : m_extras[r.extras].generate;
}

Batch::SendView Batch::sendView(qsizetype row) const
{
    const Row &r = m_rows[std::size_t(row)];
    SendView v;
    if (r.keyLen + r.valueLen > 0) {
        const char *bytes = bytesAt(r.offset);
        v.key = QByteArrayView(bytes, qsizetype(r.keyLen));
        v.value = QByteArrayView(bytes + r.keyLen, qsizetype(r.valueLen));
    }
    v.keyIsNull = r.flags & KeyNull;
    v.valueIsNull = r.flags & ValueNull;
    if (r.partition >= 0)
        v.partition = r.partition;
    if (r.extras != NoExtras) {
        const Extras &e = m_extras[r.extras];
        v.timestamp = e.timestamp;
        v.headers = &e.headers;
    } else {
        v.headers = &emptyHeaders();
    }
    return v;
}

qint64 Batch::memoryUsage() const
{
    qint64 total = qint64(m_rows.capacity()) * qint64(sizeof(Row));
    for (const auto &chunk : m_chunks)
        total += qint64(chunk->capacity);
    total += qint64(m_chunks.capacity() * sizeof(std::shared_ptr<Chunk>));
    total += qint64(m_extras.capacity() * sizeof(Extras));
    for (const Extras &e : m_extras) {
        for (const Header &h : e.headers)
            total += qint64(sizeof(Header)) + h.name.size() + (h.value.bytes ? h.value.bytes->size() : 0);
    }
    return total;
}

bool operator==(const Batch &a, const Batch &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!(a.at(i) == b.at(i)))
            return false;
    }
    return true;
}

} // namespace kbatch::core

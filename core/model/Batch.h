#pragma once

#include "CowVector.h"
#include "Message.h"

#include <QByteArrayView>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace kbatch::core {

// The rows of a batch, stored compactly: one small fixed-size record per row, key and value bytes in shared
// append-only chunks, and the rare parts (headers, timestamp, generate) in a side table. A Message is built only
// when asked for. 1,000,000 rows of 100-byte values take about payload + 40 bytes per row.
//
// A value type. Copies share the byte chunks, and the row records and side table until one side writes (a copy is
// a few pointer copies), so a PublishJob can snapshot a million rows while the editor goes on. Not thread-safe for
// concurrent modification of one instance; copies may be used on different threads.
class Batch
{
public:
    Batch() = default;
    Batch(const Batch &other);
    Batch &operator=(const Batch &other);
    Batch(Batch &&) noexcept = default;
    Batch &operator=(Batch &&) noexcept = default;
    ~Batch() = default;

    qsizetype size() const { return qsizetype(m_rows.size()); }
    bool isEmpty() const { return m_rows.empty(); }
    void clear();
    void reserve(qsizetype rows, qsizetype payloadBytes = 0);

    void append(const Message &message);
    // Appends every row of `other`, sharing its byte chunks (no payload is copied). `other` is unchanged and may
    // go on appending rows of its own.
    void append(const Batch &other);
    // Appends row `row` of `other` with new key and value bytes (nullopt: null) and encodings; its headers,
    // partition, timestamp and generate are kept. For a step that turns every row's payload into other bytes (Schema
    // Registry framing) without building a Message per row.
    void appendReplacing(const Batch &other, qsizetype row, std::optional<QByteArrayView> key, Encoding keyEncoding,
                         std::optional<QByteArrayView> value, Encoding valueEncoding);
    void insert(qsizetype row, const Message &message);
    void replace(qsizetype row, const Message &message);
    void remove(qsizetype row, qsizetype count = 1);
    void move(qsizetype from, qsizetype to); // moves one row so that it ends at index `to`

    Message at(qsizetype row) const;

    // Cheap per-field access (no Message built). Views stay valid until this Batch is modified or destroyed.
    bool keyIsNull(qsizetype row) const;
    bool valueIsNull(qsizetype row) const;
    QByteArrayView key(qsizetype row) const;
    QByteArrayView value(qsizetype row) const;
    Encoding keyEncoding(qsizetype row) const;
    Encoding valueEncoding(qsizetype row) const;
    std::optional<std::int32_t> partition(qsizetype row) const;
    std::optional<std::int64_t> timestamp(qsizetype row) const;
    const Headers &headers(qsizetype row) const; // an empty list when the row has none
    std::optional<GenerateSpec> generate(qsizetype row) const;
    bool hasGenerator() const { return m_generatorRows > 0; }

    // What sending a row needs, in one lookup (the producer reads this for every message).
    struct SendView
    {
        QByteArrayView key;
        QByteArrayView value;
        bool keyIsNull = false;
        bool valueIsNull = false;
        std::optional<std::int32_t> partition;
        std::optional<std::int64_t> timestamp;
        const Headers *headers = nullptr; // never null; an empty list when the row has none
    };
    SendView sendView(qsizetype row) const;

    // Bytes of keys and values currently referenced by rows.
    qint64 payloadBytes() const { return m_liveBytes; }
    // Heap bytes held by this batch (row records, chunks, side table); approximate for headers.
    qint64 memoryUsage() const;

    friend bool operator==(const Batch &a, const Batch &b);

    // Where a row's bytes are, in one 64-bit word: the chunk's index in the high 32 bits, the position in the chunk
    // in the low 32. Positions stay below the chunk size (1 MiB; a larger payload has a chunk of its own and starts at
    // 0), and every chunk is at least 256 KiB, so 2^32 chunks would be a petabyte: nullopt past either limit, which
    // Batch treats as running out of memory. Public for the tests.
    static std::optional<std::uint64_t> packLocation(std::size_t chunk, std::size_t position);

private:
    // Lengths and the side-table index are 64-bit: a key or value past 4 GiB is kept whole, not cut to its low 32
    // bits, and the 2^32nd row with headers does not become "no headers". That costs 8 bytes a row (40, was 32).
    struct Row
    {
        std::uint64_t offset = 0; // packLocation(): key bytes, then value bytes
        std::uint64_t keyLen = 0;
        std::uint64_t valueLen = 0;
        std::size_t extras = NoExtras;
        std::int32_t partition = -1; // -1: automatic
        std::uint8_t flags = 0;
    };
    static_assert(sizeof(Row) == 40, "row records are the per-row cost of a batch: keep them small");
    struct Extras
    {
        Headers headers;
        std::optional<std::int64_t> timestamp;
        std::optional<GenerateSpec> generate;
    };
    struct Chunk
    {
        std::unique_ptr<char[]> data; // written only below the owner's m_tailUsed; never rewritten
        std::size_t capacity = 0;
    };
    static constexpr std::size_t NoTail = ~std::size_t(0);
    static constexpr std::size_t NoExtras = ~std::size_t(0);

    Row makeRow(const Message &message);
    void releaseRow(const Row &row);
    const char *bytesAt(std::uint64_t offset) const;
    std::uint64_t store(QByteArrayView key, QByteArrayView value);
    void maybeCompact();

    CowVector<Row> m_rows;
    std::vector<std::shared_ptr<Chunk>> m_chunks;
    std::size_t m_tail = NoTail;       // the chunk small payloads are appended to
    std::size_t m_tailUsed = 0;        // bytes used in the tail chunk by this instance
    mutable bool m_tailShared = false; // the tail chunk is shared with a copy: start a new one before writing
    CowVector<Extras> m_extras;
    CowVector<std::size_t> m_freeExtras;
    qint64 m_liveBytes = 0;
    qint64 m_storedBytes = 0;
    qsizetype m_generatorRows = 0;
};

} // namespace kbatch::core

#pragma once

#include "core/model/Error.h"
#include "core/model/Message.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <vector>

namespace kbatch::core {

class Random;

// What one generated message's placeholders draw from. The generator sets seq, index and the time before each
// message; random values come from the one shared stream, in the order the placeholders appear.
class GenerateContext
{
public:
    explicit GenerateContext(Random &random) : m_random(&random) {}

    std::int64_t seq = 1;   // {{seq}}: 1..count within the generator row
    std::int64_t index = 0; // {{index}}: 0-based position in the expanded batch

    void setNowMs(std::int64_t ms) { m_nowMs = ms; }
    std::int64_t nowMs() const { return m_nowMs; }
    QByteArrayView nowIso() const; // "2026-11-27T10:15:30.123Z", formatted once per distinct millisecond
    Random &random() const { return *m_random; }

private:
    Random *m_random;
    std::int64_t m_nowMs = 0;
    mutable std::int64_t m_isoFor = 0;
    mutable bool m_isoValid = false;
    mutable char m_iso[40] = {};
    mutable qsizetype m_isoLen = 0;
};

// A key, value or header value with its placeholders parsed once, so that expanding it a million times is only
// appends: no parsing, no regular expressions, no allocation beyond the output's growth.
//
//   {{seq}} {{index}} {{uuid}} {{now}} {{now.ms}} {{random.int A B}} {{random.hex N}} {{pick a|b|c}}
//
// Text outside {{...}} is copied byte for byte. For Json payloads a placeholder inside a JSON string is read as that
// string's content (so `{{pick a\"b|c}}` offers `a"b`) and what it inserts is escaped so the result stays valid JSON.
// Base64 payloads are raw bytes: never parsed, copied unchanged.
//
// A value type, immutable after compile(); expandTo() is const and may run on several threads at once (each with its
// own GenerateContext).
class PlaceholderTemplate
{
public:
    PlaceholderTemplate() = default;

    // Errors (Error::column is the 1-based character column of the offending "{{" in `text`, Error::text says what
    // is wrong without the location): unknown placeholder, bad arguments, unterminated "{{".
    static Result<PlaceholderTemplate> compile(QByteArrayView text, Encoding encoding = Encoding::Text);

    bool hasPlaceholders() const { return m_hasPlaceholders; }
    bool usesClock() const { return m_usesClock; }
    // A rough size of one expansion, for reserving.
    qsizetype estimatedSize() const { return m_estimate; }

    void expandTo(QByteArray &out, const GenerateContext &ctx) const;
    // Draws from `random` exactly what expandTo() would draw, writing nothing: to move a stream past messages that
    // another thread expands from a copy of it.
    void skipDraws(Random &random) const;
    QByteArray expand(const GenerateContext &ctx) const;

    // The text listing every placeholder, as used in "unknown placeholder" errors.
    static QString knownPlaceholders();

private:
    enum class Kind : std::uint8_t { Literal, Seq, Index, Uuid, Now, NowMs, RandomInt, RandomHex, Pick };
    struct Segment
    {
        Kind kind = Kind::Literal;
        std::int64_t a = 0; // Literal: offset in m_bytes; RandomInt: low; RandomHex: count; Pick: first choice
        std::int64_t b = 0; // Literal: length; RandomInt: high; Pick: number of choices
    };

    std::vector<Segment> m_segments;
    QByteArray m_bytes;          // literal text
    QList<QByteArray> m_choices; // {{pick}} choices, already escaped for where they are inserted
    qsizetype m_estimate = 0;
    bool m_hasPlaceholders = false;
    bool m_usesClock = false;

    friend class PlaceholderParser;
};

} // namespace kbatch::core

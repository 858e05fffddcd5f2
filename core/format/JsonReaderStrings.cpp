#include "JsonReader.h"

#include "Utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstdint>
#include <cstring>

namespace kbatch::core {

namespace {

// The first position at or after `pos` whose byte is not plain printable ASCII inside a string: a quote, a
// backslash, a control character or a byte of a multi-byte UTF-8 sequence. Eight bytes at a time: a template's
// values are mostly long runs of plain ASCII, and this is where reading a million rows spends its time.
inline qsizetype skipPlainBytes(const unsigned char *p, qsizetype pos, qsizetype size)
{
#if defined(__SSE2__)
    // Sixteen bytes at a time where SSE2 is there (every x86-64). As signed bytes, 0x80-0xFF are negative, so one
    // "less than 0x20" finds both the control characters and the bytes of multi-byte UTF-8 sequences.
    const __m128i quotes = _mm_set1_epi8('"');
    const __m128i backslashes = _mm_set1_epi8('\\');
    const __m128i spaces = _mm_set1_epi8(0x20);
    while (pos + 16 <= size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + pos));
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quotes), _mm_cmpeq_epi8(v, backslashes)),
                                             _mm_cmplt_epi8(v, spaces));
        const int mask = _mm_movemask_epi8(special);
        if (mask != 0)
            return pos + std::countr_zero(unsigned(mask));
        pos += 16;
    }
#endif
    constexpr std::uint64_t Ones = 0x0101010101010101ull;
    constexpr std::uint64_t Highs = 0x8080808080808080ull;
    if constexpr (std::endian::native != std::endian::little)
        return pos; // the byte order below assumes the first byte is the lowest; others take the byte loop
    while (pos + 8 <= size) {
        std::uint64_t w;
        std::memcpy(&w, p + pos, 8);
        const std::uint64_t quote = w ^ (Ones * '"');
        const std::uint64_t backslash = w ^ (Ones * '\\');
        // (x - Ones) & ~x & Highs flags a zero byte, (w - Ones * 0x20) & ~w & Highs a byte below 0x20, w & Highs a
        // byte of 0x80 or more. A borrow can flag a byte above a flagged one, never below it, so the lowest flag
        // is exact.
        const std::uint64_t special =
            (((quote - Ones) & ~quote) | ((backslash - Ones) & ~backslash) | ((w - Ones * 0x20) & ~w) | w) & Highs;
        if (special != 0)
            return pos + (std::countr_zero(special) >> 3);
        pos += 8;
    }
    return pos;
}

} // namespace

bool JsonReader::scanString(QByteArray *decoded, QByteArray *raw)
{
    // m_data[m_pos] == '"'
    const qsizetype start = m_pos;
    ++m_pos;
    qsizetype runStart = m_pos;
    const auto *p = reinterpret_cast<const unsigned char *>(m_data);
    while (true) {
        m_pos = skipPlainBytes(p, m_pos, m_size);
        if (m_pos >= m_size)
            return failBytes(start, QStringLiteral("unterminated string"));
        const unsigned char c = p[m_pos];
        if (c == '"') {
            if (decoded)
                decoded->append(m_data + runStart, m_pos - runStart);
            ++m_pos;
            if (raw)
                raw->append(m_data + start, m_pos - start);
            return true;
        }
        if (c < 0x20) {
            return failBytes(m_pos, c == '\n' ? QStringLiteral("unterminated string (line break inside a string)")
                                              : QStringLiteral("control character U+%1 inside a string must be escaped")
                                                    .arg(int(c), 4, 16, QLatin1Char('0')));
        }
        if (c >= 0x80) {
            const qsizetype len = core::utf8SequenceLength(p + m_pos, m_size - m_pos);
            if (len == 0) {
                if (m_rawBytes) {
                    ++m_pos;
                    continue;
                }
                return failBytes(m_pos, QStringLiteral("invalid UTF-8 byte 0x%1").arg(int(c), 2, 16, QLatin1Char('0')));
            }
            m_pos += len;
            continue;
        }
        if (c != '\\') {
            ++m_pos;
            continue;
        }
        m_sawEscape = true;
        if (decoded)
            decoded->append(m_data + runStart, m_pos - runStart);
        const qsizetype escape = m_pos;
        if (m_pos + 1 >= m_size)
            return failBytes(start, QStringLiteral("unterminated string"));
        const char e = m_data[m_pos + 1];
        m_pos += 2;
        char simple = 0;
        switch (e) {
        case '"':
            simple = '"';
            break;
        case '\\':
            simple = '\\';
            break;
        case '/':
            simple = '/';
            break;
        case 'b':
            simple = '\b';
            break;
        case 'f':
            simple = '\f';
            break;
        case 'n':
            simple = '\n';
            break;
        case 'r':
            simple = '\r';
            break;
        case 't':
            simple = '\t';
            break;
        case 'u':
            break;
        default:
            return failBytes(escape, QStringLiteral("invalid escape sequence '\\%1'").arg(QString::fromUtf8(&e, 1)));
        }
        if (simple) {
            if (decoded)
                decoded->append(simple);
            runStart = m_pos;
            continue;
        }
        auto hex4 = [&](qsizetype at, char32_t &out) {
            if (at + 4 > m_size)
                return false;
            out = 0;
            for (int i = 0; i < 4; ++i) {
                const int v = hexDigitValue(m_data[at + i]);
                if (v < 0)
                    return false;
                out = (out << 4) | char32_t(v);
            }
            return true;
        };
        char32_t cp;
        if (!hex4(m_pos, cp))
            return failBytes(escape, QStringLiteral("invalid \\u escape: expected four hex digits"));
        m_pos += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return failBytes(escape, QStringLiteral("invalid \\u escape: lone low surrogate"));
        if (cp >= 0xd800 && cp <= 0xdbff) {
            char32_t low;
            if (m_pos + 1 >= m_size || m_data[m_pos] != '\\' || m_data[m_pos + 1] != 'u' || !hex4(m_pos + 2, low) ||
                low < 0xdc00 || low > 0xdfff)
                return failBytes(escape, QStringLiteral("invalid \\u escape: high surrogate without a low surrogate"));
            m_pos += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        if (decoded)
            appendUtf8(*decoded, cp);
        runStart = m_pos;
    }
}

bool JsonReader::readString(QByteArray &utf8)
{
    utf8.clear();
    if (peek() != Kind::String)
        return expect('"', "a string");
    return scanString(&utf8, nullptr);
}

bool JsonReader::readStringView(QByteArrayView &utf8, QByteArray &scratch)
{
    if (peek() != Kind::String)
        return expect('"', "a string");
    const qsizetype start = m_pos;
    m_sawEscape = false;
    if (!scanString(nullptr, nullptr))
        return false;
    if (!m_sawEscape) {
        utf8 = QByteArrayView(m_data + start + 1, m_pos - start - 2);
        return true;
    }
    // Rare: decode the escapes (the string is known to be valid).
    m_pos = start;
    scratch.resize(0); // keeps its buffer for the next escaped string
    if (!scanString(&scratch, nullptr))
        return false;
    utf8 = scratch;
    return true;
}

} // namespace kbatch::core

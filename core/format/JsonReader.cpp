#include "JsonReader.h"

#include "Utf8.h"
#include "core/model/Printable.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

namespace kbatch::core {

namespace {

constexpr int MaxDepth = 512; // deeper documents are refused rather than risking the stack

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

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

JsonReader::JsonReader(QByteArrayView data, int firstLine) : m_data(data.data()), m_size(data.size()), m_line(firstLine)
{
    m_memberMark.line = firstLine;
}

void JsonReader::reset(QByteArrayView data, int firstLine)
{
    m_data = data.data();
    m_size = data.size();
    m_pos = 0;
    m_lineStart = 0;
    m_line = firstLine;
    m_memberMark = Mark{0, 0, firstLine};
    m_carriedColumns = 0;
    m_rawBytes = false;
    m_first.clear();
    m_error.clear();
    m_errorLine = 0;
    m_errorColumn = 0;
}

int JsonReader::column(const Mark &m) const
{
    if (m.column > 0)
        return m.column;
    qint64 col = 1;
    qsizetype from = m.lineStart;
    if (from < 0) { // the line started in a part of the input already discarded
        col += m_carriedColumns;
        from = 0;
    }
    col += countCharacters(QByteArrayView(m_data + from, std::max<qsizetype>(std::min(m.offset, m_size) - from, 0)));
    return int(std::min<qint64>(col, std::numeric_limits<int>::max()));
}

void JsonReader::rewind(const Checkpoint &checkpoint)
{
    m_pos = checkpoint.pos;
    m_lineStart = checkpoint.lineStart;
    m_line = checkpoint.line;
    m_first.resize(checkpoint.depth);
    if (!m_first.empty())
        m_first.back() = checkpoint.first;
    m_memberMark = Mark{m_pos, m_lineStart, m_line};
    m_error.clear();
    m_errorLine = 0;
    m_errorColumn = 0;
}

void JsonReader::discard(qsizetype n)
{
    Q_ASSERT(n >= 0 && n <= m_pos);
    if (m_lineStart < n) {
        // The current line starts in the bytes that go: remember how many characters of it they hold.
        if (m_lineStart >= 0)
            m_carriedColumns = 0;
        const qsizetype from = std::max<qsizetype>(m_lineStart, 0);
        m_carriedColumns += countCharacters(QByteArrayView(m_data + from, n - from));
    }
    m_pos -= n;
    m_lineStart -= n;
    m_memberMark = Mark{m_pos, m_lineStart, m_line};
}

void JsonReader::setInput(QByteArrayView data)
{
    m_data = data.data();
    m_size = data.size();
}

void JsonReader::failAt(const Mark &m, const QString &text)
{
    if (hasError())
        return;
    m_error = text;
    m_errorLine = m.line;
    m_errorColumn = column(m);
}

bool JsonReader::failBytes(qsizetype offset, const QString &text)
{
    // Strings never span lines, so the current line start still applies inside one.
    failAt(Mark{offset, m_lineStart, m_line}, text);
    return false;
}

QString JsonReader::describe(Kind kind)
{
    switch (kind) {
    case Kind::Object:
        return QStringLiteral("an object");
    case Kind::Array:
        return QStringLiteral("an array");
    case Kind::String:
        return QStringLiteral("a string");
    case Kind::Number:
        return QStringLiteral("a number");
    case Kind::True:
    case Kind::False:
        return QStringLiteral("a boolean");
    case Kind::Null:
        return QStringLiteral("null");
    case Kind::End:
        return QStringLiteral("the end of the input");
    case Kind::Invalid:
        break;
    }
    return QStringLiteral("invalid JSON");
}

QString JsonReader::describeAt(qsizetype pos) const
{
    // The whole character, made safe to show; a byte that starts none (a stray byte order mark, binary) by value.
    const auto *p = reinterpret_cast<const unsigned char *>(m_data) + pos;
    const qsizetype len = p[0] < 0x80 ? 1 : core::utf8SequenceLength(p, m_size - pos);
    if (len == 0)
        return QStringLiteral("byte 0x%1").arg(int(p[0]), 2, 16, QLatin1Char('0'));
    // Decoded here: QString::fromUtf8() (and fromUcs4()) drop a byte order mark, the very character to show.
    char32_t cp = len == 1 ? p[0] : p[0] & (0x7f >> len);
    for (qsizetype i = 1; i < len; ++i)
        cp = (cp << 6) | (p[i] & 0x3f);
    QString ch;
    if (QChar::requiresSurrogates(cp))
        ch = QChar(QChar::highSurrogate(cp)) + QString(QChar(QChar::lowSurrogate(cp)));
    else
        ch = QChar(char16_t(cp));
    return QStringLiteral("character '%1'").arg(printable(ch));
}

bool JsonReader::isValidUtf8(QByteArrayView bytes)
{
    return core::isValidUtf8(bytes);
}

qsizetype JsonReader::utf8SequenceLength(QByteArrayView bytes)
{
    return core::utf8SequenceLength(bytes);
}

void JsonReader::skipWhitespaceRun()
{
    while (m_pos < m_size) {
        const char c = m_data[m_pos];
        if (c == '\n') {
            ++m_line;
            m_lineStart = m_pos + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        ++m_pos;
    }
}

JsonReader::Kind JsonReader::peek()
{
    if (hasError())
        return Kind::Invalid;
    skipWhitespace();
    if (m_pos >= m_size)
        return Kind::End;
    switch (m_data[m_pos]) {
    case '{':
        return Kind::Object;
    case '[':
        return Kind::Array;
    case '"':
        return Kind::String;
    case 't':
        return Kind::True;
    case 'f':
        return Kind::False;
    case 'n':
        return Kind::Null;
    case '-':
        return Kind::Number;
    default:
        return isDigit(m_data[m_pos]) ? Kind::Number : Kind::Invalid;
    }
}

bool JsonReader::expect(char c, const char *what)
{
    if (hasError())
        return false;
    skipWhitespace();
    if (m_pos < m_size && m_data[m_pos] == c) {
        ++m_pos;
        return true;
    }
    if (m_pos >= m_size)
        fail(QStringLiteral("unexpected end of the input, expected %1").arg(QLatin1String(what)));
    else
        fail(QStringLiteral("unexpected %1, expected %2").arg(describeAt(m_pos), QLatin1String(what)));
    return false;
}

bool JsonReader::beginObject()
{
    skipWhitespace();
    if (m_first.size() >= std::size_t(MaxDepth)) {
        fail(QStringLiteral("nested too deeply"));
        return false;
    }
    if (!expect('{', "'{'"))
        return false;
    m_first.push_back(true);
    return true;
}

bool JsonReader::beginArray()
{
    skipWhitespace();
    if (m_first.size() >= std::size_t(MaxDepth)) {
        fail(QStringLiteral("nested too deeply"));
        return false;
    }
    if (!expect('[', "'['"))
        return false;
    m_first.push_back(true);
    return true;
}

bool JsonReader::beginMember()
{
    if (hasError() || m_first.empty())
        return false;
    skipWhitespace();
    if (m_pos < m_size && m_data[m_pos] == '}') {
        ++m_pos;
        m_first.pop_back();
        return false;
    }
    if (!m_first.back()) {
        if (!expect(',', "',' or '}'"))
            return false;
        skipWhitespace();
        if (m_pos < m_size && m_data[m_pos] == '}') {
            fail(QStringLiteral("trailing comma before '}'"));
            return false;
        }
    }
    m_first.back() = false;
    skipWhitespace();
    m_memberMark = mark();
    if (m_pos >= m_size || m_data[m_pos] != '"') {
        expect('"', "a member name in double quotes");
        return false;
    }
    return true;
}

bool JsonReader::nextMember(QByteArray &name, QByteArray *raw)
{
    if (!beginMember())
        return false;
    // resize(0), not clear(): keeps the buffer, so reading a million rows' member names allocates nothing.
    name.resize(0);
    if (raw)
        raw->resize(0);
    if (!scanString(&name, raw))
        return false;
    return expect(':', "':'");
}

bool JsonReader::nextMemberView(QByteArrayView &name, QByteArray &scratch)
{
    return beginMember() && readStringView(name, scratch) && expect(':', "':'");
}

bool JsonReader::nextElement()
{
    if (hasError() || m_first.empty())
        return false;
    skipWhitespace();
    if (m_pos < m_size && m_data[m_pos] == ']') {
        ++m_pos;
        m_first.pop_back();
        return false;
    }
    if (!m_first.back()) {
        if (!expect(',', "',' or ']'"))
            return false;
        skipWhitespace();
        if (m_pos < m_size && m_data[m_pos] == ']') {
            fail(QStringLiteral("trailing comma before ']'"));
            return false;
        }
    }
    m_first.back() = false;
    if (m_pos >= m_size) {
        fail(QStringLiteral("unexpected end of the input, expected a value or ']'"));
        return false;
    }
    return true;
}

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

bool JsonReader::scanNumber(QByteArrayView &lexeme)
{
    const qsizetype start = m_pos;
    qsizetype i = m_pos;
    auto bad = [&]() {
        m_pos = i; // where the scan stopped (nearEnd() must see a number cut by the end of the input)
        return failBytes(start, QStringLiteral("invalid number"));
    };
    if (i < m_size && m_data[i] == '-')
        ++i;
    if (i >= m_size || !isDigit(m_data[i]))
        return bad();
    if (m_data[i] == '0') {
        ++i;
        if (i < m_size && isDigit(m_data[i]))
            return failBytes(start, QStringLiteral("invalid number: leading zeros are not allowed"));
    } else {
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    if (i < m_size && m_data[i] == '.') {
        ++i;
        if (i >= m_size || !isDigit(m_data[i]))
            return bad();
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    if (i < m_size && (m_data[i] == 'e' || m_data[i] == 'E')) {
        ++i;
        if (i < m_size && (m_data[i] == '+' || m_data[i] == '-'))
            ++i;
        if (i >= m_size || !isDigit(m_data[i]))
            return bad();
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    lexeme = QByteArrayView(m_data + start, i - start);
    m_pos = i;
    return true;
}

bool JsonReader::scanLiteral(const char *word, qsizetype len)
{
    if (m_size - m_pos >= len && std::memcmp(m_data + m_pos, word, std::size_t(len)) == 0) {
        m_pos += len;
        return true;
    }
    return failBytes(m_pos, QStringLiteral("invalid literal, expected '%1'").arg(QLatin1String(word)));
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

bool JsonReader::readNumber(QByteArrayView &lexeme)
{
    if (peek() != Kind::Number) {
        if (!hasError())
            fail(QStringLiteral("expected a number"));
        return false;
    }
    return scanNumber(lexeme);
}

bool JsonReader::readBool(bool &value)
{
    const Kind k = peek();
    if (k == Kind::True) {
        value = true;
        return scanLiteral("true", 4);
    }
    if (k == Kind::False) {
        value = false;
        return scanLiteral("false", 5);
    }
    if (!hasError())
        fail(QStringLiteral("expected true or false"));
    return false;
}

bool JsonReader::readNull()
{
    if (peek() != Kind::Null) {
        if (!hasError())
            fail(QStringLiteral("expected null"));
        return false;
    }
    return scanLiteral("null", 4);
}

bool JsonReader::walk(QByteArray *compact, int depth)
{
    if (depth > MaxDepth) {
        fail(QStringLiteral("nested too deeply"));
        return false;
    }
    switch (peek()) {
    case Kind::Object: {
        if (!beginObject())
            return false;
        if (compact)
            compact->append('{');
        while (true) {
            skipWhitespace();
            if (m_pos < m_size && m_data[m_pos] == '}') {
                ++m_pos;
                m_first.pop_back();
                break;
            }
            if (!m_first.back()) {
                if (!expect(',', "',' or '}'"))
                    return false;
                if (compact)
                    compact->append(',');
                skipWhitespace();
                if (m_pos < m_size && m_data[m_pos] == '}') {
                    fail(QStringLiteral("trailing comma before '}'"));
                    return false;
                }
            }
            m_first.back() = false;
            if (m_pos >= m_size || m_data[m_pos] != '"') {
                expect('"', "a member name in double quotes");
                return false;
            }
            // Member names are kept as written, like every string in a compact copy.
            if (!scanString(nullptr, compact))
                return false;
            if (!expect(':', "':'"))
                return false;
            if (compact)
                compact->append(':');
            if (!walk(compact, depth + 1))
                return false;
        }
        if (compact)
            compact->append('}');
        return true;
    }
    case Kind::Array: {
        if (!beginArray())
            return false;
        if (compact)
            compact->append('[');
        bool first = true;
        while (nextElement()) {
            if (!first && compact)
                compact->append(',');
            if (!walk(compact, depth + 1))
                return false;
            first = false;
        }
        if (hasError())
            return false;
        if (compact)
            compact->append(']');
        return true;
    }
    case Kind::String:
        return scanString(nullptr, compact);
    case Kind::Number: {
        QByteArrayView lexeme;
        if (!scanNumber(lexeme))
            return false;
        if (compact)
            compact->append(lexeme);
        return true;
    }
    case Kind::True:
        if (compact)
            compact->append("true");
        return scanLiteral("true", 4);
    case Kind::False:
        if (compact)
            compact->append("false");
        return scanLiteral("false", 5);
    case Kind::Null:
        if (compact)
            compact->append("null");
        return scanLiteral("null", 4);
    case Kind::End:
        fail(QStringLiteral("unexpected end of the input, expected a value"));
        return false;
    case Kind::Invalid:
        if (!hasError())
            fail(QStringLiteral("unexpected %1, expected a value").arg(describeAt(m_pos)));
        return false;
    }
    return false;
}

bool JsonReader::skipValue()
{
    return walk(nullptr, int(m_first.size()));
}

bool JsonReader::copyCompact(QByteArray &out)
{
    return walk(&out, int(m_first.size()));
}

bool JsonReader::expectEnd()
{
    const Kind k = peek();
    if (k == Kind::End)
        return true;
    if (!hasError())
        fail(QStringLiteral("unexpected content after the end of the JSON value"));
    return false;
}

} // namespace kbatch::core

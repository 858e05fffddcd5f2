#include "JsonReader.h"

#include "JsonReaderDetail.h"
#include "Utf8.h"
#include "core/model/Printable.h"

#include <limits>

namespace kbatch::core {

using jsonreader::isDigit;
using jsonreader::MaxDepth;

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

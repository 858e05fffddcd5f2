#include "JsonReader.h"

#include "JsonReaderDetail.h"

#include <cstring>

namespace kbatch::core {

using jsonreader::isDigit;
using jsonreader::MaxDepth;

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

} // namespace kbatch::core

// AvroJsonEncoder's scalar values: integers (with the date and time logical types), floating point numbers, bytes and
// fixed (with decimal), strings (with uuid) and enums; and the message texts both files use.

#include "AvroJsonEncoder.h"
#include "AvroJsonText.h"

#include "AvroLogical.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace kbatch::core {

namespace avrojson {

using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

bool isTimeLogical(Logical l)
{
    return l == Logical::Date || l == Logical::TimeMillis || l == Logical::TimeMicros ||
           l == Logical::TimestampMillis || l == Logical::TimestampMicros || l == Logical::LocalTimestampMillis ||
           l == Logical::LocalTimestampMicros;
}

QString quoted(QByteArrayView utf8)
{
    QString s = QString::fromUtf8(utf8);
    if (s.size() > 60)
        s = s.left(57) + QLatin1String("...");
    QString out = QStringLiteral("\"");
    for (QChar c : s) {
        if (c.unicode() < 0x20)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString expectation(const AvroNode &n)
{
    switch (n.logical) {
    case Logical::Decimal:
        return QStringLiteral("decimal(%1, %2) (a number or a string such as \"12.50\")").arg(n.precision).arg(n.scale);
    case Logical::Uuid:
        return QStringLiteral("uuid (a string)");
    case Logical::Date:
        return QStringLiteral("date (\"YYYY-MM-DD\" or days since 1970-01-01)");
    case Logical::TimeMillis:
    case Logical::TimeMicros:
        return n.describe() + QStringLiteral(" (\"HH:MM:SS.fff\" or a count since midnight)");
    case Logical::TimestampMillis:
    case Logical::TimestampMicros:
        return n.describe() + QStringLiteral(" (\"2026-01-01T00:00:00Z\" or a count since 1970-01-01T00:00:00Z)");
    case Logical::LocalTimestampMillis:
    case Logical::LocalTimestampMicros:
        return n.describe() + QStringLiteral(" (\"2026-01-01T00:00:00\" or a count since 1970-01-01T00:00:00)");
    case Logical::None:
        break;
    }
    if (n.type == Type::Enum) {
        QString symbols;
        for (std::size_t i = 0; i < n.symbols.size() && i < 8; ++i)
            symbols += (i ? QLatin1String(", ") : QLatin1String("")) + QString::fromUtf8(n.symbols[i]);
        if (n.symbols.size() > 8)
            symbols += QLatin1String(", ...");
        return QStringLiteral("one of %1 (%2)").arg(symbols, n.describe());
    }
    if (n.type == Type::Fixed)
        return n.describe() + QStringLiteral(" (a string of %1 bytes)").arg(n.size);
    return n.describe();
}

} // namespace avrojson

namespace {

using Kind = JsonReader::Kind;
using Type = AvroNode::Type;
using Logical = AvroNode::Logical;
using avrojson::expectation;
using avrojson::isTimeLogical;
using avrojson::quoted;

bool isWhole(QByteArrayView lexeme)
{
    for (char c : lexeme) {
        if (c == '.' || c == 'e' || c == 'E')
            return false;
    }
    return true;
}

// The power of ten of a number's first significant digit: negative for numbers below 1. For telling an underflow
// (a tiny number, taken as 0) from an overflow when from_chars says "out of range".
qint64 decimalMagnitude(QByteArrayView lexeme)
{
    qsizetype i = 0;
    if (i < lexeme.size() && lexeme[i] == '-')
        ++i;
    qint64 intDigits = 0, leadingFractionZeros = 0;
    bool significant = false;
    for (; i < lexeme.size() && lexeme[i] >= '0' && lexeme[i] <= '9'; ++i) {
        if (lexeme[i] != '0' || significant) {
            significant = true;
            ++intDigits;
        }
    }
    if (i < lexeme.size() && lexeme[i] == '.') {
        for (++i; i < lexeme.size() && lexeme[i] >= '0' && lexeme[i] <= '9'; ++i) {
            if (!significant) {
                if (lexeme[i] == '0')
                    ++leadingFractionZeros;
                else
                    significant = true;
            }
        }
    }
    qint64 exponent = 0;
    if (i < lexeme.size() && (lexeme[i] == 'e' || lexeme[i] == 'E')) {
        ++i;
        const bool negative = i < lexeme.size() && lexeme[i] == '-';
        if (i < lexeme.size() && (lexeme[i] == '-' || lexeme[i] == '+'))
            ++i;
        for (; i < lexeme.size(); ++i)
            exponent = std::min<qint64>(exponent * 10 + (lexeme[i] - '0'), 1'000'000'000);
        if (negative)
            exponent = -exponent;
    }
    return intDigits > 0 ? intDigits - 1 + exponent : exponent - leadingFractionZeros - 1;
}

template <typename F> bool parseFloating(QByteArrayView lexeme, F &out)
{
    const char *end = lexeme.data() + lexeme.size();
    const auto [ptr, ec] = std::from_chars(lexeme.data(), end, out);
    if (ec == std::errc())
        return ptr == end;
    if (ec == std::errc::result_out_of_range && decimalMagnitude(lexeme) < 0) {
        out = lexeme.startsWith('-') ? -F(0) : F(0);
        return true;
    }
    return false;
}

} // namespace

bool AvroJsonEncoder::writeInteger(const AvroNode &n, avro_value_t *v)
{
    const bool isInt = n.type == Type::Int;
    const Kind k = m_in->peek();
    const JsonReader::Mark at = m_in->mark();
    std::int64_t value = 0;
    if (k == Kind::Number) {
        QByteArrayView lexeme;
        if (!m_in->readNumber(lexeme))
            return readerFailed();
        if (!isWhole(lexeme))
            return fail(at, QStringLiteral("expected %1, got the number %2, not a whole number")
                                .arg(expectation(n), QString::fromLatin1(lexeme)));
        const auto [ptr, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), value);
        if (ec != std::errc() || (isInt && (value < std::numeric_limits<std::int32_t>::min() ||
                                            value > std::numeric_limits<std::int32_t>::max())))
            return fail(at, QStringLiteral("%1 is out of range for %2 (%3 to %4)")
                                .arg(QString::fromLatin1(lexeme), n.describe())
                                .arg(isInt ? qint64(std::numeric_limits<std::int32_t>::min())
                                           : std::numeric_limits<qint64>::min())
                                .arg(isInt ? qint64(std::numeric_limits<std::int32_t>::max())
                                           : std::numeric_limits<qint64>::max()));
    } else if (k == Kind::String && isTimeLogical(n.logical)) {
        QByteArrayView text;
        if (!m_in->readStringView(text, m_scratch))
            return readerFailed();
        QString problem;
        bool ok = false;
        switch (n.logical) {
        case Logical::Date: {
            std::int32_t days = 0;
            ok = AvroLogical::parseDate(text, days, problem);
            value = days;
            break;
        }
        case Logical::TimeMillis:
            ok = AvroLogical::parseTime(text, 1000, value, problem);
            break;
        case Logical::TimeMicros:
            ok = AvroLogical::parseTime(text, 1000000, value, problem);
            break;
        case Logical::TimestampMillis:
        case Logical::LocalTimestampMillis:
            ok = AvroLogical::parseTimestamp(text, 1000, n.logical == Logical::LocalTimestampMillis, value, problem);
            break;
        case Logical::TimestampMicros:
        case Logical::LocalTimestampMicros:
            ok = AvroLogical::parseTimestamp(text, 1000000, n.logical == Logical::LocalTimestampMicros, value, problem);
            break;
        default:
            break;
        }
        if (!ok)
            return fail(at, QStringLiteral("%1: %2, got %3").arg(n.describe(), problem, quoted(text)));
    } else {
        return mismatch(n, k);
    }
    if (v) {
        const int rc = isInt ? avro_value_set_int(v, std::int32_t(value)) : avro_value_set_long(v, value);
        if (rc)
            return avroFailed(rc);
        m_bound += 10;
    }
    return true;
}

bool AvroJsonEncoder::writeFloating(const AvroNode &n, avro_value_t *v)
{
    const bool isFloat = n.type == Type::Float;
    const Kind k = m_in->peek();
    const JsonReader::Mark at = m_in->mark();
    double d = 0;
    float f = 0;
    if (k == Kind::Number) {
        QByteArrayView lexeme;
        if (!m_in->readNumber(lexeme))
            return readerFailed();
        if (isFloat ? !parseFloating(lexeme, f) : !parseFloating(lexeme, d))
            return fail(at, QStringLiteral("%1 is out of range for %2").arg(QString::fromLatin1(lexeme), n.describe()));
    } else if (k == Kind::String) {
        QByteArrayView text;
        if (!m_in->readStringView(text, m_scratch))
            return readerFailed();
        if (text == "NaN")
            d = std::numeric_limits<double>::quiet_NaN();
        else if (text == "Infinity")
            d = std::numeric_limits<double>::infinity();
        else if (text == "-Infinity")
            d = -std::numeric_limits<double>::infinity();
        else
            return fail(at, QStringLiteral("expected %1 (a number, or \"NaN\", \"Infinity\", \"-Infinity\"), got %2")
                                .arg(n.describe(), quoted(text)));
        f = float(d);
    } else {
        return mismatch(n, k);
    }
    if (v) {
        const int rc = isFloat ? avro_value_set_float(v, f) : avro_value_set_double(v, d);
        if (rc)
            return avroFailed(rc);
        m_bound += 8;
    }
    return true;
}

bool AvroJsonEncoder::writeBytesLike(const AvroNode &n, avro_value_t *v)
{
    const bool isFixed = n.type == Type::Fixed;
    const Kind k = m_in->peek();
    const JsonReader::Mark at = m_in->mark();
    QByteArrayView bytes;
    // A default is written in Avro's JSON encoding, where a decimal's default is its bytes as characters.
    if (n.logical == Logical::Decimal && !(m_defaultMode && k == Kind::String)) {
        QByteArrayView text;
        if (k == Kind::Number) {
            if (!m_in->readNumber(text))
                return readerFailed();
        } else if (k == Kind::String) {
            if (!m_in->readStringView(text, m_scratch))
                return readerFailed();
        } else {
            return mismatch(n, k);
        }
        QString problem;
        if (!AvroLogical::decimalToBytes(text, n.precision, n.scale, m_bytes, problem))
            return fail(at, QStringLiteral("decimal(%1, %2): %3, got %4")
                                .arg(n.precision)
                                .arg(n.scale)
                                .arg(problem, k == Kind::String ? quoted(text) : QString::fromLatin1(text)));
        if (isFixed) {
            QByteArray extended;
            if (!AvroLogical::signExtend(m_bytes, n.size, extended))
                return fail(at, QStringLiteral("%1 does not fit in the %2 bytes of %3")
                                    .arg(QString::fromLatin1(text))
                                    .arg(n.size)
                                    .arg(n.describe()));
            m_bytes = extended;
        }
        bytes = m_bytes;
    } else {
        if (k != Kind::String)
            return mismatch(n, k);
        QByteArrayView text;
        if (!m_in->readStringView(text, m_scratch))
            return readerFailed();
        // Avro's JSON encoding of bytes: each character U+0000..U+00FF is one byte. UTF-8 spells U+0080..U+00FF
        // with the lead bytes C2 and C3.
        bytes = text;
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (static_cast<unsigned char>(text[i]) >= 0x80) {
                m_bytes.resize(0);
                m_bytes.append(text.first(i));
                for (; i < text.size(); ++i) {
                    const auto c = static_cast<unsigned char>(text[i]);
                    if (c < 0x80) {
                        m_bytes.append(char(c));
                    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < text.size()) {
                        m_bytes.append(char(((c & 0x03) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3f)));
                        ++i;
                    } else {
                        const QString ch =
                            QString::fromUtf8(text.sliced(i, JsonReader::utf8SequenceLength(text.sliced(i))));
                        return fail(at, QStringLiteral("expected %1 (characters U+0000 to U+00FF, one per byte), got "
                                                       "U+%2 at character %3")
                                            .arg(expectation(n))
                                            .arg(ch.isEmpty() ? 0u : ch.toUcs4().value(0), 4, 16, QLatin1Char('0'))
                                            .arg(QString::fromUtf8(text.first(i)).size() + 1));
                    }
                }
                bytes = m_bytes;
                break;
            }
        }
        if (isFixed && bytes.size() != n.size)
            return fail(at, QStringLiteral("expected %1, got %2 bytes").arg(expectation(n)).arg(bytes.size()));
    }
    if (v) {
        void *data = const_cast<char *>(bytes.data());
        const int rc = isFixed ? avro_value_set_fixed(v, data, std::size_t(bytes.size()))
                               : avro_value_set_bytes(v, data, std::size_t(bytes.size()));
        if (rc)
            return avroFailed(rc);
        m_bound += bytes.size() + 10;
    }
    return true;
}

bool AvroJsonEncoder::writeString(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::String)
        return mismatch(n, k);
    const JsonReader::Mark at = m_in->mark();
    QByteArrayView text;
    if (!m_in->readStringView(text, m_scratch))
        return readerFailed();
    if (n.logical == Logical::Uuid) {
        QString problem;
        if (!AvroLogical::parseUuid(text, m_bytes, problem))
            return fail(at, QStringLiteral("uuid: %1, got %2").arg(problem, quoted(text)));
        text = m_bytes;
    }
    if (v) {
        // avro-c's size counts a terminator: it copies size bytes, puts a NUL after them and writes all but the
        // last. The byte after `text` is always there to be copied (the closing quote in the document, or the NUL
        // of m_scratch or m_bytes) and is never written, so no copy with a NUL is needed first.
        if (const int rc = avro_value_set_string_len(v, text.data(), std::size_t(text.size()) + 1))
            return avroFailed(rc);
        m_bound += text.size() + 10;
    }
    return true;
}

bool AvroJsonEncoder::writeEnum(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::String)
        return mismatch(n, k);
    const JsonReader::Mark at = m_in->mark();
    QByteArrayView text;
    if (!m_in->readStringView(text, m_scratch))
        return readerFailed();
    const int index = n.symbolIndex(text);
    if (index < 0)
        return fail(at, QStringLiteral("expected %1, got %2").arg(expectation(n), quoted(text)));
    if (v) {
        if (const int rc = avro_value_set_enum(v, index))
            return avroFailed(rc);
        m_bound += 10;
    }
    return true;
}

} // namespace kbatch::core

#include "AvroJsonEncoder.h"

#include "AvroLogical.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;
using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

// Values nest at most this deep, defaults included (the reader stops documents at 512 levels; a default inside a
// default inside ... of a type that contains itself would otherwise never end).
constexpr int MaxLevel = 600;

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

bool isTimeLogical(Logical l)
{
    return l == Logical::Date || l == Logical::TimeMillis || l == Logical::TimeMicros ||
           l == Logical::TimestampMillis || l == Logical::TimestampMicros || l == Logical::LocalTimestampMillis ||
           l == Logical::LocalTimestampMicros;
}

// Whether a JSON value of kind `k` may be a value of `n` (without looking further).
bool accepts(const AvroNode &n, Kind k)
{
    switch (n.type) {
    case Type::Null:
        return k == Kind::Null;
    case Type::Boolean:
        return k == Kind::True || k == Kind::False;
    case Type::Int:
    case Type::Long:
        return k == Kind::Number || (k == Kind::String && isTimeLogical(n.logical));
    case Type::Float:
    case Type::Double:
        return k == Kind::Number || k == Kind::String;
    case Type::Bytes:
    case Type::Fixed:
        return k == Kind::String || (k == Kind::Number && n.logical == Logical::Decimal);
    case Type::String:
    case Type::Enum:
        return k == Kind::String;
    case Type::Record:
    case Type::Map:
        return k == Kind::Object;
    case Type::Array:
        return k == Kind::Array;
    case Type::Union:
        return false;
    }
    return false;
}

// Branches whose choice a reader sees as a different type: a value that fits two of them must be written tagged.
bool isDistinctType(const AvroNode &n)
{
    return n.isNamed() || n.type == Type::Map;
}

// `utf8` in double quotes for a message, control characters escaped as in JSON, cut after 60 characters.
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

// What a node takes, for "expected ..." messages.
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

} // namespace

AvroJsonEncoder::AvroJsonEncoder(std::shared_ptr<const AvroSchema> schema)
    : m_schema(std::move(schema)), m_reader(QByteArrayView())
{
    static const char nowhere = 0;
    const auto lock = lockAvroErrors();
    m_value.create(m_schema->valueClass());
    m_writer.reset(avro_writer_memory(&nowhere, 0));
}

AvroJsonEncoder::~AvroJsonEncoder()
{
    // avro-c's destructors may set its error text.
    const auto lock = lockAvroErrors();
    m_value.reset();
    m_writer.reset();
}

Status AvroJsonEncoder::encode(QByteArrayView json, QByteArray &out)
{
    m_reader.reset(json);
    m_in = &m_reader;
    m_failure.failed = false; // its texts are overwritten by the next failure
    m_depth = 0;
    m_seen.clear();
    m_bound = 0;
    m_defaultMode = false;
    avro_value_t *root = m_value.get();
    if (const int rc = avro_value_reset(root)) {
        avroFailed(rc);
        return error();
    }
    if (!write(m_schema->root(), root))
        return error();
    if (!m_reader.expectEnd()) {
        readerFailed();
        return error();
    }
    const qsizetype old = out.size();
    out.resize(old + qsizetype(m_bound) + 1);
    avro_writer_memory_set_dest(m_writer.get(), out.data() + old, m_bound + 1);
    if (const int rc = avro_value_write(m_writer.get(), root)) {
        out.resize(old);
        avroFailed(rc);
        return error();
    }
    out.resize(old + qsizetype(avro_writer_tell(m_writer.get())));
    return Ok{};
}

Status AvroJsonEncoder::checkDefault(const AvroNode &node, QByteArrayView json)
{
    JsonReader reader(json);
    m_in = &reader;
    m_failure = Failure{};
    m_depth = 0;
    m_seen.clear();
    m_defaultMode = true;
    const bool ok = write(node, nullptr) && (reader.expectEnd() || readerFailed());
    m_in = &m_reader;
    m_defaultMode = false;
    if (!ok)
        return error();
    return Ok{};
}

bool AvroJsonEncoder::write(const AvroNode &n, avro_value_t *v)
{
    struct Level
    {
        int &level;
        explicit Level(int &l) : level(l) { ++level; }
        ~Level() { --level; }
    } level(m_level);
    if (m_level > MaxLevel)
        return fail(m_in->mark(), QStringLiteral("nested more than %1 levels deep").arg(MaxLevel));

    switch (n.type) {
    case Type::Null: {
        const Kind k = m_in->peek();
        if (k != Kind::Null)
            return mismatch(n, k);
        if (!m_in->readNull())
            return readerFailed();
        if (v) {
            if (const int rc = avro_value_set_null(v))
                return avroFailed(rc);
        }
        return true;
    }
    case Type::Boolean: {
        const Kind k = m_in->peek();
        if (k != Kind::True && k != Kind::False)
            return mismatch(n, k);
        bool b = false;
        if (!m_in->readBool(b))
            return readerFailed();
        if (v) {
            if (const int rc = avro_value_set_boolean(v, b))
                return avroFailed(rc);
            m_bound += 1;
        }
        return true;
    }
    case Type::Int:
    case Type::Long:
        return writeInteger(n, v);
    case Type::Float:
    case Type::Double:
        return writeFloating(n, v);
    case Type::Bytes:
    case Type::Fixed:
        return writeBytesLike(n, v);
    case Type::String:
        return writeString(n, v);
    case Type::Enum:
        return writeEnum(n, v);
    case Type::Record:
        return writeRecord(n, v);
    case Type::Array:
        return writeArray(n, v);
    case Type::Map:
        return writeMap(n, v);
    case Type::Union:
        return writeUnion(n, v);
    }
    return fail(m_in->mark(), QStringLiteral("unknown type"));
}

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

bool AvroJsonEncoder::writeRecord(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Object)
        return mismatch(n, k);
    const JsonReader::Mark objectAt = m_in->mark();
    if (!m_in->beginObject())
        return readerFailed();
    const std::size_t count = n.fields.size();
    const std::size_t base = m_seen.size();
    m_seen.resize(base + count, 0);
    int hint = 0;
    bool ok = true;
    QByteArrayView name;
    while (ok && m_in->nextMemberView(name, m_scratch)) {
        const int i = n.fieldIndex(name, hint);
        if (i < 0) {
            QString fields;
            for (std::size_t f = 0; f < count && f < 12; ++f)
                fields += (f ? QLatin1String(", ") : QLatin1String("")) + QString::fromUtf8(n.fields[f].name);
            if (count > 12)
                fields += QLatin1String(", ...");
            ok =
                fail(m_in->lastMemberMark(),
                     QStringLiteral("unknown field %1 in %2 (its fields: %3)").arg(quoted(name), n.describe(), fields));
            break;
        }
        if (m_seen[base + std::size_t(i)]) {
            ok = fail(m_in->lastMemberMark(), QStringLiteral("field %1 appears twice").arg(quoted(name)));
            break;
        }
        m_seen[base + std::size_t(i)] = 1;
        hint = i + 1;
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_get_by_index(v, std::size_t(i), &child, nullptr)) {
                ok = avroFailed(rc);
                break;
            }
            childPtr = &child;
        }
        pushField(&n.fields[std::size_t(i)].name);
        ok = write(*n.fields[std::size_t(i)].type, childPtr);
        pop();
    }
    if (ok && m_in->hasError())
        ok = readerFailed();
    for (std::size_t i = 0; ok && i < count; ++i) {
        if (m_seen[base + i])
            continue;
        const AvroNode::Field &field = n.fields[i];
        if (!field.hasDefault) {
            ok = fail(
                objectAt,
                QStringLiteral("missing field %1 of %2 (it has no default)").arg(quoted(field.name), n.describe()));
            break;
        }
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_get_by_index(v, i, &child, nullptr)) {
                ok = avroFailed(rc);
                break;
            }
            childPtr = &child;
        }
        ok = writeDefault(field, childPtr);
    }
    m_seen.resize(base);
    return ok;
}

bool AvroJsonEncoder::writeDefault(const AvroNode::Field &field, avro_value_t *v)
{
    JsonReader reader(field.defaultJson);
    JsonReader *const document = m_in;
    const bool wasDefault = m_defaultMode;
    m_in = &reader;
    m_defaultMode = true;
    pushField(&field.name);
    const bool ok = write(*field.type, v);
    pop();
    m_in = document;
    m_defaultMode = wasDefault;
    return ok;
}

bool AvroJsonEncoder::writeArray(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Array)
        return mismatch(n, k);
    if (!m_in->beginArray())
        return readerFailed();
    if (v)
        m_bound += 11; // the block count and the closing 0
    qint64 index = 0;
    while (m_in->nextElement()) {
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_append(v, &child, nullptr))
                return avroFailed(rc);
            childPtr = &child;
        }
        pushIndex(index++);
        const bool ok = write(*n.items, childPtr);
        pop();
        if (!ok)
            return false;
    }
    return !m_in->hasError() || readerFailed();
}

bool AvroJsonEncoder::writeMap(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Object)
        return mismatch(n, k);
    if (!m_in->beginObject())
        return readerFailed();
    if (v)
        m_bound += 11;
    QByteArrayView key;
    while (m_in->nextMemberView(key, m_scratch)) {
        const JsonReader::Mark keyAt = m_in->lastMemberMark();
        if (key.contains('\0'))
            return fail(keyAt,
                        QStringLiteral("map key %1 contains U+0000, which avro-c cannot write").arg(quoted(key)));
        pushKey(key);
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            m_text.resize(key.size());
            std::memcpy(m_text.data(), key.data(), std::size_t(key.size()));
            int isNew = 0;
            if (const int rc = avro_value_add(v, m_text.constData(), &child, nullptr, &isNew))
                return avroFailed(rc);
            if (!isNew) {
                pop();
                return fail(keyAt, QStringLiteral("key %1 appears twice").arg(quoted(m_text)));
            }
            m_bound += key.size() + 10;
            childPtr = &child;
        }
        const bool ok = write(*n.items, childPtr);
        pop();
        if (!ok)
            return false;
    }
    return !m_in->hasError() || readerFailed();
}

int AvroJsonEncoder::taggedBranch(const AvroNode &n)
{
    const JsonReader::Checkpoint start = m_in->checkpoint();
    int found = -1;
    QByteArrayView name;
    if (m_in->beginObject() && m_in->nextMemberView(name, m_scratch)) {
        // A branch's own name first (the union has no two branches of one name), then a named type's short name
        // when only one branch has it.
        for (std::size_t b = 0; b < n.branches.size() && found < 0; ++b) {
            const AvroNode &branch = *n.branches[b];
            if (branch.isNamed() ? branch.fullName == name : name == AvroNode::typeName(branch.type))
                found = int(b);
        }
        for (std::size_t b = 0; b < n.branches.size() && found < 0 && found != -2; ++b) {
            if (n.branches[b]->isNamed() && n.branches[b]->isNamedBy(name)) {
                for (std::size_t other = b + 1; other < n.branches.size(); ++other) {
                    if (n.branches[other]->isNamed() && n.branches[other]->isNamedBy(name))
                        found = -2;
                }
                if (found != -2)
                    found = int(b);
            }
        }
        if (found >= 0) {
            QByteArrayView next;
            if (!m_in->skipValue() || m_in->nextMemberView(next, m_scratch) || m_in->hasError())
                found = -1; // not a single member: a plain object
        }
    }
    m_in->rewind(start);
    return found < 0 ? -1 : found;
}

bool AvroJsonEncoder::writeBranch(const AvroNode &n, int branch, avro_value_t *v)
{
    avro_value_t child;
    avro_value_t *childPtr = nullptr;
    if (v) {
        if (const int rc = avro_value_set_branch(v, branch, &child))
            return avroFailed(rc);
        m_bound += 10;
        childPtr = &child;
    }
    return write(*n.branches[std::size_t(branch)], childPtr);
}

bool AvroJsonEncoder::writeUnion(const AvroNode &n, avro_value_t *v)
{
    if (m_defaultMode)
        return writeBranch(n, 0, v); // the specification: a union's default is a value of its first branch
    const Kind k = m_in->peek();
    if (k == Kind::Object) {
        const int tagged = taggedBranch(n);
        if (tagged >= 0) {
            QByteArrayView name;
            if (!m_in->beginObject() || !m_in->nextMemberView(name, m_scratch))
                return readerFailed();
            if (!writeBranch(n, tagged, v))
                return false;
            if (m_in->nextMemberView(name, m_scratch) || m_in->hasError())
                return readerFailed();
            return true;
        }
    }
    int first = -1, count = 0;
    for (std::size_t b = 0; b < n.branches.size(); ++b) {
        if (accepts(*n.branches[b], k)) {
            if (first < 0)
                first = int(b);
            ++count;
        }
    }
    if (count == 0)
        return mismatch(n, k);
    if (count == 1)
        return writeBranch(n, first, v);

    // Several branches take this kind of JSON value: the first that the whole value fits.
    const JsonReader::Mark at = m_in->mark();
    int chosen = -1;
    Failure closest;
    for (std::size_t b = std::size_t(first); b < n.branches.size(); ++b) {
        if (!accepts(*n.branches[b], k))
            continue;
        Failure failure;
        if (fits(*n.branches[b], &failure)) {
            chosen = int(b);
            break;
        }
        if (!closest.failed || failure.offset > closest.offset)
            closest = std::move(failure);
    }
    if (chosen < 0) {
        if (!m_failure.failed) {
            m_failure = std::move(closest);
            m_failure.text += QStringLiteral(" (no branch of %1 fits)").arg(n.describe());
        }
        return false;
    }
    const AvroNode &winner = *n.branches[std::size_t(chosen)];
    if (isDistinctType(winner)) {
        for (std::size_t b = std::size_t(chosen) + 1; b < n.branches.size(); ++b) {
            const AvroNode &other = *n.branches[b];
            if (isDistinctType(other) && accepts(other, k) && fits(other))
                return fail(at, QStringLiteral("the value fits both %1 and %2 of %3: write it tagged, as "
                                               "{\"%4\": ...}")
                                    .arg(winner.describe(), other.describe(), n.describe(),
                                         QString::fromUtf8(winner.branchName())));
        }
    }
    return writeBranch(n, chosen, v);
}

bool AvroJsonEncoder::fits(const AvroNode &n, Failure *failure)
{
    const JsonReader::Checkpoint start = m_in->checkpoint();
    Failure saved = std::move(m_failure);
    m_failure = Failure{};
    const std::size_t depth = m_depth;
    const std::size_t seen = m_seen.size();
    const bool ok = write(n, nullptr);
    if (failure)
        *failure = std::move(m_failure);
    m_failure = std::move(saved);
    m_depth = depth;
    m_seen.resize(seen);
    m_in->rewind(start);
    return ok;
}

bool AvroJsonEncoder::fail(const JsonReader::Mark &at, const QString &text)
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = text;
        m_failure.path = pathText();
        m_failure.line = at.line;
        m_failure.column = m_in->column(at);
        m_failure.offset = m_in->position();
    }
    return false;
}

bool AvroJsonEncoder::mismatch(const AvroNode &n, Kind got)
{
    if (got == Kind::Invalid && m_in->hasError())
        return readerFailed();
    return fail(m_in->mark(), QStringLiteral("expected %1, got %2").arg(expectation(n), JsonReader::describe(got)));
}

bool AvroJsonEncoder::readerFailed()
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = m_in->hasError() ? m_in->errorText() : QStringLiteral("invalid JSON");
        m_failure.path = pathText();
        m_failure.line = m_in->errorLine();
        m_failure.column = m_in->errorColumn();
        m_failure.offset = m_in->position();
    }
    return false;
}

bool AvroJsonEncoder::avroFailed(int code)
{
    const auto lock = lockAvroErrors();
    return fail(
        m_in->mark(),
        QStringLiteral("avro-c failed (%1): %2").arg(QString::fromLocal8Bit(std::strerror(code)), avroErrorText()));
}

void AvroJsonEncoder::pushField(const QByteArray *name)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = name;
    s.index = -1;
}

void AvroJsonEncoder::pushIndex(qint64 index)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = index;
}

void AvroJsonEncoder::pushKey(QByteArrayView key)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = -1;
    s.key.resize(key.size());
    if (!key.isEmpty())
        std::memcpy(s.key.data(), key.data(), std::size_t(key.size()));
}

QString AvroJsonEncoder::pathText() const
{
    // A path hundreds of levels deep helps nobody: its start and its end are kept.
    constexpr std::size_t Ends = 12;
    QString out = QStringLiteral("$");
    for (std::size_t i = 0; i < m_depth; ++i) {
        if (m_depth > 2 * Ends + 1 && i == Ends) {
            out += QStringLiteral("...(%1 more)...").arg(m_depth - 2 * Ends);
            i = m_depth - Ends - 1;
            continue;
        }
        const PathSegment &s = m_path[i];
        if (s.field) {
            out += QLatin1Char('.') + QString::fromUtf8(*s.field);
        } else if (s.index >= 0) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
        } else {
            bool plain = !s.key.isEmpty();
            for (qsizetype c = 0; c < s.key.size() && plain; ++c) {
                const char ch = s.key[c];
                plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
                        (c > 0 && ch >= '0' && ch <= '9');
            }
            if (plain) {
                out += QLatin1Char('.') + QString::fromLatin1(s.key);
            } else {
                QString key = QString::fromUtf8(s.key);
                key.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
                out += QLatin1String("[\"") + key + QLatin1String("\"]");
            }
        }
    }
    return out;
}

Error AvroJsonEncoder::error() const
{
    return Error(m_failure.text, {}, m_failure.line, m_failure.column, m_failure.path);
}

} // namespace kbatch::core

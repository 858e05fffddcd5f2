#include "AvroSamples.h"

#include "AvroLogical.h"
#include "core/format/JsonReader.h"
#include "core/format/JsonWriter.h"
#include "core/generate/Random.h"

#include <QSet>

#include <charconv>
#include <cstdio>

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

// Past this depth recursive types take their way out (null, empty collections).
constexpr int CutOffDepth = 6;
// A type that cannot end (a record that holds itself with no null branch) has no finite value: give up here.
constexpr int MaxDepth = 64;
// The JSON text one sample may grow to before its collections stay empty.
constexpr qsizetype MaxSampleBytes = qsizetype(1) << 20;
// Past this, every value left is null (see Maker::value()).
constexpr qsizetype MaxSampleHardBytes = qsizetype(8) << 20;

// The only branch besides null, or null when the union has other branches (or none).
const AvroNode *nullableOther(const AvroNode &u)
{
    const AvroNode *other = nullptr;
    for (const AvroNode *b : u.branches) {
        if (b->type == Type::Null)
            continue;
        if (other)
            return nullptr;
        other = b;
    }
    return other;
}

bool hasNullBranch(const AvroNode &u)
{
    for (const AvroNode *b : u.branches) {
        if (b->type == Type::Null)
            return true;
    }
    return false;
}

class Maker
{
public:
    explicit Maker(Random *random) : m_random(random) {}

    void value(const AvroNode &n, QByteArray &out)
    {
        // Past the hard bound (a schema whose smallest value is huge: named records that each hold several of the
        // next), the rest is null: the sample then does not fit and encoding it names the field, instead of the
        // sample taking minutes and gigabytes.
        if (m_depth >= MaxDepth || out.size() > MaxSampleHardBytes) {
            out.append("null");
            return;
        }
        ++m_depth;
        switch (n.type) {
        case Type::Null:
            out.append("null");
            break;
        case Type::Boolean:
            out.append(m_random && m_random->below(2) ? "true" : "false");
            break;
        case Type::Int:
        case Type::Long:
            integer(n, out);
            break;
        case Type::Float:
        case Type::Double:
            floating(n, out);
            break;
        case Type::Bytes:
        case Type::Fixed:
            bytes(n, out);
            break;
        case Type::String:
            string(n, out);
            break;
        case Type::Enum:
            appendJsonString(out, n.symbols[m_random ? std::size_t(m_random->below(n.symbols.size())) : 0]);
            break;
        case Type::Record:
            record(n, out);
            break;
        case Type::Array:
        case Type::Map:
            collection(n, out);
            break;
        case Type::Union:
            unionValue(n, out);
            break;
        }
        --m_depth;
    }

private:
    bool recursing() const { return m_depth > CutOffDepth && !m_open.isEmpty(); }

    void integer(const AvroNode &n, QByteArray &out)
    {
        const bool isInt = n.type == Type::Int;
        if (!m_random) {
            switch (n.logical) {
            case Logical::Date:
                AvroLogical::appendDate(out, 0);
                return;
            case Logical::TimeMillis:
                AvroLogical::appendTime(out, 0, 1000);
                return;
            case Logical::TimeMicros:
                AvroLogical::appendTime(out, 0, 1000000);
                return;
            case Logical::TimestampMillis:
            case Logical::LocalTimestampMillis:
                AvroLogical::appendTimestamp(out, 0, 1000, n.logical == Logical::LocalTimestampMillis);
                return;
            case Logical::TimestampMicros:
            case Logical::LocalTimestampMicros:
                AvroLogical::appendTimestamp(out, 0, 1000000, n.logical == Logical::LocalTimestampMicros);
                return;
            default:
                out.append('0');
                return;
            }
        }
        // 2000-01-01 to 2040-01-01, in seconds.
        const std::int64_t from = 946684800, span = 1262304000;
        const auto seconds = std::int64_t(m_random->below(span)) + from;
        switch (n.logical) {
        case Logical::Date:
            AvroLogical::appendDate(out, std::int32_t(seconds / 86400));
            return;
        case Logical::TimeMillis:
            AvroLogical::appendTime(out, std::int64_t(m_random->below(86400000)), 1000);
            return;
        case Logical::TimeMicros:
            AvroLogical::appendTime(out, std::int64_t(m_random->below(86400000000ull)), 1000000);
            return;
        case Logical::TimestampMillis:
        case Logical::LocalTimestampMillis:
            AvroLogical::appendTimestamp(out, seconds * 1000 + std::int64_t(m_random->below(1000)), 1000,
                                         n.logical == Logical::LocalTimestampMillis);
            return;
        case Logical::TimestampMicros:
        case Logical::LocalTimestampMicros:
            AvroLogical::appendTimestamp(out, seconds * 1000000 + std::int64_t(m_random->below(1000000)), 1000000,
                                         n.logical == Logical::LocalTimestampMicros);
            return;
        default:
            break;
        }
        std::int64_t v = 0;
        switch (m_random->below(8)) {
        case 0: // anywhere in range
            v = isInt ? std::int64_t(std::int32_t(std::uint32_t(m_random->next()))) : std::int64_t(m_random->next());
            break;
        case 1:
            v = isInt ? (m_random->below(2) ? INT32_MAX : INT32_MIN) : (m_random->below(2) ? INT64_MAX : INT64_MIN);
            break;
        default:
            v = std::int64_t(m_random->below(2000)) - 1000;
        }
        out.append(QByteArray::number(qint64(v)));
    }

    void floating(const AvroNode &n, QByteArray &out)
    {
        if (!m_random) {
            out.append("0.0");
            return;
        }
        const double d = double(std::int64_t(m_random->below(2000000)) - 1000000) / 100.0;
        char buf[64];
        const auto [end, ec] = n.type == Type::Float ? std::to_chars(buf, buf + sizeof buf, float(d))
                                                     : std::to_chars(buf, buf + sizeof buf, d);
        out.append(buf, ec == std::errc() ? end - buf : 0);
    }

    void bytes(const AvroNode &n, QByteArray &out)
    {
        if (n.logical == Logical::Decimal) {
            // Up to 18 digits (or the precision), the last `scale` of them after the point.
            QByteArray digits;
            const int count = m_random ? 1 + int(m_random->below(std::uint64_t(std::min(n.precision, 18)))) : 1;
            for (int i = 0; i < count; ++i)
                digits.append(char('0' + (m_random ? m_random->below(10) : 0)));
            if (digits.size() <= n.scale)
                digits.prepend(QByteArray(n.scale + 1 - digits.size(), '0'));
            out.append('"');
            if (m_random && m_random->below(2))
                out.append('-');
            out.append(digits.left(digits.size() - n.scale));
            if (n.scale > 0)
                out.append(QByteArray('.' + digits.right(n.scale)));
            out.append('"');
            return;
        }
        QByteArray raw;
        const qint64 size = n.type == Type::Fixed ? n.size : (m_random ? qint64(m_random->below(9)) : 0);
        raw.reserve(qsizetype(size));
        for (qint64 i = 0; i < size; ++i)
            raw.append(char(m_random ? m_random->below(256) : 0));
        AvroLogical::appendBytes(out, raw);
    }

    void string(const AvroNode &n, QByteArray &out)
    {
        if (n.logical == Logical::Uuid) {
            static const char hex[] = "0123456789abcdef";
            QByteArray u(36, '0');
            for (int i = 0; i < 36; ++i) {
                if (i == 8 || i == 13 || i == 18 || i == 23)
                    u[i] = '-';
                else if (m_random)
                    u[i] = hex[m_random->below(16)];
            }
            if (m_random) {
                u[14] = '4';                         // version 4
                u[19] = hex[8 + m_random->below(4)]; // variant 10xx
            }
            appendJsonString(out, u);
            return;
        }
        if (!m_random) {
            out.append("\"\"");
            return;
        }
        static const char *const extras[] = {"é", "ß", "€", "日本", " ", "\"", "\\"};
        QByteArray s;
        const auto length = 1 + m_random->below(12);
        for (std::uint64_t i = 0; i < length; ++i) {
            if (m_random->below(16) == 0)
                s.append(extras[m_random->below(std::size(extras))]);
            else
                s.append(char('a' + m_random->below(26)));
        }
        appendJsonString(out, s);
    }

    void record(const AvroNode &n, QByteArray &out)
    {
        m_open.insert(&n);
        out.append('{');
        for (std::size_t i = 0; i < n.fields.size(); ++i) {
            const AvroNode::Field &f = n.fields[i];
            if (i)
                out.append(',');
            appendJsonString(out, f.name);
            out.append(':');
            if (!m_random && f.hasDefault)
                defaultValue(f, out);
            else
                value(*f.type, out);
        }
        out.append('}');
        m_open.remove(&n);
    }

    // A default is written in Avro's JSON encoding: a union's default is a value of its first branch, a decimal's
    // is its bytes as characters. A row takes the forms AvroJsonEncoder reads, so convert: unions tagged where the
    // plain form could be read as another branch, decimals as their text.
    void defaultValue(const AvroNode::Field &f, QByteArray &out)
    {
        JsonReader reader(f.defaultJson);
        if (!convertDefault(*f.type, reader, out))
            out.append(f.defaultJson); // checked when the schema was compiled: not reached
    }

    bool convertDefault(const AvroNode &n, JsonReader &r, QByteArray &out)
    {
        switch (n.type) {
        case Type::Union: {
            const AvroNode &first = *n.branches.front();
            if (first.type == Type::Null || nullableOther(n))
                return convertDefault(first, r, out);
            out.append('{');
            appendJsonString(out, first.branchName());
            out.append(':');
            const bool ok = convertDefault(first, r, out);
            out.append('}');
            return ok;
        }
        case Type::Record:
        case Type::Map: {
            if (!r.beginObject())
                return false;
            out.append('{');
            QByteArray name;
            bool firstMember = true;
            while (r.nextMember(name)) {
                const AvroNode *inner = n.items;
                if (n.type == Type::Record) {
                    const int i = n.fieldIndex(name, 0);
                    if (i < 0)
                        return false;
                    inner = n.fields[std::size_t(i)].type;
                }
                if (!firstMember)
                    out.append(',');
                firstMember = false;
                appendJsonString(out, name);
                out.append(':');
                if (!convertDefault(*inner, r, out))
                    return false;
            }
            out.append('}');
            return !r.hasError();
        }
        case Type::Array: {
            if (!r.beginArray())
                return false;
            out.append('[');
            bool firstElement = true;
            while (r.nextElement()) {
                if (!firstElement)
                    out.append(',');
                firstElement = false;
                if (!convertDefault(*n.items, r, out))
                    return false;
            }
            out.append(']');
            return !r.hasError();
        }
        case Type::Bytes:
        case Type::Fixed:
            if (n.logical == Logical::Decimal && r.peek() == JsonReader::Kind::String) {
                QByteArray text, bytes;
                if (!r.readString(text) || !AvroLogical::bytesFromCharacters(text, bytes))
                    return false;
                out.append('"');
                const bool ok = AvroLogical::appendDecimal(out, bytes, n.scale);
                out.append('"');
                return ok;
            }
            return r.copyCompact(out);
        default:
            return r.copyCompact(out);
        }
    }

    void collection(const AvroNode &n, QByteArray &out)
    {
        const bool isMap = n.type == Type::Map;
        out.append(isMap ? '{' : '[');
        const std::uint64_t count = m_random && !recursing() ? m_random->below(4) : 0;
        // Collections nested in collections multiply (3 items a level, 64 levels): past the budget they stay empty,
        // so a sample costs at most about MaxSampleBytes whatever the schema.
        for (std::uint64_t i = 0; i < count && out.size() < MaxSampleBytes; ++i) {
            if (i)
                out.append(',');
            if (isMap) {
                appendJsonString(out, QByteArray("k" + QByteArray::number(i) + char('a' + m_random->below(26))));
                out.append(':');
            }
            value(*n.items, out);
        }
        out.append(isMap ? '}' : ']');
    }

    void unionValue(const AvroNode &n, QByteArray &out)
    {
        const bool cut = recursing() || m_depth >= MaxDepth - 8;
        if (cut && hasNullBranch(n)) {
            out.append("null");
            return;
        }
        const AvroNode *other = nullableOther(n);
        const AvroNode *branch = nullptr;
        if (!m_random) {
            branch = other ? other : n.branches.front();
            // A type that contains itself: the second time round take the way out.
            if (branch->type == Type::Record && m_open.contains(branch) && hasNullBranch(n)) {
                out.append("null");
                return;
            }
        } else {
            branch = n.branches[std::size_t(m_random->below(n.branches.size()))];
        }
        if (branch->type == Type::Null) {
            out.append("null");
            return;
        }
        if (other) {
            value(*branch, out);
            return;
        }
        out.append('{');
        appendJsonString(out, branch->branchName());
        out.append(':');
        value(*branch, out);
        out.append('}');
    }

    Random *m_random;
    QSet<const AvroNode *> m_open;
    int m_depth = 0;
};

} // namespace

QByteArray AvroSamples::skeleton(const AvroNode &root)
{
    QByteArray out;
    Maker(nullptr).value(root, out);
    return out;
}

QByteArray AvroSamples::randomValue(const AvroNode &root, Random &random)
{
    QByteArray out;
    Maker(&random).value(root, out);
    return out;
}

} // namespace kbatch::core

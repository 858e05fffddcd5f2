#include "AvroJsonDecoder.h"

#include "AvroDatumCheck.h"
#include "AvroHandles.h"
#include "AvroLogical.h"
#include "core/format/JsonWriter.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

template <typename F> void appendFloating(QByteArray &out, F value)
{
    if (std::isnan(value)) {
        out.append("\"NaN\"");
    } else if (std::isinf(value)) {
        out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
        char buf[64];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        out.append(buf, ec == std::errc() ? end - buf : 0);
    }
}

class Writer
{
public:
    bool value(const AvroNode &n, avro_value_t *v, QByteArray &out)
    {
        switch (n.type) {
        case Type::Null:
            out.append("null");
            return true;
        case Type::Boolean: {
            int b = 0;
            if (avro_value_get_boolean(v, &b))
                return false;
            out.append(b ? "true" : "false");
            return true;
        }
        case Type::Int: {
            std::int32_t i = 0;
            if (avro_value_get_int(v, &i))
                return false;
            if (n.logical == Logical::Date)
                AvroLogical::appendDate(out, i);
            else if (n.logical == Logical::TimeMillis)
                AvroLogical::appendTime(out, i, 1000);
            else
                out.append(QByteArray::number(i));
            return true;
        }
        case Type::Long: {
            std::int64_t l = 0;
            if (avro_value_get_long(v, &l))
                return false;
            switch (n.logical) {
            case Logical::TimeMicros:
                AvroLogical::appendTime(out, l, 1000000);
                break;
            case Logical::TimestampMillis:
            case Logical::LocalTimestampMillis:
                AvroLogical::appendTimestamp(out, l, 1000, n.logical == Logical::LocalTimestampMillis);
                break;
            case Logical::TimestampMicros:
            case Logical::LocalTimestampMicros:
                AvroLogical::appendTimestamp(out, l, 1000000, n.logical == Logical::LocalTimestampMicros);
                break;
            default:
                out.append(QByteArray::number(qint64(l)));
            }
            return true;
        }
        case Type::Float: {
            float f = 0;
            if (avro_value_get_float(v, &f))
                return false;
            appendFloating(out, f);
            return true;
        }
        case Type::Double: {
            double d = 0;
            if (avro_value_get_double(v, &d))
                return false;
            appendFloating(out, d);
            return true;
        }
        case Type::Bytes:
        case Type::Fixed: {
            const void *buf = nullptr;
            std::size_t size = 0;
            if (n.type == Type::Bytes ? avro_value_get_bytes(v, &buf, &size) : avro_value_get_fixed(v, &buf, &size))
                return false;
            const QByteArrayView bytes(static_cast<const char *>(buf), qsizetype(size));
            if (n.logical == Logical::Decimal) {
                out.append('"');
                if (!AvroLogical::appendDecimal(out, bytes, n.scale)) {
                    m_error = QStringLiteral("a decimal of %1 bytes is longer than KBatch shows").arg(size);
                    return false;
                }
                out.append('"');
            } else {
                AvroLogical::appendBytes(out, bytes);
            }
            return true;
        }
        case Type::String: {
            const char *s = nullptr;
            std::size_t size = 0;
            if (avro_value_get_string(v, &s, &size))
                return false;
            appendJsonString(out, QByteArrayView(s, size > 0 ? qsizetype(size) - 1 : 0));
            return true;
        }
        case Type::Enum: {
            int symbol = 0;
            if (avro_value_get_enum(v, &symbol) || symbol < 0 || std::size_t(symbol) >= n.symbols.size())
                return false;
            appendJsonString(out, n.symbols[std::size_t(symbol)]);
            return true;
        }
        case Type::Record: {
            out.append('{');
            for (std::size_t i = 0; i < n.fields.size(); ++i) {
                avro_value_t child;
                if (avro_value_get_by_index(v, i, &child, nullptr))
                    return false;
                if (i)
                    out.append(',');
                appendJsonString(out, n.fields[i].name);
                out.append(':');
                if (!value(*n.fields[i].type, &child, out))
                    return false;
            }
            out.append('}');
            return true;
        }
        case Type::Array:
        case Type::Map: {
            const bool isMap = n.type == Type::Map;
            std::size_t size = 0;
            if (avro_value_get_size(v, &size))
                return false;
            out.append(isMap ? '{' : '[');
            for (std::size_t i = 0; i < size; ++i) {
                avro_value_t child;
                const char *key = nullptr;
                if (avro_value_get_by_index(v, i, &child, isMap ? &key : nullptr))
                    return false;
                if (i)
                    out.append(',');
                if (isMap) {
                    appendJsonString(out, QByteArrayView(key, qsizetype(std::strlen(key))));
                    out.append(':');
                }
                if (!value(*n.items, &child, out))
                    return false;
            }
            out.append(isMap ? '}' : ']');
            return true;
        }
        case Type::Union: {
            int discriminant = -1;
            avro_value_t branch;
            if (avro_value_get_discriminant(v, &discriminant) || discriminant < 0 ||
                std::size_t(discriminant) >= n.branches.size() || avro_value_get_current_branch(v, &branch))
                return false;
            const AvroNode &b = *n.branches[std::size_t(discriminant)];
            if (b.type == Type::Null) {
                out.append("null");
                return true;
            }
            out.append('{');
            appendJsonString(out, b.branchName());
            out.append(':');
            if (!value(b, &branch, out))
                return false;
            out.append('}');
            return true;
        }
        }
        return false;
    }

    QString m_error;
};

} // namespace

Result<QByteArray> AvroJsonDecoder::decode(QByteArrayView datum) const
{
    const Status checked = AvroDatumCheck::check(m_schema->root(), datum);
    if (!checked)
        return checked.error();
    // The value is made here, not kept: decoding is not on any hot path, and a fresh value holds no earlier row.
    const auto lock = lockAvroErrors();
    AvroValue value;
    if (!value.create(m_schema->valueClass()))
        return Error(QStringLiteral("avro-c cannot make a value: %1").arg(avroErrorText()));
    static const char nothing = 0;
    AvroReaderRef reader(avro_reader_memory(datum.isEmpty() ? &nothing : datum.data(), datum.size()));
    if (!reader)
        return Error(QStringLiteral("avro-c cannot make a reader: %1").arg(avroErrorText()));
    if (avro_value_read(reader.get(), value.get()) != 0)
        return Error(QStringLiteral("avro-c cannot read the value: %1").arg(avroErrorText()));
    QByteArray out;
    out.reserve(datum.size() * 2 + 16);
    Writer writer;
    if (!writer.value(m_schema->root(), value.get(), out)) {
        if (!writer.m_error.isEmpty())
            return Error(writer.m_error);
        return Error(QStringLiteral("avro-c cannot give the value back: %1").arg(avroErrorText()));
    }
    return out;
}

} // namespace kbatch::core

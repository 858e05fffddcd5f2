#include "AvroDatumCheck.h"

#include "core/format/JsonReader.h"

#include <cstdint>

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;

class Checker
{
public:
    explicit Checker(QByteArrayView datum) : m_data(datum) {}

    bool value(const AvroNode &n)
    {
        if (++m_level > AvroDatumCheck::MaxDepth) {
            fail(QStringLiteral("values nest more than %1 levels deep").arg(AvroDatumCheck::MaxDepth));
            return false;
        }
        const bool ok = dispatch(n);
        --m_level;
        return ok;
    }

    bool atEnd()
    {
        if (m_pos == m_data.size())
            return true;
        m_error = QStringLiteral("%1 bytes left after the value").arg(m_data.size() - m_pos);
        return false;
    }

    const QString &error() const { return m_error; }

private:
    bool fail(const QString &text)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("byte %1: %2").arg(m_pos).arg(text);
        return false;
    }

    bool varint(std::int64_t &out, const char *what)
    {
        std::uint64_t raw = 0;
        for (int i = 0; i < 10; ++i) {
            if (m_pos >= m_data.size())
                return fail(QStringLiteral("the input ends inside %1").arg(QLatin1String(what)));
            const auto b = static_cast<std::uint8_t>(m_data[m_pos++]);
            if (i == 9 && b > 1)
                return fail(QStringLiteral("%1 is longer than 64 bits").arg(QLatin1String(what)));
            raw |= std::uint64_t(b & 0x7f) << (7 * i);
            if (!(b & 0x80)) {
                out = static_cast<std::int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
                return true;
            }
        }
        return fail(QStringLiteral("%1 is longer than 10 bytes").arg(QLatin1String(what)));
    }

    bool take(qint64 n, const char *what)
    {
        if (n < 0)
            return fail(QStringLiteral("%1 has a negative length (%2)").arg(QLatin1String(what)).arg(n));
        if (n > m_data.size() - m_pos)
            return fail(QStringLiteral("%1 of %2 bytes runs past the end of the %3 bytes")
                            .arg(QLatin1String(what))
                            .arg(n)
                            .arg(m_data.size()));
        m_pos += qsizetype(n);
        return true;
    }

    bool text(const char *what)
    {
        std::int64_t len = 0;
        if (!varint(len, what))
            return false;
        const qsizetype start = m_pos;
        if (!take(len, what))
            return false;
        if (!JsonReader::isValidUtf8(m_data.sliced(start, qsizetype(len)))) {
            m_pos = start;
            return fail(QStringLiteral("%1 is not valid UTF-8").arg(QLatin1String(what)));
        }
        return true;
    }

    bool blocks(const AvroNode &n, bool isMap)
    {
        const char *what = isMap ? "a map block count" : "an array block count";
        for (;;) {
            std::int64_t count = 0;
            if (!varint(count, what))
                return false;
            if (count == 0)
                return true;
            if (count < 0) {
                if (count == INT64_MIN)
                    return fail(QStringLiteral("%1 is out of range").arg(QLatin1String(what)));
                count = -count;
                std::int64_t blockBytes = 0;
                if (!varint(blockBytes, "a block size"))
                    return false;
            }
            for (std::int64_t i = 0; i < count; ++i) {
                const qsizetype before = m_pos;
                if (isMap) {
                    const qsizetype keyStart = m_pos;
                    if (!text("a map key"))
                        return false;
                    if (m_data.sliced(keyStart, m_pos - keyStart).contains('\0')) {
                        m_pos = keyStart;
                        return fail(QStringLiteral("a map key holds a NUL byte, which avro-c cannot read"));
                    }
                }
                if (!value(*n.items))
                    return false;
                if (m_pos == before && ++m_empty > AvroDatumCheck::MaxEmptyElements)
                    return fail(
                        QStringLiteral("more than %1 elements of no bytes").arg(AvroDatumCheck::MaxEmptyElements));
            }
        }
    }

    bool dispatch(const AvroNode &n)
    {
        std::int64_t v = 0;
        switch (n.type) {
        case Type::Null:
            return true;
        case Type::Boolean:
            if (m_pos >= m_data.size())
                return fail(QStringLiteral("the input ends before a boolean"));
            if (static_cast<std::uint8_t>(m_data[m_pos]) > 1)
                return fail(
                    QStringLiteral("a boolean is 0 or 1, not %1").arg(static_cast<std::uint8_t>(m_data[m_pos])));
            ++m_pos;
            return true;
        case Type::Int:
            if (!varint(v, "an int"))
                return false;
            if (v < INT32_MIN || v > INT32_MAX)
                return fail(QStringLiteral("%1 is out of range for an int").arg(v));
            return true;
        case Type::Long:
            return varint(v, "a long");
        case Type::Float:
            return take(4, "a float");
        case Type::Double:
            return take(8, "a double");
        case Type::Bytes:
            return varint(v, "a bytes length") && take(v, "bytes");
        case Type::String:
            return text("a string");
        case Type::Fixed:
            return take(n.size, "a fixed");
        case Type::Enum:
            if (!varint(v, "an enum index"))
                return false;
            if (v < 0 || v >= qint64(n.symbols.size()))
                return fail(QStringLiteral("symbol %1 of %2 does not exist").arg(v).arg(n.describe()));
            return true;
        case Type::Union:
            if (!varint(v, "a union branch"))
                return false;
            if (v < 0 || v >= qint64(n.branches.size()))
                return fail(QStringLiteral("branch %1 of %2 does not exist").arg(v).arg(n.describe()));
            return value(*n.branches[std::size_t(v)]);
        case Type::Record:
            for (const AvroNode::Field &f : n.fields) {
                if (!value(*f.type))
                    return false;
            }
            return true;
        case Type::Array:
            return blocks(n, false);
        case Type::Map:
            return blocks(n, true);
        }
        return fail(QStringLiteral("unknown type"));
    }

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    qint64 m_empty = 0;
    int m_level = 0;
    QString m_error;
};

} // namespace

Status AvroDatumCheck::check(const AvroNode &root, QByteArrayView datum)
{
    Checker checker(datum);
    if (!checker.value(root) || !checker.atEnd())
        return Error(checker.error());
    return Ok{};
}

} // namespace kbatch::core

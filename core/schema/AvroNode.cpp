// AvroNode's own functions: names and descriptions for messages, and the look-ups the encoder makes per value.

#include "AvroSchema.h"

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

const char *logicalName(Logical l)
{
    switch (l) {
    case Logical::None:
        return "";
    case Logical::Decimal:
        return "decimal";
    case Logical::Uuid:
        return "uuid";
    case Logical::Date:
        return "date";
    case Logical::TimeMillis:
        return "time-millis";
    case Logical::TimeMicros:
        return "time-micros";
    case Logical::TimestampMillis:
        return "timestamp-millis";
    case Logical::TimestampMicros:
        return "timestamp-micros";
    case Logical::LocalTimestampMillis:
        return "local-timestamp-millis";
    case Logical::LocalTimestampMicros:
        return "local-timestamp-micros";
    }
    return "";
}

} // namespace

const char *AvroNode::typeName(Type t)
{
    switch (t) {
    case Type::Null:
        return "null";
    case Type::Boolean:
        return "boolean";
    case Type::Int:
        return "int";
    case Type::Long:
        return "long";
    case Type::Float:
        return "float";
    case Type::Double:
        return "double";
    case Type::Bytes:
        return "bytes";
    case Type::String:
        return "string";
    case Type::Record:
        return "record";
    case Type::Enum:
        return "enum";
    case Type::Array:
        return "array";
    case Type::Map:
        return "map";
    case Type::Union:
        return "union";
    case Type::Fixed:
        return "fixed";
    }
    return "?";
}

QByteArray AvroNode::branchName() const
{
    return isNamed() ? fullName : QByteArray(typeName(type));
}

bool AvroNode::isNamedBy(QByteArrayView tag) const
{
    if (!isNamed())
        return tag == typeName(type);
    if (tag == fullName)
        return true;
    const qsizetype dot = fullName.lastIndexOf('.');
    return dot >= 0 && tag == QByteArrayView(fullName).sliced(dot + 1);
}

QString AvroNode::describe() const
{
    if (logical != Logical::None)
        return QString::fromLatin1(logicalName(logical));
    switch (type) {
    case Type::Record:
    case Type::Enum:
    case Type::Fixed:
        return QString::fromLatin1(typeName(type)) + QLatin1Char(' ') + QString::fromUtf8(fullName);
    case Type::Array:
        return QStringLiteral("array of ") + items->describe();
    case Type::Map:
        return QStringLiteral("map of ") + items->describe();
    case Type::Union: {
        QString out = QStringLiteral("union [");
        for (std::size_t i = 0; i < branches.size(); ++i) {
            if (i)
                out += QLatin1String(", ");
            out += QString::fromUtf8(branches[i]->branchName());
        }
        return out + QLatin1Char(']');
    }
    default:
        return QString::fromLatin1(typeName(type));
    }
}

int AvroNode::fieldIndex(QByteArrayView name, int hint) const
{
    // Called for every member of every row: sizes first, then memcmp, without QByteArray's out-of-line compare.
    const auto same = [&name](const QByteArray &field) {
        return field.size() == name.size() &&
               std::memcmp(field.constData(), name.data(), std::size_t(name.size())) == 0;
    };
    const int n = int(fields.size());
    if (hint >= 0 && hint < n && same(fields[std::size_t(hint)].name))
        return hint;
    for (int i = 0; i < n; ++i) {
        if (same(fields[std::size_t(i)].name))
            return i;
    }
    return -1;
}

int AvroNode::symbolIndex(QByteArrayView symbol) const
{
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        if (symbols[i] == symbol)
            return int(i);
    }
    return -1;
}

} // namespace kbatch::core

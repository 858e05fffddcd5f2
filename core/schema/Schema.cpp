#include "Schema.h"

namespace kbatch::core {

QString registryTypeName(SchemaFormat format)
{
    switch (format) {
    case SchemaFormat::Avro:
        return QStringLiteral("AVRO");
    case SchemaFormat::Protobuf:
        return QStringLiteral("PROTOBUF");
    case SchemaFormat::JsonSchema:
        return QStringLiteral("JSON");
    }
    return {};
}

std::optional<SchemaFormat> formatFromRegistryType(QStringView type)
{
    if (type.isEmpty() || type == u"AVRO")
        return SchemaFormat::Avro;
    if (type == u"PROTOBUF")
        return SchemaFormat::Protobuf;
    if (type == u"JSON")
        return SchemaFormat::JsonSchema;
    return std::nullopt;
}

QString displayName(SchemaFormat format)
{
    switch (format) {
    case SchemaFormat::Avro:
        return QStringLiteral("Avro");
    case SchemaFormat::Protobuf:
        return QStringLiteral("Protobuf");
    case SchemaFormat::JsonSchema:
        return QStringLiteral("JSON Schema");
    }
    return {};
}

std::optional<SchemaFormat> schemaFormatOf(PayloadKind kind)
{
    switch (kind) {
    case PayloadKind::Bytes:
        return std::nullopt;
    case PayloadKind::Avro:
        return SchemaFormat::Avro;
    case PayloadKind::Protobuf:
        return SchemaFormat::Protobuf;
    case PayloadKind::JsonSchema:
        return SchemaFormat::JsonSchema;
    }
    return std::nullopt;
}

} // namespace kbatch::core

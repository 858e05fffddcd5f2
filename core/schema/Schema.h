#pragma once

#include "core/model/SerializerSettings.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// The three payload formats a Schema Registry serves. One seam (PayloadCodec) takes all three; the registry client
// and the framing do not depend on the format.
enum class SchemaFormat : std::uint8_t { Avro, Protobuf, JsonSchema };

// The registry's "schemaType" for `format`: "AVRO", "PROTOBUF", "JSON".
QString registryTypeName(SchemaFormat format);
// The format a registry's "schemaType" names. Absent or empty means AVRO (the registry leaves it out for Avro);
// nullopt for a type none of the three has.
std::optional<SchemaFormat> formatFromRegistryType(QStringView type);
// "Avro", "Protobuf", "JSON Schema": for messages.
QString displayName(SchemaFormat format);
// The schema format of a registry kind; nullopt for Bytes.
std::optional<SchemaFormat> schemaFormatOf(PayloadKind kind);

// A schema as the registry serves it, or a local one not registered yet (id 0).
struct Schema
{
    int id = 0;      // the registry's schema id (Apicurio: the content id, shared across subjects); 0: unknown
    QString subject; // empty when fetched by id alone
    int version = 0; // within `subject`; 0: unknown
    SchemaFormat format = SchemaFormat::Avro;
    QByteArray text; // byte for byte as registered: registries do not canonicalise, and ids follow the bytes
    QList<SchemaReference> references;

    friend bool operator==(const Schema &, const Schema &) = default;
};

// A schema with everything its references resolve to, recursively: what a codec compiles. `referenced` lists each
// referenced schema once, every one before the schemas that refer to it, so that a compiler can define names in order.
struct ResolvedSchema
{
    Schema schema;
    QList<Schema> referenced;

    friend bool operator==(const ResolvedSchema &, const ResolvedSchema &) = default;
};

} // namespace kbatch::core

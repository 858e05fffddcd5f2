#pragma once

#include "Error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// A schema's import of another registered schema. Avro names the referenced type by its full name, Protobuf by the
// import path of its file, JSON Schema by the URL of its $ref.
struct SchemaReference
{
    QString name;
    QString subject;
    int version = 0;

    friend bool operator==(const SchemaReference &, const SchemaReference &) = default;
};

// What a key or a value is sent as: the bytes as they are, or a JSON value serialized through a Schema Registry.
enum class PayloadKind : std::uint8_t { Bytes, Avro, Protobuf, JsonSchema };

// "bytes", "avro", "protobuf", "jsonSchema": the template's names.
QString toString(PayloadKind kind);
std::optional<PayloadKind> payloadKindFromString(QStringView text);

// Whether a payload is a message's key or its value (the subject names differ: "<topic>-key", "<topic>-value").
enum class PayloadPart : std::uint8_t { Key, Value };

// How the subject of a schema is named (Confluent's SubjectNameStrategy; see SubjectName.h).
enum class SubjectNameStrategy : std::uint8_t {
    TopicName,       // "<topic>-key" / "<topic>-value": one schema per topic and part (the default)
    RecordName,      // "<fully.qualified.Name>": the record type decides, whatever the topic
    TopicRecordName, // "<topic>-<fully.qualified.Name>": several record types per topic
};

// "topicName", "recordName", "topicRecordName": the template's names.
QString toString(SubjectNameStrategy strategy);
std::optional<SubjectNameStrategy> subjectNameStrategyFromString(QStringView text);

// Which registered schema to use when the settings hold no schema text of their own.
struct VersionSelector
{
    enum class Kind : std::uint8_t {
        Latest,   // the subject's latest version, asked for once per send
        Version,  // `number` is a version of the subject
        SchemaId, // `number` is a schema id; the subject is not asked for
    };
    Kind kind = Kind::Latest;
    int number = 0;

    static VersionSelector latest() { return {}; }
    static VersionSelector version(int n) { return {Kind::Version, n}; }
    static VersionSelector schemaId(int id) { return {Kind::SchemaId, id}; }

    // "latest", "3", "id:17": the template's form.
    QString toString() const;
    // Errors: "version selector 'x': expected latest, a version number (1 or more) or id:N".
    static Result<VersionSelector> parse(QStringView text);

    friend bool operator==(const VersionSelector &, const VersionSelector &) = default;
};

// How one part (key or value) of a topic's messages is serialized. Plain data: a template stores it, the send bar
// edits it, SchemaResolver turns it into a codec and a schema id once per send.
//
// Which schema is used:
//  - `schemaText` empty: the registry's, chosen by `version` under the subject that `subjectStrategy` names.
//  - `schemaText` set and `autoRegister` on: that schema, registered under the subject (registering an existing
//    schema returns its id; a registry with compatibility checks may refuse it: 409).
//  - `schemaText` set and `autoRegister` off: that schema, which must already be registered under the subject
//    (looked up by its text, so whitespace differences do not matter); `version` is not used.
struct SerializerSettings
{
    PayloadKind kind = PayloadKind::Bytes;
    SubjectNameStrategy subjectStrategy = SubjectNameStrategy::TopicName;
    VersionSelector version;
    bool autoRegister = false; // off by default: producers that register schemas by accident are a known hazard
    // The subject as given (kbatch-cli --value-subject): overrides `subjectStrategy` when not empty.
    QString subject;
    // For the record name strategies with a registry schema: the record's full name ("com.example.Click"), which the
    // subject is named after. Empty with a local schema: its root type's name.
    QString recordName;
    QByteArray schemaText;             // a local schema (see above); empty: use the registry's
    QList<SchemaReference> references; // of `schemaText`, when it imports registered schemas

    // Protobuf. With `protoPaths` or `descriptorSet` the schema comes from files and the payload goes out unframed,
    // without a registry (sendsUnframed()); relative paths are relative to the template's directory.
    QString messageType;    // fully qualified message name; empty: the first message of the file
    QStringList protoPaths; // .proto files (the first holds the type) and import directories
    QString descriptorSet;  // a FileDescriptorSet file (protoc --descriptor_set_out), an alternative to .proto

    // Serialized (Avro, Protobuf, JSON Schema) rather than sent as the bytes written; a registry is asked unless
    // sendsUnframed().
    bool usesRegistry() const { return kind != PayloadKind::Bytes; }
    // Protobuf from local files: serialized, but neither registered nor framed, and no registry asked.
    bool sendsUnframed() const
    {
        return kind == PayloadKind::Protobuf && (!protoPaths.isEmpty() || !descriptorSet.isEmpty());
    }

    friend bool operator==(const SerializerSettings &, const SerializerSettings &) = default;
};

// A batch's serialization: its key's and its value's, each on its own (a string key with an Avro value is common).
// A template stores it; the default (both bytes) is what every template before it meant.
struct Serialization
{
    SerializerSettings key;
    SerializerSettings value;

    bool isDefault() const { return *this == Serialization(); }
    bool usesRegistry() const { return key.usesRegistry() || value.usesRegistry(); }
    friend bool operator==(const Serialization &, const Serialization &) = default;
};

} // namespace kbatch::core

#pragma once

#include "ProtobufPool.h"
#include "core/format/JsonReader.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <unordered_map>
#include <vector>

namespace google::protobuf {
class FieldDescriptor;
class Reflection;
} // namespace google::protobuf

namespace kbatch::core {

// Reads one JSON value in Protobuf's canonical JSON mapping (proto3 JSON) and writes its binary encoding straight
// from the walk, as libprotobuf's deterministic serialization writes it (fields by number, map entries by key,
// proto3 defaults left out, numeric lists packed), so that the same JSON always gives the same bytes. Neither
// libprotobuf's JSON parser (it goes through google.protobuf.Type descriptions for every row: about 40,000 rows/s)
// nor a dynamic message filled by reflection (about 100,000) comes near 500,000 rows/s. libprotobuf's parser is
// still used for the types whose JSON forms are their own little languages: Any, Struct, Value, ListValue,
// FieldMask, and proto2 groups (see needsLibrary()).
//
// What it takes, per field type (the proto3 JSON mapping):
//  message            an object; fields by their .proto name or their JSON name (lowerCamelCase or json_name);
//                     each once; an unknown field is an error; null leaves the field unset
//  repeated, map      an array; an object (keys are strings; integer and bool keys written as strings)
//  oneof              at most one member set
//  int32, sint32, sfixed32, uint32, fixed32 and the 64-bit ones
//                     a number or a string holding one, whole ("1.0" and "1e2" are whole) and in range
//  float, double      a number, a string holding one, or "NaN", "Infinity", "-Infinity"
//  bool, string       true/false; a string
//  bytes              base64 (standard or URL-safe, padding optional)
//  enum               a value's name, or its number (a proto2 enum takes only its own numbers)
//  Timestamp          RFC 3339 ("2024-05-01T10:00:00Z", "...+02:00", fractions to nanoseconds)
//  Duration           seconds with an "s" ("1.5s", "-3s")
//  wrappers           the wrapped value itself (Int32Value: 5, StringValue: "x")
// Errors name the JSON path, what was expected and what was found, and the line and column in the JSON text:
// "line 1, column 23: $.items[2].qty: expected int32, got a string". Proto2 required fields must be there.
//
// Not thread-safe: one instance per thread (ProtobufCodec keeps a pool of them).
class ProtobufJsonEncoder
{
public:
    ProtobufJsonEncoder(std::shared_ptr<const ProtobufPool> pool, const google::protobuf::Descriptor *type);
    ~ProtobufJsonEncoder();
    ProtobufJsonEncoder(const ProtobufJsonEncoder &) = delete;
    ProtobufJsonEncoder &operator=(const ProtobufJsonEncoder &) = delete;

    // Appends the binary encoding of `json` (one JSON object) to `out`. On error `out` is as it was.
    Status encode(QByteArrayView json, QByteArray &out);
    // Whether `type` reaches a well-known type that only libprotobuf's JSON parser reads (Any, Struct, ...) or a group.
    static bool needsLibrary(const google::protobuf::Descriptor *type);
    // Appends `message` serialized deterministically.
    static void appendDeterministic(const google::protobuf::Message &message, QByteArray &out);

private:
    enum class Special : std::uint8_t { None, Timestamp, Duration, Wrapper };
    struct FieldInfo
    {
        const google::protobuf::FieldDescriptor *field = nullptr;
        QByteArray name;     // as in the .proto file
        QByteArray jsonName; // lowerCamelCase or json_name
    };
    struct MessageInfo
    {
        Special special = Special::None;
        std::vector<FieldInfo> fields;
        std::vector<std::size_t> required; // proto2 required fields, indexes into `fields`
    };
    // One field's bytes in a message being written, to put the fields in number order at its end.
    struct Segment
    {
        int number = 0;
        qsizetype begin = 0, end = 0;
    };
    // A map entry's key, to put the entries in key order.
    struct MapKey
    {
        QByteArray text; // string keys; the canonical text of the others, to find a key given twice
        qint64 s = 0;
        quint64 u = 0;
        qsizetype begin = 0, end = 0;
    };
    // The buffers of one nesting level of messages, reused from row to row.
    struct Level
    {
        QByteArray bytes;  // the fields of the message being written, in the JSON's order
        QByteArray result; // a message written for the level above (its field's value)
        QByteArray packed; // a packed list's values; a bytes value
        QByteArray entries, entry;
        std::vector<Segment> segments;
        std::vector<MapKey> mapKeys;
        std::vector<const google::protobuf::FieldDescriptor *> oneofs; // the member set, per oneof
    };
    struct PathSegment
    {
        const QByteArray *field = nullptr;
        qint64 index = -1;
        QByteArray key;
    };

    const MessageInfo &info(const google::protobuf::Descriptor *type);
    Status encodeWithLibrary(QByteArrayView json, QByteArray &out);
    Level &levelAt(int depth);
    // The next JSON value as a message of `type`: its fields appended to `out` in number order.
    bool writeMessage(const google::protobuf::Descriptor *type, QByteArray &out);
    bool writeSpecial(const MessageInfo &mi, const google::protobuf::Descriptor *type, QByteArray &out);
    bool writeField(const google::protobuf::FieldDescriptor *field, QByteArray &out);
    bool writeRepeated(const google::protobuf::FieldDescriptor *field, QByteArray &out);
    bool writeMap(const google::protobuf::FieldDescriptor *field, QByteArray &out);
    // The next value as one value of `field` with its tag; a default value is left out unless `always`.
    bool writeValue(const google::protobuf::FieldDescriptor *field, QByteArray &out, bool always);
    // The next value as a packed list element: no tag.
    bool writeBare(const google::protobuf::FieldDescriptor *field, QByteArray &out);
    bool readScalar(const google::protobuf::FieldDescriptor *field, qint64 &s, quint64 &u, double &d, bool &isZero);
    static void appendScalar(const google::protobuf::FieldDescriptor *field, qint64 s, quint64 u, double d,
                             QByteArray &out);
    bool writeMapKey(const google::protobuf::FieldDescriptor *keyField, const MapKey &mk, QByteArray &out);
    bool readInteger(const google::protobuf::FieldDescriptor *field, qint64 &signedValue, quint64 &unsignedValue);
    bool readFloating(const google::protobuf::FieldDescriptor *field, double &value);
    bool readEnum(const google::protobuf::FieldDescriptor *field, int &value);
    bool readBytes(QByteArray &bytes);
    bool parseMapKey(const google::protobuf::FieldDescriptor *keyField, QByteArrayView key, MapKey &mk,
                     const JsonReader::Mark &at);

    bool fail(const JsonReader::Mark &at, const QString &text);
    bool mismatch(const google::protobuf::FieldDescriptor *field, JsonReader::Kind got);
    bool readerFailed();
    QString pathText() const;
    void pushField(const QByteArray *name);
    void pushIndex(qint64 index);
    void pushKey(QByteArrayView key);
    void pop() { --m_depth; }

    std::shared_ptr<const ProtobufPool> m_pool;
    const google::protobuf::Descriptor *m_type;
    std::unique_ptr<google::protobuf::Message> m_message;
    bool m_viaLibrary = false;
    std::unordered_map<const google::protobuf::Descriptor *, MessageInfo> m_infos;
    std::vector<std::unique_ptr<Level>> m_levels; // by depth; pointers, so that a Level stays where it is
    JsonReader m_reader;
    QByteArray m_scratch;
    std::string m_text;
    std::vector<PathSegment> m_path;
    std::size_t m_depth = 0;
    int m_level = 0;
    struct Failure
    {
        bool failed = false;
        QString text;
        QString path;
        int line = 0;
        int column = 0;
    } m_failure;
};

} // namespace kbatch::core

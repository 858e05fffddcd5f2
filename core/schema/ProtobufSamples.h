#pragma once

#include <QByteArray>

namespace google::protobuf {
class Descriptor;
}

namespace kbatch::core {

class ProtobufPool;
class Random;

// New rows for a Protobuf message type, as its canonical JSON mapping with the .proto field names.
namespace ProtobufSamples {
// Every field at its default: scalars 0, "" or the enum's first value, lists and maps empty, message fields (a few
// levels deep, never a type inside itself) filled the same way, each oneof's first member.
QByteArray skeleton(const ProtobufPool &pool, const google::protobuf::Descriptor *type);
// Random values of every field's type: short strings, small numbers, 0 to 3 list elements, 0 or 1 map entry, one
// member of each oneof, timestamps between 1970 and 2100. The same `random` state gives the same JSON. Any,
// Struct, Value, ListValue and FieldMask fields are left out (their JSON has rules of its own).
QByteArray randomValue(const ProtobufPool &pool, const google::protobuf::Descriptor *type, Random &random);
} // namespace ProtobufSamples

} // namespace kbatch::core

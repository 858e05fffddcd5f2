#pragma once

#include "Schema.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>

namespace kbatch::core {

class Random;

// A compiled schema that turns the JSON a user typed into the payload a Schema Registry serializer would write, and
// back. One interface for Avro, Protobuf and JSON Schema; compilePayloadCodec() picks the implementation.
//
// Thread safety: immutable after construction. Every function may be called from any number of threads at once
// (the producer thread encodes while a checking thread validates rows, for example).
class PayloadCodec
{
public:
    virtual ~PayloadCodec() = default;

    virtual SchemaFormat format() const = 0;

    // Appends the payload for `json` (one JSON value, UTF-8) to `out`; without the frame (see encodeFramed()). On
    // error `out` is as it was, and the error gives the JSON path in `field`, the line and column in the JSON text,
    // and what was expected and found: "line 1, column 23: $.items[2].qty: expected int, got a string".
    virtual Status encode(QByteArrayView json, QByteArray &out) const = 0;
    // The JSON form of a payload (without the frame), in the form encode() reads back to the same bytes. Errors
    // say what is wrong with the bytes and where ("byte 3: ...").
    virtual Result<QByteArray> decode(QByteArrayView payload) const = 0;
    // A JSON value with every field at its default or a placeholder of its type: a new row to fill in.
    virtual QByteArray skeleton() const = 0;
    // A JSON value that encode() takes; the same seed gives the same value.
    virtual QByteArray randomValue(Random &random) const = 0;
    // The full name of the schema's root type (an Avro record's or enum's, a Protobuf message's), for the record
    // name subject strategies; empty when the root type has no name (an Avro array, a primitive).
    virtual QString recordName() const = 0;
    // The Protobuf message-index path the frame carries; empty for Avro and JSON Schema (which carry none).
    virtual QList<int> messageIndexes() const { return {}; }

    // Appends the whole Confluent frame for `json`: magic byte, `schemaId`, the index path (Protobuf), payload.
    // On error `out` is as it was.
    Status encodeFramed(int schemaId, QByteArrayView json, QByteArray &out) const;
    // Splits a frame and decodes its payload. Errors: the frame's (ConfluentFrame::parse), decode()'s, and a frame
    // whose schema id is not `expectedSchemaId` when that is not 0.
    Result<QByteArray> decodeFramed(QByteArrayView bytes, int expectedSchemaId = 0) const;
};

// Compiles `schema` (with what its references resolve to) into a codec. Errors: the schema's own, with the line,
// column and JSON path in its text ("line 4, column 21: $.fields[1].type: unknown type 'Adress'"); a default that
// does not fit its field; a JSON Schema that valijson refuses or whose $refs lead nowhere. `messageType` picks a
// Protobuf schema's message type (empty: its first; see ProtobufCodec::compile()); the other formats ignore it. Any
// thread. Compiling costs far more than encoding: keep codecs (CodecCache keeps one per schema id and type).
Result<std::shared_ptr<const PayloadCodec>> compilePayloadCodec(const ResolvedSchema &schema,
                                                                const QString &messageType = {});

} // namespace kbatch::core

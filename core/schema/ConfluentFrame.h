#pragma once

#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace kbatch::core {

// The Confluent wire format that Schema Registry serializers share: byte 0 is 0x00 (the magic byte), bytes 1-4 the
// schema id (big endian), then the payload. Protobuf payloads start with the message-index path of the message type
// inside its .proto file: zigzag varints, the count then the indexes; the path [0] (the first message, the common
// case) is the single byte 0x00. Avro and JSON Schema payloads have no index path. Any thread.
struct ConfluentFrame
{
    static constexpr char MagicByte = 0;
    static constexpr qsizetype HeaderSize = 5;

    int schemaId = 0;
    QList<int> messageIndexes; // parsed only by parseProtobuf(); [0] for the single byte 0x00
    QByteArrayView payload;    // into the parsed bytes: the Avro datum, the JSON text or the Protobuf message

    // Appends the magic byte and the id.
    static void appendHeader(QByteArray &out, int schemaId);
    // Appends a Protobuf message-index path. An empty path is written as [0], like Confluent's serializers.
    static void appendMessageIndexes(QByteArray &out, const QList<int> &indexes);
    // Zigzag varint of a 32-bit value, as Confluent's index path uses.
    static void appendZigzagVarint(QByteArray &out, qint32 value);

    // A whole frame: header, payload (Avro, JSON Schema).
    static QByteArray frame(int schemaId, QByteArrayView payload);
    // A whole Protobuf frame: header, index path, payload.
    static QByteArray frame(int schemaId, const QList<int> &messageIndexes, QByteArrayView payload);

    // Splits Avro or JSON Schema framed bytes. Errors: "N bytes: too short for a Schema Registry frame (5 bytes at
    // least)", "first byte is 0x7b, not the magic byte 0x00: not Schema Registry framed".
    static Result<ConfluentFrame> parse(QByteArrayView bytes);
    // As parse(), and reads the Protobuf index path after the header. Errors as parse(), and "message index path:
    // ..." for a truncated or negative count or index.
    static Result<ConfluentFrame> parseProtobuf(QByteArrayView bytes);
};

} // namespace kbatch::core

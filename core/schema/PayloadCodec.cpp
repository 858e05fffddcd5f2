#include "PayloadCodec.h"

#include "AvroCodec.h"
#include "ConfluentFrame.h"
#include "JsonSchemaCodec.h"
#include "ProtobufCodec.h"

namespace kbatch::core {

Status PayloadCodec::encodeFramed(int schemaId, QByteArrayView json, QByteArray &out) const
{
    const qsizetype old = out.size();
    ConfluentFrame::appendHeader(out, schemaId);
    if (format() == SchemaFormat::Protobuf)
        ConfluentFrame::appendMessageIndexes(out, messageIndexes());
    Status encoded = encode(json, out);
    if (!encoded)
        out.resize(old);
    return encoded;
}

Result<QByteArray> PayloadCodec::decodeFramed(QByteArrayView bytes, int expectedSchemaId) const
{
    auto frame =
        format() == SchemaFormat::Protobuf ? ConfluentFrame::parseProtobuf(bytes) : ConfluentFrame::parse(bytes);
    if (!frame)
        return frame.error();
    if (expectedSchemaId != 0 && frame->schemaId != expectedSchemaId)
        return Error(QStringLiteral("the frame names schema id %1, not %2").arg(frame->schemaId).arg(expectedSchemaId));
    return decode(frame->payload);
}

Result<std::shared_ptr<const PayloadCodec>> compilePayloadCodec(const ResolvedSchema &schema,
                                                                const QString &messageType)
{
    switch (schema.schema.format) {
    case SchemaFormat::Avro: {
        auto codec = AvroCodec::compile(schema);
        if (!codec)
            return codec.error();
        return std::shared_ptr<const PayloadCodec>(std::move(codec.value()));
    }
    case SchemaFormat::Protobuf: {
        auto codec = ProtobufCodec::compile(schema, messageType);
        if (!codec)
            return codec.error();
        return std::shared_ptr<const PayloadCodec>(std::move(codec.value()));
    }
    case SchemaFormat::JsonSchema: {
        auto codec = JsonSchemaCodec::compile(schema);
        if (!codec)
            return codec.error();
        return std::shared_ptr<const PayloadCodec>(std::move(codec.value()));
    }
    }
    return Error(QStringLiteral("%1 payloads are not supported yet").arg(displayName(schema.schema.format)));
}

} // namespace kbatch::core

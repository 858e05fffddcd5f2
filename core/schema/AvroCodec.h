#pragma once

#include "IdlePool.h"

#include "PayloadCodec.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace kbatch::core {

class AvroSchema;
class AvroJsonEncoder;

// PayloadCodec for Avro: the schema parsed once (AvroSchema), JSON read straight into reused avro-c values
// (AvroJsonEncoder), avro-c's writer and reader for the binary encoding. See AvroJsonEncoder.h for the JSON forms
// it takes and AvroJsonDecoder.h for the form decode() writes.
//
// Thread-safe: each encode() borrows an encoder (an avro-c value, a JSON reader, buffers) from a small pool, so
// threads never share one; after the first few rows no encode allocates.
class AvroCodec final : public PayloadCodec
{
public:
    // Errors: the schema's (AvroSchema::parse), and a field default that does not fit its field ("line 1, column
    // 98: $.fields[2] default: expected int, got a string").
    static Result<std::shared_ptr<const AvroCodec>> compile(const ResolvedSchema &schema);
    ~AvroCodec() override;

    SchemaFormat format() const override { return SchemaFormat::Avro; }
    Status encode(QByteArrayView json, QByteArray &out) const override;
    Result<QByteArray> decode(QByteArrayView payload) const override;
    QByteArray skeleton() const override;
    QByteArray randomValue(Random &random) const override;
    QString recordName() const override;

    const AvroSchema &schema() const { return *m_schema; }

private:
    explicit AvroCodec(std::shared_ptr<const AvroSchema> schema);
    std::unique_ptr<AvroJsonEncoder> takeEncoder() const;
    void giveBack(std::unique_ptr<AvroJsonEncoder> encoder) const;

    std::shared_ptr<const AvroSchema> m_schema;
    IdlePool<AvroJsonEncoder> m_idle; // for encode() and the like on any thread
};

} // namespace kbatch::core

#pragma once

#include "AvroSchema.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace kbatch::core {

// Reads an Avro binary datum with avro-c and writes it as JSON in the form AvroJsonEncoder reads back to the same
// bytes: unions tagged as Avro's JSON encoding does ({"string": "x"}; null stays null), bytes and fixed as
// characters U+0000..U+00FF, floats in their shortest exact form ("NaN", "Infinity", "-Infinity" as strings), and
// logical types in the text forms of AvroLogical.h (a decimal as a string with `scale` places). The bytes are
// checked first (AvroDatumCheck): avro-c never reads anything malformed. Map keys that repeat in the bytes collapse
// into one, the last value winning (avro-c's map keeps one entry per key).
//
// Any thread; it keeps no state between calls.
class AvroJsonDecoder
{
public:
    explicit AvroJsonDecoder(std::shared_ptr<const AvroSchema> schema) : m_schema(std::move(schema)) {}

    // Errors: AvroDatumCheck's ("byte 3: branch 5 of union [null, string] does not exist"), and avro-c's own.
    Result<QByteArray> decode(QByteArrayView datum) const;

private:
    std::shared_ptr<const AvroSchema> m_schema;
};

} // namespace kbatch::core

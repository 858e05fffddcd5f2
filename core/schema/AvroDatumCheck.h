#pragma once

#include "AvroSchema.h"
#include "core/model/Error.h"

#include <QByteArrayView>

namespace kbatch::core {

// Checks that bytes are exactly one well-formed Avro binary datum of a schema, before avro-c reads them. avro-c's
// reader trusts what it reads: it allocates whatever a length says (a corrupt one asks for gigabytes), keeps
// appending for as long as a block count says (an array of nulls costs no input bytes per element), negates a block
// count of INT64_MIN, and leaks what it allocated when the input ends early. So it only ever sees bytes whose every
// length, count, index and string this walk has checked against the input and the schema. Any thread.
struct AvroDatumCheck
{
    // Elements that take no bytes (null, an empty record) are counted: a datum may hold at most this many.
    static constexpr qint64 MaxEmptyElements = 65536;
    // Values nest at most this deep (the encoder's JSON reader stops at 512 levels too).
    static constexpr int MaxDepth = 512;

    // Errors: "byte 12: string length 4000 runs past the end of the 30 bytes", "byte 3: union branch 5 of union
    // [null, string] does not exist", "byte 9: string is not valid UTF-8", "2 bytes left after the value", ...
    static Status check(const AvroNode &root, QByteArrayView datum);
};

} // namespace kbatch::core

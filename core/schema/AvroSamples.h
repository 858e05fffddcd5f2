#pragma once

#include "AvroSchema.h"

#include <QByteArray>

namespace kbatch::core {

class Random;

// JSON values made from an Avro schema, in the form AvroJsonEncoder reads: a skeleton for a new row, and random
// values for generated rows and for fuzzing. Unions are written plain when they have one branch besides null, tagged
// otherwise, so that the value can never be read as another branch. Any thread.
struct AvroSamples
{
    // Every field with its default, or a placeholder of its type: "" for strings, 0, false, the first enum symbol,
    // [] and {}, "1970-01-01T00:00:00.000Z" for timestamps, "0.00" for a decimal of scale 2. A union without a
    // default shows its branch besides null when it has just one (so that a nullable record's fields are there to
    // fill in), else null or its first branch, tagged. A type that contains itself stops at its null branch (or an
    // empty array or map) the second time round.
    static QByteArray skeleton(const AvroNode &root);
    // A random value that fits: small numbers mostly and the extremes now and then, short strings, 0 to 3 array
    // elements and map entries, timestamps between 2000 and 2040, decimals within their precision. Recursive types
    // are cut off within a few levels. The same seed gives the same value.
    static QByteArray randomValue(const AvroNode &root, Random &random);
};

} // namespace kbatch::core

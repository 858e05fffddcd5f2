#pragma once

// Internal to core/schema: the second half of AvroSchema::parse(), in a file of its own.

#include "AvroSchema.h"

#include <avro.h>

#include <QHash>

namespace kbatch::core {

// avro-c's schema for `node`. A named type is made once (kept in `defined`); every other use of it is a link, as
// avro-c's own parser does. `ok` turns false when avro-c refuses a part. Under lockAvroErrors().
avro_schema_t buildAvroSchema(const AvroNode &node, QHash<const AvroNode *, avro_schema_t> &defined, bool &ok);

// A record that contains itself with no union, array or map on the way (no finite value), or null.
const AvroNode *recordWithoutEnd(const AvroNode &root);

} // namespace kbatch::core

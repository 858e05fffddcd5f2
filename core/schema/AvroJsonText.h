#pragma once

// Internal to core/schema: what AvroJsonEncoder's two files share (the message texts).

#include "AvroSchema.h"

#include <QByteArrayView>
#include <QString>

namespace kbatch::core::avrojson {

// `utf8` in double quotes for a message, control characters escaped as in JSON, cut after 60 characters.
QString quoted(QByteArrayView utf8);
// What a node takes, for "expected ..." messages.
QString expectation(const AvroNode &n);
// Date, time and timestamp logical types: they take ISO 8601 text as well as numbers.
bool isTimeLogical(AvroNode::Logical l);

} // namespace kbatch::core::avrojson

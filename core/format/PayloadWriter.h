#pragma once

#include "core/model/Message.h"

#include <QByteArray>

namespace kbatch::core {

// Internal to core/format: writes a key, value or header value in the template's payload forms: a string (Text),
// null, {"json": ...} or {"base64": "..."}. Text that is not valid UTF-8 and Json that is not valid JSON fall back
// to a string or base64, so the bytes survive a round trip whatever the encoding claims.

// Pretty form for templates: nested JSON lines are indented from `level` (2 spaces per level).
void appendPayload(QByteArray &out, const Payload &payload, int level);
// One-line form for JSON Lines output.
void appendPayloadCompact(QByteArray &out, const Payload &payload);
// Header names are strings in the format; bytes that are not UTF-8 are replaced (U+FFFD).
void appendHeaderName(QByteArray &out, const QByteArray &name);

} // namespace kbatch::core

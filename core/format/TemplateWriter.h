#pragma once

#include "core/model/Error.h"
#include "core/model/Template.h"

#include <QByteArray>
#include <QString>

namespace kbatch::core {

// Writes a template (format version 1) as stable bytes: the same Template always gives the same bytes, keys in a
// fixed order, optional fields left out when unset, 2-space indentation, "\n" line ends and a final newline.
// {"json": ...} payloads are pretty-printed with their key order and number text kept. Text payloads that are not
// valid UTF-8 (and JSON payloads that are not valid JSON) are written as {"base64": ...}, so no byte is ever lost.
// Any thread.
QByteArray serializeTemplate(const Template &tpl);

// Writes serializeTemplate(tpl) to `path` atomically (QSaveFile: a temporary file renamed over the target). On
// failure the old file is intact, no temporary file is left, and the Error names the file and the OS reason.
Status saveTemplate(const Template &tpl, const QString &path);

} // namespace kbatch::core

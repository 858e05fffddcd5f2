#pragma once

#include "core/model/Error.h"
#include "core/model/Template.h"

#include <QByteArrayView>
#include <QString>

namespace kbatch::core {

// Reads a template file (*.kbatch.json, format version 1; see docs/template-format.schema.json).
//
// Strict: a missing or wrong "format", an unknown "version", an unknown field, a wrong type, a header that is not a
// [name, value] pair, a negative partition or timestamp, invalid base64 or a secret producer property is an Error
// that names the file, the 1-based line and column (in characters) and the JSON path (e.g.
// "messages[3].headers[1][0]") in Error::field. Rows are read straight into the Batch, without a DOM.
// Any thread; no shared state.
Result<Template> parseTemplate(QByteArrayView data, const QString &fileName);

// As parseTemplate(), reading `path` first. Files over 1 GiB and binary content are refused with a clear error.
Result<Template> loadTemplate(const QString &path);

} // namespace kbatch::core

#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kbatch::core {

// Stable JSON output for templates and reports: the same input always gives the same bytes. Any thread.

// (Compact and pretty forms of JSON text: JsonText.h.)
// Appends `utf8` as a JSON string literal; only '"', '\\' and control characters are escaped.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
// The same escaping without the surrounding quotes (for text inserted into an existing JSON string).
void appendJsonEscaped(QByteArray &out, QByteArrayView utf8);

} // namespace kbatch::core

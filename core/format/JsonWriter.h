#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kbatch::core {

// Stable JSON output for templates and reports: the same input always gives the same bytes. Any thread.

// Parses `json` (any JSON text) and writes it pretty, indented by 2 spaces per level, starting at `indent` levels
// (the first line is not indented; nested lines are). Strings and numbers are kept as written. False if not JSON.
bool prettyJson(QByteArrayView json, QByteArray &out, int indent);
// The compact form of `json`, or an empty array if it is not a single JSON value.
QByteArray compactJson(QByteArrayView json, bool *ok = nullptr);
// Appends `utf8` as a JSON string literal; only '"', '\\' and control characters are escaped.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
// The same escaping without the surrounding quotes (for text inserted into an existing JSON string).
void appendJsonEscaped(QByteArray &out, QByteArrayView utf8);

} // namespace kbatch::core

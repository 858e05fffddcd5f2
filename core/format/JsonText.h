#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace kbatch::core {

// JSON text as the user writes it (a {"json": ...} payload, the editor's JSON form, a pasted cell): one definition
// of "valid JSON" for loading, editing and sending, built on JsonReader (strict RFC 8259; see JsonReader.h for the
// few limits: nesting at most 512 deep, no byte order mark). Object keys keep their order, duplicates included, and
// strings and numbers keep their text exactly as written: nothing is re-encoded. Pure functions; any thread.
//
// Every error names the line and column (1-based, in characters) and the JSON path of the value at fault in
// Error::field: "$" is the whole text, then ".name" or ["name"] for members and [N] for array elements, e.g.
// `$.items[2].qty`. Error::file is empty.

// Ok when `text` is exactly one JSON value (whitespace around it allowed).
Status validateJson(QByteArrayView text);
// The value with every whitespace between tokens removed: what a {"json": ...} payload sends.
Result<QByteArray> compactJson(QByteArrayView text);
// The value indented by `indent` spaces per level, one member or element per line; empty objects and arrays stay
// "{}" and "[]". compactJson() of the result gives back compactJson() of `text`.
Result<QByteArray> prettyJson(QByteArrayView text, int indent = 2);

// For writers of bigger documents: as compactJson() and prettyJson(), appended to `out`. Pretty lines after the
// first are indented from nesting `level` (a value that sits `level` deep in the document being written). On an
// error `out` is left as it was.
Status appendCompactJson(QByteArray &out, QByteArrayView text);
Status appendPrettyJson(QByteArray &out, QByteArrayView text, int indent, int level);

// A key, value or header value of `row` that is marked JSON (Encoding::Json) but is not valid JSON: which one
// ("key", "value" or `header "name"`) and validateJson()'s error. Templates and imports never make one (their JSON
// is parsed); the editor keeps a user's invalid JSON this way rather than lose it, and Send refuses such a row.
struct InvalidJsonPayload
{
    QString payload;
    Error error;
};
std::optional<InvalidJsonPayload> findInvalidJson(const Batch &batch, qsizetype row);

// The text a JSON string stands for, from its content as written between the quotes (escapes decoded). False if
// `content` is not valid there: a raw quote or control character, a bad escape, a lone surrogate, bytes that are
// not UTF-8.
bool decodeJsonStringContent(QByteArrayView content, QByteArray &out);

} // namespace kbatch::core

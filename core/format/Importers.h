#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace kbatch::core {

// Importers turn other people's files into rows. Each returns the rows or an Error naming the file, the 1-based
// line and column (in characters) and the field (column name or JSON path) at fault. They run on any thread and
// share no state, so the UI can run them on a worker thread. Payload bytes that are not valid UTF-8 get
// Encoding::Base64 so they are shown and saved without loss.
//
// Empty cells in CSV and TSV: an unquoted empty key or value cell is null (no key / tombstone); a quoted empty
// cell ("") is an empty string. Empty partition, timestamp and headers cells mean "absent". A key or value cell that
// is exactly {"base64": "..."} (strict base64) holds those bytes: how rowsToTsv() writes bytes that are not text.

// CSV (RFC 4180: ',' separated, "..." quoting with "" escapes, CRLF or LF). The first row names the columns: key,
// value, headers, partition, timestamp (case-insensitive, any order, any subset). A headers cell holds JSON:
// [["name", "value"], ...] or {"name": "value", ...}, values in the template payload forms. A timestamp is ms since
// the epoch or an ISO 8601 date-time. Unknown or repeated column names and rows with the wrong number of cells are
// errors. Empty lines are skipped.
Result<Batch> importCsv(QByteArrayView data, const QString &fileName);

// JSON Lines, one object per line, the form detected per line:
//  - KBatch form: {"key": ..., "value": ..., "headers": ..., "partition": N, "timestamp": N}, key, value and header
//    values in the template payload forms (string, null, {"json": ...}, {"base64": "..."}); headers as
//    [[name, value], ...] or {"name": value}.
//  - kcat -J consumer output: {"topic", "partition", "offset", "tstype", "ts", "broker", "headers": [n, v, ...],
//    "key", "payload"}. Only key, payload and headers are kept: the partition and timestamp describe where the
//    message was, and re-sending goes through the partitioner and the producer's clock unless the user sets them.
// A line mixing both forms, or with unknown fields, is an error. Blank lines are skipped.
Result<Batch> importJsonLines(QByteArrayView data, const QString &fileName);

// One value per line (LF or CRLF), like kcat's producer; empty lines are skipped. With `keyDelimiter` (kcat -K),
// the text before its first occurrence is the key; a line without it has a null key and the whole line as value.
Result<Batch> importTextLines(QByteArrayView data, const QString &fileName,
                              std::optional<QByteArray> keyDelimiter = std::nullopt);

// Cells pasted from a spreadsheet: tab-separated, rows by newline, cells in "..." with "" escapes may hold tabs and
// newlines. If every cell of the first row is a column name (key, value, headers, partition, timestamp) it is the
// header row; otherwise 1 column is the value and 2 columns are key and value (more need a header row). Missing
// trailing cells count as empty. Errors carry no file name; the line is the row's line in the pasted text.
Result<Batch> importTsvPaste(const QString &text);

struct ImportOptions
{
    std::optional<QByteArray> keyDelimiter; // for .txt files (kcat -K)
};

// Picks the importer from the extension: .csv; .jsonl, .ndjson, .json (JSON Lines); .txt (text lines); .tsv;
// .kbatch.json (a template: its rows). Files over 1 GiB are refused. The Error names the file.
Result<Batch> importFile(const QString &path, const ImportOptions &options = {});

} // namespace kbatch::core

#pragma once

#include "core/model/Batch.h"
#include "core/model/DeliveryResult.h"

#include <QByteArray>
#include <QString>

namespace kbatch::core {

// Reports of a publish, one per row, for kbatch-cli --report and the GUI's "export results". Any thread.

// "delivered", "failed", "possibly_written", "cancelled", "pending" (stable identifiers, unlike statusText()).
QString statusId(DeliveryStatus status);
// "persisted", "possibly_persisted", "not_persisted".
QString persistedId(Persisted persisted);

// One compact JSON object, no newline, fields in this order:
// {"index":0,"status":"delivered","persisted":"persisted","partition":2,"offset":41,"timestamp":1767225600000,
//  "latencyUs":812,"error":null}
// Unknown numbers are -1 (as in DeliveryResult and docs/cli.md). "error" is null when the result carries no error
// code, name or text, else {"code":N,"name":"...","message":"..."}.
QByteArray resultToJsonLine(qsizetype index, const DeliveryResult &result);

// One line per result ("\n" after each), each as resultToJsonLine(result.row, result) with "key" after "index":
// the row's key as a string when it is UTF-8 text, {"base64":"..."} otherwise, null for no key (or a row that is
// not in `batch`).
QByteArray exportResultsJsonLines(const Batch &batch, const DeliveryResults &results);

// CSV (RFC 4180, "\r\n" line ends) with a header row:
// index,key,key_encoding,status,persisted,partition,offset,timestamp,latency_us,error_code,error_name,error_message
// key_encoding is text, base64 or null; a null key is an empty unquoted cell and an empty key is "" (the CSV
// importer's rule). Unknown numbers are empty cells.
QByteArray exportResultsCsv(const Batch &batch, const DeliveryResults &results);

} // namespace kbatch::core

#pragma once

#include "core/model/Batch.h"

#include <QByteArray>
#include <QList>

namespace kbatch::core {

// Rows written for another program or for pasting back: the inverse of importTsvPaste() and importJsonLines().
// Every row given is written, one line each; importing the text gives back every key, value and header byte for
// byte, nulls and partitions and timestamps included. Any thread.

// Tab-separated text with a header row `key\tvalue\theaders\tpartition\ttimestamp`, the form importTsvPaste() reads.
// A key or value is its UTF-8 text, in "..." (with "" for a quote) when it holds a tab, a line break or a quote or
// is empty; a null is an empty unquoted cell. Bytes that are no UTF-8 text, or that hold a NUL (which clipboards
// and spreadsheets cut text at), are written {"base64":"..."}, as in templates; so is text that reads as such a
// cell itself. Headers are a JSON cell [["name",value],...] in the template payload forms.
QByteArray rowsToTsv(const Batch &batch, const QList<qsizetype> &rows);

// One KBatch JSON Lines object per row, the form importJsonLines() reads:
// {"key":…,"value":…,"headers":[[name,value],…],"partition":N,"timestamp":N}.
QByteArray rowsToJsonLines(const Batch &batch, const QList<qsizetype> &rows);

} // namespace kbatch::core

#pragma once

#include "Utf8.h"
#include "core/model/Error.h"
#include "core/model/Message.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace kbatch::core {

// Internal to core/format: the columns CSV and TSV imports understand and how a cell becomes part of a Message.
enum class TableColumn : std::uint8_t { Key, Value, HeaderList, Partition, Timestamp };

// Case-insensitive, surrounding spaces ignored.
std::optional<TableColumn> tableColumnFromName(QByteArrayView name);
QString tableColumnName(TableColumn column);
inline const char *tableColumnList()
{
    return "key, value, headers, partition, timestamp";
}

struct TableCell
{
    QByteArrayView text; // unescaped content
    bool quoted = false;
    int line = 1;   // where the cell starts
    int column = 1; // in characters
};

// The bytes a key or value cell stands for when it is exactly {"base64": "..."} (strict base64), as Copy as TSV writes
// bytes that are not text; nothing for any other cell, which is taken as its text.
std::optional<QByteArray> tableCellBytes(QByteArrayView text);

// Applies one cell to `message`. On failure returns an Error located at the cell (file left empty for the caller).
std::optional<Error> applyTableCell(Message &message, TableColumn column, const TableCell &cell);

} // namespace kbatch::core

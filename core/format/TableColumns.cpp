#include "TableColumns.h"

#include "JsonContext.h"

#include <QDateTime>

#include <charconv>
#include <limits>

namespace kbatch::core {

std::optional<TableColumn> tableColumnFromName(QByteArrayView name)
{
    const QByteArray n = name.trimmed().toByteArray().toLower();
    if (n == "key")
        return TableColumn::Key;
    if (n == "value")
        return TableColumn::Value;
    if (n == "headers")
        return TableColumn::HeaderList;
    if (n == "partition")
        return TableColumn::Partition;
    if (n == "timestamp")
        return TableColumn::Timestamp;
    return std::nullopt;
}

QString tableColumnName(TableColumn column)
{
    switch (column) {
    case TableColumn::Key:
        return QStringLiteral("key");
    case TableColumn::Value:
        return QStringLiteral("value");
    case TableColumn::HeaderList:
        return QStringLiteral("headers");
    case TableColumn::Partition:
        return QStringLiteral("partition");
    case TableColumn::Timestamp:
        return QStringLiteral("timestamp");
    }
    return {};
}

namespace {

bool parseInteger(QByteArrayView text, std::int64_t &out)
{
    const QByteArrayView t = text.trimmed();
    if (t.isEmpty())
        return false;
    const char *end = t.data() + t.size();
    const auto [ptr, ec] = std::from_chars(t.data(), end, out);
    return ec == std::errc() && ptr == end;
}

} // namespace

std::optional<QByteArray> tableCellBytes(QByteArrayView text)
{
    if (!text.startsWith('{') || !text.endsWith('}'))
        return std::nullopt; // the common case, told apart without a parse
    JsonReader reader(text);
    QByteArray name;
    QByteArray base64;
    if (!reader.beginObject() || !reader.nextMember(name) || name != "base64" ||
        reader.peek() != JsonReader::Kind::String || !reader.readString(base64) || reader.nextMember(name) ||
        reader.hasError() || !reader.expectEnd())
        return std::nullopt;
    QByteArray bytes;
    if (!decodeBase64Strict(base64, bytes))
        return std::nullopt;
    return bytes;
}

std::optional<Error> applyTableCell(Message &message, TableColumn column, const TableCell &cell)
{
    const QString field = tableColumnName(column);
    auto error = [&](const QString &text, int line, int col, const QString &fld) {
        return std::optional<Error>(Error(text, QString(), line, col, fld));
    };
    const bool empty = cell.text.trimmed().isEmpty();
    switch (column) {
    case TableColumn::Key:
    case TableColumn::Value: {
        Payload &p = column == TableColumn::Key ? message.key : message.value;
        if (cell.text.isEmpty() && !cell.quoted)
            p = Payload();
        else if (auto bytes = tableCellBytes(cell.text))
            p = Payload(std::move(*bytes), Encoding::Base64);
        else
            p = textOrBinaryPayload(cell.text.toByteArray());
        return std::nullopt;
    }
    case TableColumn::HeaderList: {
        message.headers.clear();
        if (empty)
            return std::nullopt;
        JsonReader reader(cell.text);
        JsonContext ctx(reader, QString());
        if (ctx.readHeaders(message.headers, JsonContext::PairList | JsonContext::NameObject) && reader.expectEnd())
            return std::nullopt;
        const Error e = ctx.error();
        // Positions inside the cell, shifted to the file: a quoted cell starts one column later, and every '"'
        // before the error was written as "" in the file.
        const int line = cell.line + e.line - 1;
        int col = e.column;
        if (e.line == 1) {
            col = cell.column + (cell.quoted ? 1 : 0) + e.column - 1;
            int chars = 1;
            for (qsizetype i = 0; cell.quoted && i < cell.text.size() && chars < e.column; ++i) {
                const auto c = static_cast<unsigned char>(cell.text[i]);
                if ((c & 0xc0) == 0x80)
                    continue;
                if (c == '"')
                    ++col;
                ++chars;
            }
        }
        QString where = field;
        if (!e.field.isEmpty())
            where += (e.field.startsWith(QLatin1Char('[')) ? QString() : QStringLiteral(".")) + e.field;
        return error(QStringLiteral("invalid headers: %1 (write [[\"name\", \"value\"], ...] or {\"name\": "
                                    "\"value\"})")
                         .arg(e.text),
                     line, col, where);
    }
    case TableColumn::Partition: {
        message.partition.reset();
        if (empty)
            return std::nullopt;
        std::int64_t v = 0;
        if (!parseInteger(cell.text, v) || v < 0 || v > std::numeric_limits<std::int32_t>::max())
            return error(QStringLiteral("partition must be an integer from 0 to 2147483647, found \"%1\"")
                             .arg(QString::fromUtf8(cell.text)),
                         cell.line, cell.column, field);
        message.partition = std::int32_t(v);
        return std::nullopt;
    }
    case TableColumn::Timestamp: {
        message.timestamp.reset();
        if (empty)
            return std::nullopt;
        std::int64_t v = 0;
        if (parseInteger(cell.text, v)) {
            if (v < 0)
                return error(QStringLiteral("timestamp must be 0 or greater, found %1").arg(v), cell.line, cell.column,
                             field);
            message.timestamp = v;
            return std::nullopt;
        }
        // Spreadsheets show dates: accept ISO 8601 too (UTC unless an offset is given).
        const QString text = QString::fromUtf8(cell.text).trimmed();
        QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (dt.isValid() && dt.timeSpec() == Qt::LocalTime)
            dt.setTimeSpec(Qt::UTC);
        if (!dt.isValid() || dt.toMSecsSinceEpoch() < 0)
            return error(QStringLiteral("timestamp must be milliseconds since the epoch or an ISO 8601 date-time, "
                                        "found \"%1\"")
                             .arg(text),
                         cell.line, cell.column, field);
        message.timestamp = dt.toMSecsSinceEpoch();
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace kbatch::core

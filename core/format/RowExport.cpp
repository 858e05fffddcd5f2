#include "RowExport.h"

#include "PayloadWriter.h"
#include "TableColumns.h"
#include "Utf8.h"

namespace kbatch::core {

namespace {

void appendHeaders(QByteArray &out, const Headers &headers)
{
    out += '[';
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i)
            out += ',';
        out += '[';
        appendHeaderName(out, headers[i].name);
        out += ',';
        appendPayloadCompact(out, headers[i].value);
        out += ']';
    }
    out += ']';
}

void appendTsvText(QByteArray &out, QByteArrayView text)
{
    const bool quote =
        text.isEmpty() || text.contains('\t') || text.contains('\n') || text.contains('\r') || text.contains('"');
    if (!quote) {
        out += text;
        return;
    }
    out += '"';
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendTsvPayload(QByteArray &out, bool isNull, QByteArrayView bytes)
{
    if (isNull)
        return;
    if (isValidUtf8(bytes) && !bytes.contains('\0') && !tableCellBytes(bytes)) {
        appendTsvText(out, bytes);
        return;
    }
    out += "{\"base64\":\"";
    out += bytes.toByteArray().toBase64();
    out += "\"}";
}

} // namespace

QByteArray rowsToTsv(const Batch &batch, const QList<qsizetype> &rows)
{
    QByteArray out = "key\tvalue\theaders\tpartition\ttimestamp\n";
    for (const qsizetype r : rows) {
        appendTsvPayload(out, batch.keyIsNull(r), batch.key(r));
        out += '\t';
        appendTsvPayload(out, batch.valueIsNull(r), batch.value(r));
        out += '\t';
        if (const Headers &headers = batch.headers(r); !headers.isEmpty()) {
            QByteArray json;
            appendHeaders(json, headers);
            appendTsvText(out, json);
        }
        out += '\t';
        if (const auto p = batch.partition(r))
            out += QByteArray::number(*p);
        out += '\t';
        if (const auto t = batch.timestamp(r))
            out += QByteArray::number(qlonglong(*t));
        out += '\n';
    }
    return out;
}

QByteArray rowsToJsonLines(const Batch &batch, const QList<qsizetype> &rows)
{
    QByteArray out;
    for (const qsizetype r : rows) {
        const Message m = batch.at(r);
        out += "{\"key\":";
        appendPayloadCompact(out, m.key);
        out += ",\"value\":";
        appendPayloadCompact(out, m.value);
        if (!m.headers.isEmpty()) {
            out += ",\"headers\":";
            appendHeaders(out, m.headers);
        }
        if (m.partition)
            out += ",\"partition\":" + QByteArray::number(*m.partition);
        if (m.timestamp)
            out += ",\"timestamp\":" + QByteArray::number(qlonglong(*m.timestamp));
        out += "}\n";
    }
    return out;
}

} // namespace kbatch::core

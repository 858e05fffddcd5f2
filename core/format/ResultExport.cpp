#include "ResultExport.h"

#include "JsonReader.h"
#include "JsonWriter.h"

namespace kbatch::core {

namespace {

// Unknown values stay -1, as in DeliveryResult and docs/cli.md, so scripts see one type per field.
void appendNumber(QByteArray &out, qint64 v)
{
    out.append(QByteArray::number(v));
}

void appendResultFields(QByteArray &out, const DeliveryResult &r)
{
    out.append(",\"status\":\"");
    out.append(statusId(r.status).toLatin1());
    out.append("\",\"persisted\":\"");
    out.append(persistedId(r.persisted).toLatin1());
    out.append("\",\"partition\":");
    appendNumber(out, r.partition);
    out.append(",\"offset\":");
    appendNumber(out, r.offset);
    out.append(",\"timestamp\":");
    appendNumber(out, r.timestamp);
    out.append(",\"latencyUs\":");
    appendNumber(out, r.latencyUs);
    out.append(",\"error\":");
    if (r.errorCode == 0 && r.errorName.isEmpty() && r.errorText.isEmpty()) {
        out.append("null");
    } else {
        out.append("{\"code\":");
        out.append(QByteArray::number(r.errorCode));
        out.append(",\"name\":");
        appendJsonString(out, r.errorName.toUtf8());
        out.append(",\"message\":");
        appendJsonString(out, r.errorText.toUtf8());
        out.append('}');
    }
    out.append('}');
}

bool hasRow(const Batch &batch, std::int64_t row)
{
    return row >= 0 && row < batch.size();
}

void appendCsvCell(QByteArray &out, QByteArrayView cell, bool forceQuotes = false)
{
    const bool quote =
        forceQuotes || cell.contains(',') || cell.contains('"') || cell.contains('\n') || cell.contains('\r');
    if (!quote) {
        out.append(cell);
        return;
    }
    out.append('"');
    for (char c : cell) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

void appendCsvNumber(QByteArray &out, qint64 v)
{
    if (v >= 0)
        out.append(QByteArray::number(v));
}

} // namespace

// The report's identifiers are the display texts with underscores ("possibly written" -> "possibly_written").
QString statusId(DeliveryStatus status)
{
    return statusText(status).replace(QLatin1Char(' '), QLatin1Char('_'));
}

QString persistedId(Persisted persisted)
{
    return persistedText(persisted).replace(QLatin1Char(' '), QLatin1Char('_'));
}

QByteArray resultToJsonLine(qsizetype index, const DeliveryResult &result)
{
    QByteArray out;
    out.reserve(160);
    out.append("{\"index\":");
    out.append(QByteArray::number(index));
    appendResultFields(out, result);
    return out;
}

QByteArray exportResultsJsonLines(const Batch &batch, const DeliveryResults &results)
{
    QByteArray out;
    out.reserve(results.size() * 200);
    for (const DeliveryResult &r : results) {
        out.append("{\"index\":");
        out.append(QByteArray::number(qint64(r.row)));
        out.append(",\"key\":");
        if (!hasRow(batch, r.row) || batch.keyIsNull(r.row)) {
            out.append("null");
        } else {
            const QByteArrayView key = batch.key(r.row);
            if (JsonReader::isValidUtf8(key)) {
                appendJsonString(out, key);
            } else {
                out.append("{\"base64\":\"");
                out.append(key.toByteArray().toBase64());
                out.append("\"}");
            }
        }
        appendResultFields(out, r);
        out.append('\n');
    }
    return out;
}

QByteArray exportResultsCsv(const Batch &batch, const DeliveryResults &results)
{
    QByteArray out;
    out.reserve(results.size() * 120 + 128);
    out.append("index,key,key_encoding,status,persisted,partition,offset,timestamp,latency_us,error_code,error_name,"
               "error_message\r\n");
    for (const DeliveryResult &r : results) {
        out.append(QByteArray::number(qint64(r.row)));
        out.append(',');
        if (!hasRow(batch, r.row) || batch.keyIsNull(r.row)) {
            out.append(",null");
        } else {
            const QByteArrayView key = batch.key(r.row);
            if (JsonReader::isValidUtf8(key)) {
                appendCsvCell(out, key, key.isEmpty());
                out.append(",text");
            } else {
                out.append(key.toByteArray().toBase64());
                out.append(",base64");
            }
        }
        out.append(',');
        out.append(statusId(r.status).toLatin1());
        out.append(',');
        out.append(persistedId(r.persisted).toLatin1());
        out.append(',');
        appendCsvNumber(out, r.partition);
        out.append(',');
        appendCsvNumber(out, r.offset);
        out.append(',');
        appendCsvNumber(out, r.timestamp);
        out.append(',');
        appendCsvNumber(out, r.latencyUs);
        out.append(',');
        if (r.errorCode != 0)
            out.append(QByteArray::number(r.errorCode));
        out.append(',');
        appendCsvCell(out, r.errorName.toUtf8());
        out.append(',');
        appendCsvCell(out, r.errorText.toUtf8());
        out.append("\r\n");
    }
    return out;
}

} // namespace kbatch::core

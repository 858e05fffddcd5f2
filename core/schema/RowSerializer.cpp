#include "RowSerializer.h"

namespace kbatch::core {

namespace {

Error rowError(qsizetype row, const char *part, const QString &text)
{
    return Error(QStringLiteral("message %1: %2: %3").arg(row).arg(QLatin1String(part), text));
}

// Encodes one part in place; false with `error` set when it does not fit.
bool encodePart(Payload &payload, const ResolvedCodec &codec, qsizetype row, const char *part, QByteArray &scratch,
                Error &error)
{
    if (payload.isNull())
        return true;
    if (payload.encoding == Encoding::Base64) {
        error = rowError(row, part,
                         QStringLiteral("%1 payloads are written as JSON, not as base64 bytes")
                             .arg(displayName(codec.codec->format())));
        return false;
    }
    scratch.clear();
    if (auto encoded = codec.codec->encodeFramed(codec.schema.id, *payload.bytes, scratch); !encoded) {
        // The row's JSON is kept compact, so a line and column in it would not point into what the user wrote:
        // the JSON path says where.
        Error e = encoded.error();
        e.line = e.column = 0;
        error = rowError(row, part, e.message());
        return false;
    }
    payload = Payload(scratch, Encoding::Base64);
    return true;
}

} // namespace

Result<Batch> serializeRows(const Batch &rows, const SendCodecs &codecs)
{
    Batch out;
    if (!codecs.any()) {
        out = rows;
        return out;
    }
    const qsizetype n = rows.size();
    out.reserve(n, rows.payloadBytes() + n * 8);
    QByteArray scratch;
    Error error;
    for (qsizetype row = 0; row < n; ++row) {
        if (rows.generate(row))
            return rowError(row, "generate", QStringLiteral("a generator row must be expanded before it is "
                                                            "serialized"));
        Message m = rows.at(row);
        if (codecs.key && !encodePart(m.key, *codecs.key, row, "key", scratch, error))
            return error;
        if (codecs.value && !encodePart(m.value, *codecs.value, row, "value", scratch, error))
            return error;
        out.append(m);
    }
    return out;
}

} // namespace kbatch::core

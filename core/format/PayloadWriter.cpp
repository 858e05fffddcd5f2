#include "PayloadWriter.h"

#include "JsonReader.h"
#include "JsonText.h"
#include "JsonWriter.h"

#include <QString>

namespace kbatch::core {

namespace {

void appendTextOrBase64(QByteArray &out, const QByteArray &bytes)
{
    if (JsonReader::isValidUtf8(bytes)) {
        appendJsonString(out, bytes);
    } else {
        out.append("{\"base64\": \"");
        out.append(bytes.toBase64());
        out.append("\"}");
    }
}

void append(QByteArray &out, const Payload &payload, int level, bool pretty)
{
    if (payload.isNull()) {
        out.append("null");
        return;
    }
    const QByteArray &bytes = *payload.bytes;
    switch (payload.encoding) {
    case Encoding::Json: {
        const qsizetype before = out.size();
        out.append(pretty ? "{\"json\": " : "{\"json\":");
        const Status written = pretty ? appendPrettyJson(out, bytes, 2, level) : appendCompactJson(out, bytes);
        if (written.ok()) {
            out.append('}');
            return;
        }
        out.truncate(before);
        appendTextOrBase64(out, bytes);
        return;
    }
    case Encoding::Base64:
        out.append(pretty ? "{\"base64\": \"" : "{\"base64\":\"");
        out.append(bytes.toBase64());
        out.append("\"}");
        return;
    case Encoding::Text:
        break;
    }
    if (pretty) {
        appendTextOrBase64(out, bytes);
    } else if (JsonReader::isValidUtf8(bytes)) {
        appendJsonString(out, bytes);
    } else {
        out.append("{\"base64\":\"");
        out.append(bytes.toBase64());
        out.append("\"}");
    }
}

} // namespace

void appendPayload(QByteArray &out, const Payload &payload, int level)
{
    append(out, payload, level, true);
}

void appendPayloadCompact(QByteArray &out, const Payload &payload)
{
    append(out, payload, 0, false);
}

void appendHeaderName(QByteArray &out, const QByteArray &name)
{
    if (JsonReader::isValidUtf8(name))
        appendJsonString(out, name);
    else
        appendJsonString(out, QString::fromUtf8(name).toUtf8());
}

} // namespace kbatch::core

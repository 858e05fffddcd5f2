#include "JsonWriter.h"

#include "JsonReader.h"

namespace kbatch::core {

namespace {

void newline(QByteArray &out, int level)
{
    out.append('\n');
    out.append(QByteArray(qsizetype(level) * 2, ' '));
}

bool prettyWalk(JsonReader &r, QByteArray &out, int level)
{
    switch (r.peek()) {
    case JsonReader::Kind::Object: {
        if (!r.beginObject())
            return false;
        QByteArray name;
        QByteArray raw;
        bool any = false;
        // Names are re-emitted as written (escapes included), so compact -> pretty -> compact gives the same bytes.
        while (r.nextMember(name, &raw)) {
            out.append(any ? "," : "{");
            newline(out, level + 1);
            out.append(raw);
            out.append(": ");
            if (!prettyWalk(r, out, level + 1))
                return false;
            any = true;
        }
        if (r.hasError())
            return false;
        if (any) {
            newline(out, level);
            out.append('}');
        } else {
            out.append("{}");
        }
        return true;
    }
    case JsonReader::Kind::Array: {
        if (!r.beginArray())
            return false;
        bool any = false;
        while (r.nextElement()) {
            out.append(any ? "," : "[");
            newline(out, level + 1);
            if (!prettyWalk(r, out, level + 1))
                return false;
            any = true;
        }
        if (r.hasError())
            return false;
        if (any) {
            newline(out, level);
            out.append(']');
        } else {
            out.append("[]");
        }
        return true;
    }
    default:
        return r.copyCompact(out);
    }
}

} // namespace

bool prettyJson(QByteArrayView json, QByteArray &out, int indent)
{
    JsonReader r(json);
    const qsizetype before = out.size();
    if (prettyWalk(r, out, indent) && r.expectEnd())
        return true;
    out.truncate(before);
    return false;
}

QByteArray compactJson(QByteArrayView json, bool *ok)
{
    JsonReader r(json);
    QByteArray out;
    out.reserve(json.size());
    const bool good = r.copyCompact(out) && r.expectEnd();
    if (ok)
        *ok = good;
    return good ? out : QByteArray();
}

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    appendJsonEscaped(out, utf8);
    out.append('"');
}

void appendJsonEscaped(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = utf8.data();
    const qsizetype n = utf8.size();
    qsizetype run = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(p + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        default: {
            const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(esc, 6);
        }
        }
    }
    out.append(p + run, n - run);
}

} // namespace kbatch::core

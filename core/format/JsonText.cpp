#include "JsonText.h"

#include "JsonReader.h"
#include "JsonWriter.h"
#include "core/model/Printable.h"

#include <vector>

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;

// Where the reader is in the value, for an error: a member's name or an element's index per level.
struct PathSegment
{
    QByteArray name;
    qsizetype index = -1; // >= 0: an array element
};

bool isIdentifier(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

QString pathText(const std::vector<PathSegment> &path)
{
    QString out = QStringLiteral("$");
    for (const PathSegment &s : path) {
        if (s.index >= 0) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
        } else if (isIdentifier(s.name)) {
            out += QLatin1Char('.') + QString::fromLatin1(s.name);
        } else {
            // Names come from the user's text: escaped for display and cut, in JSON string syntax.
            QByteArray quoted;
            appendJsonString(quoted, s.name);
            out += QLatin1Char('[') + printableCut(QString::fromUtf8(quoted)) + QLatin1Char(']');
        }
    }
    return out;
}

// Walks one value keeping the path, only to describe an error: the fast paths below use the reader alone and call
// this when they fail. The reader is the same, so it stops at the same place with the same text.
bool walkWithPath(JsonReader &r, std::vector<PathSegment> &path)
{
    switch (r.peek()) {
    case Kind::Object: {
        if (!r.beginObject())
            return false;
        QByteArray name;
        while (r.nextMember(name)) {
            path.push_back(PathSegment{name, -1});
            if (!walkWithPath(r, path))
                return false;
            path.pop_back();
        }
        return !r.hasError();
    }
    case Kind::Array: {
        if (!r.beginArray())
            return false;
        qsizetype index = 0;
        while (r.nextElement()) {
            path.push_back(PathSegment{{}, index++});
            if (!walkWithPath(r, path))
                return false;
            path.pop_back();
        }
        return !r.hasError();
    }
    default:
        return r.skipValue();
    }
}

Error errorOf(QByteArrayView text)
{
    JsonReader r(text);
    std::vector<PathSegment> path;
    if (walkWithPath(r, path) && r.expectEnd())
        return Error(QStringLiteral("not valid JSON")); // not reached: the caller saw an error
    if (r.errorText() == QLatin1String("unexpected end of the input, expected a value") && path.empty() &&
        text.trimmed().isEmpty())
        return Error(QStringLiteral("empty: expected a JSON value"), QString(), r.errorLine(), r.errorColumn(),
                     pathText(path));
    return Error(r.errorText(), QString(), r.errorLine(), r.errorColumn(), pathText(path));
}

void newline(QByteArray &out, int spaces)
{
    out.append('\n');
    out.append(QByteArray(spaces, ' '));
}

bool prettyWalk(JsonReader &r, QByteArray &out, int indent, int level)
{
    switch (r.peek()) {
    case Kind::Object: {
        if (!r.beginObject())
            return false;
        QByteArray name;
        QByteArray raw;
        bool any = false;
        // Names are written as they were (escapes included), so compact -> pretty -> compact gives the same bytes.
        while (r.nextMember(name, &raw)) {
            out.append(any ? "," : "{");
            newline(out, (level + 1) * indent);
            out.append(raw);
            out.append(": ");
            if (!prettyWalk(r, out, indent, level + 1))
                return false;
            any = true;
        }
        if (r.hasError())
            return false;
        if (any) {
            newline(out, level * indent);
            out.append('}');
        } else {
            out.append("{}");
        }
        return true;
    }
    case Kind::Array: {
        if (!r.beginArray())
            return false;
        bool any = false;
        while (r.nextElement()) {
            out.append(any ? "," : "[");
            newline(out, (level + 1) * indent);
            if (!prettyWalk(r, out, indent, level + 1))
                return false;
            any = true;
        }
        if (r.hasError())
            return false;
        if (any) {
            newline(out, level * indent);
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

Status validateJson(QByteArrayView text)
{
    JsonReader r(text);
    if (r.skipValue() && r.expectEnd())
        return Ok{};
    return errorOf(text);
}

Status appendCompactJson(QByteArray &out, QByteArrayView text)
{
    const qsizetype before = out.size();
    JsonReader r(text);
    if (r.copyCompact(out) && r.expectEnd())
        return Ok{};
    out.truncate(before);
    return errorOf(text);
}

Result<QByteArray> compactJson(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    if (Status s = appendCompactJson(out, text); !s.ok())
        return s.error();
    return out;
}

Status appendPrettyJson(QByteArray &out, QByteArrayView text, int indent, int level)
{
    const qsizetype before = out.size();
    JsonReader r(text);
    if (prettyWalk(r, out, std::max(indent, 0), std::max(level, 0)) && r.expectEnd())
        return Ok{};
    out.truncate(before);
    return errorOf(text);
}

Result<QByteArray> prettyJson(QByteArrayView text, int indent)
{
    QByteArray out;
    out.reserve(text.size() * 2);
    if (Status s = appendPrettyJson(out, text, indent, 0); !s.ok())
        return s.error();
    return out;
}

std::optional<InvalidJsonPayload> findInvalidJson(const Batch &batch, qsizetype row)
{
    if (!batch.keyIsNull(row) && batch.keyEncoding(row) == Encoding::Json)
        if (Status s = validateJson(batch.key(row)); !s.ok())
            return InvalidJsonPayload{QStringLiteral("key"), s.error()};
    if (!batch.valueIsNull(row) && batch.valueEncoding(row) == Encoding::Json)
        if (Status s = validateJson(batch.value(row)); !s.ok())
            return InvalidJsonPayload{QStringLiteral("value"), s.error()};
    for (const Header &h : batch.headers(row)) {
        if (h.value.isNull() || h.value.encoding != Encoding::Json)
            continue;
        if (Status s = validateJson(*h.value.bytes); !s.ok())
            return InvalidJsonPayload{QStringLiteral("header %1").arg(quotedName(QString::fromUtf8(h.name))),
                                      s.error()};
    }
    return std::nullopt;
}

bool decodeJsonStringContent(QByteArrayView content, QByteArray &out)
{
    QByteArray quoted;
    quoted.reserve(content.size() + 2);
    quoted.append('"').append(content).append('"');
    JsonReader r(quoted);
    return r.readString(out) && r.expectEnd();
}

} // namespace kbatch::core

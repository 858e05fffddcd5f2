#include "JsonMerge.h"

#include "core/format/JsonReader.h"

#include <QList>

#include <utility>

namespace kbatch::core {

namespace {

struct Member
{
    QByteArray name;  // decoded, for matching
    QByteArray raw;   // as written, quotes included
    QByteArray value; // compact
};

// The members of the object `json` holds; false when it is no object (or not valid JSON).
bool readObject(QByteArrayView json, QList<Member> &out)
{
    JsonReader reader(json);
    if (reader.peek() != JsonReader::Kind::Object || !reader.beginObject())
        return false;
    Member m;
    while (reader.nextMember(m.name, &m.raw)) {
        m.value.clear();
        if (!reader.copyCompact(m.value))
            return false;
        out.append(m);
    }
    return !reader.hasError() && reader.expectEnd();
}

QByteArray compact(QByteArrayView json)
{
    JsonReader reader(json);
    QByteArray out;
    if (!reader.copyCompact(out) || !reader.expectEnd())
        return json.toByteArray();
    return out;
}

} // namespace

QByteArray mergeJsonOver(QByteArrayView base, QByteArrayView over)
{
    if (over.trimmed().isEmpty())
        return compact(base);
    QList<Member> b, o;
    if (!readObject(base, b) || !readObject(over, o))
        return compact(over);
    for (const Member &m : std::as_const(o)) {
        const bool known = std::any_of(b.cbegin(), b.cend(), [&m](const Member &x) { return x.name == m.name; });
        if (!known)
            return compact(over);
    }
    QByteArray out;
    out.reserve(base.size() + over.size());
    out.append('{');
    for (qsizetype i = 0; i < b.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(b[i].raw);
        out.append(':');
        const auto mine = std::find_if(o.cbegin(), o.cend(), [&](const Member &x) { return x.name == b[i].name; });
        out.append(mine == o.cend() ? b[i].value : mergeJsonOver(b[i].value, mine->value));
    }
    out.append('}');
    return out;
}

} // namespace kbatch::core

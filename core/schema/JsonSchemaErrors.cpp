// The message for a row valijson refuses: its JSON path, the reason in the house's words, and the line and column of
// the value at fault in the row as written.

#include "JsonSchemaErrors.h"

#include "JsonSchemaDocuments.h"
#include "core/format/JsonReader.h"

#include <QStringList>

namespace kbatch::core {

using ojson = nlohmann::ordered_json;

namespace {

struct Step
{
    bool isIndex = false;
    std::size_t index = 0;
    std::string key;
};

} // namespace

QString describeJson(const nlohmann::json &v)
{
    switch (v.type()) {
    case nlohmann::json::value_t::object:
        return QStringLiteral("an object");
    case nlohmann::json::value_t::array:
        return QStringLiteral("an array");
    case nlohmann::json::value_t::string:
        return QStringLiteral("a string");
    case nlohmann::json::value_t::boolean:
        return QStringLiteral("a boolean");
    case nlohmann::json::value_t::null:
        return QStringLiteral("null");
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
        return QStringLiteral("an integer");
    default:
        return QStringLiteral("a number");
    }
}

namespace {

// A value as it appears in a message: its JSON, cut short.
QString preview(const nlohmann::json &v)
{
    QString text = QString::fromStdString(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (text.size() > 40)
        text = text.left(37) + QStringLiteral("...");
    return text;
}

QString pathText(const std::vector<Step> &steps)
{
    QString out = QStringLiteral("$");
    for (const Step &s : steps) {
        if (s.isIndex) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
            continue;
        }
        bool plain = !s.key.empty();
        for (std::size_t c = 0; c < s.key.size() && plain; ++c) {
            const char ch = s.key[c];
            plain =
                (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (c > 0 && ch >= '0' && ch <= '9');
        }
        if (plain) {
            out += QLatin1Char('.') + QString::fromStdString(s.key);
        } else {
            QString key = QString::fromStdString(s.key);
            key.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
            out += QLatin1String("[\"") + key + QLatin1String("\"]");
        }
    }
    return out;
}

// valijson's context ("<root>", "[items]", "[2]") as steps, told apart by the value they walk through (a property
// named "2" and the third element look the same in it); `at` ends on the value at fault.
std::vector<Step> stepsOf(const std::vector<std::string> &context, const nlohmann::json &doc, const nlohmann::json *&at)
{
    std::vector<Step> steps;
    at = &doc;
    for (std::size_t i = 1; i < context.size(); ++i) {
        const std::string &c = context[i];
        const std::string name = c.size() >= 2 ? c.substr(1, c.size() - 2) : c;
        Step s;
        if (at && at->is_array()) {
            s.isIndex = true;
            s.index = std::size_t(std::strtoull(name.c_str(), nullptr, 10));
            at = s.index < at->size() ? &(*at)[s.index] : nullptr;
        } else {
            s.key = name;
            if (at && at->is_object()) {
                const auto it = at->find(name);
                at = it == at->end() ? nullptr : &*it;
            } else {
                at = nullptr;
            }
        }
        steps.push_back(std::move(s));
    }
    return steps;
}

// The subschema that applies at `steps`, as far as properties, items and references say (compositions such as
// allOf are not looked into): for the expected type, pattern or enum in a message. Null when unknown.
const ojson *schemaAt(const JsonSchemaDocuments &docs, const std::vector<Step> &steps)
{
    const ojson *base = &docs.root;
    const ojson *node = docs.resolve(&docs.root, base);
    for (const Step &s : steps) {
        if (!node || !node->is_object())
            return nullptr;
        const ojson *next = nullptr;
        if (s.isIndex) {
            const auto items = node->find("items");
            if (items != node->end() && items->is_object())
                next = &*items;
            else if (items != node->end() && items->is_array() && s.index < items->size())
                next = &(*items)[s.index];
        } else {
            const auto props = node->find("properties");
            if (props != node->end() && props->is_object()) {
                const auto p = props->find(s.key);
                if (p != props->end())
                    next = &*p;
            }
            if (!next) {
                const auto extra = node->find("additionalProperties");
                if (extra != node->end() && extra->is_object())
                    next = &*extra;
            }
        }
        node = next ? docs.resolve(next, base) : nullptr;
    }
    return node;
}

QString typesOf(const ojson &schema)
{
    const auto t = schema.find("type");
    if (t == schema.end())
        return {};
    if (t->is_string())
        return QString::fromStdString(t->get<std::string>());
    QStringList names;
    if (t->is_array()) {
        for (const ojson &n : *t) {
            if (n.is_string())
                names << QString::fromStdString(n.get<std::string>());
        }
    }
    return names.join(QLatin1String(" or "));
}

// valijson's description, said the house's way where the schema tells more.
QString reason(const std::string &description, const nlohmann::json *value, const ojson *schema)
{
    const QString d = QString::fromStdString(description);
    if (d.startsWith(QLatin1String("Value type not permitted")) && value) {
        const QString types = schema ? typesOf(*schema) : QString();
        return types.isEmpty() ? QStringLiteral("%1 is not of a type the schema allows").arg(describeJson(*value))
                               : QStringLiteral("expected %1, got %2").arg(types, describeJson(*value));
    }
    if (d.startsWith(QLatin1String("Missing required property"))) {
        QString text = d;
        text[0] = text[0].toLower();
        return text.endsWith(QLatin1Char('.')) ? text.chopped(1) : text;
    }
    if (d.startsWith(QLatin1String("Failed to match regex")) && value) {
        const auto p = schema ? schema->find("pattern") : ojson::const_iterator();
        if (schema && p != schema->end() && p->is_string())
            return QStringLiteral("%1 does not match the pattern %2")
                .arg(preview(*value), QString::fromStdString(p->get<std::string>()));
        return QStringLiteral("%1 does not match the schema's pattern").arg(preview(*value));
    }
    if (d.startsWith(QLatin1String("Failed to match against any enum")) && value) {
        const auto e = schema ? schema->find("enum") : ojson::const_iterator();
        if (schema && e != schema->end() && e->is_array()) {
            QStringList values;
            for (const ojson &v : *e) {
                if (values.size() == 8) {
                    values << QStringLiteral("...");
                    break;
                }
                values << QString::fromStdString(v.dump());
            }
            return QStringLiteral("%1 is not one of %2").arg(preview(*value), values.join(QLatin1String(", ")));
        }
        return QStringLiteral("%1 is not one of the enum's values").arg(preview(*value));
    }
    QString text = d;
    if (!text.isEmpty())
        text[0] = text[0].toLower();
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return value && !value->is_object() && !value->is_array() ? text + QStringLiteral(" (got %1)").arg(preview(*value))
                                                              : text;
}

// The place in `json` (the row as written) of the value at `steps`: its line and column, for the message.
bool locate(JsonReader &r, const std::vector<Step> &steps, std::size_t i, JsonReader::Mark &at)
{
    if (i == steps.size()) {
        at = r.mark();
        return true;
    }
    const Step &s = steps[i];
    if (s.isIndex) {
        if (!r.beginArray())
            return false;
        std::size_t n = 0;
        while (r.nextElement()) {
            if (n++ == s.index)
                return locate(r, steps, i + 1, at);
            if (!r.skipValue())
                return false;
        }
        return false;
    }
    if (!r.beginObject())
        return false;
    QByteArray name;
    while (r.nextMember(name)) {
        if (name.toStdString() == s.key)
            return locate(r, steps, i + 1, at);
        if (!r.skipValue())
            return false;
    }
    return false;
}

} // namespace

Error jsonSchemaFailure(const JsonSchemaDocuments &documents, const std::vector<std::string> &context,
                        const std::string &description, const nlohmann::json &doc, QByteArrayView json)
{
    const nlohmann::json *value = nullptr;
    const std::vector<Step> steps = stepsOf(context, doc, value);
    const QString text = reason(description, value, schemaAt(documents, steps));
    JsonReader r(json);
    JsonReader::Mark at;
    if (locate(r, steps, 0, at))
        return Error(text, {}, at.line, r.column(at), pathText(steps));
    return Error(text, {}, 0, 0, pathText(steps));
}

} // namespace kbatch::core

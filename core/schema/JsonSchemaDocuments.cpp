// JsonSchemaDocuments: the schema and its references read, checked and compiled by valijson, and how "$ref"s resolve.

#include "JsonSchemaDocuments.h"

#include "JsonSchemaErrors.h"
#include "core/format/JsonReader.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>

#include <QList>
#include <QPair>

#include <algorithm>
#include <cmath>
#include <exception>

namespace kbatch::core {

using ojson = nlohmann::ordered_json;

namespace {

// What valijson is handed differs from the schema in two ways. It calls "format" on whatever value it meets and
// throws on a number: every "format" goes inside a condition that applies it to strings only (draft 7: if/then;
// drafts 3 and 4: anyOf), and formats valijson does not know are dropped (it would not check them anyway). And a
// "multipleOf" with a fractional divisor is dropped (see below).
void guardFormats(nlohmann::json &schema, bool draft7);

void guardEach(nlohmann::json &holder, bool draft7)
{
    if (holder.is_object()) {
        for (auto &[name, sub] : holder.items()) {
            (void)name;
            guardFormats(sub, draft7);
        }
    }
}

void guardFormats(nlohmann::json &schema, bool draft7)
{
    if (!schema.is_object())
        return;
    for (const char *map : {"properties", "patternProperties", "definitions", "$defs", "dependencies"}) {
        if (const auto it = schema.find(map); it != schema.end())
            guardEach(*it, draft7);
    }
    for (const char *one :
         {"additionalItems", "additionalProperties", "contains", "propertyNames", "if", "then", "else", "not"}) {
        if (const auto it = schema.find(one); it != schema.end())
            guardFormats(*it, draft7);
    }
    for (const char *list : {"items", "allOf", "anyOf", "oneOf"}) {
        if (const auto it = schema.find(list); it != schema.end()) {
            if (it->is_array()) {
                for (nlohmann::json &sub : *it)
                    guardFormats(sub, draft7);
            } else {
                guardFormats(*it, draft7);
            }
        }
    }
    // valijson checks multipleOf as remainder(value, divisor) <= epsilon: 100 is then no multiple of 0.01 (0.01 is
    // not a binary fraction). A fractional divisor is left to the registry's consumers rather than refuse valid rows.
    if (const auto m = schema.find("multipleOf");
        m != schema.end() && m->is_number() && m->get<double>() != std::floor(m->get<double>()))
        schema.erase(m);
    const auto f = schema.find("format");
    if (f == schema.end())
        return;
    const nlohmann::json format = *f;
    schema.erase(f);
    if (!format.is_string() || (format != "date" && format != "time" && format != "date-time"))
        return;
    nlohmann::json guard;
    if (draft7) {
        guard = {{"if", {{"type", "string"}}}, {"then", {{"format", format}}}};
    } else {
        guard = {{"anyOf", nlohmann::json::array(
                               {{{"type", nlohmann::json::array({"object", "array", "number", "boolean", "null"})}},
                                {{"format", format}}})}};
    }
    auto all = schema.find("allOf");
    if (all == schema.end() || !all->is_array())
        schema["allOf"] = nlohmann::json::array({guard});
    else
        all->push_back(guard);
}

Result<ojson> parseDocument(const QByteArray &text, const QString &what)
{
    JsonReader r(text);
    QByteArray compact;
    if (!r.copyCompact(compact) || !r.expectEnd())
        return Error(QStringLiteral("%1: %2").arg(what, r.errorText()), {}, r.errorLine(), r.errorColumn());
    ojson doc = ojson::parse(compact.constData(), compact.constData() + compact.size(), nullptr, false);
    if (doc.is_discarded())
        return Error(QStringLiteral("%1: a number is out of the range of a double").arg(what));
    if (doc.is_boolean()) // draft 6 and later: true takes everything, false nothing
        return doc.get<bool>() ? ojson::object() : ojson{{"not", ojson::object()}};
    if (!doc.is_object())
        return Error(QStringLiteral("%1: expected a JSON Schema (an object), got %2")
                         .arg(what, describeJson(nlohmann::json(doc))));
    return doc;
}

// Schemas nest at most this deep (JSON levels): valijson recurses once per level, and a schema is not trusted input.
constexpr int MaxSchemaDepth = 128;

int depthOf(const ojson &v, int depth)
{
    if (depth > MaxSchemaDepth || !v.is_structured())
        return depth;
    int deepest = depth;
    for (const ojson &child : v) {
        deepest = std::max(deepest, depthOf(child, depth + 1));
        if (deepest > MaxSchemaDepth)
            break;
    }
    return deepest;
}

// A "$ref" whose target is another bare "$ref", around in a circle ({"$ref": "#"}), makes valijson recurse until the
// stack runs out: found here first. False when `v` holds one; `where` is then the reference.
bool refsEnd(const JsonSchemaDocuments &docs, const ojson &doc, const ojson &v, std::string &where)
{
    if (v.is_object()) {
        if (const auto ref = v.find("$ref"); ref != v.end() && ref->is_string()) {
            const ojson *base = &doc;
            const ojson *n = &v;
            for (int hops = 0; n && n->is_object(); ++hops) {
                const auto next = n->find("$ref");
                if (next == n->end() || !next->is_string())
                    break;
                if (hops > 32) {
                    where = ref->get<std::string>();
                    return false;
                }
                n = docs.follow(next->get<std::string>(), base);
            }
        }
    }
    if (v.is_structured()) {
        for (const ojson &child : v) {
            if (!refsEnd(docs, doc, child, where))
                return false;
        }
    }
    return true;
}

std::string lastSegment(const std::string &uri)
{
    const std::size_t slash = uri.find_last_of('/');
    return slash == std::string::npos ? uri : uri.substr(slash + 1);
}

} // namespace

const ojson *JsonSchemaDocuments::document(const std::string &uri) const
{
    std::string u = uri;
    while (!u.empty() && u.back() == '#')
        u.pop_back();
    if (const auto it = names.find(u); it != names.end())
        return &referenced[it->second];
    const std::string last = lastSegment(u);
    for (const auto &[name, index] : names) {
        if (!last.empty() && lastSegment(name) == last)
            return &referenced[index];
    }
    return nullptr;
}

const ojson *JsonSchemaDocuments::follow(const std::string &ref, const ojson *&base) const
{
    const std::size_t hash = ref.find('#');
    const std::string uri = ref.substr(0, hash);
    const std::string pointer = hash == std::string::npos ? std::string() : ref.substr(hash + 1);
    const ojson *doc = uri.empty() ? base : document(uri);
    if (!doc)
        return nullptr;
    base = doc;
    if (pointer.empty())
        return doc;
    try {
        const ojson::json_pointer p(pointer);
        return doc->contains(p) ? &doc->at(p) : nullptr;
    } catch (const std::exception &) { // not a JSON pointer
        return nullptr;
    }
}

const ojson *JsonSchemaDocuments::resolve(const ojson *node, const ojson *&base) const
{
    for (int hops = 0; node && hops < 16; ++hops) {
        if (!node->is_object())
            return node;
        const auto ref = node->find("$ref");
        if (ref == node->end() || !ref->is_string())
            return node;
        node = follow(ref->get<std::string>(), base);
    }
    return nullptr;
}

Result<std::shared_ptr<const JsonSchemaDocuments>> JsonSchemaDocuments::load(const ResolvedSchema &resolved)
{
    auto docs = std::make_shared<JsonSchemaDocuments>();
    auto root = parseDocument(resolved.schema.text, QStringLiteral("the schema"));
    if (!root)
        return root.error();
    docs->root = std::move(root.value());
    for (const Schema &ref : resolved.referenced) {
        if (ref.format != SchemaFormat::JsonSchema)
            return Error(QStringLiteral("referenced schema %1 is %2, not JSON Schema")
                             .arg(ref.subject, displayName(ref.format)));
        auto doc = parseDocument(ref.text, QStringLiteral("referenced schema %1").arg(ref.subject));
        if (!doc)
            return doc.error();
        docs->referenced.push_back(std::move(doc.value()));
    }
    // Each reference's name to the schema it names (a reference is to a subject and version).
    QList<const Schema *> all{&resolved.schema};
    for (const Schema &s : resolved.referenced)
        all.append(&s);
    for (const Schema *s : all) {
        for (const SchemaReference &r : s->references) {
            for (qsizetype i = 0; i < resolved.referenced.size(); ++i) {
                const Schema &candidate = resolved.referenced[i];
                if (candidate.subject == r.subject && (candidate.version == r.version || r.version <= 0))
                    docs->names.emplace(r.name.toStdString(), std::size_t(i));
            }
        }
    }
    for (std::size_t i = 0; i < docs->referenced.size(); ++i) {
        for (const char *id : {"$id", "id"}) {
            const auto it = docs->referenced[i].find(id);
            if (it != docs->referenced[i].end() && it->is_string())
                docs->names.emplace(it->get<std::string>(), i);
        }
    }
    if (const auto t = docs->root.find("title"); t != docs->root.end() && t->is_string())
        docs->title = QString::fromStdString(t->get<std::string>());

    QList<QPair<const ojson *, QString>> documents{{&docs->root, QStringLiteral("the schema")}};
    for (std::size_t i = 0; i < docs->referenced.size(); ++i)
        documents.append({&docs->referenced[i],
                          QStringLiteral("referenced schema %1").arg(resolved.referenced[qsizetype(i)].subject)});
    for (const auto &[doc, what] : documents) {
        if (depthOf(*doc, 0) > MaxSchemaDepth)
            return Error(QStringLiteral("%1: nested more than %2 levels deep").arg(what).arg(MaxSchemaDepth));
        std::string where;
        if (!refsEnd(*docs, *doc, *doc, where))
            return Error(QStringLiteral("%1: $ref '%2' leads in a circle of references to references")
                             .arg(what, QString::fromStdString(where)));
    }

    auto version = valijson::SchemaParser::kDraft7;
    if (const auto s = docs->root.find("$schema"); s != docs->root.end() && s->is_string()) {
        const std::string uri = s->get<std::string>();
        if (uri.find("draft-03") != std::string::npos)
            version = valijson::SchemaParser::kDraft3;
        else if (uri.find("draft-04") != std::string::npos)
            version = valijson::SchemaParser::kDraft4;
    }
    const bool draft7 = version == valijson::SchemaParser::kDraft7;
    try {
        nlohmann::json guarded(docs->root);
        guardFormats(guarded, draft7);
        docs->schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(version);
        const JsonSchemaDocuments *d = docs.get();
        std::string missing;
        const auto fetch = [d, draft7, &missing](const std::string &uri) -> const nlohmann::json * {
            const ojson *doc = d->document(uri);
            if (!doc) {
                missing = uri;
                return nullptr;
            }
            auto *copy = new nlohmann::json(*doc);
            guardFormats(*copy, draft7);
            return copy;
        };
        const auto release = [](const nlohmann::json *doc) { delete doc; };
        try {
            parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(guarded), *docs->schema, fetch, release);
        } catch (const std::exception &e) {
            if (!missing.empty())
                return Error(QStringLiteral("the schema: $ref '%1' is neither in the schema nor one of its references "
                                            "(by name)")
                                 .arg(QString::fromStdString(missing)));
            return Error(QStringLiteral("the schema: %1").arg(QString::fromUtf8(e.what())));
        }
    } catch (const std::exception &e) {
        return Error(QStringLiteral("the schema: %1").arg(QString::fromUtf8(e.what())));
    }
    docs->fast = JsonSchemaFast::compile(*docs);
    return std::shared_ptr<const JsonSchemaDocuments>(std::move(docs));
}

} // namespace kbatch::core

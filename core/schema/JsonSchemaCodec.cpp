#include "JsonSchemaCodec.h"

#include "JsonSchemaDocuments.h"
#include "JsonSchemaSamples.h"
#include "core/format/JsonReader.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <exception>

namespace kbatch::core {

using ojson = nlohmann::ordered_json;

// One encoder's state: valijson's validator (it caches compiled patterns, so it is kept) and the row buffers.
struct JsonSchemaWorker
{
    valijson::Validator validator;
    JsonReader reader{QByteArrayView()};
    JsonReader quickReader{QByteArrayView()};
    QByteArray compact;
};

namespace {

constexpr std::size_t MaxIdleWorkers = 8;

struct Step
{
    bool isIndex = false;
    std::size_t index = 0;
    std::string key;
};

QString describe(const nlohmann::json &v)
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
        return types.isEmpty() ? QStringLiteral("%1 is not of a type the schema allows").arg(describe(*value))
                               : QStringLiteral("expected %1, got %2").arg(types, describe(*value));
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
        return Error(
            QStringLiteral("%1: expected a JSON Schema (an object), got %2").arg(what, describe(nlohmann::json(doc))));
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

JsonSchemaCodec::JsonSchemaCodec(std::shared_ptr<const JsonSchemaDocuments> documents)
    : m_documents(std::move(documents))
{}

JsonSchemaCodec::~JsonSchemaCodec()
{
    delete m_idle.exchange(nullptr);
}

Result<std::shared_ptr<const JsonSchemaCodec>> JsonSchemaCodec::compile(const ResolvedSchema &resolved)
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
    return std::shared_ptr<const JsonSchemaCodec>(new JsonSchemaCodec(std::move(docs)));
}

std::unique_ptr<JsonSchemaWorker> JsonSchemaCodec::takeWorker() const
{
    if (JsonSchemaWorker *idle = m_idle.exchange(nullptr, std::memory_order_acquire))
        return std::unique_ptr<JsonSchemaWorker>(idle);
    {
        const std::lock_guard<std::mutex> lock(m_poolMutex);
        if (!m_pool.empty()) {
            auto worker = std::move(m_pool.back());
            m_pool.pop_back();
            return worker;
        }
    }
    return std::make_unique<JsonSchemaWorker>();
}

void JsonSchemaCodec::giveBack(std::unique_ptr<JsonSchemaWorker> worker) const
{
    JsonSchemaWorker *expected = nullptr;
    if (m_idle.compare_exchange_strong(expected, worker.get(), std::memory_order_release)) {
        worker.release();
        return;
    }
    const std::lock_guard<std::mutex> lock(m_poolMutex);
    if (m_pool.size() < MaxIdleWorkers)
        m_pool.push_back(std::move(worker));
}

Status JsonSchemaCodec::check(QByteArrayView json, JsonSchemaWorker &w, bool quickCheck) const
{
    w.compact.resize(0);
    w.reader.reset(json);
    if (!w.reader.copyCompact(w.compact) || !w.reader.expectEnd())
        return Error(w.reader.errorText(), {}, w.reader.errorLine(), w.reader.errorColumn(), QStringLiteral("$"));
    // Most rows of most schemas: valid by the quick check, no document built. Its "no" is only a "not sure".
    if (quickCheck && m_documents->fast && m_documents->fast->accepts(w.compact, w.quickReader))
        return Ok{};
    const nlohmann::json doc =
        nlohmann::json::parse(w.compact.constData(), w.compact.constData() + w.compact.size(), nullptr, false);
    if (doc.is_discarded())
        return Error(QStringLiteral("a number is out of the range of a double"), {}, 0, 0, QStringLiteral("$"));
    const valijson::adapters::NlohmannJsonAdapter adapter(doc);
    try {
        if (w.validator.validate(*m_documents->schema, adapter, nullptr))
            return Ok{};
    } catch (const std::exception &) {
        // said below, with the results
    }
    // The slow path, for the one row that fails: every error, and the deepest (the first of those) is the one said.
    valijson::ValidationResults results;
    QString thrown;
    try {
        (void)w.validator.validate(*m_documents->schema, adapter, &results);
    } catch (const std::exception &e) {
        thrown = QString::fromUtf8(e.what());
    }
    valijson::ValidationResults::Error e, best;
    bool have = false;
    while (results.popError(e)) {
        if (!have || e.context.size() > best.context.size()) {
            best = e;
            have = true;
        }
    }
    if (!have)
        return Error(QStringLiteral("the schema's validator failed: %1")
                         .arg(thrown.isEmpty() ? QStringLiteral("no reason given") : thrown),
                     {}, 0, 0, QStringLiteral("$"));
    const nlohmann::json *value = nullptr;
    const std::vector<Step> steps = stepsOf(best.context, doc, value);
    const QString text = reason(best.description, value, schemaAt(*m_documents, steps));
    JsonReader r(json);
    JsonReader::Mark at;
    if (locate(r, steps, 0, at))
        return Error(text, {}, at.line, r.column(at), pathText(steps));
    return Error(text, {}, 0, 0, pathText(steps));
}

Status JsonSchemaCodec::validate(QByteArrayView json, bool quickCheck) const
{
    auto worker = takeWorker();
    const Status result = check(json, *worker, quickCheck);
    giveBack(std::move(worker));
    return result;
}

Status JsonSchemaCodec::encode(QByteArrayView json, QByteArray &out) const
{
    auto worker = takeWorker();
    const Status result = check(json, *worker, true);
    if (result)
        out.append(worker->compact);
    giveBack(std::move(worker));
    return result;
}

Result<QByteArray> JsonSchemaCodec::decode(QByteArrayView payload) const
{
    JsonReader r(payload);
    if (!r.skipValue() || !r.expectEnd())
        return Error(QStringLiteral("the payload is not JSON: %1").arg(r.errorText()), {}, r.errorLine(),
                     r.errorColumn());
    return payload.toByteArray();
}

QByteArray JsonSchemaCodec::skeleton() const
{
    return jsonSchemaSkeleton(*m_documents);
}

QByteArray JsonSchemaCodec::randomValue(Random &random) const
{
    QByteArray value;
    for (int attempt = 0; attempt < 8; ++attempt) {
        value = jsonSchemaRandom(*m_documents, random);
        if (validate(value))
            break;
    }
    return value;
}

bool JsonSchemaCodec::hasQuickCheck() const
{
    return m_documents->fast != nullptr;
}

QString JsonSchemaCodec::recordName() const
{
    return m_documents->title;
}

} // namespace kbatch::core

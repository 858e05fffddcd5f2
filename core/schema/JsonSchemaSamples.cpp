#include "JsonSchemaSamples.h"

#include "JsonSchemaDocuments.h"
#include "core/generate/Random.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kbatch::core {

namespace {

using ojson = nlohmann::ordered_json;

constexpr int MaxDepth = 12;
// An open range of numbers is drawn from this wide a span.
constexpr double OpenSpan = 1000;

// `schema` with the members of `extra` that it lacks; properties and required lists joined.
void merge(ojson &schema, const ojson &extra)
{
    if (!extra.is_object())
        return;
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (it.key() == "properties" && it->is_object() && schema.contains("properties") &&
            schema["properties"].is_object()) {
            for (auto p = it->begin(); p != it->end(); ++p) {
                if (!schema["properties"].contains(p.key()))
                    schema["properties"][p.key()] = *p;
            }
        } else if (it.key() == "required" && it->is_array() && schema.contains("required") &&
                   schema["required"].is_array()) {
            for (const ojson &r : *it)
                schema["required"].push_back(r);
        } else if (!schema.contains(it.key())) {
            schema[it.key()] = *it;
        }
    }
}

class Sampler
{
public:
    Sampler(const JsonSchemaDocuments &docs, Random *random) : m_docs(docs), m_random(random) {}

    ojson value(const ojson *schema, const ojson *base, int depth)
    {
        schema = m_docs.resolve(schema, base);
        if (!schema || !schema->is_object() || depth > MaxDepth)
            return nullptr;
        const ojson &s = *schema;
        if (const auto d = s.find("default"); d != s.end() && (!m_random || pick(4) == 0))
            return *d;
        if (const auto c = s.find("const"); c != s.end())
            return *c;
        if (const auto e = s.find("enum"); e != s.end() && e->is_array() && !e->empty())
            return (*e)[pick(e->size())];
        // Compositions: allOf merged into the schema, one branch of anyOf/oneOf merged into the rest.
        if (s.contains("allOf") || s.contains("anyOf") || s.contains("oneOf")) {
            ojson merged = s;
            merged.erase("allOf");
            merged.erase("anyOf");
            merged.erase("oneOf");
            if (const auto all = s.find("allOf"); all != s.end() && all->is_array()) {
                for (const ojson &part : *all) {
                    const ojson *b = base;
                    if (const ojson *r = m_docs.resolve(&part, b))
                        merge(merged, *r);
                }
            }
            for (const char *choice : {"anyOf", "oneOf"}) {
                if (const auto any = s.find(choice); any != s.end() && any->is_array() && !any->empty()) {
                    const ojson *b = base;
                    if (const ojson *r = m_docs.resolve(&(*any)[pick(any->size())], b))
                        merge(merged, *r);
                }
            }
            return value(&merged, base, depth + 1);
        }
        const std::string type = typeOf(s);
        if (type == "object")
            return object(s, base, depth);
        if (type == "array")
            return array(s, base, depth);
        if (type == "string")
            return string(s);
        if (type == "integer" || type == "number")
            return number(s, type == "integer");
        if (type == "boolean")
            return m_random ? ojson(pick(2) == 1) : ojson(false);
        return nullptr;
    }

private:
    std::uint64_t pick(std::uint64_t n) { return m_random && n > 1 ? m_random->below(n) : 0; }

    std::string typeOf(const ojson &s)
    {
        const auto t = s.find("type");
        if (t != s.end() && t->is_string())
            return t->get<std::string>();
        if (t != s.end() && t->is_array() && !t->empty()) {
            std::vector<std::string> names;
            for (const ojson &n : *t) {
                if (n.is_string() && (m_random || n != "null"))
                    names.push_back(n.get<std::string>());
            }
            if (!names.empty())
                return names[pick(names.size())];
            return "null";
        }
        if (s.contains("properties") || s.contains("required") || s.contains("additionalProperties"))
            return "object";
        if (s.contains("items") || s.contains("minItems") || s.contains("maxItems"))
            return "array";
        if (s.contains("pattern") || s.contains("format") || s.contains("minLength") || s.contains("maxLength"))
            return "string";
        if (s.contains("minimum") || s.contains("maximum") || s.contains("multipleOf"))
            return "number";
        return "null";
    }

    ojson object(const ojson &s, const ojson *base, int depth)
    {
        ojson out = ojson::object();
        std::vector<std::string> required;
        if (const auto r = s.find("required"); r != s.end() && r->is_array()) {
            for (const ojson &n : *r) {
                if (n.is_string())
                    required.push_back(n.get<std::string>());
            }
        }
        const auto isRequired = [&](const std::string &name) {
            return std::find(required.begin(), required.end(), name) != required.end();
        };
        if (const auto props = s.find("properties"); props != s.end() && props->is_object()) {
            for (auto p = props->begin(); p != props->end(); ++p) {
                // Past half the depth only what is required: a recursive schema must end.
                const bool wanted = isRequired(p.key()) || (depth < MaxDepth / 2 && (!m_random || pick(4) != 0));
                if (wanted)
                    out[p.key()] = value(&*p, base, depth + 1);
            }
        }
        for (const std::string &name : required) {
            if (!out.contains(name)) {
                const auto extra = s.find("additionalProperties");
                out[name] = extra != s.end() && extra->is_object() ? value(&*extra, base, depth + 1) : ojson("");
            }
        }
        return out;
    }

    ojson array(const ojson &s, const ojson *base, int depth)
    {
        ojson out = ojson::array();
        const auto items = s.find("items");
        if (items != s.end() && items->is_array()) { // a tuple
            for (const ojson &item : *items)
                out.push_back(value(&item, base, depth + 1));
            return out;
        }
        const std::uint64_t min = s.value("minItems", std::uint64_t(0));
        const std::uint64_t max = s.value("maxItems", min + 3);
        std::uint64_t n = m_random ? min + pick(std::min<std::uint64_t>(max, min + 3) - min + 1)
                                   : std::min<std::uint64_t>(std::max<std::uint64_t>(min, 1), max);
        if (depth >= MaxDepth / 2)
            n = min;
        for (std::uint64_t i = 0; i < n && i < 64; ++i)
            out.push_back(items != s.end() ? value(&*items, base, depth + 1) : ojson(nullptr));
        return out;
    }

    ojson string(const ojson &s)
    {
        const std::uint64_t minLength = s.value("minLength", std::uint64_t(0));
        const std::uint64_t maxLength = s.value("maxLength", minLength + 12);
        if (const auto p = s.find("pattern"); p != s.end() && p->is_string()) {
            if (auto text = sampleForPattern(p->get<std::string>(), m_random))
                return *text;
        }
        if (const auto f = s.find("format"); f != s.end() && f->is_string()) {
            const std::string format = f->get<std::string>();
            const auto n = [this](int below) { return int(pick(std::uint64_t(below))); };
            char buf[64];
            if (format == "date") {
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2000 + n(30), 1 + n(12), 1 + n(28));
                return buf;
            }
            if (format == "time") {
                std::snprintf(buf, sizeof buf, "%02d:%02d:%02dZ", n(24), n(60), n(60));
                return buf;
            }
            if (format == "date-time") {
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", 2000 + n(30), 1 + n(12), 1 + n(28),
                              n(24), n(60), n(60));
                return buf;
            }
            if (format == "email")
                return "user" + std::to_string(n(1000)) + "@example.com";
            if (format == "uuid") {
                std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012llx", unsigned(pick(1ULL << 32)),
                              unsigned(pick(1 << 16)), unsigned(pick(1 << 12)), unsigned(pick(1 << 12)),
                              static_cast<unsigned long long>(pick(1ULL << 48)));
                return buf;
            }
            if (format == "uri" || format == "uri-reference" || format == "iri")
                return "https://example.com/" + std::to_string(n(1000));
            if (format == "hostname")
                return "host" + std::to_string(n(1000)) + ".example.com";
            if (format == "ipv4")
                return std::to_string(n(256)) + "." + std::to_string(n(256)) + "." + std::to_string(n(256)) + "." +
                       std::to_string(n(256));
            if (format == "ipv6")
                return "2001:db8::" + std::to_string(1 + n(9999));
        }
        std::uint64_t length = minLength;
        if (m_random) {
            const std::uint64_t from = std::max<std::uint64_t>(minLength, std::min<std::uint64_t>(1, maxLength));
            const std::uint64_t to = std::max(from, std::min(maxLength, from + 10));
            length = from + pick(to - from + 1);
        }
        std::string out;
        for (std::uint64_t i = 0; i < length && i < 4096; ++i)
            out += m_random ? char('a' + pick(26)) : 'x';
        return out;
    }

    ojson number(const ojson &s, bool integer)
    {
        double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
        bool loOpen = false, hiOpen = false;
        const auto bound = [&s](const char *name, double &v) {
            const auto it = s.find(name);
            if (it == s.end() || !it->is_number())
                return false;
            v = it->get<double>();
            return true;
        };
        double v = 0;
        if (bound("minimum", v))
            lo = v;
        if (bound("maximum", v))
            hi = v;
        if (bound("exclusiveMinimum", v)) // draft 6 and later: a number
            lo = v, loOpen = true;
        if (bound("exclusiveMaximum", v))
            hi = v, hiOpen = true;
        if (const auto f = s.find("exclusiveMinimum"); f != s.end() && f->is_boolean() && f->get<bool>())
            loOpen = true; // draft 4: a flag on minimum
        if (const auto f = s.find("exclusiveMaximum"); f != s.end() && f->is_boolean() && f->get<bool>())
            hiOpen = true;
        double step = integer ? 1 : 0.01;
        if (bound("multipleOf", v) && v > 0)
            step = integer ? std::max(1.0, std::ceil(v)) : v;
        if (integer && bound("multipleOf", v) && v > 0 && std::floor(v) == v)
            step = v;
        // The range in steps: [first, last].
        double first = std::isfinite(lo) ? std::ceil(lo / step) : (std::isfinite(hi) ? std::floor(hi / step) : 0);
        if (std::isfinite(lo) && loOpen && first * step <= lo)
            first += 1;
        double last = std::isfinite(hi) ? std::floor(hi / step) : first + OpenSpan / (integer ? 1 : step * 100);
        if (std::isfinite(hi) && hiOpen && last * step >= hi)
            last -= 1;
        if (!std::isfinite(lo) && std::isfinite(hi))
            first = last - OpenSpan;
        if (!m_random && first <= 0 && last >= 0)
            first = last = 0; // the skeleton's 0, where it fits
        const double span = std::max(0.0, std::min(last - first, 1e15));
        const double k = first + double(pick(std::uint64_t(span) + 1));
        const double out = k * step;
        if (integer && std::abs(out) < 9e15)
            return static_cast<long long>(out);
        return out;
    }

    const JsonSchemaDocuments &m_docs;
    Random *m_random;
};

} // namespace

QByteArray jsonSchemaSkeleton(const JsonSchemaDocuments &documents)
{
    Sampler sampler(documents, nullptr);
    return QByteArray::fromStdString(
        sampler.value(&documents.root, &documents.root, 0).dump(-1, ' ', false, ojson::error_handler_t::replace));
}

QByteArray jsonSchemaRandom(const JsonSchemaDocuments &documents, Random &random)
{
    Sampler sampler(documents, &random);
    return QByteArray::fromStdString(
        sampler.value(&documents.root, &documents.root, 0).dump(-1, ' ', false, ojson::error_handler_t::replace));
}

} // namespace kbatch::core

#include "JsonSchemaFast.h"

#include "JsonSchemaDocuments.h"
#include "core/format/JsonReader.h"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace kbatch::core {

using ojson = nlohmann::ordered_json;

namespace {

enum TypeBit : std::uint8_t {
    NullBit = 1,
    BoolBit = 2,
    ObjectBit = 4,
    ArrayBit = 8,
    StringBit = 16,
    NumberBit = 32,  // any number
    IntegerBit = 64, // integers only (a number also satisfies it when "number" is allowed)
    AllTypes = 127,
};

constexpr int MaxCompileDepth = 64;
constexpr int MaxValueDepth = 200;
// Integers with more digits than this might not be what a double or int64 holds: the quick check is not sure.
constexpr int SafeDigits = 15;

} // namespace

struct JsonSchemaFast::Node
{
    std::uint8_t types = AllTypes;
    std::vector<std::pair<std::string, const Node *>> properties;
    std::uint64_t required = 0; // bits of `properties`
    enum class Extra : std::uint8_t { Any, Forbidden, Schema } extra = Extra::Any;
    const Node *extraNode = nullptr;
    const Node *items = nullptr;
    std::optional<std::uint64_t> minItems, maxItems, minLength, maxLength;
    std::optional<double> minimum, maximum, exclusiveMinimum, exclusiveMaximum;
    bool hasEnum = false;
    std::vector<std::string> enumStrings; // enum and const, both as a list of allowed strings
    std::optional<std::regex> pattern;
};

namespace {

class Compiler
{
public:
    Compiler(const JsonSchemaDocuments &docs, std::vector<std::unique_ptr<JsonSchemaFast::Node>> &nodes)
        : m_docs(docs), m_nodes(nodes)
    {}

    const JsonSchemaFast::Node *compile(const ojson &schema, int depth)
    {
        if (depth > MaxCompileDepth)
            return nullptr;
        const ojson *node = &schema;
        // Draft 7: a $ref's siblings are not read. Only references inside the root document.
        for (int hops = 0; node->is_object() && node->contains("$ref"); ++hops) {
            const ojson &ref = (*node)["$ref"];
            if (hops > 16 || !ref.is_string() || ref.get<std::string>().rfind('#', 0) != 0)
                return nullptr;
            const ojson *base = &m_docs.root;
            node = m_docs.follow(ref.get<std::string>(), base);
            if (!node || base != &m_docs.root)
                return nullptr;
        }
        if (const auto done = m_done.find(node); done != m_done.end())
            return done->second;
        if (node->is_boolean())
            return node->get<bool>() ? make(node) : nullptr;
        if (!node->is_object())
            return nullptr;
        JsonSchemaFast::Node *n = make(node);
        for (auto it = node->begin(); it != node->end(); ++it) {
            if (!keyword(*n, it.key(), *it, depth))
                return nullptr;
        }
        return n;
    }

private:
    JsonSchemaFast::Node *make(const ojson *node)
    {
        m_nodes.push_back(std::make_unique<JsonSchemaFast::Node>());
        m_done[node] = m_nodes.back().get();
        return m_nodes.back().get();
    }

    static std::optional<std::uint64_t> count(const ojson &v)
    {
        if (v.is_number_unsigned())
            return v.get<std::uint64_t>();
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
            return std::uint64_t(v.get<std::int64_t>());
        return std::nullopt;
    }

    bool keyword(JsonSchemaFast::Node &n, const std::string &key, const ojson &v, int depth)
    {
        static const std::set<std::string> annotations = {"title",    "description", "default",  "examples",
                                                          "$comment", "$schema",     "$id",      "definitions",
                                                          "$defs",    "readOnly",    "writeOnly"};
        if (annotations.count(key))
            return key != "$id" || depth == 0; // an inner $id changes how references resolve
        if (key == "type") {
            std::vector<std::string> names;
            if (v.is_string())
                names.push_back(v.get<std::string>());
            else if (v.is_array())
                for (const ojson &t : v) {
                    if (!t.is_string())
                        return false;
                    names.push_back(t.get<std::string>());
                }
            else
                return false;
            n.types = 0;
            for (const std::string &t : names) {
                static const std::map<std::string, std::uint8_t> bits = {
                    {"null", NullBit},     {"boolean", BoolBit},  {"object", ObjectBit},  {"array", ArrayBit},
                    {"string", StringBit}, {"number", NumberBit}, {"integer", IntegerBit}};
                const auto b = bits.find(t);
                if (b == bits.end())
                    return false;
                n.types |= b->second;
            }
            return true;
        }
        if (key == "properties") {
            if (!v.is_object() || v.size() > 64)
                return false;
            for (auto p = v.begin(); p != v.end(); ++p) {
                const JsonSchemaFast::Node *child = compile(*p, depth + 1);
                if (!child)
                    return false;
                n.properties.emplace_back(p.key(), child);
            }
            return requiredBits(n);
        }
        if (key == "required") {
            if (!v.is_array())
                return false;
            for (const ojson &r : v) {
                if (!r.is_string())
                    return false;
                m_required[&n].push_back(r.get<std::string>());
            }
            return requiredBits(n);
        }
        if (key == "additionalProperties") {
            if (v.is_boolean()) {
                n.extra = v.get<bool>() ? JsonSchemaFast::Node::Extra::Any : JsonSchemaFast::Node::Extra::Forbidden;
                return true;
            }
            n.extra = JsonSchemaFast::Node::Extra::Schema;
            n.extraNode = compile(v, depth + 1);
            return n.extraNode != nullptr;
        }
        if (key == "items") {
            if (!v.is_object() && !v.is_boolean())
                return false; // a tuple
            n.items = compile(v, depth + 1);
            return n.items != nullptr;
        }
        if (key == "minItems" || key == "maxItems" || key == "minLength" || key == "maxLength") {
            const auto c = count(v);
            if (!c)
                return false;
            (key == "minItems"    ? n.minItems
             : key == "maxItems"  ? n.maxItems
             : key == "minLength" ? n.minLength
                                  : n.maxLength) = c;
            return true;
        }
        if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum" || key == "exclusiveMaximum") {
            if (!v.is_number())
                return false; // draft 4's boolean form
            (key == "minimum"            ? n.minimum
             : key == "maximum"          ? n.maximum
             : key == "exclusiveMinimum" ? n.exclusiveMinimum
                                         : n.exclusiveMaximum) = v.get<double>();
            return true;
        }
        if (key == "enum" || key == "const") {
            const ojson list = key == "const" ? ojson::array({v}) : v;
            if (!list.is_array() || (n.hasEnum && key == "const"))
                return false;
            if (n.hasEnum) // both: only a value in both passes; not worth the bother
                return false;
            n.hasEnum = true;
            for (const ojson &e : list) {
                if (!e.is_string())
                    return false;
                n.enumStrings.push_back(e.get<std::string>());
            }
            return true;
        }
        if (key == "pattern") {
            if (!v.is_string())
                return false;
            try {
                n.pattern.emplace(v.get<std::string>()); // as valijson makes it: std::regex, ECMAScript
            } catch (const std::exception &) {
                return false;
            }
            return true;
        }
        if (key == "format") // valijson checks these three; the others it does not check at all
            return !(v == "date" || v == "time" || v == "date-time");
        if (key == "multipleOf") // a fractional divisor is not checked (JsonSchemaCodec.cpp); others are not done here
            return v.is_number() && v.get<double>() != std::floor(v.get<double>());
        return false;
    }

    // Required members must be among the properties (the quick check tracks members by their index there).
    bool requiredBits(JsonSchemaFast::Node &n)
    {
        n.required = 0;
        const auto it = m_required.find(&n);
        if (it == m_required.end())
            return true;
        for (const std::string &name : it->second) {
            std::size_t i = 0;
            while (i < n.properties.size() && n.properties[i].first != name)
                ++i;
            if (i == n.properties.size())
                return n.properties.empty() ? true : false; // properties may come later: checked again then
            n.required |= std::uint64_t(1) << i;
        }
        return true;
    }

public:
    // After compiling: a node whose required members are not all among its properties is not covered.
    bool requiredComplete() const
    {
        for (const auto &[node, names] : m_required) {
            for (const std::string &name : names) {
                bool found = false;
                for (const auto &p : node->properties)
                    found = found || p.first == name;
                if (!found)
                    return false;
            }
        }
        return true;
    }

private:
    const JsonSchemaDocuments &m_docs;
    std::vector<std::unique_ptr<JsonSchemaFast::Node>> &m_nodes;
    std::map<const ojson *, const JsonSchemaFast::Node *> m_done;
    std::map<const JsonSchemaFast::Node *, std::vector<std::string>> m_required;
};

bool stringFits(const JsonSchemaFast::Node &n, QByteArrayView s)
{
    if (n.hasEnum) {
        bool found = false;
        for (const std::string &e : n.enumStrings)
            found = found || (qsizetype(e.size()) == s.size() && std::equal(e.begin(), e.end(), s.begin()));
        if (!found)
            return false;
    }
    if (n.minLength || n.maxLength) {
        std::uint64_t chars = 0;
        for (const char c : s) {
            if (c == '\0')
                return false; // valijson counts up to a NUL: not sure
            chars += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
        }
        if ((n.minLength && chars < *n.minLength) || (n.maxLength && chars > *n.maxLength))
            return false;
    }
    if (n.pattern && !std::regex_search(s.begin(), s.end(), *n.pattern))
        return false;
    return true;
}

bool numberFits(const JsonSchemaFast::Node &n, QByteArrayView lexeme)
{
    bool integer = true;
    int digits = 0;
    for (const char c : lexeme) {
        if (c == '.' || c == 'e' || c == 'E')
            integer = false;
        digits += c >= '0' && c <= '9';
    }
    if (integer && digits > SafeDigits)
        return false;
    double v = 0;
    if (!integer || n.minimum || n.maximum || n.exclusiveMinimum || n.exclusiveMaximum) {
        // A number a double cannot hold (1e400) is not for the quick check to judge.
        const auto [end, ec] = std::from_chars(lexeme.begin(), lexeme.end(), v);
        if (ec != std::errc() || end != lexeme.end() || !std::isfinite(v))
            return false;
    }
    if (!(n.types & NumberBit) && !((n.types & IntegerBit) && integer))
        return false;
    if (n.hasEnum)
        return false;
    return !((n.minimum && v < *n.minimum) || (n.maximum && v > *n.maximum) ||
             (n.exclusiveMinimum && v <= *n.exclusiveMinimum) || (n.exclusiveMaximum && v >= *n.exclusiveMaximum));
}

bool valueFits(JsonReader &r, const JsonSchemaFast::Node &n, int depth, QByteArray &scratch);

bool objectFits(JsonReader &r, const JsonSchemaFast::Node &n, int depth, QByteArray &scratch)
{
    if (!(n.types & ObjectBit) || n.hasEnum || !r.beginObject())
        return false;
    std::uint64_t seen = 0;
    QByteArrayView name;
    while (r.nextMemberView(name, scratch)) {
        std::size_t i = 0;
        while (i < n.properties.size() && !(qsizetype(n.properties[i].first.size()) == name.size() &&
                                            std::equal(name.begin(), name.end(), n.properties[i].first.begin())))
            ++i;
        if (i < n.properties.size()) {
            if (seen & (std::uint64_t(1) << i))
                return false; // a duplicate member: which one counts is not sure
            seen |= std::uint64_t(1) << i;
            if (!valueFits(r, *n.properties[i].second, depth + 1, scratch))
                return false;
        } else if (n.extra == JsonSchemaFast::Node::Extra::Schema) {
            if (!valueFits(r, *n.extraNode, depth + 1, scratch))
                return false;
        } else if (n.extra == JsonSchemaFast::Node::Extra::Forbidden || !r.skipValue()) {
            return false;
        }
    }
    return !r.hasError() && (seen & n.required) == n.required;
}

bool valueFits(JsonReader &r, const JsonSchemaFast::Node &n, int depth, QByteArray &scratch)
{
    if (depth > MaxValueDepth)
        return false;
    switch (r.peek()) {
    case JsonReader::Kind::Object:
        return objectFits(r, n, depth, scratch);
    case JsonReader::Kind::Array: {
        if (!(n.types & ArrayBit) || n.hasEnum || !r.beginArray())
            return false;
        std::uint64_t count = 0;
        while (r.nextElement()) {
            ++count;
            if (n.items ? !valueFits(r, *n.items, depth + 1, scratch) : !r.skipValue())
                return false;
        }
        return !r.hasError() && !(n.minItems && count < *n.minItems) && !(n.maxItems && count > *n.maxItems);
    }
    case JsonReader::Kind::String: {
        QByteArrayView s;
        return (n.types & StringBit) && r.readStringView(s, scratch) && stringFits(n, s);
    }
    case JsonReader::Kind::Number: {
        QByteArrayView lexeme;
        return r.readNumber(lexeme) && numberFits(n, lexeme);
    }
    case JsonReader::Kind::True:
    case JsonReader::Kind::False: {
        bool b = false;
        return (n.types & BoolBit) && !n.hasEnum && r.readBool(b);
    }
    case JsonReader::Kind::Null:
        return (n.types & NullBit) && !n.hasEnum && r.readNull();
    default:
        return false;
    }
}

} // namespace

JsonSchemaFast::~JsonSchemaFast() = default;

std::unique_ptr<JsonSchemaFast> JsonSchemaFast::compile(const JsonSchemaDocuments &documents)
{
    if (const auto s = documents.root.find("$schema"); s != documents.root.end()) {
        if (!s->is_string() || s->get<std::string>().find("draft-03") != std::string::npos ||
            s->get<std::string>().find("draft-04") != std::string::npos)
            return nullptr; // drafts 3 and 4 differ in details: valijson alone
    }
    std::unique_ptr<JsonSchemaFast> fast(new JsonSchemaFast);
    Compiler compiler(documents, fast->m_nodes);
    fast->m_root = compiler.compile(documents.root, 0);
    if (!fast->m_root || !compiler.requiredComplete())
        return nullptr;
    return fast;
}

bool JsonSchemaFast::accepts(QByteArrayView compactRow, JsonReader &reader) const
{
    // A \uD800-\uDFFF escape: whether a surrogate pair is whole is nlohmann's to judge (it refuses lone ones).
    for (qsizetype i = compactRow.indexOf('\\'); i >= 0 && i + 2 < compactRow.size();
         i = compactRow.indexOf('\\', i + 2)) {
        if (compactRow[i + 1] == 'u' && (compactRow[i + 2] == 'd' || compactRow[i + 2] == 'D'))
            return false;
    }
    reader.reset(compactRow);
    QByteArray scratch;
    return valueFits(reader, *m_root, 0, scratch) && reader.expectEnd();
}

} // namespace kbatch::core

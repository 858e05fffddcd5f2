// KBatch's JSON (core/format: JsonReader, validateJson, compactJson, prettyJson) against nlohmann::json, an
// independent RFC 8259 parser: both accept exactly the same texts and read the same values from them (structure,
// key order, strings byte for byte, numbers), and compact and pretty forms read back as the same value.
//
// Deliberate differences, which the comparison respects:
//  - A UTF-8 byte order mark before the value: nlohmann skips it; KBatch refuses it, as RFC 8259 section 8.1 lets
//    a parser do. (Template files may start with one: TemplateReader takes it off before the JSON reader sees it.)
//  - A NUL byte: nlohmann takes it for the end of the input (as in a C string) and ignores whatever follows it;
//    KBatch refuses it, as RFC 8259 does: outside a string it is no whitespace, inside one it must be escaped.
//  - Nesting: KBatch refuses values nested more than 512 deep (JsonReader's stack guard); nlohmann has no limit.
//  - Numbers beyond the range of a double (1e400, a 400-digit integer): nlohmann refuses them ("number overflow");
//    KBatch accepts them, since it keeps and sends the number text as written (RFC 8259 section 6 lets a parser
//    limit the range, or not).
//  - Duplicate object keys (allowed by RFC 8259, section 4): KBatch keeps every member as written, in order;
//    nlohmann's ordered_json keeps the first position and the last value. Our members are folded the same way
//    before comparing.
//  - Numbers: nlohmann stores an integer that fits as int64 (negative) or uint64, anything else as a double;
//    KBatch keeps the text, which is read the same way for the comparison.
// Lone surrogates (\ud800), bytes that are not UTF-8, control characters in strings, leading zeros, NaN and
// comments are refused by both: no exception is needed for them.
#include "FuzzSupport.h"
#include "core/format/JsonReader.h"
#include "core/format/JsonText.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;
using kbatch::core::JsonReader;
using Kind = JsonReader::Kind;

constexpr int MaxDepth = 512;

// A value as KBatch reads it.
struct Node
{
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    bool boolean = false;
    std::string text;              // a string's decoded bytes, or a number's lexeme
    std::vector<Node> elements;    // an array's elements, or an object's member values
    std::vector<std::string> keys; // an object's member names, one per element
};

bool read(JsonReader &r, Node &out)
{
    switch (r.peek()) {
    case Kind::Object: {
        out.type = Node::Type::Object;
        if (!r.beginObject())
            return false;
        QByteArray name;
        while (r.nextMember(name)) {
            Node value;
            if (!read(r, value))
                return false;
            // Folded as nlohmann's ordered_json does: the first key's place, the last key's value.
            const std::string key = name.toStdString();
            const auto it = std::find(out.keys.begin(), out.keys.end(), key);
            if (it != out.keys.end()) {
                out.elements[std::size_t(it - out.keys.begin())] = std::move(value);
            } else {
                out.keys.push_back(key);
                out.elements.push_back(std::move(value));
            }
        }
        return !r.hasError();
    }
    case Kind::Array: {
        out.type = Node::Type::Array;
        if (!r.beginArray())
            return false;
        while (r.nextElement()) {
            out.elements.emplace_back();
            if (!read(r, out.elements.back()))
                return false;
        }
        return !r.hasError();
    }
    case Kind::String: {
        out.type = Node::Type::String;
        QByteArray s;
        if (!r.readString(s))
            return false;
        out.text = s.toStdString();
        return true;
    }
    case Kind::Number: {
        out.type = Node::Type::Number;
        QByteArrayView lexeme;
        if (!r.readNumber(lexeme))
            return false;
        out.text = lexeme.toByteArray().toStdString();
        return true;
    }
    case Kind::True:
    case Kind::False:
        out.type = Node::Type::Bool;
        return r.readBool(out.boolean);
    case Kind::Null:
        out.type = Node::Type::Null;
        return r.readNull();
    default:
        return r.skipValue(); // fails, with the reader's error
    }
}

// As nlohmann reads a number that is no int64 or uint64: strtod (underflow gives 0 or a subnormal, no error).
double asDouble(const std::string &lexeme)
{
    return std::strtod(lexeme.c_str(), nullptr);
}

bool isFiniteNumber(const std::string &lexeme)
{
    return std::isfinite(asDouble(lexeme));
}

bool allNumbersFinite(const Node &n)
{
    switch (n.type) {
    case Node::Type::Number:
        return isFiniteNumber(n.text);
    case Node::Type::Array:
    case Node::Type::Object:
        return std::all_of(n.elements.begin(), n.elements.end(), allNumbersFinite);
    default:
        return true;
    }
}

// The lexeme as nlohmann reads it: an integer that fits int64 (negative) or uint64 is an integer (the signedness
// is nlohmann's choice, -0 being a signed 0: compared by value), anything else a double from strtod.
bool sameNumber(const std::string &lexeme, const Json &j)
{
    const char *b = lexeme.data();
    const char *e = b + lexeme.size();
    if (lexeme.find_first_of(".eE") == std::string::npos) {
        if (lexeme[0] == '-') {
            std::int64_t v = 0;
            if (const auto [p, ec] = std::from_chars(b, e, v); ec == std::errc() && p == e)
                return j.is_number_integer() &&
                       (j.is_number_unsigned() ? v >= 0 && j.get<std::uint64_t>() == std::uint64_t(v)
                                               : j.get<std::int64_t>() == v);
        } else {
            std::uint64_t v = 0;
            if (const auto [p, ec] = std::from_chars(b, e, v); ec == std::errc() && p == e)
                return j.is_number_integer() &&
                       (j.is_number_unsigned()
                            ? j.get<std::uint64_t>() == v
                            : j.get<std::int64_t>() >= 0 && std::uint64_t(j.get<std::int64_t>()) == v);
        }
    }
    if (!j.is_number_float())
        return false;
    const double d = asDouble(lexeme);
    const double theirs = j.get<double>();
    return theirs == d && std::signbit(theirs) == std::signbit(d);
}

bool same(const Node &n, const Json &j)
{
    switch (n.type) {
    case Node::Type::Null:
        return j.is_null();
    case Node::Type::Bool:
        return j.is_boolean() && j.get<bool>() == n.boolean;
    case Node::Type::String:
        return j.is_string() && j.get_ref<const std::string &>() == n.text;
    case Node::Type::Number:
        return j.is_number() && sameNumber(n.text, j);
    case Node::Type::Array: {
        if (!j.is_array() || j.size() != n.elements.size())
            return false;
        for (std::size_t i = 0; i < n.elements.size(); ++i) {
            if (!same(n.elements[i], j[i]))
                return false;
        }
        return true;
    }
    case Node::Type::Object: {
        if (!j.is_object() || j.size() != n.keys.size())
            return false;
        std::size_t i = 0;
        for (auto it = j.begin(); it != j.end(); ++it, ++i) {
            if (it.key() != n.keys[i] || !same(n.elements[i], it.value()))
                return false;
        }
        return true;
    }
    }
    return false;
}

// How deep the containers of valid JSON text nest (scanned, not recursed: nlohmann's values may be very deep).
int nesting(QByteArrayView text)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    const QByteArrayView text = fuzzInput(data, size);

    // KBatch: the three public functions agree with each other, and with a plain walk of the reader.
    const Status valid = validateJson(text);
    const auto compact = compactJson(text);
    const auto pretty = prettyJson(text, 3);
    FUZZ_ASSERT(valid.ok() == compact.ok() && valid.ok() == pretty.ok());
    Node ours;
    JsonReader reader(text);
    const bool read_ok = read(reader, ours) && reader.expectEnd();
    FUZZ_ASSERT(read_ok == valid.ok());
    if (!valid.ok()) {
        const Error &e = valid.error();
        FUZZ_ASSERT(!e.text.isEmpty() && e.line >= 1 && e.column >= 1 && e.field.startsWith(QLatin1Char('$')));
        FUZZ_ASSERT(compact.error().message() == e.message() && pretty.error().message() == e.message());
    }

    // nlohmann.
    Json theirs;
    bool theirs_ok = false;
    bool overflow = false;
    try {
        theirs = Json::parse(text.begin(), text.end());
        theirs_ok = true;
    } catch (const Json::parse_error &) {
    } catch (const Json::out_of_range &e) {
        overflow = e.id == 406;
        FUZZ_ASSERT(overflow);
    }

    // Acceptance: the same, but for the documented differences.
    if (text.contains('\0')) {
        FUZZ_ASSERT(!valid.ok());
        return 0;
    }
    if (text.startsWith("\xef\xbb\xbf")) {
        FUZZ_ASSERT(!valid.ok());
        return 0;
    }
    if (theirs_ok && nesting(text) > MaxDepth) {
        FUZZ_ASSERT(!valid.ok() && valid.error().text == QLatin1String("nested too deeply"));
        return 0;
    }
    if (valid.ok() && !allNumbersFinite(ours)) {
        FUZZ_ASSERT(!theirs_ok && overflow);
        return 0;
    }
    FUZZ_ASSERT(theirs_ok == valid.ok());
    if (!theirs_ok)
        return 0;

    // Values: the same structure, key order, strings and numbers.
    FUZZ_ASSERT(same(ours, theirs));
    // The compact and pretty forms are the same value, and compact is a fixed point.
    FUZZ_ASSERT(Json::parse(compact->begin(), compact->end()) == theirs);
    FUZZ_ASSERT(Json::parse(pretty->begin(), pretty->end()) == theirs);
    const auto again = compactJson(*compact);
    FUZZ_ASSERT(again.ok() && *again == *compact);
    const auto fromPretty = compactJson(*pretty);
    FUZZ_ASSERT(fromPretty.ok() && *fromPretty == *compact);
    // And what nlohmann writes, KBatch reads as the same value.
    const std::string dumped = theirs.dump();
    JsonReader back(QByteArrayView(dumped.data(), qsizetype(dumped.size())));
    Node ours_again;
    FUZZ_ASSERT(read(back, ours_again) && back.expectEnd() && same(ours_again, theirs));
    return 0;
}

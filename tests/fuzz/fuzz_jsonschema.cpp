// JSON Schema: a schema built from the first bytes by a small grammar (types, objects with required members,
// arrays and tuples, enums, consts, patterns, formats, bounds, multipleOf, allOf/anyOf/oneOf, $ref to definitions,
// so recursion too), then one of: the rest of the input as a JSON row, random values seeded by it and the skeleton,
// the rest as a schema text of its own, or the rest as a pattern for the sample generator. No crash, no sanitizer
// report, no leak; the quick check and valijson agree on every row; and what encodes is compact JSON that decodes
// to itself and encodes again to the same bytes.
#include "FuzzSupport.h"
#include "core/generate/Random.h"
#include "core/schema/JsonSchemaCodec.h"
#include "core/schema/JsonSchemaSamples.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

class Choices
{
public:
    Choices(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}
    unsigned next(unsigned bound) { return bound == 0 ? 0 : (m_pos < m_size ? m_data[m_pos++] : 0) % bound; }
    std::size_t used() const { return m_pos; }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

class SchemaMaker
{
public:
    explicit SchemaMaker(Choices &c) : m_c(c) {}

    QByteArray root()
    {
        const QByteArray body = type(0);
        QByteArray defs;
        for (int i = 0; i < m_defs; ++i)
            defs += (i ? ", \"d" : "\"d") + QByteArray::number(i) + "\": " + type(3);
        static const char *const drafts[] = {"", R"("$schema": "http://json-schema.org/draft-07/schema#", )",
                                             R"("$schema": "http://json-schema.org/draft-04/schema#", )"};
        return "{" + QByteArray(drafts[m_c.next(3)]) + R"("definitions": {)" + defs + R"(}, "allOf": [)" + body + "]}";
    }

private:
    QByteArray type(int depth)
    {
        static const char *const leaves[] = {
            R"({"type": "string"})",
            R"({"type": "integer", "minimum": -3, "maximum": 70000})",
            R"({"type": "number", "exclusiveMinimum": 0.5, "multipleOf": 0.25})",
            R"({"type": "number", "multipleOf": 0.01})",
            R"({"type": "boolean"})",
            R"({"type": "null"})",
            R"({"type": ["string", "null"], "maxLength": 3})",
            R"({"type": "string", "pattern": "^[A-Z]{2,4}-\\d+$"})",
            R"({"type": "string", "pattern": "(ab|c[^x-z])*\\.?\\u00e9"})",
            R"({"type": "string", "pattern": "^(?=a)a"})",
            R"({"type": "string", "format": "date"})",
            R"({"format": "date-time"})",
            R"({"type": "string", "format": "time", "minLength": 9})",
            R"({"enum": ["a", 1, null, {"k": [true]}]})",
            R"({"const": "c"})",
            R"({"type": "integer", "multipleOf": 3, "exclusiveMaximum": 10})",
            R"({"not": {"type": "string"}})",
            R"({"type": "string", "minLength": "x"})", // invalid: a compile error
            R"({"$ref": "#/definitions/none"})",       // points nowhere: a compile error
            R"({"$ref": "other.json"})",               // not among the references: a compile error
            R"(true)",
            R"({})",
        };
        const unsigned kind = m_c.next(depth >= 4 ? 2 : 8);
        switch (kind) {
        case 0:
        case 1:
            return leaves[m_c.next(std::size(leaves))];
        case 2: {
            QByteArray props, required;
            for (unsigned i = 0, n = m_c.next(5); i < n; ++i) {
                props += (i ? ", \"p" : "\"p") + QByteArray::number(i) + "\": " + type(depth + 1);
                if (m_c.next(2))
                    required += (required.isEmpty() ? "\"p" : ", \"p") + QByteArray::number(i) + '"';
            }
            return R"({"type": "object", "properties": {)" + props + R"(}, "required": [)" + required +
                   (m_c.next(3) == 0 ? R"(], "additionalProperties": false})" : "]}");
        }
        case 3:
            return R"({"type": "array", "minItems": )" + QByteArray::number(m_c.next(3)) + R"(, "items": )" +
                   type(depth + 1) + (m_c.next(4) == 0 ? R"(, "uniqueItems": true})" : "}");
        case 4:
            return R"({"type": "array", "items": [)" + type(depth + 1) + ", " + type(depth + 1) + "]}";
        case 5: {
            static const char *const compositions[] = {"allOf", "anyOf", "oneOf"};
            return QByteArray(R"({")") + compositions[m_c.next(3)] + R"(": [)" + type(depth + 1) + ", " +
                   type(depth + 1) + "]}";
        }
        case 6: // a definition: made once (later), referred to from anywhere, itself included
            if (m_defs < 3 && m_c.next(2))
                ++m_defs;
            return m_defs ? R"({"$ref": "#/definitions/d)" + QByteArray::number(m_c.next(unsigned(m_defs))) + "\"}"
                          : QByteArray(R"({"type": "integer"})");
        default:
            return R"({"type": "object", "additionalProperties": )" + type(depth + 1) + "}";
        }
    }

    Choices &m_c;
    int m_defs = 0;
};

// What encodes is compact JSON, decodes to itself, and encodes again to the same bytes.
void checkStable(const kbatch::core::JsonSchemaCodec &codec, QByteArrayView json)
{
    // The quick check (JsonSchemaFast) never changes a verdict: with it or with valijson alone, the same answer.
    const auto quick = codec.validate(json, true);
    const auto full = codec.validate(json, false);
    if (quick.ok() != full.ok())
        qFatal("the quick check says %s, valijson %s\njson: %s", quick.ok() ? "valid" : "invalid",
               full.ok() ? "valid" : qPrintable(full.error().message()), json.toByteArray().constData());
    QByteArray bytes;
    if (!codec.encode(json, bytes).ok())
        return;
    const auto parsed = nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    FUZZ_ASSERT(!parsed.is_discarded());
    const auto decoded = codec.decode(bytes);
    if (!decoded.ok())
        qFatal("decode failed after encode: %s\njson: %s", qPrintable(decoded.error().message()), bytes.constData());
    FUZZ_ASSERT(*decoded == bytes);
    QByteArray again;
    FUZZ_ASSERT(codec.encode(*decoded, again).ok());
    FUZZ_ASSERT(again == bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    Choices choices(data, size);
    SchemaMaker maker(choices);
    const QByteArray schema = maker.root();
    const unsigned mode = choices.next(4);
    const QByteArrayView rest = fuzzInput(data + std::min(choices.used(), size), size - std::min(choices.used(), size));

    ResolvedSchema resolved;
    resolved.schema.format = SchemaFormat::JsonSchema;
    resolved.schema.text = mode == 2 ? rest.toByteArray() : schema;
    if (mode == 3) { // the rest as a pattern: a string or nothing, never a crash
        if (rest.size() <= 256)
            (void)sampleForPattern(std::string(rest.data(), std::size_t(rest.size())), nullptr);
        return 0;
    }
    const auto codec = JsonSchemaCodec::compile(resolved);
    if (!codec) {
        FUZZ_ASSERT(!codec.error().message().isEmpty());
        return 0;
    }
    switch (mode) {
    case 0: // the rest as a row's JSON text
        checkStable(**codec, rest);
        break;
    default: { // random values seeded by the rest, and the skeleton (the schema is the input's, in mode 2)
        std::uint64_t seed = 0;
        for (char c : rest)
            seed = seed * 131 + static_cast<std::uint8_t>(c);
        Random random(seed);
        for (int i = 0; i < 3; ++i)
            checkStable(**codec, (*codec)->randomValue(random));
        checkStable(**codec, (*codec)->skeleton());
        (void)(*codec)->recordName();
    }
    }
    return 0;
}

// Avro: a schema built from the first bytes by a small grammar (primitives, logical types, records with defaults,
// enums, fixed, arrays, maps, unions, references back to named types, so recursion too), then one of: the rest of
// the input as a JSON row, a random value seeded by it, or the rest as a binary datum. No crash, no sanitizer report,
// no leak; and whatever encodes decodes, and what decode writes encodes again to the same bytes.
#include "FuzzSupport.h"
#include "core/generate/Random.h"
#include "core/schema/AvroCodec.h"

#include <vector>

namespace {

// Hands out the input's bytes as choices; zeros once they run out, so every input makes some schema.
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

    QByteArray type(int depth)
    {
        static const char *const primitives[] = {"\"null\"",  "\"boolean\"", "\"int\"",   "\"long\"",
                                                 "\"float\"", "\"double\"",  "\"bytes\"", "\"string\""};
        static const char *const logical[] = {
            R"({"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2})",
            R"({"type": "bytes", "logicalType": "decimal", "precision": 40, "scale": 0})",
            R"({"type": "string", "logicalType": "uuid"})",
            R"({"type": "int", "logicalType": "date"})",
            R"({"type": "int", "logicalType": "time-millis"})",
            R"({"type": "long", "logicalType": "time-micros"})",
            R"({"type": "long", "logicalType": "timestamp-millis"})",
            R"({"type": "long", "logicalType": "timestamp-micros"})",
            R"({"type": "long", "logicalType": "local-timestamp-millis"})",
            R"({"type": "long", "logicalType": "local-timestamp-micros"})",
            R"({"type": "bytes", "logicalType": "decimal", "precision": 3, "scale": 5})", // invalid: ignored
        };
        const unsigned kind = m_c.next(depth >= 4 ? 3 : 10);
        switch (kind) {
        case 0:
            return primitives[m_c.next(8)];
        case 1:
            return logical[m_c.next(std::size(logical))];
        case 2: // a named type defined before (recursion when it is a record still open)
            if (!m_named.empty())
                return '"' + m_named[m_c.next(unsigned(m_named.size()))] + '"';
            return primitives[m_c.next(8)];
        case 3:
            return record(depth);
        case 4: {
            const QByteArray name = newName();
            QByteArray symbols;
            for (unsigned i = 0, n = 1 + m_c.next(4); i < n; ++i)
                symbols += (i ? ", \"S" : "\"S") + QByteArray::number(i) + '"';
            return R"({"type": "enum", "name": ")" + name + R"(", "symbols": [)" + symbols + "]}";
        }
        case 5: {
            const QByteArray name = newName();
            const unsigned size = 1 + m_c.next(8);
            if (m_c.next(4) == 0)
                return R"({"type": "fixed", "name": ")" + name + R"(", "size": )" + QByteArray::number(size + 1) +
                       R"(, "logicalType": "decimal", "precision": 2})";
            return R"({"type": "fixed", "name": ")" + name + R"(", "size": )" + QByteArray::number(size) + "}";
        }
        case 6:
            return R"({"type": "array", "items": )" + type(depth + 1) + "}";
        case 7:
            return R"({"type": "map", "values": )" + type(depth + 1) + "}";
        default: {
            QByteArray u = "[";
            for (unsigned i = 0, n = 1 + m_c.next(3); i < n; ++i)
                u += (i ? ", " : "") + (m_c.next(2) == 0 ? QByteArray("\"null\"") : type(depth + 1));
            return u + "]"; // duplicate branches make the schema fail: an error path worth taking too
        }
        }
    }

private:
    QByteArray newName() { return "T" + QByteArray::number(m_next++); }

    QByteArray record(int depth)
    {
        const QByteArray name = newName();
        m_named.push_back(name);
        QByteArray fields;
        for (unsigned i = 0, n = m_c.next(4); i < n; ++i) {
            const QByteArray t = type(depth + 1);
            fields += (i ? ", " : "") + QByteArray(R"({"name": "f)") + QByteArray::number(i) + R"(", "type": )" + t;
            static const char *const defaults[] = {"null", "0", "\"\"", "[]", "{}", "\"S0\"", "false", "1.5"};
            if (m_c.next(3) == 0)
                fields += QByteArray(", \"default\": ") + defaults[m_c.next(std::size(defaults))];
            fields += '}';
        }
        return R"({"type": "record", "name": ")" + name + R"(", "fields": [)" + fields + "]}";
    }

    Choices &m_c;
    std::vector<QByteArray> m_named;
    int m_next = 0;
};

// Whatever encodes must decode, and decode's JSON must encode to the same bytes.
void checkStable(const kbatch::core::AvroCodec &codec, QByteArrayView json)
{
    QByteArray bytes;
    if (!codec.encode(json, bytes).ok())
        return;
    const auto decoded = codec.decode(bytes);
    if (!decoded.ok())
        qFatal("decode failed after encode: %s\njson: %s", qPrintable(decoded.error().message()),
               json.toByteArray().constData());
    QByteArray again;
    const auto s = codec.encode(*decoded, again);
    if (!s.ok())
        qFatal("decoded JSON does not encode: %s\n%s", qPrintable(s.error().message()), decoded->constData());
    FUZZ_ASSERT(again == bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    Choices choices(data, size);
    SchemaMaker maker(choices);
    const QByteArray schema = maker.type(0);
    const unsigned mode = choices.next(3);
    const QByteArrayView rest = fuzzInput(data + std::min(choices.used(), size), size - std::min(choices.used(), size));

    ResolvedSchema resolved;
    resolved.schema.text = schema;
    const auto codec = AvroCodec::compile(resolved);
    if (!codec) {
        FUZZ_ASSERT(!codec.error().message().isEmpty());
        return 0;
    }
    switch (mode) {
    case 0: // the rest as a row's JSON text
        checkStable(**codec, rest);
        break;
    case 1: { // random values seeded by the rest, and the skeleton
        std::uint64_t seed = 0;
        for (char c : rest)
            seed = seed * 131 + static_cast<std::uint8_t>(c);
        Random random(seed);
        for (int i = 0; i < 4; ++i)
            checkStable(**codec, (*codec)->randomValue(random));
        checkStable(**codec, (*codec)->skeleton());
        break;
    }
    default: { // the rest as a binary datum: refused or read, never trusted
        const auto decoded = (*codec)->decode(rest);
        if (decoded.ok()) {
            QByteArray bytes;
            (void)(*codec)->encode(*decoded, bytes); // may fail (a uuid that is not one), must not crash
        }
    }
    }
    return 0;
}

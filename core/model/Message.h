#pragma once

#include <QByteArray>
#include <QList>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// How a key, value or header value is written in a template and shown in the editor. The bytes sent are the same
// whatever the encoding; it only decides the form of the text (plain UTF-8, a JSON document, or base64).
enum class Encoding : std::uint8_t {
    Text = 0,   // UTF-8 text, sent exactly as written
    Json = 1,   // a JSON document; the bytes hold its compact form
    Base64 = 2, // raw bytes
};

// A key, value or header value: bytes that may be null. Null (no key, tombstone, null header) is distinct from empty.
struct Payload
{
    std::optional<QByteArray> bytes;
    Encoding encoding = Encoding::Text;

    Payload() = default;
    Payload(QByteArray b, Encoding e = Encoding::Text) : bytes(std::move(b)), encoding(e) {}
    static Payload null() { return {}; }
    static Payload text(const char *utf8) { return Payload(QByteArray(utf8)); }

    bool isNull() const { return !bytes.has_value(); }
    friend bool operator==(const Payload &, const Payload &) = default;
};

struct Header
{
    QByteArray name;
    Payload value;
    friend bool operator==(const Header &, const Header &) = default;
};
using Headers = QList<Header>;

// Expansion of a template row into many messages ({{seq}}, {{uuid}}, ... in key, value and header values).
struct GenerateSpec
{
    std::int64_t count = 1;
    std::optional<std::uint64_t> seed; // absent: a fresh seed per send
    // Fill the key / value with a random value of its schema (a part sent through a Schema Registry); the row's own
    // JSON, placeholders expanded, is laid over it (see core/generate/JsonMerge.h).
    bool fillKey = false;
    bool fillValue = false;
    friend bool operator==(const GenerateSpec &, const GenerateSpec &) = default;
};

// One message as the user composed it. A plain value type; Batch stores rows more compactly.
struct Message
{
    Payload key;
    Payload value;
    Headers headers;                       // ordered; names may repeat
    std::optional<std::int32_t> partition; // absent: the partitioner decides
    std::optional<std::int64_t> timestamp; // ms since the epoch; absent: the producer's clock
    std::optional<GenerateSpec> generate;  // a generator row (placeholders expanded at send time)

    friend bool operator==(const Message &, const Message &) = default;
};

} // namespace kbatch::core

// Protobuf: fixed .proto schemas (every field kind, nested types, maps, a oneof, an enum, well-known types, an import
// through a registry reference, and google.protobuf.Struct for libprotobuf's own JSON parser), a message type picked
// by the first byte, then one of: the rest of the input as a row's JSON text, a random value seeded by it, or the rest
// as a binary message. No crash, no sanitizer report, no leak; whatever encodes decodes, and what decode writes
// encodes again to the same bytes.
#include "FuzzSupport.h"
#include "core/generate/Random.h"
#include "core/schema/ProtobufCodec.h"

#include <memory>

namespace {

const char money[] = R"(syntax = "proto3";
package fz.common;
message Money { string currency = 1; int64 units = 2; sint32 cents = 3; }
)";

const char shop[] = R"(syntax = "proto3";
package fz;
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";
import "common/money.proto";
enum Status { UNKNOWN = 0; OPEN = 1; CLOSED = 2; }
message Order {
  message Line {
    string sku = 1; int32 qty = 2; repeated Line parts = 3; fixed64 f64 = 4; sfixed32 sf32 = 5; uint32 u32 = 6;
  }
  string id = 1;
  repeated Line lines = 2;
  map<string, int64> tags = 3;
  oneof payment { string card = 4; int64 voucher = 5; Line line_payment = 21; }
  Status status = 6;
  google.protobuf.Timestamp created = 7;
  google.protobuf.Duration ttl = 8;
  google.protobuf.Int32Value priority = 9;
  google.protobuf.BytesValue raw = 10;
  fz.common.Money total = 11;
  bytes blob = 12;
  double price = 13;
  float ratio = 14;
  bool gift = 15;
  uint64 big = 16;
  optional int32 maybe = 17;
  map<int64, Line> by_number = 18;
  map<bool, string> flags = 19;
  repeated Status history = 20;
}
message Loose { string id = 1; google.protobuf.Struct attributes = 2; repeated google.protobuf.Value values = 3; }
)";

const char *const types[] = {"fz.Order", "fz.Order.Line", "fz.Loose"};

std::shared_ptr<const kbatch::core::ProtobufCodec> codecFor(unsigned which)
{
    using namespace kbatch::core;
    static std::shared_ptr<const ProtobufCodec> codecs[std::size(types)];
    if (!codecs[which]) {
        ResolvedSchema r;
        r.schema.format = SchemaFormat::Protobuf;
        r.schema.subject = QStringLiteral("fuzz-value");
        r.schema.text = shop;
        r.schema.references = {{QStringLiteral("common/money.proto"), QStringLiteral("money"), 1}};
        Schema m;
        m.format = SchemaFormat::Protobuf;
        m.subject = QStringLiteral("money");
        m.version = 1;
        m.text = money;
        r.referenced = {m};
        auto codec = ProtobufCodec::compile(r, QString::fromLatin1(types[which]));
        if (!codec)
            qFatal("the fuzz schema does not compile: %s", qPrintable(codec.error().message()));
        codecs[which] = codec.value();
    }
    return codecs[which];
}

void checkStable(const kbatch::core::PayloadCodec &codec, QByteArrayView json)
{
    QByteArray bytes;
    if (!codec.encode(json, bytes).ok())
        return;
    const auto decoded = codec.decode(bytes);
    if (!decoded.ok())
        qFatal("encoded bytes do not decode: %s", qPrintable(decoded.error().message()));
    QByteArray again;
    const auto back = codec.encode(*decoded, again);
    if (!back.ok())
        qFatal("decoded JSON does not encode: %s: %s", qPrintable(back.error().message()), decoded->constData());
    FUZZ_ASSERT(again == bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    if (size < 1)
        return 0;
    const unsigned which = data[0] % std::size(types);
    const unsigned mode = (data[0] / std::size(types)) % 3;
    const QByteArrayView rest = fuzzInput(data + 1, size - 1);
    const auto codec = codecFor(which);
    switch (mode) {
    case 0: // the rest as a row's JSON text
        checkStable(*codec, rest);
        break;
    case 1: { // random values seeded by the rest, and the skeleton
        std::uint64_t seed = 0;
        for (char c : rest)
            seed = seed * 131 + static_cast<std::uint8_t>(c);
        Random random(seed);
        for (int i = 0; i < 4; ++i) {
            const QByteArray value = codec->randomValue(random);
            QByteArray bytes;
            FUZZ_ASSERT(codec->encode(value, bytes).ok());
            checkStable(*codec, value);
        }
        const QByteArray skeleton = codec->skeleton();
        QByteArray bytes;
        FUZZ_ASSERT(codec->encode(skeleton, bytes).ok());
        checkStable(*codec, skeleton);
        break;
    }
    default: { // the rest as a binary message: refused or read, never trusted
        const auto decoded = codec->decode(rest);
        if (decoded.ok()) {
            QByteArray bytes;
            FUZZ_ASSERT(codec->encode(*decoded, bytes).ok());
        }
    }
    }
    return 0;
}

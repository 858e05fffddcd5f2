// AvroTemplatePlan: a generator row's JSON template (any text) against a few record schemas. Whatever the planner
// plans must write, message for message, the bytes that expanding the template to JSON and encoding it with the
// codec give, and draw the same random values; no crash, no sanitizer report. The first byte picks the schema.
#include "FuzzSupport.h"
#include "core/generate/Random.h"
#include "core/schema/AvroTemplatePlan.h"
#include "core/schema/PayloadCodec.h"

#include <array>

namespace {

const std::array<const char *, 3> Schemas = {
    R"({"type":"record","name":"Event","fields":[{"name":"id","type":"string"},{"name":"uid","type":"string"},
       {"name":"count","type":"int"},{"name":"ratio","type":"double"},{"name":"ok","type":"boolean"},
       {"name":"note","type":["null","string"],"default":null},{"name":"source","type":"string","default":"x"}]})",
    R"({"type":"record","name":"Wide","fields":[{"name":"a","type":["string","null"]},
       {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"long"},
       {"name":"tags","type":{"type":"array","items":"string"}}]}},{"name":"m","type":{"type":"map","values":"int"}},
       {"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
       {"name":"f","type":{"type":"fixed","name":"F2","size":2}},{"name":"b","type":"bytes"},
       {"name":"u","type":{"type":"string","logicalType":"uuid"}},{"name":"s","type":["null","string","double"]},
       {"name":"t","type":"string"}]})",
    R"({"type":"record","name":"Node","fields":[{"name":"v","type":"string"},
       {"name":"next","type":["null","Node"],"default":null}]})",
};

const kbatch::core::ResolvedCodec &codec(std::size_t which)
{
    static const std::array<kbatch::core::ResolvedCodec, 3> codecs = [] {
        std::array<kbatch::core::ResolvedCodec, 3> out;
        for (std::size_t i = 0; i < Schemas.size(); ++i) {
            kbatch::core::ResolvedSchema schema;
            schema.schema.id = int(i) + 1;
            schema.schema.text = Schemas[i];
            out[i] = kbatch::core::ResolvedCodec{schema.schema, kbatch::core::compilePayloadCodec(schema).value()};
        }
        return out;
    }();
    return codecs[which];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    if (size < 1)
        return 0;
    const ResolvedCodec &c = codec(data[0] % Schemas.size());
    const QByteArrayView json = fuzzInput(data + 1, size - 1);
    const auto writer = avroTemplatePlanner(c)(json);
    if (!writer)
        return 0;
    const auto whole = PlaceholderTemplate::compile(json, Encoding::Json);
    FUZZ_ASSERT(whole.ok()); // the planner compiled it too
    Random viaJson(99), viaPlan(99);
    GenerateContext jsonCtx(viaJson), planCtx(viaPlan);
    for (std::int64_t seq = 1; seq <= 5; ++seq) {
        for (GenerateContext *ctx : {&jsonCtx, &planCtx}) {
            ctx->seq = seq * 977;
            ctx->index = seq;
            ctx->setNowMs(1767225600000 + seq * 86400001);
        }
        QByteArray text, expected, planned;
        whole->expandTo(text, jsonCtx);
        FUZZ_ASSERT(c.codec->encodeFramed(c.schema.id, text, expected).ok()); // a planned template never fails
        writer->write(planned, planCtx);
        FUZZ_ASSERT(planned == expected);
    }
    FUZZ_ASSERT(viaJson.next() == viaPlan.next());
    return 0;
}

// Placeholder engine: compile any text; whatever compiles expands, reproducibly for one seed.
#include "FuzzSupport.h"
#include "core/generate/PlaceholderTemplate.h"
#include "core/generate/Random.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    const auto compiled = PlaceholderTemplate::compile(fuzzInput(data, size));
    if (!compiled) {
        FUZZ_ASSERT(compiled.error().column >= 1);
        return 0;
    }
    QByteArray first, second;
    for (QByteArray *out : {&first, &second}) {
        Random random(42);
        GenerateContext ctx(random);
        ctx.seq = 7;
        ctx.index = 6;
        ctx.setNowMs(1767225600000);
        compiled->expandTo(*out, ctx);
    }
    FUZZ_ASSERT(first == second);
    return 0;
}

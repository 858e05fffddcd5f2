// Template reader: never crashes, and whatever it accepts survives a write and a second read unchanged (F2, F3).
#include "FuzzSupport.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    const auto parsed = parseTemplate(fuzzInput(data, size), QStringLiteral("fuzz.kbatch.json"));
    if (!parsed) {
        const Error &e = parsed.error();
        FUZZ_ASSERT(!e.text.isEmpty());
        FUZZ_ASSERT(e.file == QLatin1String("fuzz.kbatch.json"));
        return 0;
    }
    const QByteArray written = serializeTemplate(*parsed);
    const auto again = parseTemplate(written, QStringLiteral("again.kbatch.json"));
    FUZZ_ASSERT(again.ok());
    FUZZ_ASSERT(serializeTemplate(*again) == written); // stable bytes
    return 0;
}

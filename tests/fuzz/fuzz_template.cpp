// Template reader: never crashes, whatever it accepts survives a write and a second read unchanged (F2, F3), and
// reading through a window (as files are read) gives the same rows or the same error as reading the whole input.
#include "FuzzSupport.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"

namespace {

// The window's size follows the input's bytes, so that mutations move its edges too: 1 to 64 bytes, tiny enough for
// the edges to cut every kind of token.
qsizetype windowFor(QByteArrayView data)
{
    std::uint32_t h = 2166136261u; // FNV-1a
    for (char c : data)
        h = (h ^ std::uint8_t(c)) * 16777619u;
    return qsizetype(1 + h % 64);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    const QByteArrayView input = fuzzInput(data, size);
    const auto parsed = parseTemplate(input, QStringLiteral("fuzz.kbatch.json"));
    const auto windowed = parseTemplate(input, QStringLiteral("fuzz.kbatch.json"), windowFor(input));
    FUZZ_ASSERT(windowed.ok() == parsed.ok());
    if (!parsed) {
        const Error &e = parsed.error();
        FUZZ_ASSERT(!e.text.isEmpty());
        FUZZ_ASSERT(e.file == QLatin1String("fuzz.kbatch.json"));
        const Error &w = windowed.error();
        FUZZ_ASSERT(w.text == e.text && w.line == e.line && w.column == e.column && w.field == e.field);
        return 0;
    }
    FUZZ_ASSERT(windowed->messages == parsed->messages && windowed->producer == parsed->producer &&
                windowed->name == parsed->name && windowed->topic == parsed->topic);
    const QByteArray written = serializeTemplate(*parsed);
    const auto again = parseTemplate(written, QStringLiteral("again.kbatch.json"));
    FUZZ_ASSERT(again.ok());
    FUZZ_ASSERT(serializeTemplate(*again) == written); // stable bytes
    return 0;
}

// One binary per importer, chosen at compile time (KBATCH_FUZZ_IMPORTER): none may crash, and every error names
// where it is.
#include "FuzzSupport.h"
#include "core/format/Importers.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace kbatch::core;
    const QByteArrayView input = fuzzInput(data, size);
#if KBATCH_FUZZ_IMPORTER == 1
    const auto rows = importCsv(input, QStringLiteral("fuzz.csv"));
#elif KBATCH_FUZZ_IMPORTER == 2
    const auto rows = importJsonLines(input, QStringLiteral("fuzz.jsonl"));
#elif KBATCH_FUZZ_IMPORTER == 3
    const auto rows = importTextLines(input, QStringLiteral("fuzz.txt"), QByteArray("\t"));
#else
    const auto rows = importTsvPaste(QString::fromUtf8(input));
#endif
    if (!rows) {
        FUZZ_ASSERT(!rows.error().text.isEmpty());
        FUZZ_ASSERT(rows.error().line >= 0);
        return 0;
    }
    for (qsizetype i = 0; i < rows->size(); ++i) // every row readable
        (void)rows->at(i);
    return 0;
}

#include "Importers.h"

#include "InputFile.h"
#include "JsonContext.h"
#include "TemplateReader.h"
#include "TextInput.h"

#include <QFileInfo>

namespace kbatch::core {

namespace {

Result<Batch> importByKind(const QString &path, const ImportOptions &options)
{
    const QString name = QFileInfo(path).fileName().toLower();
    enum class Kind { Csv, JsonLines, Text, Tsv } kind;
    if (name.endsWith(QLatin1String(".kbatch.json"))) {
        // A template is not JSON Lines; importing one means taking its rows.
        auto tpl = loadTemplate(path);
        if (!tpl)
            return tpl.error();
        return std::move(tpl->messages);
    }
    if (name.endsWith(QLatin1String(".csv")))
        kind = Kind::Csv;
    else if (name.endsWith(QLatin1String(".jsonl")) || name.endsWith(QLatin1String(".ndjson")) ||
             name.endsWith(QLatin1String(".json")))
        kind = Kind::JsonLines;
    else if (name.endsWith(QLatin1String(".txt")))
        kind = Kind::Text;
    else if (name.endsWith(QLatin1String(".tsv")))
        kind = Kind::Tsv;
    else
        return Error(QStringLiteral("unknown file type: expected .csv, .jsonl, .ndjson, .json, .txt or .tsv"), path, 0,
                     0);
    auto data = readInputFile(path);
    if (!data)
        return data.error();
    switch (kind) {
    case Kind::Csv:
        return importCsv(*data, path);
    case Kind::JsonLines: {
        auto rows = importJsonLines(*data, path);
        // A .json file may be one pretty-printed document rather than JSON Lines: a template saved under a plain
        // .json name gives its rows; anything else says what the file is instead of failing on its second byte.
        if (!rows && rows.error().line == 1 && !name.endsWith(QLatin1String(".jsonl")) &&
            !name.endsWith(QLatin1String(".ndjson")) && data->trimmed().startsWith('{') && !data->contains("}\n{")) {
            auto tpl = parseTemplate(*data, path);
            if (tpl)
                return std::move(tpl->messages);
            Error e = tpl.error();
            if (e.kind != ErrorKind::NotATemplate)
                return e; // a template with a mistake: its own error, with line and field
            return Error(QStringLiteral("a single JSON document, neither JSON Lines (one object per line) nor a KBatch "
                                        "template"),
                         path, 0, 0);
        }
        return rows;
    }
    case Kind::Text:
        return importTextLines(*data, path, options.keyDelimiter);
    case Kind::Tsv: {
        QByteArrayView text = *data;
        QByteArray converted;
        if (auto e = textAsUtf8(text, converted, path))
            return *e;
        if (auto bad = findBinary(text, InvalidUtf8, text.size()))
            return Error(QStringLiteral("the file is not UTF-8 text (%1)").arg(bad->describe()), path, bad->line,
                         bad->column);
        auto batch = importTsvPaste(QString::fromUtf8(text));
        if (!batch) {
            Error e = batch.error();
            e.file = path;
            return e;
        }
        return batch;
    }
    }
    return Batch();
}

} // namespace

Result<Batch> importFile(const QString &path, const ImportOptions &options)
{
    auto rows = importByKind(path, options);
    // Rows are what an import is for, and a template without any is one that send refuses: say so now.
    if (rows && rows->isEmpty())
        return Error(QFileInfo(path).fileName().endsWith(QLatin1String(".kbatch.json"), Qt::CaseInsensitive)
                         ? QStringLiteral("nothing to import: the template has no messages")
                         : QStringLiteral("nothing to import: the file holds no rows (it is empty or holds only blank "
                                          "lines)"),
                     path, 0, 0);
    return rows;
}

} // namespace kbatch::core

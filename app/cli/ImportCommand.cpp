#include "Commands.h"

#include "CliSupport.h"
#include "core/format/Importers.h"
#include "core/format/TemplateWriter.h"
#include "core/model/TopicName.h"

#include <QFileInfo>

namespace kbatch::cli {

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Turn a file into a template: CSV with a header row (key, value, headers, partition, timestamp), JSON Lines "
        "(KBatch rows or kcat -J consumer output, so consumed messages can be re-sent), or text lines (one value per "
        "line). The kind is taken from the extension: .csv, .jsonl/.ndjson/.json, .txt, .tsv."));
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("The file to import."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("The template to write (*.kbatch.json)."),
                                    QStringLiteral("TEMPLATE"));
    const QCommandLineOption topic(QStringLiteral("topic"), QStringLiteral("The template's topic."),
                                   QStringLiteral("T"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("The template's name (default: the input's)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption keyDelimiter(QStringLiteral("key-delimiter"),
                                          QStringLiteral("Text lines: the key ends at the first DELIM (like kcat -K)."),
                                          QStringLiteral("DELIM"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite an existing TEMPLATE."));
    parser.addOptions({output, topic, name, keyDelimiter, force});
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("import takes one input file (see 'kbatch-cli import --help')"));
    if (!parser.isSet(output))
        return fail(QStringLiteral("import needs -o TEMPLATE"));
    if (parser.isSet(topic)) {
        if (auto named = core::checkTopicName(parser.value(topic)); !named)
            return fail(named.error()); // before reading a big input for nothing
    }
    const QString input = parser.positionalArguments().constFirst();
    const QString target = parser.value(output);
    if (QFileInfo::exists(target) && !parser.isSet(force))
        return fail(QStringLiteral("%1 exists; give --force to overwrite it").arg(target));

    core::ImportOptions options;
    if (parser.isSet(keyDelimiter)) {
        const QByteArray delim = parser.value(keyDelimiter).toUtf8();
        if (delim.isEmpty())
            return fail(QStringLiteral("--key-delimiter must not be empty"));
        options.keyDelimiter = delim;
    }
    auto rows = core::importFile(input, options);
    if (!rows)
        return fail(rows.error());

    core::Template tpl;
    tpl.name = parser.isSet(name) ? parser.value(name) : QFileInfo(input).completeBaseName();
    tpl.topic = parser.value(topic);
    tpl.messages = std::move(rows.value());
    const qsizetype count = tpl.messages.size();
    if (auto saved = core::saveTemplate(tpl, target); !saved)
        return fail(saved.error());
    err() << "kbatch-cli: " << count << " messages from " << input << " written to " << target << Qt::endl;
    return ExitOk;
}

} // namespace kbatch::cli

// Time to load, save and import 1,000,000 rows, and to expand a generator row into 1,000,000 messages.
// Run by hand in Release: build/release/bench/bench_formats [rows]. Prints one line per measure.

#include "core/format/Importers.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/generate/Generator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace kbatch::core;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

template <typename F> void measure(const char *what, qsizetype rows, F &&f)
{
    QElapsedTimer t;
    t.start();
    const qsizetype got = f();
    const qint64 ms = t.elapsed();
    std::printf("%-28s rows=%lld ms=%lld rows_per_s=%.0f%s\n", what, qlonglong(got), qlonglong(ms),
                double(got) * 1000.0 / double(std::max<qint64>(ms, 1)), got == rows ? "" : "  (ROW COUNT WRONG)");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qsizetype rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir dir;
    const QByteArray value(100 - 16, 'v');

    Template tpl;
    tpl.name = QStringLiteral("bench");
    tpl.topic = QStringLiteral("bench");
    QByteArray jsonl, csv("key,value\n");
    for (qsizetype i = 0; i < rows; ++i) {
        const QByteArray key = "key-" + QByteArray::number(i);
        const QByteArray v = QByteArray::number(i).rightJustified(16, '0') + value;
        Message m;
        m.key = Payload(key);
        m.value = Payload(v);
        tpl.messages.append(m);
        jsonl += "{\"key\":\"" + key + "\",\"value\":\"" + v + "\"}\n";
        csv += key + ',' + v + '\n';
    }
    const QString tplPath = dir.filePath(QStringLiteral("b.kbatch.json"));
    measure("save template", rows, [&] { return saveTemplate(tpl, tplPath).ok() ? rows : 0; });
    measure("load template", rows, [&] {
        auto t = loadTemplate(tplPath);
        return t ? t->messages.size() : 0;
    });
    writeFile(dir.filePath(QStringLiteral("b.jsonl")), jsonl);
    measure("import JSON Lines", rows, [&] {
        auto b = importFile(dir.filePath(QStringLiteral("b.jsonl")));
        return b ? b->size() : 0;
    });
    writeFile(dir.filePath(QStringLiteral("b.csv")), csv);
    measure("import CSV", rows, [&] {
        auto b = importFile(dir.filePath(QStringLiteral("b.csv")));
        return b ? b->size() : 0;
    });
    Batch gen;
    Message g;
    g.key = Payload(QByteArray("user-{{seq}}"));
    g.value =
        Payload(QByteArray(R"({"id":"{{uuid}}","n":{{seq}},"at":"{{now}}","qty":{{random.int 1 9}}})"), Encoding::Json);
    g.generate = GenerateSpec{rows, 1};
    gen.append(g);
    measure("expand generator row", rows, [&] {
        auto b = expandGenerators(gen, 1);
        return b ? b->size() : 0;
    });
    return 0;
}

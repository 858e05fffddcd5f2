#include "core/format/Importers.h"
#include "tests/common/TextEncodings.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::encodeWithByteOrderMark;
using kbatch::test::Utf;

// Text lines, spreadsheet paste and the file-type dispatch.
class TestTextImporters : public QObject
{
    Q_OBJECT
private slots:
    void textLines();
    void textLinesWithKeyDelimiter_data();
    void textLinesWithKeyDelimiter();
    void textLinesBinary();
    void textLinesOtherEncodings_data();
    void textLinesOtherEncodings();
    void tsvWithoutHeader_data();
    void tsvWithoutHeader();
    void tsvWithHeaderRow();
    void tsvQuoting();
    void tsvErrors_data();
    void tsvErrors();
    void importFileByExtension_data();
    void importFileByExtension();
    void importFileErrors();
    void importFileOversized();
    void importFileNothingToImport_data();
    void importFileNothingToImport();
    void importFileTsvEncodings();
};

static QString fixture(const char *name)
{
    return QStringLiteral(KBATCH_TEST_DATA "/format/") + QLatin1String(name);
}

static QByteArray read(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture");
    return f.readAll();
}

void TestTextImporters::textLines()
{
    const auto b = importTextLines(read(fixture("lines.txt")), QStringLiteral("lines.txt"));
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 4);
    QCOMPARE(b->value(0).toByteArray(), QByteArray("first line"));
    QCOMPARE(b->value(1).toByteArray(), QByteArray("k2:value:with:colons"));
    QCOMPARE(b->value(2).toByteArray(), QByteArray("no delimiter"));
    QCOMPARE(b->value(3).toByteArray(), QByteArray("last without newline"));
    for (qsizetype i = 0; i < b->size(); ++i)
        QVERIFY(b->keyIsNull(i));
}

void TestTextImporters::textLinesWithKeyDelimiter_data()
{
    QTest::addColumn<QByteArray>("delimiter");
    QTest::addColumn<QByteArray>("key1");
    QTest::addColumn<QByteArray>("value1");
    QTest::newRow("colon") << QByteArray(":") << QByteArray("k2") << QByteArray("value:with:colons");
    QTest::newRow("multi-byte") << QByteArray("::") << QByteArray() << QByteArray("k2:value:with:colons");
}

void TestTextImporters::textLinesWithKeyDelimiter()
{
    QFETCH(QByteArray, delimiter);
    QFETCH(QByteArray, key1);
    QFETCH(QByteArray, value1);
    const auto b = importTextLines(read(fixture("lines.txt")), QStringLiteral("lines.txt"), delimiter);
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 4);
    QVERIFY(b->keyIsNull(0));
    QCOMPARE(b->value(0).toByteArray(), QByteArray("first line"));
    if (key1.isNull()) {
        QVERIFY(b->keyIsNull(1));
    } else {
        QCOMPARE(b->key(1).toByteArray(), key1);
    }
    QCOMPARE(b->value(1).toByteArray(), value1);
    QVERIFY(b->keyIsNull(2));
}

void TestTextImporters::textLinesBinary()
{
    const auto b = importTextLines(QByteArray("ok\n\xff\xfe\n", 6), QStringLiteral("b.txt"));
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 2);
    QVERIFY(b->valueEncoding(0) == Encoding::Text);
    QVERIFY(b->valueEncoding(1) == Encoding::Base64);
    QCOMPARE(b->value(1).toByteArray(), QByteArray("\xff\xfe"));
    const auto e = importTextLines("x", QStringLiteral("b.txt"), QByteArray());
    QVERIFY(!e.ok());
    QCOMPARE(e.error().text, QStringLiteral("the key delimiter is empty"));
}

void TestTextImporters::textLinesOtherEncodings_data()
{
    QTest::addColumn<QByteArray>("input");
    const QString text = QStringLiteral("caf\u00e9\r\n\r\nk:\U0001F600\n");
    QTest::newRow("UTF-8 with a byte order mark") << QByteArray("\xEF\xBB\xBF" + text.toUtf8());
    QTest::newRow("UTF-16LE") << encodeWithByteOrderMark(text, Utf::Utf16LE);
    QTest::newRow("UTF-16BE") << encodeWithByteOrderMark(text, Utf::Utf16BE);
    QTest::newRow("UTF-32LE") << encodeWithByteOrderMark(text, Utf::Utf32LE);
    QTest::newRow("UTF-32BE") << encodeWithByteOrderMark(text, Utf::Utf32BE);
}

// A UTF-16 .txt (Notepad's "Unicode", PowerShell's >) used to give rows of UTF-16 bytes, each shown as binary.
void TestTextImporters::textLinesOtherEncodings()
{
    QFETCH(QByteArray, input);
    const auto b = importTextLines(input, QStringLiteral("u.txt"), QByteArray(":"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->value(0), QByteArrayView("caf\xC3\xA9"));
    QCOMPARE(b->valueEncoding(0), Encoding::Text);
    QCOMPARE(b->key(1), QByteArrayView("k"));
    QCOMPARE(b->value(1), QByteArrayView("\xF0\x9F\x98\x80"));
    QCOMPARE(b->valueEncoding(1), Encoding::Text);
}

void TestTextImporters::tsvWithoutHeader_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("keys"); // "<null>" for null
    QTest::addColumn<QStringList>("values");
    QTest::newRow("one column") << QStringLiteral("a\r\nb\r\n")
                                << QStringList{QStringLiteral("<null>"), QStringLiteral("<null>")}
                                << QStringList{QStringLiteral("a"), QStringLiteral("b")};
    QTest::newRow("two columns") << QStringLiteral("k1\tv1\nk2\tv2")
                                 << QStringList{QStringLiteral("k1"), QStringLiteral("k2")}
                                 << QStringList{QStringLiteral("v1"), QStringLiteral("v2")};
    QTest::newRow("missing trailing cell")
        << QStringLiteral("k1\tv1\nk2\n") << QStringList{QStringLiteral("k1"), QStringLiteral("k2")}
        << QStringList{QStringLiteral("v1"), QStringLiteral("<null>")};
}

void TestTextImporters::tsvWithoutHeader()
{
    QFETCH(QString, text);
    QFETCH(QStringList, keys);
    QFETCH(QStringList, values);
    const auto b = importTsvPaste(text);
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), keys.size());
    for (qsizetype i = 0; i < b->size(); ++i) {
        QCOMPARE(b->keyIsNull(i) ? QStringLiteral("<null>") : QString::fromUtf8(b->key(i)), keys.at(i));
        QCOMPARE(b->valueIsNull(i) ? QStringLiteral("<null>") : QString::fromUtf8(b->value(i)), values.at(i));
    }
}

void TestTextImporters::tsvWithHeaderRow()
{
    const auto b = importTsvPaste(QStringLiteral("Value\tKey\tPartition\tHeaders\n"
                                                 "v1\tk1\t3\t[[\"h\", \"1\"]]\n"
                                                 "v2\t\t\t\n"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->key(0).toByteArray(), QByteArray("k1"));
    QCOMPARE(b->value(0).toByteArray(), QByteArray("v1"));
    QVERIFY(b->partition(0) == std::optional<std::int32_t>(3));
    QCOMPARE(b->headers(0).size(), 1);
    QVERIFY(b->keyIsNull(1));
    QVERIFY(!b->partition(1));
}

void TestTextImporters::tsvQuoting()
{
    const auto b = importTsvPaste(QStringLiteral("key\tvalue\n"
                                                 "\"multi\nline\"\t\"has\ttab and \"\"quotes\"\"\"\n"
                                                 "\"\"\t\"not\" quoted\n"
                                                 "日本\tGrüße\n"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 3);
    QCOMPARE(b->key(0).toByteArray(), QByteArray("multi\nline"));
    QCOMPARE(b->value(0).toByteArray(), QByteArray("has\ttab and \"quotes\""));
    QVERIFY(!b->keyIsNull(1));
    QCOMPARE(b->key(1).size(), 0);
    QCOMPARE(b->value(1).toByteArray(), QByteArray("\"not\" quoted"));
    QCOMPARE(b->key(2).toByteArray(), QByteArray("日本"));
}

void TestTextImporters::tsvErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("field");
    QTest::newRow("three columns") << QStringLiteral("a\tb\tc\n")
                                   << QStringLiteral("3 columns without a header row: add a first row naming the "
                                                     "columns (key, value, headers, partition, timestamp)")
                                   << 1 << 1 << QString();
    QTest::newRow("too many cells") << QStringLiteral("k\tv\nk\tv\textra\n")
                                    << QStringLiteral("the row has 3 cells but there are 2 columns") << 2 << 5
                                    << QString();
    QTest::newRow("bad partition") << QStringLiteral("value\tpartition\nv\tx\n")
                                   << QStringLiteral("partition must be an integer from 0 to 2147483647, found \"x\"")
                                   << 2 << 3 << QStringLiteral("partition");
}

void TestTextImporters::tsvErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, field);
    const auto b = importTsvPaste(text);
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, error);
    QCOMPARE(b.error().line, line);
    QCOMPARE(b.error().column, column);
    QCOMPARE(b.error().field, field);
    QVERIFY(b.error().file.isEmpty());
}

void TestTextImporters::importFileByExtension_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("rows");
    QTest::newRow("csv") << fixture("orders.csv") << 6;
    QTest::newRow("jsonl") << fixture("mixed.jsonl") << 5;
    QTest::newRow("txt") << fixture("lines.txt") << 4;
    QTest::newRow("template") << QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json") << 4;
}

void TestTextImporters::importFileByExtension()
{
    QFETCH(QString, path);
    QFETCH(int, rows);
    const auto b = importFile(path);
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), rows);
}

void TestTextImporters::importFileErrors()
{
    const auto unknown = importFile(QStringLiteral("/tmp/x.parquet"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().text,
             QStringLiteral("unknown file type: expected .csv, .jsonl, .ndjson, .json, .txt or .tsv"));
    QTemporaryDir dir;
    const QString tsv = dir.filePath(QStringLiteral("paste.tsv"));
    QFile f(tsv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("a\tb\tc\n");
    f.close();
    const auto e = importFile(tsv);
    QVERIFY(!e.ok());
    QCOMPARE(e.error().file, tsv);
    QCOMPARE(e.error().line, 1);
    const auto missing = importFile(tsv.left(tsv.size() - 4) + QStringLiteral(".TSV"));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().text.startsWith(QLatin1String("cannot open the file")));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("dir.csv")));
    const auto directory = importFile(dir.filePath(QStringLiteral("dir.csv")));
    QVERIFY(!directory.ok());
    QCOMPARE(directory.error().text, QStringLiteral("cannot read a directory"));

    // A .json file holding one pretty-printed document: a template gives its rows, anything else says what it is.
    const auto write = [&dir](const char *name, const QByteArray &bytes) {
        QFile out(dir.filePath(QLatin1String(name)));
        if (!out.open(QIODevice::WriteOnly))
            return QString();
        out.write(bytes);
        return out.fileName();
    };
    QFile sample(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"));
    QVERIFY(sample.open(QIODevice::ReadOnly));
    const auto renamed = importFile(write("orders.json", sample.readAll()));
    QVERIFY2(renamed.ok(), qPrintable(renamed.ok() ? QString() : renamed.error().message()));
    QCOMPARE(renamed->size(), 4);
    const QString packageJson = write("package.json", "{\n  \"name\": \"my-app\",\n  \"dependencies\": {}\n}\n");
    const auto other = importFile(packageJson);
    QVERIFY(!other.ok());
    QCOMPARE(other.error().message(),
             packageJson + QStringLiteral(": a single JSON document, neither JSON Lines (one object per line) nor a "
                                          "KBatch template"));
    // A template with a mistake keeps its own error, line and field.
    const auto broken = importFile(write("broken.json", "{\"format\": \"kbatch-template\",\n \"version\": 3}"));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().text.contains(QLatin1String("unsupported template version 3")),
             qPrintable(broken.error().message()));
    QCOMPARE(broken.error().line, 2);
}

void TestTextImporters::importFileOversized()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.jsonl"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize((qint64(1) << 30) + 1)); // sparse
    f.close();
    const auto b = importFile(path);
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, QStringLiteral("the file is too large (1073741825 bytes; the limit is 1073741824 bytes)"));
    QCOMPARE(b.error().file, path);
}

void TestTextImporters::importFileNothingToImport_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error");
    const QString noRows =
        QStringLiteral("nothing to import: the file holds no rows (it is empty or holds only blank lines)");
    QTest::newRow("csv header only") << QStringLiteral("h.csv") << QByteArray("key,value\n")
                                     << QStringLiteral("no rows after the header row: the file names its columns but "
                                                       "holds no messages");
    QTest::newRow("empty txt") << QStringLiteral("e.txt") << QByteArray() << noRows;
    QTest::newRow("blank jsonl") << QStringLiteral("b.jsonl") << QByteArray("\n  \n\r\n") << noRows;
    QTest::newRow("UTF-16 txt with only a byte order mark")
        << QStringLiteral("u.txt") << QByteArray("\xFF\xFE") << noRows;
    QTest::newRow("template without messages")
        << QStringLiteral("t.kbatch.json") << QByteArray(R"({"format": "kbatch-template", "version": 1})")
        << QStringLiteral("nothing to import: the template has no messages");
}

// A file without rows imports into a template that send refuses: the import says so, naming the file (the window's
// import goes through importFile() too).
void TestTextImporters::importFileNothingToImport()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    const auto b = importFile(path);
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, error);
    QCOMPARE(b.error().file, path);
}

void TestTextImporters::importFileTsvEncodings()
{
    QTemporaryDir dir;
    const auto write = [&dir](const char *name, const QByteArray &bytes) {
        QFile out(dir.filePath(QLatin1String(name)));
        if (out.open(QIODevice::WriteOnly))
            out.write(bytes);
        return out.fileName();
    };
    const auto utf16 =
        importFile(write("u.tsv", encodeWithByteOrderMark(QStringLiteral("k\u00e9\tv\n"), Utf::Utf16BE)));
    QVERIFY2(utf16.ok(), qPrintable(utf16.ok() ? QString() : utf16.error().message()));
    QCOMPARE(utf16->key(0), QByteArrayView("k\xC3\xA9"));
    const QString latin1 = write("l.tsv", "key\tvalue\nk\tcaf\xE9\n");
    const auto bad = importFile(latin1);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().text, QStringLiteral("the file is not UTF-8 text (byte 0xe9 at byte offset 15)"));
    QCOMPARE(bad.error().file, latin1);
    QCOMPARE(bad.error().line, 2);
    QCOMPARE(bad.error().column, 6);
}

QTEST_GUILESS_MAIN(TestTextImporters)
#include "tst_textimporters.moc"

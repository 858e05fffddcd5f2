#include "core/format/Importers.h"
#include "tests/common/TextEncodings.h"

#include <QFile>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::encodeWithByteOrderMark;
using kbatch::test::Utf;

class TestCsvImporter : public QObject
{
    Q_OBJECT
private slots:
    void realisticFile();
    void columnsInAnyOrder();
    void nullRule();
    void errors_data();
    void errors();
    void bomAndLf();
    void emptyFile();
    void headerOnlyRefused_data();
    void headerOnlyRefused();
    void otherEncodings_data();
    void otherEncodings();
    void invalidUtf16Located();
};

static QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(KBATCH_TEST_DATA "/format/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

void TestCsvImporter::realisticFile()
{
    const auto b = importCsv(fixture("orders.csv"), QStringLiteral("orders.csv"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 6);
    QCOMPARE(b->key(0).toByteArray(), QByteArray("order-1"));
    QCOMPARE(b->value(0).toByteArray(), QByteArray(R"({"id": 1, "total": 9.5})"));
    QVERIFY(b->valueEncoding(0) == Encoding::Text);
    QCOMPARE(b->headers(0).size(), 2);
    QCOMPARE(b->headers(0).at(1).name, QByteArray("trace-id"));
    QCOMPARE(*b->headers(0).at(1).value.bytes, QByteArray("def"));
    QVERIFY(b->partition(0) == std::optional<std::int32_t>(2));
    QVERIFY(b->timestamp(0) == std::optional<std::int64_t>(1767225600000));
    QCOMPARE(b->headers(1).size(), 1);
    QCOMPARE(b->headers(1).at(0).name, QByteArray("source"));
    QVERIFY(!b->partition(1));
    QVERIFY(!b->timestamp(1));
    QVERIFY(b->keyIsNull(2));
    QCOMPARE(b->value(2).toByteArray(), QByteArray("tombstone-key-null"));
    QVERIFY(!b->keyIsNull(3));
    QVERIFY(!b->valueIsNull(3));
    QCOMPARE(b->key(3).size(), 0);
    QVERIFY(b->timestamp(3) == std::optional<std::int64_t>(1767225600000));
    QCOMPARE(b->value(4).toByteArray(), QByteArray("line one\r\nline two, with comma"));
    QVERIFY(b->partition(4) == std::optional<std::int32_t>(0));
    QCOMPARE(b->value(5).toByteArray(), QByteArray("Grüße 日本"));
}

void TestCsvImporter::columnsInAnyOrder()
{
    const auto b = importCsv(fixture("reordered.csv"), QStringLiteral("r.csv"));
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 1);
    QCOMPARE(b->key(0).toByteArray(), QByteArray("k1"));
    QCOMPARE(b->value(0).toByteArray(), QByteArray("v1"));
}

void TestCsvImporter::nullRule()
{
    const auto b = importCsv("key,value\n,\n\"\",\"\"\n,\"\"\n", QStringLiteral("n.csv"));
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 3);
    QVERIFY(b->keyIsNull(0) && b->valueIsNull(0));
    QVERIFY(!b->keyIsNull(1) && !b->valueIsNull(1));
    QVERIFY(b->keyIsNull(2) && !b->valueIsNull(2));
}

void TestCsvImporter::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown column") << QByteArray("key,vaule\n")
                                    << QStringLiteral("unknown column \"vaule\" (expected key, value, headers, "
                                                      "partition, timestamp)")
                                    << 1 << 5 << QStringLiteral("vaule");
    QTest::newRow("duplicate column") << QByteArray("value,Value\n") << QStringLiteral("duplicate column \"value\"")
                                      << 1 << 7 << QStringLiteral("value");
    QTest::newRow("cell count") << QByteArray("key,value\na,b\nc\n")
                                << QStringLiteral("the row has 1 cells but the header row names 2 columns") << 3 << 1
                                << QString();
    QTest::newRow("bad partition") << QByteArray("value,partition\nv,-1\n")
                                   << QStringLiteral("partition must be an integer from 0 to 2147483647, found \"-1\"")
                                   << 2 << 3 << QStringLiteral("partition");
    QTest::newRow("bad timestamp") << QByteArray("value,timestamp\nv,yesterday\n")
                                   << QStringLiteral("timestamp must be milliseconds since the epoch or an ISO 8601 "
                                                     "date-time, found \"yesterday\"")
                                   << 2 << 3 << QStringLiteral("timestamp");
    QTest::newRow("bad headers") << QByteArray("value,headers\nv,\"[[\"\"a\"\"]]\"\n")
                                 << QStringLiteral("invalid headers: expected a [name, value] pair, found only a name "
                                                   "(write [[\"name\", \"value\"], ...] or {\"name\": \"value\"})")
                                 << 2 << 5 << QStringLiteral("headers[0]");
    QTest::newRow("bad header object") << QByteArray("value,headers\nv,\"{\"\"a\"\": 5}\"\n")
                                       << QStringLiteral("invalid headers: expected a string, null, {\"json\": ...} or "
                                                         "{\"base64\": \"...\"}, found a number (write [[\"name\", "
                                                         "\"value\"], ...] or {\"name\": \"value\"})")
                                       << 2 << 12 << QStringLiteral("headers.a");
    QTest::newRow("unterminated quote") << QByteArray("value\n\"abc\n")
                                        << QStringLiteral("unterminated quoted cell (a '\"' is missing)") << 2 << 1
                                        << QString();
    QTest::newRow("quote in cell") << QByteArray("value\nab\"c\n")
                                   << QStringLiteral("a '\"' inside an unquoted cell; quote the whole cell and double "
                                                     "the '\"'")
                                   << 2 << 3 << QString();
    QTest::newRow("junk after quote") << QByteArray("key,value\n\"a\"b,c\n")
                                      << QStringLiteral("unexpected character after a closing quote (expected ',' or "
                                                        "the end of the line)")
                                      << 2 << 4 << QString();
}

void TestCsvImporter::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, field);
    const auto b = importCsv(input, QStringLiteral("in.csv"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, text);
    QCOMPARE(b.error().file, QStringLiteral("in.csv"));
    QCOMPARE(b.error().line, line);
    QCOMPARE(b.error().column, column);
    QCOMPARE(b.error().field, field);
}

void TestCsvImporter::bomAndLf()
{
    const auto b = importCsv("\xEF\xBB\xBFValue\nx\ny", QStringLiteral("b.csv"));
    QVERIFY(b.ok());
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->value(1).toByteArray(), QByteArray("y"));
}

void TestCsvImporter::emptyFile()
{
    const auto b = importCsv("", QStringLiteral("e.csv"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, QStringLiteral("the file is empty: expected a header row naming the columns (key, value, "
                                            "headers, partition, timestamp)"));
}

void TestCsvImporter::headerOnlyRefused_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("header") << QByteArray("key,value\n");
    QTest::newRow("header without a line end") << QByteArray("key,value");
    QTest::newRow("header and blank lines") << QByteArray("\xEF\xBB\xBFkey,value\r\n\r\n\n");
}

// It used to import into a template with no messages, which send then refused.
void TestCsvImporter::headerOnlyRefused()
{
    QFETCH(QByteArray, input);
    const auto b = importCsv(input, QStringLiteral("h.csv"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().file, QStringLiteral("h.csv"));
    QCOMPARE(b.error().text,
             QStringLiteral("no rows after the header row: the file names its columns but holds no messages"));
}

void TestCsvImporter::otherEncodings_data()
{
    QTest::addColumn<QByteArray>("input");
    const QString text = QStringLiteral("key,value\r\nk\u00e9,\"caf\u00e9, \U0001F600\"\r\n,\"\"\r\n");
    QTest::newRow("UTF-16LE") << encodeWithByteOrderMark(text, Utf::Utf16LE);
    QTest::newRow("UTF-16BE") << encodeWithByteOrderMark(text, Utf::Utf16BE);
    QTest::newRow("UTF-32LE") << encodeWithByteOrderMark(text, Utf::Utf32LE);
    QTest::newRow("UTF-32BE") << encodeWithByteOrderMark(text, Utf::Utf32BE);
}

// "Unicode" CSV from Excel or PowerShell: UTF-16 with a byte order mark. Converted, not garbage rows.
void TestCsvImporter::otherEncodings()
{
    QFETCH(QByteArray, input);
    const auto b = importCsv(input, QStringLiteral("u.csv"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->key(0), QByteArrayView("k\xC3\xA9"));
    QCOMPARE(b->value(0), QByteArrayView("caf\xC3\xA9, \xF0\x9F\x98\x80"));
    QCOMPARE(b->valueEncoding(0), Encoding::Text);
    QVERIFY(b->keyIsNull(1));
    QCOMPARE(b->value(1), QByteArrayView(""));
}

void TestCsvImporter::invalidUtf16Located()
{
    // A lone high surrogate on line 2, after "ab" and a comma: its file offset is 2 + 2 * 13.
    QByteArray input = encodeWithByteOrderMark(QStringLiteral("key,value\nab,"), Utf::Utf16LE);
    input += QByteArray("\x3D\xD8x\x00", 4);
    const auto b = importCsv(input, QStringLiteral("bad.csv"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text,
             QStringLiteral("invalid UTF-16LE: a high surrogate (0xd83d) without a low surrogate at byte offset 28"));
    QCOMPARE(b.error().file, QStringLiteral("bad.csv"));
    QCOMPARE(b.error().line, 2);
    QCOMPARE(b.error().column, 4);
}

QTEST_GUILESS_MAIN(TestCsvImporter)
#include "tst_csvimporter.moc"

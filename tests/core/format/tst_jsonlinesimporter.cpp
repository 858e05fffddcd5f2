#include "core/format/Importers.h"
#include "tests/common/TextEncodings.h"

#include <QFile>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::encodeWithByteOrderMark;
using kbatch::test::Utf;

class TestJsonLinesImporter : public QObject
{
    Q_OBJECT
private slots:
    void realisticFile();
    void errors_data();
    void errors();
    void otherEncodings_data();
    void otherEncodings();
    void kcatBinaryMessages();
    void kcatBinaryHeaderNameRefused();
};

static QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(KBATCH_TEST_DATA "/format/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

void TestJsonLinesImporter::realisticFile()
{
    const auto b = importJsonLines(fixture("mixed.jsonl"), QStringLiteral("mixed.jsonl"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 5);
    QCOMPARE(b->key(0).toByteArray(), QByteArray("k1"));
    QCOMPARE(b->headers(0).size(), 2);
    QVERIFY(b->partition(0) == std::optional<std::int32_t>(3));
    QVERIFY(b->timestamp(0) == std::optional<std::int64_t>(1767225600000));
    QVERIFY(b->keyIsNull(1));
    QVERIFY(b->valueEncoding(1) == Encoding::Json);
    QCOMPARE(b->value(1).toByteArray(), QByteArray(R"({"z":1,"a":[1.50,true]})"));
    QCOMPARE(b->key(2).toByteArray(), QByteArray("\0\1\2\xff", 4));
    QVERIFY(b->keyEncoding(2) == Encoding::Base64);
    QVERIFY(b->valueIsNull(2));
    QCOMPARE(b->headers(2).size(), 1);
    QVERIFY(b->headers(2).at(0).value.isNull());
    // kcat -J: key, payload and headers kept; partition and timestamp left to the producer.
    QCOMPARE(b->key(3).toByteArray(), QByteArray("order-9"));
    QCOMPARE(b->value(3).toByteArray(), QByteArray(R"({"id":9})"));
    QVERIFY(!b->partition(3));
    QVERIFY(!b->timestamp(3));
    QCOMPARE(b->headers(3).size(), 2);
    QCOMPARE(*b->headers(3).at(0).value.bytes, QByteArray("abc"));
    QVERIFY(b->headers(3).at(1).value.isNull());
    QVERIFY(b->keyIsNull(4) && b->valueIsNull(4));
}

void TestJsonLinesImporter::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("field");
    QTest::newRow("not object") << QByteArray("{\"value\": \"a\"}\n[1]\n")
                                << QStringLiteral("expected a JSON object, found an array") << 2 << 1 << QString();
    QTest::newRow("unknown field") << QByteArray("\n\n{\"value\": \"a\", \"vlaue\": 1}")
                                   << QStringLiteral("unknown field \"vlaue\" (expected one of: key, value, headers, "
                                                     "partition, timestamp; or kcat -J's topic, partition, offset, "
                                                     "tstype, ts, broker, headers, key, payload)")
                                   << 3 << 16 << QStringLiteral("vlaue");
    QTest::newRow("mixed forms") << QByteArray("{\"value\": \"a\", \"payload\": \"b\"}")
                                 << QStringLiteral("the line mixes KBatch fields (\"value\") with kcat -J fields "
                                                   "(\"payload\"); use one form")
                                 << 1 << 16 << QStringLiteral("payload");
    QTest::newRow("bad header") << QByteArray("{\"headers\": [[\"a\", 5]]}")
                                << QStringLiteral("expected a string, null, {\"json\": ...} or {\"base64\": \"...\"}, "
                                                  "found a number")
                                << 1 << 20 << QStringLiteral("headers[0][1]");
    QTest::newRow("odd kcat headers") << QByteArray("{\"payload\": \"x\", \"headers\": [\"a\", \"1\", \"b\"]}")
                                      << QStringLiteral("kcat headers alternate names and values; the last name has "
                                                        "no value")
                                      << 1 << 29 << QStringLiteral("headers");
    QTest::newRow("syntax") << QByteArray("{\"value\": \"a\",}") << QStringLiteral("trailing comma before '}'") << 1
                            << 15 << QString();
    QTest::newRow("negative timestamp") << QByteArray("{\"value\": \"a\", \"timestamp\": -1}")
                                        << QStringLiteral("must be 0 or greater, found -1") << 1 << 29
                                        << QStringLiteral("timestamp");
    QTest::newRow("bad base64") << QByteArray("{\"value\": {\"base64\": \"@@\"}}") << QStringLiteral("invalid base64")
                                << 1 << 22 << QStringLiteral("value.base64");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02", 3)
                            << QStringLiteral("not JSON Lines: the file holds binary data (byte 0x00 at byte offset 0)")
                            << 1 << 1 << QString();
    QTest::newRow("binary further on") << QByteArray("{\"value\": \"a\"}\n{\"value\": \"\xC3\xA9\x00\"}\n", 30)
                                       << QStringLiteral("not JSON Lines: the file holds binary data (byte 0x00 at "
                                                         "byte offset 28)")
                                       << 2 << 13 << QString();
    // Bytes that are no UTF-8 are an error where they are, except in kcat -J lines (see kcatBinaryMessages()).
    QTest::newRow("Latin-1 text") << QByteArray("{\"value\": \"a\"}\n{\"value\": \"caf\xE9\"}")
                                  << QStringLiteral("invalid UTF-8 byte 0xe9") << 2 << 15 << QStringLiteral("value");
    QTest::newRow("UTF-16 cut short") << QByteArray("\xFF\xFE{\x00\"", 5)
                                      << QStringLiteral("the file ends in the middle of a UTF-16LE character at byte "
                                                        "offset 4")
                                      << 1 << 2 << QString();
}

void TestJsonLinesImporter::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, field);
    const auto b = importJsonLines(input, QStringLiteral("in.jsonl"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, text);
    QCOMPARE(b.error().file, QStringLiteral("in.jsonl"));
    QCOMPARE(b.error().line, line);
    QCOMPARE(b.error().column, column);
    QCOMPARE(b.error().field, field);
}

void TestJsonLinesImporter::otherEncodings_data()
{
    // What Windows tools write as "Unicode" (PowerShell's > redirection, Notepad): UTF-16 or UTF-32 with a byte
    // order mark. Converted to UTF-8, with every row as in the UTF-8 file.
    QTest::addColumn<QByteArray>("input");
    const QString text =
        QStringLiteral("{\"key\": \"k\u00e9\", \"value\": \"caf\u00e9 \U0001F600\"}\r\n\r\n{\"value\": null}\n");
    QTest::newRow("UTF-8 with a byte order mark") << QByteArray("\xEF\xBB\xBF" + text.toUtf8());
    QTest::newRow("UTF-16LE") << encodeWithByteOrderMark(text, Utf::Utf16LE);
    QTest::newRow("UTF-16BE") << encodeWithByteOrderMark(text, Utf::Utf16BE);
    QTest::newRow("UTF-32LE") << encodeWithByteOrderMark(text, Utf::Utf32LE);
    QTest::newRow("UTF-32BE") << encodeWithByteOrderMark(text, Utf::Utf32BE);
}

void TestJsonLinesImporter::otherEncodings()
{
    QFETCH(QByteArray, input);
    const auto b = importJsonLines(input, QStringLiteral("in.jsonl"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->key(0), QByteArrayView("k\xC3\xA9"));
    QCOMPARE(b->value(0), QByteArrayView("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    QCOMPARE(b->valueEncoding(0), Encoding::Text);
    QVERIFY(b->valueIsNull(1));
}

// kcat -J writes the bytes of keys, payloads and header values as they are (escaping control characters only), so
// the lines of binary messages hold bytes that are no UTF-8. They are taken exactly, as raw bytes.
void TestJsonLinesImporter::kcatBinaryMessages()
{
    const QByteArray line1 =
        "{\"topic\":\"t\",\"partition\":1,\"offset\":0,\"tstype\":\"create\",\"ts\":1,\"broker\":1,"
        "\"headers\":[\"h\\u0001\",\"\xFF\x80\\u0000\\\"\",\"n\",null,\"e\",\"\"],"
        "\"key\":\"\xFF\\u0000\\u0001\x80\xC0\",\"payload\":\"\\u0000\xFF\xFE\x80\xC3\xA9\\\"\\\\\\n\"}";
    const QByteArray line2 =
        "{\"topic\":\"t\",\"partition\":0,\"offset\":0,\"tstype\":\"create\",\"ts\":1,\"broker\":1,"
        "\"key\":null,\"payload\":\"text \xC3\xA9 \\\"q\\\" / \x7F\"}";
    const auto b = importJsonLines(QByteArray(line1 + "\n" + line2 + "\n"), QStringLiteral("dump.jsonl"));
    QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message()));
    QCOMPARE(b->size(), 2);
    QCOMPARE(b->key(0), QByteArrayView("\xFF\x00\x01\x80\xC0", 5));
    QCOMPARE(b->keyEncoding(0), Encoding::Base64);
    QCOMPARE(b->value(0), QByteArrayView("\x00\xFF\xFE\x80\xC3\xA9\"\\\n", 9));
    QCOMPARE(b->valueEncoding(0), Encoding::Base64);
    const Headers &h = b->headers(0);
    QCOMPARE(h.size(), 3);
    QCOMPARE(h[0].name, QByteArray("h\x01"));
    QCOMPARE(*h[0].value.bytes, QByteArray("\xFF\x80\x00\"", 4));
    QCOMPARE(h[0].value.encoding, Encoding::Base64);
    QVERIFY(h[1].value.isNull());
    QCOMPARE(*h[2].value.bytes, QByteArray());
    QCOMPARE(h[2].value.encoding, Encoding::Text);
    QVERIFY(b->keyIsNull(1));
    QCOMPARE(b->value(1), QByteArrayView("text \xC3\xA9 \"q\" / \x7F"));
    QCOMPARE(b->valueEncoding(1), Encoding::Text);
}

void TestJsonLinesImporter::kcatBinaryHeaderNameRefused()
{
    const QByteArray line = "{\"topic\":\"t\",\"partition\":1,\"offset\":0,\"tstype\":\"create\",\"ts\":1,\"broker\":1,"
                            "\"headers\":[\"ok\",\"1\",\"\xFF\",\"2\"],\"key\":null,\"payload\":\"x\"}";
    const auto b = importJsonLines(QByteArray("\n" + line), QStringLiteral("dump.jsonl"));
    QVERIFY(!b.ok());
    QCOMPARE(b.error().text, QStringLiteral("a header name that is not UTF-8 text cannot be kept in a template"));
    QCOMPARE(b.error().line, 2);
    QCOMPARE(b.error().field, QStringLiteral("headers[2]"));
    QCOMPARE(b.error().file, QStringLiteral("dump.jsonl"));
}

QTEST_GUILESS_MAIN(TestJsonLinesImporter)
#include "tst_jsonlinesimporter.moc"

// validateJson, compactJson, prettyJson: the one JSON text implementation of the editor, the writers and the reader.
#include "core/format/JsonText.h"
#include "core/format/Utf8.h"

#include <QTest>

using namespace kbatch::core;

class TestJsonText : public QObject
{
    Q_OBJECT
private slots:
    void compactKeepsOrderAndLexemes_data();
    void compactKeepsOrderAndLexemes();
    void prettyRoundTrips_data();
    void prettyRoundTrips();
    void prettyIndentAndLevel();
    void errorsNameLineColumnAndPath_data();
    void errorsNameLineColumnAndPath();
    void everyFunctionGivesTheSameError_data();
    void everyFunctionGivesTheSameError();
    void appendLeavesOutputOnError();
    void decodesStringContent_data();
    void decodesStringContent();
    void characterColumns();
};

void TestJsonText::compactKeepsOrderAndLexemes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("compact");
    QTest::newRow("order") << QByteArray("{ \"z\": 1, \"a\": 2 }") << QByteArray("{\"z\":1,\"a\":2}");
    QTest::newRow("duplicate keys kept") << QByteArray("{\"a\": 1, \"a\": 2}") << QByteArray("{\"a\":1,\"a\":2}");
    QTest::newRow("numbers") << QByteArray("[1.50, -0, 1E+10, 12345678901234567890123, 1e400]")
                             << QByteArray("[1.50,-0,1E+10,12345678901234567890123,1e400]");
    QTest::newRow("escapes kept") << QByteArray("\"\\u00e9\\n\\/\"") << QByteArray("\"\\u00e9\\n\\/\"");
    QTest::newRow("nested") << QByteArray("{\n  \"a\" : [ true , false , null , { } , [ ] ]\n}")
                            << QByteArray("{\"a\":[true,false,null,{},[]]}");
    QTest::newRow("unicode") << QByteArray("{\"k\\u00e9\": \"日本\"}") << QByteArray("{\"k\\u00e9\":\"日本\"}");
    QTest::newRow("scalar") << QByteArray(" \t\r\n42\n") << QByteArray("42");
    QTest::newRow("spaces inside strings") << QByteArray("[\" a b \" ]") << QByteArray("[\" a b \"]");
}

void TestJsonText::compactKeepsOrderAndLexemes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, compact);
    QVERIFY(validateJson(input).ok());
    const auto result = compactJson(input);
    QVERIFY(result.ok());
    QCOMPARE(*result, compact);
}

void TestJsonText::prettyRoundTrips_data()
{
    QTest::addColumn<QByteArray>("compact");
    QTest::addColumn<QByteArray>("pretty");
    QTest::newRow("object") << QByteArray("{\"b\":1,\"a\":[1,{}]}")
                            << QByteArray("{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {}\n  ]\n}");
    QTest::newRow("scalar") << QByteArray("1.0e5") << QByteArray("1.0e5");
    QTest::newRow("escaped name") << QByteArray("{\"\\u0041\":\"\\t\"}") << QByteArray("{\n  \"\\u0041\": \"\\t\"\n}");
    QTest::newRow("empty containers") << QByteArray("[{},[]]") << QByteArray("[\n  {},\n  []\n]");
}

void TestJsonText::prettyRoundTrips()
{
    QFETCH(QByteArray, compact);
    QFETCH(QByteArray, pretty);
    const auto out = prettyJson(compact);
    QVERIFY(out.ok());
    QCOMPARE(*out, pretty);
    QCOMPARE(*compactJson(*out), compact);
}

void TestJsonText::prettyIndentAndLevel()
{
    QCOMPARE(*prettyJson("{\"a\":[1]}", 4), QByteArray("{\n    \"a\": [\n        1\n    ]\n}"));
    // Inside a bigger document: the first line continues the writer's line, later ones are indented from `level`.
    QByteArray out = "x: ";
    QVERIFY(appendPrettyJson(out, "{\"a\":1}", 2, 3).ok());
    QCOMPARE(out, QByteArray("x: {\n        \"a\": 1\n      }"));
}

void TestJsonText::errorsNameLineColumnAndPath_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("path");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("empty: expected a JSON value") << 1 << 1
                           << QStringLiteral("$");
    QTest::newRow("blank") << QByteArray("  \n ") << QStringLiteral("empty: expected a JSON value") << 2 << 2
                           << QStringLiteral("$");
    QTest::newRow("missing value") << QByteArray("{\"b\": ")
                                   << QStringLiteral("unexpected end of the input, expected a value") << 1 << 7
                                   << QStringLiteral("$.b");
    QTest::newRow("nested member") << QByteArray("{\n  \"items\": [\n    {\"qty\": 01}\n  ]\n}")
                                   << QStringLiteral("invalid number: leading zeros are not allowed") << 3 << 13
                                   << QStringLiteral("$.items[0].qty");
    QTest::newRow("trailing comma") << QByteArray("{\"a\": [1, 2,]}") << QStringLiteral("trailing comma before ']'")
                                    << 1 << 13 << QStringLiteral("$.a");
    QTest::newRow("unquoted name") << QByteArray("{\"a\": {b: 1}}")
                                   << QStringLiteral("unexpected character 'b', expected a member name in double "
                                                     "quotes")
                                   << 1 << 8 << QStringLiteral("$.a");
    QTest::newRow("odd name quoted") << QByteArray("{\"a b\": {\"日本\": [tru]}}")
                                     << QStringLiteral("invalid literal, expected 'true'") << 1 << 17
                                     << QStringLiteral("$[\"a b\"][\"日本\"][0]");
    QTest::newRow("column in characters")
        << QByteArray("[\"日本語\", x]") << QStringLiteral("unexpected character 'x', expected a value") << 1 << 9
        << QStringLiteral("$[1]");
    QTest::newRow("content after") << QByteArray("{} {}")
                                   << QStringLiteral("unexpected content after the end of the JSON value") << 1 << 4
                                   << QStringLiteral("$");
    QTest::newRow("two values") << QByteArray("1,2")
                                << QStringLiteral("unexpected content after the end of the JSON value") << 1 << 2
                                << QStringLiteral("$");
    QTest::newRow("lone surrogate") << QByteArray("{\"s\": \"\\udc00\"}")
                                    << QStringLiteral("invalid \\u escape: lone low surrogate") << 1 << 8
                                    << QStringLiteral("$.s");
    QTest::newRow("not utf-8") << QByteArray("[\"\xff\"]") << QStringLiteral("invalid UTF-8 byte 0xff") << 1 << 3
                               << QStringLiteral("$[0]");
    QTest::newRow("stray character") << QByteArray("[1 \xe2\x80\xae]")
                                     << QStringLiteral("unexpected character '\\u202e', expected ',' or ']'") << 1 << 4
                                     << QStringLiteral("$");
    QTest::newRow("stray byte") << QByteArray("\x80") << QStringLiteral("unexpected byte 0x80, expected a value") << 1
                                << 1 << QStringLiteral("$");
    QTest::newRow("single quotes") << QByteArray("['a']")
                                   << QStringLiteral("unexpected character ''', expected a value") << 1 << 2
                                   << QStringLiteral("$[0]");
    QTest::newRow("too deep") << QByteArray(513, '[') + QByteArray(513, ']') << QStringLiteral("nested too deeply") << 1
                              << 513 << QStringLiteral("$") + QStringLiteral("[0]").repeated(512);
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf{}")
                                     << QStringLiteral("unexpected character '\\ufeff', expected a value") << 1 << 1
                                     << QStringLiteral("$");
}

void TestJsonText::errorsNameLineColumnAndPath()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, path);
    const Status s = validateJson(input);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().text, text);
    QCOMPARE(s.error().line, line);
    QCOMPARE(s.error().column, column);
    QCOMPARE(s.error().field, path);
    QVERIFY(s.error().file.isEmpty());
}

void TestJsonText::everyFunctionGivesTheSameError_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("member") << QByteArray("{\"a\": [1, {\"b\": nul}]}");
    QTest::newRow("end") << QByteArray("[1,");
    QTest::newRow("after") << QByteArray("[] ]");
}

void TestJsonText::everyFunctionGivesTheSameError()
{
    QFETCH(QByteArray, input);
    const Status v = validateJson(input);
    const auto c = compactJson(input);
    const auto p = prettyJson(input);
    QVERIFY(!v.ok() && !c.ok() && !p.ok());
    QCOMPARE(c.error().message(), v.error().message());
    QCOMPARE(p.error().message(), v.error().message());
}

void TestJsonText::appendLeavesOutputOnError()
{
    QByteArray out = "kept";
    QVERIFY(!appendCompactJson(out, "[1, 2").ok());
    QCOMPARE(out, QByteArray("kept"));
    QVERIFY(!appendPrettyJson(out, "{\"a\": [1, 2}", 2, 0).ok());
    QCOMPARE(out, QByteArray("kept"));
}

void TestJsonText::decodesStringContent_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("plain") << QByteArray("a b") << true << QByteArray("a b");
    QTest::newRow("escapes") << QByteArray("a\\\"b\\\\\\n\\u00e9\\ud83d\\ude00") << true
                             << QByteArray("a\"b\\\n\xc3\xa9\xf0\x9f\x98\x80");
    QTest::newRow("raw quote") << QByteArray("a\"b") << false << QByteArray();
    QTest::newRow("trailing backslash") << QByteArray("a\\") << false << QByteArray();
    QTest::newRow("control") << QByteArray("a\tb") << false << QByteArray();
    QTest::newRow("lone surrogate") << QByteArray("\\ud800x") << false << QByteArray();
    QTest::newRow("not utf-8") << QByteArray("\xc3") << false << QByteArray();
}

void TestJsonText::decodesStringContent()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, ok);
    QFETCH(QByteArray, decoded);
    QByteArray out;
    QCOMPARE(decodeJsonStringContent(content, out), ok);
    if (ok)
        QCOMPARE(out, decoded);
}

void TestJsonText::characterColumns()
{
    const QByteArray line = "ab\n日本x";
    QCOMPARE(characterColumn(line, 0, 2), 3);
    QCOMPARE(characterColumn(line, 3, 3 + 6), 3); // two 3-byte characters before 'x'
    QCOMPARE(characterColumn(line, 3, 100), 4);   // clamped to the data
    QCOMPARE(countCharacters("\xf0\x9f\x98\x80"
                             "a"),
             qsizetype(2));
    // Every length and alignment, against a byte-by-byte count: the word-at-a-time count must agree.
    QByteArray mixed;
    for (int i = 0; i < 40; ++i)
        mixed += i % 3 == 0   ? QByteArray("\xe6\x97\xa5")
                 : i % 3 == 1 ? QByteArray("a")
                              : QByteArray("\xc3\xa9\xf0\x9f\x98\x80");
    mixed += QByteArray("\x80\xbf\xff\xc0\x7f\x40", 6); // stray continuation and other bytes count as they are
    mixed += QByteArray(17, '\x80');                    // whole words of continuation bytes: eight in one word
    for (qsizetype from = 0; from < 9; ++from) {
        for (qsizetype to = from; to <= mixed.size(); ++to) {
            qsizetype expected = 0;
            for (qsizetype i = from; i < to; ++i)
                expected += (static_cast<unsigned char>(mixed[i]) & 0xc0) != 0x80 ? 1 : 0;
            QCOMPARE(countCharacters(QByteArrayView(mixed).sliced(from, to - from)), expected);
        }
    }
    QByteArray utf8;
    appendUtf8(utf8, 0x1f600);
    appendUtf8(utf8, 0xe9);
    QCOMPARE(utf8, QByteArray("\xf0\x9f\x98\x80\xc3\xa9"));
    QVERIFY(isValidUtf8(utf8));
    QCOMPARE(utf8SequenceLength(utf8), qsizetype(4));
    QCOMPARE(hexDigitValue('F'), 15);
    QCOMPARE(hexDigitValue('g'), -1);
}

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"

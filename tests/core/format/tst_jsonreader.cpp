#include "core/format/JsonReader.h"
#include "core/format/JsonWriter.h"

#include <QTest>

using namespace kbatch::core;

class TestJsonReader : public QObject
{
    Q_OBJECT
private slots:
    void rejectsInvalid_data();
    void rejectsInvalid();
    void decodesStrings_data();
    void decodesStrings();
    void positionsCountCharacters();
    void utf8Validation_data();
    void utf8Validation();
    void specialByteAtEveryPosition();
    void stringViewBorrowsUnlessEscaped();
};

void TestJsonReader::rejectsInvalid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("trailing comma") << QByteArray("[1,\n 2,]") << QStringLiteral("trailing comma before ']'") << 2 << 4;
    QTest::newRow("object trailing comma")
        << QByteArray("{\"a\":1,}") << QStringLiteral("trailing comma before '}'") << 1 << 8;
    QTest::newRow("leading zero") << QByteArray("[01]")
                                  << QStringLiteral("invalid number: leading zeros are not allowed") << 1 << 2;
    QTest::newRow("single quotes") << QByteArray("{'a': 1}")
                                   << QStringLiteral("unexpected character ''', expected a member name in "
                                                     "double quotes")
                                   << 1 << 2;
    QTest::newRow("bad escape") << QByteArray("\"a\\x\"") << QStringLiteral("invalid escape sequence '\\x'") << 1 << 3;
    QTest::newRow("lone surrogate") << QByteArray("\"\\ud800\"")
                                    << QStringLiteral("invalid \\u escape: high surrogate without a low surrogate") << 1
                                    << 2;
    QTest::newRow("raw newline") << QByteArray("\"a\nb\"")
                                 << QStringLiteral("unterminated string (line break inside a string)") << 1 << 3;
    QTest::newRow("invalid utf8") << QByteArray("\"a\xff\"") << QStringLiteral("invalid UTF-8 byte 0xff") << 1 << 3;
    QTest::newRow("garbage after") << QByteArray("{} x")
                                   << QStringLiteral("unexpected content after the end of the JSON value") << 1 << 4;
    QTest::newRow("unterminated") << QByteArray("[1, 2")
                                  << QStringLiteral("unexpected end of the input, expected ',' or ']'") << 1 << 6;
    QTest::newRow("nan") << QByteArray("[NaN]") << QStringLiteral("unexpected character 'N', expected a value") << 1
                         << 2;
    QTest::newRow("too deep") << QByteArray(600, '[') << QStringLiteral("nested too deeply") << 1 << 513;
}

void TestJsonReader::rejectsInvalid()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QFETCH(int, line);
    QFETCH(int, column);
    JsonReader r(input);
    QByteArray out;
    QVERIFY(!(r.copyCompact(out) && r.expectEnd()));
    QCOMPARE(r.errorText(), error);
    QCOMPARE(r.errorLine(), line);
    QCOMPARE(r.errorColumn(), column);
}

void TestJsonReader::decodesStrings_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("plain") << QByteArray("\"abc\"") << QByteArray("abc");
    QTest::newRow("escapes") << QByteArray("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"") << QByteArray("\"\\/\b\f\n\r\t");
    QTest::newRow("bmp") << QByteArray("\"\\u00e9\\u65e5\"") << QByteArray("\xc3\xa9\xe6\x97\xa5");
    QTest::newRow("surrogates") << QByteArray("\"\\ud83d\\ude00\"") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("nul") << QByteArray("\"a\\u0000b\"") << QByteArray("a\0b", 3);
}

void TestJsonReader::decodesStrings()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, decoded);
    JsonReader r(input);
    QByteArray out;
    QVERIFY(r.readString(out));
    QCOMPARE(out, decoded);
    QByteArray again;
    appendJsonString(again, decoded);
    JsonReader r2(again);
    QVERIFY(r2.readString(out));
    QCOMPARE(out, decoded);
}

void TestJsonReader::positionsCountCharacters()
{
    JsonReader r("{\"日本\": 1,\r\n  \"x\": [true]}");
    QVERIFY(r.beginObject());
    QByteArray name;
    QVERIFY(r.nextMember(name));
    QCOMPARE(name, QByteArray("日本"));
    QCOMPARE(r.peek(), JsonReader::Kind::Number);
    QCOMPARE(r.line(), 1);
    QCOMPARE(r.column(), 8);
    QVERIFY(r.skipValue());
    QVERIFY(r.nextMember(name));
    QCOMPARE(r.lastMemberMark().line, 2);
    QCOMPARE(r.column(r.lastMemberMark()), 3);
    QCOMPARE(r.peek(), JsonReader::Kind::Array);
    QCOMPARE(r.column(), 8);
}

void TestJsonReader::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("abc") << true;
    QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe6\x97") << false;
    QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("binary") << QByteArray("\x00\x01\xff", 3) << false;
}

void TestJsonReader::utf8Validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(JsonReader::isValidUtf8(bytes), valid);
}

// scanString() skips plain bytes eight at a time: a quote, backslash, control character or UTF-8 byte must be seen
// wherever it falls in a word, and whatever sits next to it (0x1f/0x20 and 0x7f/0x80 are the edges of the test).
void TestJsonReader::specialByteAtEveryPosition()
{
    // Past two 16-byte blocks and an 8-byte word: every path of the string scanner.
    for (int before = 0; before < 40; ++before) {
        for (const char neighbour : {'a', ' ', '\x7f', '!', '#', '[', ']'}) {
            const QByteArray lead(before, neighbour);
            const QByteArray tail(11, neighbour);
            auto read = [](const QByteArray &json, QByteArray &out) {
                JsonReader r(json);
                return r.readString(out);
            };
            QByteArray out;
            const QByteArray at = "at " + QByteArray::number(before) + " after byte " + QByteArray::number(neighbour);
            const auto where = [&at] { return at.constData(); };
            // An escaped quote and an escaped backslash are decoded, not taken for the end.
            QVERIFY2(read('"' + lead + "\\\"" + tail + '"', out), where());
            QCOMPARE(out, lead + '"' + tail);
            QVERIFY2(read('"' + lead + "\\\\" + tail + '"', out), where());
            QCOMPARE(out, lead + '\\' + tail);
            // The closing quote ends the string right there.
            const QByteArray ended = '"' + lead + "\" 1" + tail;
            JsonReader r(ended);
            QVERIFY2(r.readString(out), where());
            QCOMPARE(out, lead);
            QCOMPARE(r.peek(), JsonReader::Kind::Number);
            // A control character is an error at its own column.
            const QByteArray control = '"' + lead + '\x1f' + tail + '"';
            JsonReader c(control);
            QVERIFY2(!c.readString(out), where());
            QCOMPARE(c.errorColumn(), before + 2);
            QVERIFY(c.errorText().contains(QLatin1String("U+001f")));
            // A multi-byte character is validated: whole it passes, cut short it fails at its first byte.
            QVERIFY2(read('"' + lead + "\xc3\xa9" + tail + '"', out), where());
            QCOMPARE(out, lead + "\xc3\xa9" + tail);
            const QByteArray cut = '"' + lead + "\xc3" + tail + '"';
            JsonReader u(cut);
            QVERIFY2(!u.readString(out), where());
            QCOMPARE(u.errorColumn(), before + 2);
        }
    }
    // An unterminated string whose last word is all plain bytes.
    JsonReader open("\"abcdefghijklmnop");
    QByteArray out;
    QVERIFY(!open.readString(out));
    QCOMPARE(open.errorText(), QStringLiteral("unterminated string"));
}

void TestJsonReader::stringViewBorrowsUnlessEscaped()
{
    const QByteArray input("[\"plain text value\", \"tab\\there\", \"\"]");
    JsonReader r(input);
    QVERIFY(r.beginArray());
    QByteArray scratch;
    QByteArrayView view;
    QVERIFY(r.nextElement());
    QVERIFY(r.readStringView(view, scratch));
    QCOMPARE(view, QByteArrayView("plain text value"));
    QCOMPARE(view.data(), input.constData() + 2); // no copy: it points into the input
    QVERIFY(r.nextElement());
    QVERIFY(r.readStringView(view, scratch));
    QCOMPARE(view, QByteArrayView("tab\there"));
    QCOMPARE(view.data(), scratch.constData()); // decoded
    QVERIFY(r.nextElement());
    QVERIFY(r.readStringView(view, scratch));
    QVERIFY(view.isEmpty());
    QVERIFY(!r.nextElement());
    QVERIFY(!r.hasError());
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"

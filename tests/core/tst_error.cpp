// Error::message(): the one line every error is shown as, in the CLI, the window and the logs.

#include "core/format/Importers.h"
#include "core/format/TemplateReader.h"
#include "core/model/Error.h"

#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Error)

class TestError : public QObject
{
    Q_OBJECT
private slots:
    void message_data();
    void message();
    void notATemplateIsAKind_data();
    void notATemplateIsAKind();
    void aJsonFileThatIsNoTemplate();
};

void TestError::message_data()
{
    QTest::addColumn<Error>("error");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text only") << Error(QStringLiteral("boom")) << QStringLiteral("boom");
    QTest::newRow("file, line, column, field")
        << Error(QStringLiteral("expected a string"), QStringLiteral("t.kbatch.json"), 3, 14,
                 QStringLiteral("messages[0].key"))
        << QStringLiteral("t.kbatch.json:3:14: messages[0].key: expected a string");
    QTest::newRow("line without a file") << Error(QStringLiteral("bad cell"), {}, 2, 5, {})
                                         << QStringLiteral("line 2, column 5: bad cell");
    QTest::newRow("field names the setting")
        << Error(QStringLiteral("cannot connect to b:9092 within 10000 ms"), {}, 0, 0,
                 QStringLiteral("bootstrap.servers"))
        << QStringLiteral("bootstrap.servers: cannot connect to b:9092 within 10000 ms");
    // Said once, not "topic: topic 'x' does not exist".
    QTest::newRow("text starting with its field")
        << Error(QStringLiteral("topic 'x' does not exist"), {}, 0, 0, QStringLiteral("topic"))
        << QStringLiteral("topic 'x' does not exist");
    QTest::newRow("field only as a prefix of a word")
        << Error(QStringLiteral("topics are missing"), {}, 0, 0, QStringLiteral("topic"))
        << QStringLiteral("topic: topics are missing");
}

void TestError::message()
{
    QFETCH(Error, error);
    QFETCH(QString, expected);
    QCOMPARE(error.message(), expected);
}

void TestError::notATemplateIsAKind_data()
{
    // Callers decide by the kind, never by the words (ImportFile tells a .json that is no template from a template
    // with a mistake). Every "not a KBatch template" answer carries it; a template's own mistakes do not.
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("notATemplate");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("an array") << QByteArray("[1, 2]") << true;
    QTest::newRow("UTF-16") << QByteArray("\xff\xfe{\0}\0", 6) << true;
    QTest::newRow("binary") << QByteArray("{\"a\": \"\x01\x02\x03\"}") << true;
    QTest::newRow("another JSON file") << QByteArray(R"({"private": true, "dependencies": {}})") << true;
    QTest::newRow("another format") << QByteArray(R"({"format": "something-else", "version": 1})") << true;
    QTest::newRow("no format, after the rows")
        << QByteArray(R"({"version": 1, "topic": "t", "messages": [{"value": "v"}]})") << true;
    QTest::newRow("a template with a wrong version")
        << QByteArray(R"({"format": "kbatch-template", "version": 3, "messages": []})") << false;
    QTest::newRow("a template with a wrong row")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": [{"key": 5}]})") << false;
}

void TestError::notATemplateIsAKind()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, notATemplate);
    const auto parsed = parseTemplate(input, QStringLiteral("t.kbatch.json"));
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().text.startsWith(QLatin1String("not a KBatch template")) == notATemplate,
             qPrintable(parsed.error().message()));
    QCOMPARE(parsed.error().kind == ErrorKind::NotATemplate, notATemplate);
    // The same through the windowed reader, which reads the head again when it does not fit.
    const auto windowed = parseTemplate(input, QStringLiteral("t.kbatch.json"), 8);
    QVERIFY(!windowed.ok());
    QCOMPARE(windowed.error().kind == ErrorKind::NotATemplate, notATemplate);
}

void TestError::aJsonFileThatIsNoTemplate()
{
    QTemporaryDir dir;
    const auto write = [&](const char *name, const QByteArray &text) {
        QFile f(dir.filePath(QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write("package.json", R"({"private": true,
  "dependencies": {}})");
    write("broken.json", R"({"format": "kbatch-template",
  "version": 1, "messages": [{"key": 5}]})");
    const auto other = importFile(dir.filePath(QStringLiteral("package.json")));
    QVERIFY(!other.ok());
    QVERIFY2(other.error().text.startsWith(QLatin1String("a single JSON document, neither JSON Lines")),
             qPrintable(other.error().message()));
    const auto broken = importFile(dir.filePath(QStringLiteral("broken.json")));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().text.contains(QLatin1String("string")), qPrintable(broken.error().message()));
    QCOMPARE(broken.error().kind, ErrorKind::Other);
}

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"

// Error::message(): the one line every error is shown as, in the CLI, the window and the logs.

#include "core/model/Error.h"

#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Error)

class TestError : public QObject
{
    Q_OBJECT
private slots:
    void message_data();
    void message();
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

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"

#include "core/model/TopicName.h"

#include <QTest>

using namespace kbatch::core;

class TestTopicName : public QObject
{
    Q_OBJECT

private slots:
    void legalNames_data();
    void legalNames();
    void illegalNames_data();
    void illegalNames();
};

void TestTopicName::legalNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << QStringLiteral("orders");
    QTest::newRow("every allowed kind") << QStringLiteral("Orders.v2_eu-west-1");
    QTest::newRow("dots inside") << QStringLiteral("...a");
    QTest::newRow("249 characters") << QString(249, QLatin1Char('x'));
}

void TestTopicName::legalNames()
{
    QFETCH(QString, name);
    const Status s = checkTopicName(name);
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
}

void TestTopicName::illegalNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QString() << QStringLiteral("topic: no topic name");
    QTest::newRow("dot") << QStringLiteral(".") << QStringLiteral("topic: '.' cannot be a Kafka topic name");
    QTest::newRow("dot dot") << QStringLiteral("..") << QStringLiteral("topic: '..' cannot be a Kafka topic name");
    QTest::newRow("250 characters") << QString(250, QLatin1Char('x'))
                                    << QStringLiteral(
                                           "topic: the name is 250 characters long; Kafka allows at most 249");
    QTest::newRow("space") << QStringLiteral("bad topic")
                           << QStringLiteral("topic: 'bad topic' has a space at position 4; Kafka topic names allow "
                                             "only ASCII letters, digits, '.', '_' and '-'");
    QTest::newRow("punctuation") << QStringLiteral("orders!")
                                 << QStringLiteral("topic: 'orders!' has '!' at position 7; "
                                                   "Kafka topic names allow only ASCII "
                                                   "letters, digits, '.', '_' and '-'");
    QTest::newRow("tab") << QStringLiteral("a\tb")
                         << QStringLiteral("topic: 'a\tb' has U+0009 at position 2; Kafka topic names allow only ASCII "
                                           "letters, digits, '.', '_' and '-'");
    QTest::newRow("non-ASCII letter") << QStringLiteral("commandes-é")
                                      << QStringLiteral(
                                             "topic: 'commandes-é' has 'é' at position 11; Kafka topic names "
                                             "allow only ASCII letters, digits, '.', '_' and '-'");
}

void TestTopicName::illegalNames()
{
    QFETCH(QString, name);
    QFETCH(QString, message);
    const Status s = checkTopicName(name);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message(), message);
    QCOMPARE(s.error().field, QStringLiteral("topic"));
}

QTEST_GUILESS_MAIN(TestTopicName)
#include "tst_topicname.moc"

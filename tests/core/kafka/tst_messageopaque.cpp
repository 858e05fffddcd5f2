// What a produced message's opaque carries (core/kafka/MessageOpaque.h): the job row and the create time, both back
// intact from the delivery report, up to the limits the producer enforces.

#include "core/kafka/MessageOpaque.h"

#include <QTest>

using namespace kbatch::core;

class TestMessageOpaque : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
};

void TestMessageOpaque::roundTrip_data()
{
    QTest::addColumn<qint64>("row");
    QTest::addColumn<qint64>("sinceStartMs");
    QTest::addColumn<qint64>("expectedMs"); // -1: no time carried
    QTest::newRow("first row, at once") << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("a row an hour in") << qint64(123456) << qint64(3600000) << qint64(3600000);
    QTest::newRow("the last row a job may have") << MessageOpaque::MaxRows - 1 << qint64(5) << qint64(5);
    QTest::newRow("74 hours in: no time") << qint64(7) << qint64(MessageOpaque::NoTime) << qint64(-1);
    QTest::newRow("a clock that went back: no time") << qint64(7) << qint64(-3) << qint64(-1);
}

void TestMessageOpaque::roundTrip()
{
    QFETCH(qint64, row);
    QFETCH(qint64, sinceStartMs);
    QFETCH(qint64, expectedMs);
    const void *opaque = MessageOpaque::pack(row, sinceStartMs);
    QCOMPARE(MessageOpaque::row(opaque), row);
    QCOMPARE(MessageOpaque::sinceStartMs(opaque).value_or(-1), expectedMs);
}

QTEST_GUILESS_MAIN(TestMessageOpaque)
#include "tst_messageopaque.moc"

// When the producer tries a transaction's commit again (core/kafka/CommitRetry.h): after 100 ms, doubling to at most
// 1 s, and never when the next attempt could not begin before the deadline.

#include "core/kafka/CommitRetry.h"

#include <QTest>

using namespace kbatch::core;

class TestCommitRetry : public QObject
{
    Q_OBJECT
private slots:
    void backsOffDoublingToASecond();
    void givesUpBeforeTheDeadline_data();
    void givesUpBeforeTheDeadline();
};

void TestCommitRetry::backsOffDoublingToASecond()
{
    // A coordinator that answers at once with a retriable error: each attempt takes no time, so only the waits
    // between them count.
    CommitRetry retry(30000);
    QList<int> waits;
    qint64 elapsed = 0;
    while (const auto wait = retry.nextWait(elapsed)) {
        waits << *wait;
        elapsed += *wait;
    }
    const QList<int> expected{100, 200, 400, 800, 1000};
    QCOMPARE(waits.mid(0, 5), expected);
    for (int w : waits.mid(5))
        QCOMPARE(w, 1000);
    // 30 s hold 100 + 200 + 400 + 800 ms and 28 waits of a second: 32 attempts after the first, not thousands.
    QCOMPARE(waits.size(), 32);
    QVERIFY(elapsed < 30000);
}

void TestCommitRetry::givesUpBeforeTheDeadline_data()
{
    QTest::addColumn<qint64>("deadline");
    QTest::addColumn<qint64>("elapsed");
    QTest::addColumn<int>("expected"); // -1: give up
    QTest::newRow("time left") << qint64(2000) << qint64(0) << 100;
    QTest::newRow("the wait would end at the deadline") << qint64(2000) << qint64(1900) << -1;
    QTest::newRow("the wait ends just before it") << qint64(2000) << qint64(1899) << 100;
    QTest::newRow("past it") << qint64(2000) << qint64(2500) << -1;
}

void TestCommitRetry::givesUpBeforeTheDeadline()
{
    QFETCH(qint64, deadline);
    QFETCH(qint64, elapsed);
    QFETCH(int, expected);
    CommitRetry retry(deadline);
    QCOMPARE(retry.nextWait(elapsed).value_or(-1), expected);
}

QTEST_GUILESS_MAIN(TestCommitRetry)
#include "tst_commitretry.moc"

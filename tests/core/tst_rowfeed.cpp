#include "core/kafka/RowFeed.h"

#include "tests/common/NumberedRows.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace kbatch::core;

class TestRowFeed : public QObject
{
    Q_OBJECT
private slots:
    void piecesArriveInOrderAcrossThreads();
    void pushWaitsWhileTheQueueIsFull();
    void closeStopsTheReader();
    void failureComesAfterThePiecesBeforeIt();
};

using kbatch::test::numberedRows;

void TestRowFeed::piecesArriveInOrderAcrossThreads()
{
    RowFeed feed(2);
    std::thread reader([&feed] {
        for (int p = 0; p < 50; ++p)
            QVERIFY(feed.push(numberedRows(p * 10, 10)));
        feed.finish();
    });
    int next = 0;
    Batch got;
    for (;;) {
        const RowFeed::Take t = feed.take(got, 100);
        if (t == RowFeed::Take::Later)
            continue;
        if (t == RowFeed::Take::End)
            break;
        QCOMPARE(t, RowFeed::Take::Piece);
        for (qsizetype i = 0; i < got.size(); ++i)
            QCOMPARE(got.value(i), QByteArray::number(next++));
    }
    reader.join();
    QCOMPARE(next, 500);
    QCOMPARE(feed.take(got, 0), RowFeed::Take::End); // stays ended
}

void TestRowFeed::pushWaitsWhileTheQueueIsFull()
{
    RowFeed feed(2);
    QVERIFY(feed.push(numberedRows(0, 1)));
    QVERIFY(feed.push(numberedRows(1, 1)));
    std::atomic<bool> pushed{false};
    std::thread reader([&] {
        QVERIFY(feed.push(numberedRows(2, 1)));
        pushed = true;
    });
    QTest::qWait(100);
    QVERIFY2(!pushed, "a third piece was queued past the bound of two");
    Batch got;
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Piece);
    QCOMPARE(got.value(0), QByteArray("0"));
    reader.join();
    QVERIFY(pushed);
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Piece);
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Piece);
    QCOMPARE(got.value(0), QByteArray("2"));
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Later);
}

void TestRowFeed::closeStopsTheReader()
{
    RowFeed feed(1);
    QVERIFY(feed.push(numberedRows(0, 1)));
    std::atomic<int> result{-1};
    std::thread reader([&] { result = feed.push(numberedRows(1, 1)) ? 1 : 0; }); // waits: the queue is full
    feed.close();
    reader.join();
    QCOMPARE(result.load(), 0);
    QVERIFY(!feed.push(numberedRows(2, 1)));
}

void TestRowFeed::failureComesAfterThePiecesBeforeIt()
{
    RowFeed feed;
    QVERIFY(feed.push(numberedRows(0, 3)));
    feed.fail(Error(QStringLiteral("expected a value"), QStringLiteral("t.kbatch.json"), 7, 3));
    Batch got;
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Piece);
    QCOMPARE(got.size(), 3);
    QCOMPARE(feed.take(got, 0), RowFeed::Take::Failed);
    QCOMPARE(feed.error().message(), QStringLiteral("t.kbatch.json:7:3: expected a value"));
}

QTEST_GUILESS_MAIN(TestRowFeed)
#include "tst_rowfeed.moc"

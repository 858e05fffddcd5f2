#include "core/kafka/JobRows.h"

#include "tests/common/NumberedRows.h"

#include <QTest>

using namespace kbatch::core;

class TestJobRows : public QObject
{
    Q_OBJECT
private slots:
    void locatesRowsAcrossPieces();
    void eachRowIsFinalOnce();
    void pieceReleasedOnlyWhenLibrdkafkaIsDoneWithIt();
    void nextOpenSkipsRowsWithAnOutcome();
    void bookkeepingDoesNotGrowWithTheJob();
};

using kbatch::test::numberedRows;

void TestJobRows::locatesRowsAcrossPieces()
{
    JobRows rows;
    rows.append(numberedRows(0, 3));
    rows.append(Batch()); // ignored
    rows.append(numberedRows(3, 1));
    rows.append(numberedRows(4, 5));
    QCOMPARE(rows.size(), 9);
    for (int row = 0; row < 9; ++row) {
        const auto [batch, i] = rows.locate(row);
        QCOMPARE(batch->value(i), QByteArray::number(row));
    }
}

void TestJobRows::eachRowIsFinalOnce()
{
    JobRows rows;
    rows.append(numberedRows(0, 2));
    QVERIFY(!rows.isFinal(1));
    QVERIFY(rows.markFinal(1, true));
    QVERIFY(rows.isFinal(1));
    QVERIFY(!rows.markFinal(1, true)); // a second outcome is refused
    QVERIFY(!rows.markFinal(2, true)); // not a row of the job
    QVERIFY(!rows.markFinal(-1, true));
    QVERIFY(!rows.isFinal(0));
}

void TestJobRows::pieceReleasedOnlyWhenLibrdkafkaIsDoneWithIt()
{
    JobRows rows;
    rows.append(numberedRows(0, 2));
    rows.append(numberedRows(2, 2));
    rows.append(numberedRows(4, 2));
    QCOMPARE(rows.heldRows(), 6);
    // Piece 0: both rows had their reports: released.
    QVERIFY(rows.markFinal(0, true));
    QCOMPARE(rows.locate(1).first->size(), 2); // one row still open: kept
    QCOMPARE(rows.heldRows(), 6);
    QVERIFY(rows.markFinal(1, true));
    QCOMPARE(rows.heldRows(), 4);
    QVERIFY(rows.isFinal(0) && rows.isFinal(1));
    QVERIFY(!rows.markFinal(0, true));
    // Piece 1: one row ended without a report (it may still be queued in librdkafka): kept to the end.
    QVERIFY(rows.markFinal(2, false));
    QVERIFY(rows.markFinal(3, true));
    QCOMPARE(rows.heldRows(), 4);
    QVERIFY(rows.isFinal(2) && rows.isFinal(3));
    // Piece 2: untouched.
    QCOMPARE(rows.locate(5).first->value(1), QByteArrayView("5"));
    QVERIFY(rows.markFinal(4, true));
    QVERIFY(rows.markFinal(5, true));
    QCOMPARE(rows.heldRows(), 2); // piece 1's rows, still
    for (int row = 0; row < 6; ++row)
        QVERIFY(rows.isFinal(row));
}

void TestJobRows::nextOpenSkipsRowsWithAnOutcome()
{
    JobRows rows;
    rows.append(numberedRows(0, 70)); // more than one word of bits
    rows.append(numberedRows(70, 3));
    QCOMPARE(rows.nextOpen(0), 0);
    for (int row : {0, 1, 2, 64, 65})
        QVERIFY(rows.markFinal(row, true));
    QCOMPARE(rows.nextOpen(0), 3);
    QCOMPARE(rows.nextOpen(63), 63);
    QCOMPARE(rows.nextOpen(64), 66);
    for (int row = 3; row < 70; ++row)
        rows.markFinal(row, true);
    QCOMPARE(rows.nextOpen(0), 70);
    QVERIFY(rows.markFinal(71, true));
    QCOMPARE(rows.nextOpen(71), 72);
    QVERIFY(rows.markFinal(70, true));
    QVERIFY(rows.markFinal(72, true));
    QCOMPARE(rows.nextOpen(0), rows.size());
}

// A send of millions of generated rows: pieces come, are sent and reported, and go. What the job keeps about them
// must not grow with their number.
void TestJobRows::bookkeepingDoesNotGrowWithTheJob()
{
    JobRows rows;
    const int pieceRows = 1000;
    qint64 most = 0;
    for (int piece = 0; piece < 1000; ++piece) {
        rows.append(numberedRows(piece * pieceRows, pieceRows));
        for (int i = 0; i < pieceRows; ++i)
            QVERIFY(rows.markFinal(piece * pieceRows + i, true));
        most = std::max(most, rows.bookkeepingBytes());
    }
    QCOMPARE(rows.size(), 1000 * pieceRows);
    QCOMPARE(rows.heldRows(), 0);
    QVERIFY2(most < 4096, qPrintable(QString::number(most))); // a piece or two in flight, not a byte per row
    QVERIFY(rows.isFinal(123456));
    QCOMPARE(rows.nextOpen(0), rows.size());
}

QTEST_GUILESS_MAIN(TestJobRows)
#include "tst_jobrows.moc"

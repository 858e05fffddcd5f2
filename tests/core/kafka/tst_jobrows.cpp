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
    // Piece 0: both rows had their reports: released.
    QVERIFY(rows.markFinal(0, true));
    QCOMPARE(rows.locate(1).first->size(), 2); // one row still open: kept
    QVERIFY(rows.markFinal(1, true));
    QVERIFY(rows.locate(0).first->isEmpty());
    // Piece 1: one row ended without a report (it may still be queued in librdkafka): kept to the end.
    QVERIFY(rows.markFinal(2, false));
    QVERIFY(rows.markFinal(3, true));
    QCOMPARE(rows.locate(3).first->size(), 2);
    QCOMPARE(rows.locate(3).first->value(1), QByteArrayView("3"));
    // Piece 2: untouched.
    QCOMPARE(rows.locate(5).first->value(1), QByteArrayView("5"));
}

QTEST_GUILESS_MAIN(TestJobRows)
#include "tst_jobrows.moc"

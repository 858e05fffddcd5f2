// What the rows of an atomic job become when its transaction ends (Transaction::settle): they were held, with the
// outcome their delivery reports gave, until the commit or abort decided it.

#include "core/kafka/Transaction.h"

#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Transaction::End)

namespace {

DeliveryResult held(DeliveryStatus status, Persisted persisted)
{
    DeliveryResult r;
    r.row = 3;
    r.status = status;
    r.persisted = persisted;
    r.partition = 1;
    r.offset = status == DeliveryStatus::Delivered ? 41 : -1;
    return r;
}

} // namespace

class TestTransaction : public QObject
{
    Q_OBJECT
private slots:
    void settle_data();
    void settle();
};

void TestTransaction::settle_data()
{
    QTest::addColumn<DeliveryResult>("row");
    QTest::addColumn<Transaction::End>("end");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("persisted");
    QTest::addColumn<QString>("errorName");
    QTest::addColumn<QString>("errorText");

    const DeliveryResult acked = held(DeliveryStatus::Delivered, Persisted::Persisted);
    QTest::newRow("committed: as acknowledged")
        << acked << Transaction::End::Committed << int(DeliveryStatus::Delivered) << int(Persisted::Persisted)
        << QString() << QString();
    QTest::newRow("aborted: not written for readers")
        << acked << Transaction::End::Aborted << int(DeliveryStatus::Failed) << int(Persisted::NotPersisted)
        << QStringLiteral("TRANSACTION_ABORTED")
        << QStringLiteral("batch not committed: the transaction was aborted (cancelled by the user)");
    QTest::newRow("unknown: possibly written, and how to find out")
        << acked << Transaction::End::Unknown << int(DeliveryStatus::PossiblyWritten)
        << int(Persisted::PossiblyPersisted) << QStringLiteral("TRANSACTION_OUTCOME_UNKNOWN")
        << QStringLiteral("the commit may have succeeded; read committed data to check (cancelled by the user)");
    const DeliveryResult cancelled = held(DeliveryStatus::Cancelled, Persisted::NotPersisted);
    QTest::newRow("cancelled before it was sent stays so")
        << cancelled << Transaction::End::Aborted << int(DeliveryStatus::Cancelled) << int(Persisted::NotPersisted)
        << QString() << QString();
    DeliveryResult failed = held(DeliveryStatus::Failed, Persisted::NotPersisted);
    failed.errorName = QStringLiteral("MSG_SIZE_TOO_LARGE");
    failed.errorText = QStringLiteral("too large");
    QTest::newRow("a row that failed keeps its own reason")
        << failed << Transaction::End::Aborted << int(DeliveryStatus::Failed) << int(Persisted::NotPersisted)
        << QStringLiteral("MSG_SIZE_TOO_LARGE") << QStringLiteral("too large");
}

void TestTransaction::settle()
{
    QFETCH(DeliveryResult, row);
    QFETCH(Transaction::End, end);
    QFETCH(int, status);
    QFETCH(int, persisted);
    QFETCH(QString, errorName);
    QFETCH(QString, errorText);
    Transaction::settle(row, end, QStringLiteral("cancelled by the user"));
    QCOMPARE(int(row.status), status);
    QCOMPARE(int(row.persisted), persisted);
    QCOMPARE(row.errorName, errorName);
    QCOMPARE(row.errorText, errorText);
    QCOMPARE(row.row, 3);
}

QTEST_GUILESS_MAIN(TestTransaction)
#include "tst_transaction.moc"

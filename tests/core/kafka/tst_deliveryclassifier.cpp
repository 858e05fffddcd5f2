// How a delivery report becomes a row's outcome (core/kafka/DeliveryClassifier.h), fed with what librdkafka 2.14.2
// really reports. The err/status/offset triples below were recorded from the producer's debug line
//   "delivery report: row R err E (NAME) status S offset O fatal F"   (category kbatch.kafka, debug)
// while the test named above each row ran, e.g.
//   QT_LOGGING_RULES='kbatch.kafka.debug=true' build/ci/tests/integration/tst_faults -maxwarnings 0
// or while `kbatch-cli send` ran against `kbatch-cli sandbox` with the fault command named.
//
// Codes are rd_kafka_resp_err_t values and statuses rd_kafka_msg_status_t values (0 not persisted, 1 possibly
// persisted, 2 persisted), written out because the tests do not see rdkafka.h; the names the verdicts carry prove
// each code. Offsets: -1001 is RD_KAFKA_OFFSET_INVALID; purged in-flight messages report other negative values.

#include "core/kafka/DeliveryClassifier.h"

#include <QTest>

using namespace kbatch::core;

namespace {

// rd_kafka_resp_err_t values (librdkafka 2.14.2, rdkafka.h).
constexpr int NoError = 0;
constexpr int MsgTimedOut = -192;        // RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
constexpr int PurgeQueue = -152;         // RD_KAFKA_RESP_ERR__PURGE_QUEUE
constexpr int PurgeInflight = -151;      // RD_KAFKA_RESP_ERR__PURGE_INFLIGHT
constexpr int Fatal = -150;              // RD_KAFKA_RESP_ERR__FATAL
constexpr int MsgSizeTooLarge = 10;      // RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
constexpr int TopicAuthorization = 29;   // RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
constexpr int ClusterAuthorization = 31; // RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED
constexpr int UnknownProducerId = 59;    // RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID

DeliveryReport report(int err, int status, std::int64_t offset)
{
    DeliveryReport r;
    r.err = err;
    r.status = Persisted(status);
    r.offset = offset;
    return r;
}

ProduceFacts facts(FatalError fatal = {})
{
    ProduceFacts f;
    f.topic = QStringLiteral("t");
    f.messageTimeoutMs = 3000;
    f.rowBytes = 99;
    f.fatal = std::move(fatal);
    return f;
}

const QString MayBeWritten = QStringLiteral("; the broker may have written it: check before resending");

// The fatal error the sandbox gives an idempotent producer whose InitProducerId is refused
// (kbatch-cli sandbox: "errors init-producer-id 1 CLUSTER_AUTHORIZATION_FAILED"), as rd_kafka_fatal_error() tells it.
FatalError clusterAuthorization()
{
    return {ClusterAuthorization, QStringLiteral("Failed to acquire idempotence PID from broker 127.0.0.1:43105/2: "
                                                 "Broker: Cluster authorization failed")};
}

} // namespace

Q_DECLARE_METATYPE(kbatch::core::DeliveryReport)
Q_DECLARE_METATYPE(kbatch::core::ProduceFacts)

class TestDeliveryClassifier : public QObject
{
    Q_OBJECT
private slots:
    void recordedReports_data();
    void recordedReports();
    void rowsWithoutAReport_data();
    void rowsWithoutAReport();
    void shownTimestamp();
};

void TestDeliveryClassifier::recordedReports_data()
{
    QTest::addColumn<DeliveryReport>("report");
    QTest::addColumn<ProduceFacts>("facts");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("persisted");
    QTest::addColumn<QString>("errorName");
    QTest::addColumn<QString>("errorText");
    QTest::addColumn<bool>("fatal");

    const auto D = int(DeliveryStatus::Delivered), F = int(DeliveryStatus::Failed),
               P = int(DeliveryStatus::PossiblyWritten), C = int(DeliveryStatus::Cancelled);
    const auto not_ = int(Persisted::NotPersisted), possibly = int(Persisted::PossiblyPersisted),
               yes = int(Persisted::Persisted);

    // tst_producer deliversEveryRowExactlyOnce
    QTest::newRow("delivered") << report(NoError, 2, 41) << facts() << D << yes << QString() << QString() << false;
    // tst_faults produceErrorsAreRetriedWithoutDuplicates (M2): a retried batch the broker had written already
    QTest::newRow("acknowledged as a duplicate")
        << report(NoError, 2, -1001) << facts() << D << yes << QString()
        << QStringLiteral("acknowledged as a duplicate of an earlier attempt; offset unknown") << false;
    // tst_faults allBrokersDownGivesOneOutcomePerRow (M3): still queued when every broker went down
    QTest::newRow("timed out in the queue")
        << report(MsgTimedOut, 0, -1001) << facts() << F << not_ << QStringLiteral("_MSG_TIMED_OUT")
        << QStringLiteral("not acknowledged within message.timeout.ms (3000 ms)") << false;
    // tst_faults lateResponseIsPossiblyWrittenAndResendSkipsIt (M4): sent, and the answer came too late
    QTest::newRow("timed out in flight") << report(MsgTimedOut, 1, -1001) << facts() << P << possibly
                                         << QStringLiteral("_MSG_TIMED_OUT")
                                         << QStringLiteral("not acknowledged within message.timeout.ms (3000 ms)") +
                                                MayBeWritten
                                         << false;
    // tst_producer cancelEndsEveryRow
    DeliveryReport cancelQueued = report(PurgeQueue, 0, -1001);
    cancelQueued.cancelled = true;
    QTest::newRow("cancelled: purged from the queue")
        << cancelQueued << facts() << C << not_ << QStringLiteral("_PURGE_QUEUE")
        << QStringLiteral("cancelled before it was sent") << false;
    // kbatch-cli send, SIGTERM while the sandbox delays every produce answer by 8 s ("delay ID produce 50 8000")
    DeliveryReport cancelInflight = report(PurgeInflight, 1, -1000);
    cancelInflight.cancelled = true;
    QTest::newRow("cancelled: purged in flight")
        << cancelInflight << facts() << P << possibly << QStringLiteral("_PURGE_INFLIGHT")
        << QStringLiteral("Local: Purged in flight") + MayBeWritten << false;
    // tst_faults allBrokersDownGivesOneOutcomePerRow (M3): the producer purges what is still open past
    // message.timeout.ms; in flight, the same purge reports as on a cancel (above).
    DeliveryReport overdueQueued = report(PurgeQueue, 0, -1001);
    overdueQueued.overduePurged = true;
    QTest::newRow("overdue: purged from the queue")
        << overdueQueued << facts() << F << not_ << QStringLiteral("_PURGE_QUEUE")
        << QStringLiteral("not acknowledged within message.timeout.ms (3000 ms)") << false;
    DeliveryReport overdueInflight = report(PurgeInflight, 1, -1000);
    overdueInflight.overduePurged = true;
    QTest::newRow("overdue: purged in flight")
        << overdueInflight << facts() << P << possibly << QStringLiteral("_PURGE_INFLIGHT")
        << QStringLiteral("not acknowledged within message.timeout.ms (3000 ms)") + MayBeWritten << false;
    DeliveryReport overdueCancelled = overdueQueued;
    overdueCancelled.cancelled = true;
    QTest::newRow("overdue, then cancelled: the user's cancel")
        << overdueCancelled << facts() << C << not_ << QStringLiteral("_PURGE_QUEUE")
        << QStringLiteral("cancelled before it was sent") << false;
    // tst_faults unknownProducerIdAbortsAndNextSendWorks (M7): a produce fails with an abortable error and librdkafka
    // purges the transaction's queue. The row failed with the batch; the user cancelled nothing.
    DeliveryReport aborted = report(PurgeQueue, 0, -1001);
    aborted.transactional = true;
    QTest::newRow("purged by the transaction's abort")
        << aborted << facts() << F << not_ << QStringLiteral("TRANSACTION_ABORTED")
        << QStringLiteral("batch not committed: the transaction was aborted before this row was acknowledged") << false;
    DeliveryReport abortCancelled = aborted;
    abortCancelled.cancelled = true;
    QTest::newRow("purged by the abort a cancel asked for")
        << abortCancelled << facts() << C << not_ << QStringLiteral("_PURGE_QUEUE")
        << QStringLiteral("cancelled before it was sent") << false;
    // ... and the row whose produce failed, as its report said (status 0, offset -1 or a real one)
    QTest::newRow("unknown producer id") << report(UnknownProducerId, 0, -1) << facts() << F << not_
                                         << QStringLiteral("UNKNOWN_PRODUCER_ID")
                                         << QStringLiteral("Broker: Unknown Producer Id") << false;
    // kbatch-cli send against the sandbox with "errors init-producer-id 1 CLUSTER_AUTHORIZATION_FAILED": the
    // idempotent producer gets a fatal error (fatal 31) and librdkafka purges its queue.
    const QString fatalText = QStringLiteral("not sent: the producer hit a fatal error: Failed to acquire idempotence "
                                             "PID from broker 127.0.0.1:43105/2: Broker: Cluster authorization failed "
                                             "(CLUSTER_AUTHORIZATION_FAILED); an idempotent producer needs WRITE on "
                                             "the topic (or IDEMPOTENT_WRITE on the cluster): check the ACLs for "
                                             "topic 't', or turn idempotence off");
    QTest::newRow("fatal: purged from the queue")
        << report(PurgeQueue, 0, -1001) << facts(clusterAuthorization()) << F << not_
        << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED") << fatalText << true;
    QTest::newRow("fatal, while the user cancels")
        << cancelQueued << facts(clusterAuthorization()) << F << not_ << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED")
        << fatalText << true;
    // Not seen from 2.14.2 in a report (it purges with _PURGE_QUEUE), but documented: a message failed with _FATAL
    // or with the fatal error's own code.
    QTest::newRow("fatal: failed with _FATAL") << report(Fatal, 0, -1001) << facts(clusterAuthorization()) << F << not_
                                               << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED") << fatalText << true;
    QTest::newRow("fatal: failed with the error itself")
        << report(ClusterAuthorization, 0, -1001) << facts(clusterAuthorization()) << F << not_
        << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED") << fatalText << true;
    // A _FATAL report while rd_kafka_fatal_error() names none (it then leaves its buffer untouched): librdkafka's own
    // words, never what an uninitialised buffer held.
    QTest::newRow("_FATAL without a fatal error named")
        << report(Fatal, 0, -1001) << facts() << F << not_ << QStringLiteral("_FATAL")
        << QStringLiteral("Local: Fatal error") << true;
    // kbatch-cli send against the sandbox with "errors produce 20 TOPIC_AUTHORIZATION_FAILED" (status 0, offset -1 or
    // a real one); on Kafka 4.4, tst_broker_acl rowsWithoutWriteAclFail (idempotence off) reports the same code.
    QTest::newRow("no write ACL") << report(TopicAuthorization, 0, -1) << facts() << F << not_
                                  << QStringLiteral("TOPIC_AUTHORIZATION_FAILED")
                                  << QStringLiteral(
                                         "not authorized to write to topic 't' (TOPIC_AUTHORIZATION_FAILED); "
                                         "check the ACLs for this user")
                                  << false;
    // kbatch-cli send against the sandbox with "errors produce 20 MSG_SIZE_TOO_LARGE": the broker refuses a message
    // under the producer's own message.max.bytes.
    QTest::newRow("too large for the broker")
        << report(MsgSizeTooLarge, 0, -1) << facts() << F << not_ << QStringLiteral("MSG_SIZE_TOO_LARGE")
        << QStringLiteral("message of 99 bytes was refused by the broker as too large: raise the topic's "
                          "max.message.bytes (or the broker's message.max.bytes)")
        << false;
}

void TestDeliveryClassifier::recordedReports()
{
    QFETCH(DeliveryReport, report);
    QFETCH(ProduceFacts, facts);
    QFETCH(int, status);
    QFETCH(int, persisted);
    QFETCH(QString, errorName);
    QFETCH(QString, errorText);
    QFETCH(bool, fatal);
    const DeliveryVerdict v = classifyDelivery(report, facts);
    QCOMPARE(int(v.status), status);
    QCOMPARE(int(v.persisted), persisted);
    QCOMPARE(v.errorName, errorName);
    QCOMPARE(v.errorText, errorText);
    QCOMPARE(v.fatal, fatal);
    if (fatal)
        QVERIFY2(!v.fatalText.isEmpty() && v.errorText.contains(v.fatalText.left(18)), qPrintable(v.fatalText));
    if (v.status == DeliveryStatus::Delivered) {
        QCOMPARE(v.errorCode, 0);
        QCOMPARE(v.offset, report.offset);
    } else {
        QVERIFY(v.errorCode != 0);
        QCOMPARE(v.offset, -1);
    }
}

void TestDeliveryClassifier::rowsWithoutAReport_data()
{
    QTest::addColumn<bool>("fatal");
    QTest::addColumn<int>("fatalCode");
    QTest::addColumn<bool>("cancelled");
    QTest::addColumn<QString>("jobError");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorName");
    QTest::addColumn<QString>("errorText");
    QTest::newRow("fatal, named like the reported rows")
        << true << ClusterAuthorization << false << QString() << int(DeliveryStatus::Failed)
        << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED")
        << QStringLiteral("not sent: the producer hit a fatal error: the fatal text");
    QTest::newRow("fatal, no code named")
        << true << 0 << true << QString() << int(DeliveryStatus::Failed) << QStringLiteral("_FATAL")
        << QStringLiteral("not sent: the producer hit a fatal error: the fatal text");
    QTest::newRow("cancelled") << false << 0 << true << QStringLiteral("ignored") << int(DeliveryStatus::Cancelled)
                               << QStringLiteral("CANCELLED") << QStringLiteral("cancelled before it was sent");
    QTest::newRow("the job said why") << false << 0 << false << QStringLiteral("cannot connect to b:9092")
                                      << int(DeliveryStatus::Failed) << QStringLiteral("NOT_SENT")
                                      << QStringLiteral("not sent: cannot connect to b:9092");
    QTest::newRow("it did not") << false << 0 << false << QString() << int(DeliveryStatus::Failed)
                                << QStringLiteral("NOT_SENT") << QStringLiteral("not sent: the job stopped early");
}

void TestDeliveryClassifier::rowsWithoutAReport()
{
    QFETCH(bool, fatal);
    QFETCH(int, fatalCode);
    QFETCH(bool, cancelled);
    QFETCH(QString, jobError);
    QFETCH(int, status);
    QFETCH(QString, errorName);
    QFETCH(QString, errorText);
    const DeliveryVerdict v = classifyUnsent({fatal, fatalCode, QStringLiteral("the fatal text"), cancelled, jobError});
    QCOMPARE(int(v.status), status);
    QCOMPARE(v.persisted, Persisted::NotPersisted);
    QCOMPARE(v.errorName, errorName);
    QCOMPARE(v.errorText, errorText);
    QVERIFY(v.errorCode != 0);
}

void TestDeliveryClassifier::shownTimestamp()
{
    // A create time as the broker reported it stays; so does a real log-append time.
    QCOMPARE(kbatch::core::shownTimestamp(1767225600000, false, {}, {}, 5), 1767225600000);
    QCOMPARE(kbatch::core::shownTimestamp(1767225600000, true, {}, {}, 5), 1767225600000);
    // The sandbox's made-up log-append time (1234): the row's own timestamp, else its create time, else the estimate.
    QCOMPARE(kbatch::core::shownTimestamp(1234, true, 1700000000000, 1767225600000, 5), 1700000000000);
    QCOMPARE(kbatch::core::shownTimestamp(1234, true, {}, 1767225600000, 5), 1767225600000);
    QCOMPARE(kbatch::core::shownTimestamp(1234, true, {}, {}, 1767225600001), 1767225600001);
}

QTEST_GUILESS_MAIN(TestDeliveryClassifier)
#include "tst_deliveryclassifier.moc"

// The producer against the sandbox cluster (in this process), read back by kcat (another process).

#include "KcatReader.h"
#include "core/kafka/Producer.h"
#include "core/kafka/ReadBack.h"
#include "core/kafka/SandboxCluster.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include <QSignalSpy>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::compareWithKcat;
using kbatch::test::kcatReadAll;
using kbatch::test::mixedRows;
using kbatch::test::publishAndWait;
using kbatch::test::PublishRun;

class TestProducer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversEveryRowExactlyOnce();
    void compressionCodecs_data();
    void compressionCodecs();
    void unknownTopicWithAutoCreateOff();
    void illegalTopicNameFailsBeforeSending();
    void messageTooLargeFailsOnlyThatRow();
    void invalidPropertyIsNamed();
    void unreachableClusterFailsWithinTimeout();
    void cancelEndsEveryRow();
    void atomicCommits();
    void atomicAbortsOnAnyFailure();
    void rateLimitIsHonoured();

private:
    PublishJob job(const QString &topic, const Batch &rows) const;
    static PublishRun publish(PublishJob j, const std::function<void(Producer &)> &whileRunning = {});

    std::unique_ptr<SandboxCluster> m_sandbox;
};

void TestProducer::initTestCase()
{
    auto sandbox = SandboxCluster::start(3);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().message()));
    m_sandbox = std::move(sandbox.value());
    QVERIFY(m_sandbox->createTopic(QStringLiteral("m1"), 3).ok());
}

PublishJob TestProducer::job(const QString &topic, const Batch &rows) const
{
    PublishJob j;
    j.topic = topic;
    j.rows = rows;
    j.connection = {{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    j.connectTimeoutMs = 5000;
    return j;
}

PublishRun TestProducer::publish(PublishJob j, const std::function<void(Producer &)> &whileRunning)
{
    PublishRun run = publishAndWait(std::move(j), whileRunning);
    if (run.rowsWithoutOneOutcome != 0)
        qWarning("%lld rows without exactly one outcome", qlonglong(run.rowsWithoutOneOutcome));
    return run;
}

void TestProducer::deliversEveryRowExactlyOnce()
{
    const Batch rows = mixedRows(1000, 3);
    PublishRun run = publish(job(QStringLiteral("m1"), rows));
    QCOMPARE(run.summary.total, 1000);
    QCOMPARE(run.summary.delivered, 1000);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.results.size(), 1000);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY2(run.signalCount < 100, "results must arrive in coalesced batches, not one signal per message");

    // Rows with an explicit partition landed there; offsets are per partition in send order.
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Delivered);
        QCOMPARE(r.persisted, Persisted::Persisted);
        if (const auto p = rows.partition(r.row))
            QCOMPARE(r.partition, *p);
        QVERIFY(r.latencyUs >= 0);
    }

    // kcat, from another process, sees exactly these bytes at these offsets, in send order per partition.
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("m1"));
    QCOMPARE(records.size(), 1000);
    compareWithKcat(records, rows, run.results);
    if (QTest::currentTestFailed())
        return;

    // Our own read-back agrees.
    auto verified =
        readBack(job(QStringLiteral("m1"), rows).connection, QStringLiteral("m1"), rows, run.results, 30000);
    QVERIFY(verified.ok());
    QCOMPARE(verified->checked, 1000);
    QCOMPARE(verified->verified, 1000);
    QVERIFY(verified->ok());
}

void TestProducer::compressionCodecs_data()
{
    QTest::addColumn<QString>("codec");
    for (const char *c : {"none", "gzip", "snappy", "lz4", "zstd"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestProducer::compressionCodecs()
{
    QFETCH(QString, codec);
    const QString topic = QStringLiteral("codec-") + codec;
    const Batch rows = mixedRows(200, 4);
    PublishJob j = job(topic, rows);
    j.settings.compression = codec;
    PublishRun run = publish(std::move(j));
    QCOMPARE(run.summary.delivered, 200);
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), topic);
    QCOMPARE(records.size(), 200);
    auto verified = readBack(job(topic, rows).connection, topic, rows, run.results, 30000);
    QVERIFY(verified.ok() && verified->ok());
}

void TestProducer::unknownTopicWithAutoCreateOff()
{
    PublishJob j = job(QStringLiteral("does-not-exist"), mixedRows(5, 1));
    j.settings.properties.append({QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")});
    PublishRun run = publish(std::move(j));
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("topic 'does-not-exist' does not exist at 127.0.0.1:")),
             qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 5);
    for (const DeliveryResult &r : run.results)
        QCOMPARE(r.status, DeliveryStatus::Failed);
}

// The GUI's path: the mock cluster would take this name, a real broker would not; every row fails, nothing is sent.
void TestProducer::illegalTopicNameFailsBeforeSending()
{
    PublishRun run = publish(job(QStringLiteral("orders#2"), mixedRows(5, 1)));
    QVERIFY(run.summary.connectionFailed);
    QCOMPARE(run.summary.error, QStringLiteral("topic: 'orders#2' has '#' at position 7; Kafka topic names allow only "
                                               "ASCII letters, digits, '.', '_' and '-'"));
    QCOMPARE(run.summary.failed, 5);
    QCOMPARE(run.results.size(), 5);
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Failed);
        QCOMPARE(r.persisted, Persisted::NotPersisted);
    }
}

void TestProducer::messageTooLargeFailsOnlyThatRow()
{
    Batch rows = mixedRows(10, 1);
    Message big;
    big.value = Payload(QByteArray(2'000'000, 'x'));
    rows.insert(4, big);
    PublishRun run = publish(job(QStringLiteral("big"), rows));
    QCOMPARE(run.summary.delivered, 10);
    QCOMPARE(run.summary.failed, 1);
    for (const DeliveryResult &r : run.results) {
        if (r.row == 4) {
            QCOMPARE(r.status, DeliveryStatus::Failed);
            QCOMPARE(r.errorName, QStringLiteral("MSG_SIZE_TOO_LARGE"));
            QVERIFY2(r.errorText.contains(QLatin1String("message.max.bytes")), qPrintable(r.errorText));
        }
    }
    QCOMPARE(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("big")).size(), 10);
}

void TestProducer::invalidPropertyIsNamed()
{
    PublishJob j = job(QStringLiteral("m1"), mixedRows(3, 1));
    j.settings.properties.append({QStringLiteral("linger.mss"), QStringLiteral("5")});
    PublishRun run = publish(std::move(j));
    QVERIFY(run.summary.configurationFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("linger.mss")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
}

void TestProducer::unreachableClusterFailsWithinTimeout()
{
    PublishJob j = job(QStringLiteral("m1"), mixedRows(3, 1));
    j.connection = {{QStringLiteral("bootstrap.servers"), QStringLiteral("127.0.0.1:1")}};
    j.connectTimeoutMs = 1500;
    QElapsedTimer t;
    t.start();
    PublishRun run = publish(std::move(j));
    QVERIFY(t.elapsed() < 10000);
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("cannot connect to 127.0.0.1:1")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
}

void TestProducer::cancelEndsEveryRow()
{
    PublishJob j = job(QStringLiteral("cancel"), mixedRows(20000, 1));
    j.settings.rateLimit = 2000; // slow enough to cancel mid-way
    PublishRun run = publish(std::move(j), [](Producer &p) {
        QTest::qWait(300);
        p.cancel();
    });
    QCOMPARE(run.summary.total, 20000);
    QVERIFY(run.summary.cancelled > 0);
    QVERIFY(run.summary.delivered > 0);
    QCOMPARE(run.summary.delivered + run.summary.cancelled + run.summary.failed + run.summary.possiblyWritten, 20000);
    QCOMPARE(run.results.size(), 20000);
    QCOMPARE(qsizetype(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("cancel")).size()),
             run.summary.delivered);
}

void TestProducer::atomicCommits()
{
    PublishJob j = job(QStringLiteral("atomic-ok"), mixedRows(300, 3));
    j.settings.mode = PublishMode::Atomic;
    PublishRun run = publish(std::move(j));
    QVERIFY2(run.summary.committed, qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 300);
    QCOMPARE(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("atomic-ok")).size(), 300);
}

void TestProducer::atomicAbortsOnAnyFailure()
{
    Batch rows = mixedRows(50, 1);
    Message big;
    big.value = Payload(QByteArray(2'000'000, 'x'));
    rows.append(big);
    PublishJob j = job(QStringLiteral("atomic-abort"), rows);
    j.settings.mode = PublishMode::Atomic;
    PublishRun run = publish(std::move(j));
    QVERIFY(!run.summary.committed);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 51);
    QVERIFY2(run.summary.error.startsWith(QLatin1String("batch not committed")), qPrintable(run.summary.error));
    for (const DeliveryResult &r : run.results) {
        if (r.row == 50)
            QCOMPARE(r.errorName, QStringLiteral("MSG_SIZE_TOO_LARGE"));
        else
            QVERIFY2(r.errorText.startsWith(QLatin1String("batch not committed")), qPrintable(r.errorText));
    }
}

void TestProducer::rateLimitIsHonoured()
{
    PublishJob j = job(QStringLiteral("rate"), mixedRows(50, 1));
    j.settings.rateLimit = 100; // 50 messages at 100/s take about 0.5 s
    QElapsedTimer t;
    t.start();
    PublishRun run = publish(std::move(j));
    QCOMPARE(run.summary.delivered, 50);
    QVERIFY2(t.elapsed() >= 450, qPrintable(QString::number(t.elapsed())));
}

QTEST_GUILESS_MAIN(TestProducer)
#include "tst_producer.moc"

// The delivery suite on the real broker: keys, null keys, tombstones, binary values, repeated headers, explicit
// partitions and timestamps, with every compression codec, read back by kcat (another process) byte for byte.

#include "BrokerEnv.h"
#include "core/kafka/ReadBack.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerDelivery : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversByteForByte_data();
    void deliversByteForByte();
    void unknownTopicIsNamed();

private:
    BrokerEnv m_env;
};

void TestBrokerDelivery::initTestCase()
{
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
}

void TestBrokerDelivery::deliversByteForByte_data()
{
    QTest::addColumn<QString>("codec");
    for (const char *c : {"none", "gzip", "snappy", "lz4", "zstd"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestBrokerDelivery::deliversByteForByte()
{
    QFETCH(QString, codec);
    const QString topic = QStringLiteral("delivery-") + codec; // 4 partitions, made by the fixture
    const int count = 500;
    const Batch rows = mixedRows(count, 4, codec.toLatin1());
    PublishJob job;
    job.topic = topic;
    job.rows = rows;
    job.connection = m_env.plaintextConnection();
    job.settings.compression = codec;
    job.settings.lingerMs = 20; // batches of several messages, so that compression has something to do
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, count);
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Delivered);
        QCOMPARE(r.persisted, Persisted::Persisted);
    }

    // Another process reads exactly these bytes at these offsets, and nothing else.
    const auto records = kcatReadAll(m_env.plaintext, topic);
    QCOMPARE(records.size(), count);
    compareWithKcat(records, rows, run.results);
    if (QTest::currentTestFailed())
        return;

    // Our own read-back agrees with kcat.
    const auto verified = readBack(job.connection, topic, rows, run.results, 30000);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message()));
    QCOMPARE(verified->checked, count);
    QCOMPARE(verified->verified, count);
}

void TestBrokerDelivery::unknownTopicIsNamed()
{
    // The broker does not auto-create topics: the job ends before sending, naming the topic.
    PublishJob job;
    job.topic = QStringLiteral("does-not-exist");
    job.rows = mixedRows(3, 1);
    job.connection = m_env.plaintextConnection();
    job.connectTimeoutMs = 5000;
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("topic 'does-not-exist' does not exist")),
             qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
    QVERIFY(run.elapsedMs < 10000);
}

QTEST_GUILESS_MAIN(TestBrokerDelivery)
#include "tst_broker_delivery.moc"

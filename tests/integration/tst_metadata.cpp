// Short-lived queries (metadata, the topic tree's end offsets, peek) against the in-process sandbox and against
// addresses that cannot answer: one client per query, an early answer where waiting cannot help, and cancellation.
// The real broker's TLS and authentication failures are in tests/broker/tst_broker_connect.cpp.

#include "KcatReader.h"
#include "core/kafka/Metadata.h"
#include "core/kafka/Peek.h"
#include "core/kafka/SandboxCluster.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

#include <thread>

using namespace kbatch::core;

class TestMetadata : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void topicsCarryEveryEndOffset();
    void unreachableClusterFailsFast_data();
    void unreachableClusterFailsFast();
    void cancelStopsTheWait_data();
    void cancelStopsTheWait();

private:
    Properties sandboxConnection() const
    {
        return {{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    }
    std::unique_ptr<SandboxCluster> m_sandbox;
};

void TestMetadata::initTestCase()
{
    auto sandbox = SandboxCluster::start(2);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().message()));
    m_sandbox = std::move(sandbox.value());
}

void TestMetadata::topicsCarryEveryEndOffset()
{
    for (int t = 0; t < 6; ++t)
        QVERIFY(m_sandbox->createTopic(QStringLiteral("ends-%1").arg(t), 3).ok());
    // Partition 2 of ends-1 gets three messages, partition 0 of ends-4 one; everything else stays empty.
    QVERIFY(kbatch::test::kcatProduce(m_sandbox->bootstrapServers(), QStringLiteral("ends-1"), "a\nb\nc\n",
                                      {QStringLiteral("-p"), QStringLiteral("2")}));
    QVERIFY(kbatch::test::kcatProduce(m_sandbox->bootstrapServers(), QStringLiteral("ends-4"), "d\n",
                                      {QStringLiteral("-p"), QStringLiteral("0")}));
    m_sandbox->startRequestTracking();
    const auto info = fetchTopics(sandboxConnection(), 10000);
    QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().message()));
    // One round of ListOffsets: a request per broker that leads a partition, not one per partition or topic.
    QVERIFY2(m_sandbox->requestCount(QStringLiteral("list-offsets")) <= m_sandbox->brokerCount(),
             qPrintable(QString::number(m_sandbox->requestCount(QStringLiteral("list-offsets")))));
    int seen = 0;
    for (const TopicInfo &topic : info->topics) {
        if (!topic.name.startsWith(QLatin1String("ends-")))
            continue;
        ++seen;
        QVERIFY2(topic.error.isEmpty(), qPrintable(topic.error));
        QCOMPARE(topic.partitions.size(), 3);
        for (const PartitionInfo &p : topic.partitions) {
            std::int64_t expected = 0;
            if (topic.name == QLatin1String("ends-1") && p.id == 2)
                expected = 3;
            if (topic.name == QLatin1String("ends-4") && p.id == 0)
                expected = 1;
            QCOMPARE(p.endOffset, expected);
        }
    }
    QCOMPARE(seen, 6);
    // fetchMetadata() reads no offsets.
    const auto plain = fetchMetadata(sandboxConnection(), 10000);
    QVERIFY(plain.ok());
    for (const TopicInfo &topic : plain->topics)
        for (const PartitionInfo &p : topic.partitions)
            QCOMPARE(p.endOffset, std::int64_t(-1));
}

void TestMetadata::unreachableClusterFailsFast_data()
{
    QTest::addColumn<QString>("bootstrap");
    QTest::addColumn<QString>("reason");
    QTcpServer closed; // a loopback port that refuses: taken, then given back
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString refused = QStringLiteral("127.0.0.1:%1").arg(closed.serverPort());
    closed.close();
    QTest::newRow("unresolvable name") << QStringLiteral("kbatch-test-nohost.invalid:9092")
                                       << QStringLiteral("Failed to resolve");
    QTest::newRow("refused") << refused << QStringLiteral("Connection refused");
    QTest::newRow("every address fails") << QStringLiteral("kbatch-test-nohost.invalid:9092,") + refused
                                         << QStringLiteral("kbatch-test-nohost.invalid");
}

void TestMetadata::unreachableClusterFailsFast()
{
    // librdkafka's metadata call waits for a usable broker for its whole timeout, though the name failed to resolve
    // "after 1ms": these fail at once with librdkafka's reason, not after 20 s with "timed out".
    QFETCH(QString, bootstrap);
    QFETCH(QString, reason);
    const Properties connection{{QStringLiteral("bootstrap.servers"), bootstrap}};
    for (const bool withEndOffsets : {false, true}) {
        QElapsedTimer clock;
        clock.start();
        const auto info = withEndOffsets ? fetchTopics(connection, 20000) : fetchMetadata(connection, 20000);
        QVERIFY(!info.ok());
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QStringLiteral("%1 ms").arg(clock.elapsed())));
        const QString message = info.error().message();
        QVERIFY2(message.startsWith(QStringLiteral("bootstrap.servers: cannot connect to %1: ").arg(bootstrap)),
                 qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
    }
    const auto peeked = peekTopic(connection, QStringLiteral("t"), -1, 10, 20000);
    QVERIFY(!peeked.ok());
    QVERIFY2(peeked.error().message().contains(reason), qPrintable(peeked.error().message()));
}

void TestMetadata::cancelStopsTheWait_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("metadata") << QStringLiteral("metadata");
    QTest::newRow("topics") << QStringLiteral("topics");
    QTest::newRow("peek") << QStringLiteral("peek");
}

void TestMetadata::cancelStopsTheWait()
{
    // A listener that accepts and never answers: the query waits for the broker's first answer until it is
    // cancelled (a closed window does that), and then ends within moments rather than at its 60 s timeout.
    QFETCH(QString, query);
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const Properties connection{
        {QStringLiteral("bootstrap.servers"), QStringLiteral("127.0.0.1:%1").arg(silent.serverPort())}};
    CancelFlag cancel{false};
    QString error;
    QElapsedTimer clock;
    clock.start();
    std::thread worker([&] {
        if (query == QLatin1String("metadata")) {
            auto r = fetchMetadata(connection, 60000, &cancel);
            error = r.ok() ? QString() : r.error().message();
        } else if (query == QLatin1String("topics")) {
            auto r = fetchTopics(connection, 60000, &cancel);
            error = r.ok() ? QString() : r.error().message();
        } else {
            auto r = peekTopic(connection, QStringLiteral("t"), -1, 10, 60000, &cancel);
            error = r.ok() ? QString() : r.error().message();
        }
    });
    QTest::qWait(500); // connected, waiting
    const qint64 cancelledAt = clock.elapsed();
    cancel = true;
    worker.join();
    const qint64 after = clock.elapsed() - cancelledAt;
    QCOMPARE(error, QStringLiteral("cancelled"));
    QVERIFY2(after < 5000, qPrintable(QStringLiteral("%1 ms after the cancel").arg(after)));
}

QTEST_GUILESS_MAIN(TestMetadata)
#include "tst_metadata.moc"

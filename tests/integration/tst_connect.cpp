// Before the first row (ConnectProbe): the producer waits for the cluster within the connect timeout, and gives up at
// once when waiting cannot help. Both with auto-creation on (the topic is asked for by name) and off
// (allow.auto.create.topics=false: the cluster's topics are listed first), since the two wait in different loops.
// The sandbox (in this process) refuses a SASL login at once (it offers no SASL); a closed port only refuses
// connections, which a broker coming up would end. The wrong SCRAM password on Kafka 4.4 is tests/broker.

#include "core/kafka/Producer.h"
#include "core/kafka/SandboxCluster.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::mixedRows;
using kbatch::test::publishAndWait;
using kbatch::test::PublishRun;

class TestConnect : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void refusedLoginEndsTheWaitAtOnce_data();
    void refusedLoginEndsTheWaitAtOnce();
    void closedPortWaitsForTheConnectTimeout_data();
    void closedPortWaitsForTheConnectTimeout();
    void topicThatMustExistIsFound();
    void unreadablePrivateKeyIsExplained();

private:
    PublishJob job(bool topicMustExist) const;
    std::unique_ptr<SandboxCluster> m_sandbox;
};

void TestConnect::initTestCase()
{
    auto sandbox = SandboxCluster::start(1);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().message()));
    m_sandbox = std::move(sandbox.value());
    QVERIFY(m_sandbox->createTopic(QStringLiteral("present"), 2).ok());
}

PublishJob TestConnect::job(bool topicMustExist) const
{
    PublishJob j;
    j.topic = QStringLiteral("present");
    j.rows = mixedRows(4, 1);
    j.connection = {{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    if (topicMustExist)
        j.settings.properties.append({QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")});
    return j;
}

void TestConnect::refusedLoginEndsTheWaitAtOnce_data()
{
    QTest::addColumn<bool>("topicMustExist");
    QTest::newRow("auto-creation on") << false;
    QTest::newRow("allow.auto.create.topics=false") << true;
}

void TestConnect::refusedLoginEndsTheWaitAtOnce()
{
    QFETCH(bool, topicMustExist);
    PublishJob j = job(topicMustExist);
    j.connection += {{QStringLiteral("security.protocol"), QStringLiteral("sasl_plaintext")},
                     {QStringLiteral("sasl.mechanism"), QStringLiteral("PLAIN")},
                     {QStringLiteral("sasl.username"), QStringLiteral("alice")},
                     {QStringLiteral("sasl.password"), QStringLiteral("sentinel-password")}};
    j.connectTimeoutMs = 20000;
    const PublishRun run = publishAndWait(std::move(j), {}, 60000);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY(run.summary.connectionFailed);
    QCOMPARE(run.summary.failed, 4);
    // At once: the error callback said the login cannot work, whichever request the producer was waiting on.
    QVERIFY2(run.elapsedMs < 10000, qPrintable(QStringLiteral("%1 ms: %2").arg(run.elapsedMs).arg(run.summary.error)));
    QVERIFY2(run.summary.error.contains(QLatin1String("SASL"), Qt::CaseInsensitive), qPrintable(run.summary.error));
    QVERIFY2(!run.summary.error.contains(QLatin1String("sentinel-password")), "never the password");
}

void TestConnect::closedPortWaitsForTheConnectTimeout_data()
{
    refusedLoginEndsTheWaitAtOnce_data();
}

void TestConnect::closedPortWaitsForTheConnectTimeout()
{
    QFETCH(bool, topicMustExist);
    // A port that was free a moment ago: nothing listens, every connection is refused.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString closed = QStringLiteral("127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    PublishJob j = job(topicMustExist);
    j.connection = {{QStringLiteral("bootstrap.servers"), closed}};
    j.connectTimeoutMs = 2000;
    const PublishRun run = publishAndWait(std::move(j), {}, 60000);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.startsWith(
                 QStringLiteral("bootstrap.servers: cannot connect to %1 within 2000 ms").arg(closed)),
             qPrintable(run.summary.error));
    // A refused connection is no reason to give up early: the broker may be starting. But not much longer either.
    QVERIFY2(run.elapsedMs >= 1900, qPrintable(QString::number(run.elapsedMs)));
    QVERIFY2(run.elapsedMs < 2000 + 5000, qPrintable(QString::number(run.elapsedMs)));
}

void TestConnect::topicThatMustExistIsFound()
{
    // The listing path goes on to produce once it has found the topic.
    const PublishRun run = publishAndWait(job(true));
    QVERIFY2(run.summary.allDelivered(), qPrintable(run.summary.error));
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
}

void TestConnect::unreadablePrivateKeyIsExplained()
{
    // librdkafka says only "ssl.key.location failed: ..." for a key it cannot load; the error's kind (set where
    // that text is read) adds what to check. Nothing is sent: the client is never created.
    QTemporaryDir dir;
    QFile key(dir.filePath(QStringLiteral("client.key")));
    QVERIFY(key.open(QIODevice::WriteOnly));
    key.write("-----BEGIN ENCRYPTED PRIVATE KEY-----\nbm90IGEga2V5\n-----END ENCRYPTED PRIVATE KEY-----\n");
    key.close();
    PublishJob j = job(false);
    j.connection += {{QStringLiteral("security.protocol"), QStringLiteral("ssl")},
                     {QStringLiteral("ssl.key.location"), key.fileName()},
                     {QStringLiteral("ssl.key.password"), QStringLiteral("sentinel-passphrase")}};
    const PublishRun run = publishAndWait(std::move(j));
    QVERIFY(run.finished);
    QVERIFY(run.summary.configurationFailed);
    QCOMPARE(run.summary.failed, 4);
    QVERIFY2(run.summary.error.contains(QLatin1String("ssl.key.location failed")), qPrintable(run.summary.error));
    QVERIFY2(run.summary.error.contains(QLatin1String("the client's private key could not be read: check that "
                                                      "ssl.key.password is the key's passphrase")),
             qPrintable(run.summary.error));
    QVERIFY(!run.summary.error.contains(QLatin1String("sentinel-passphrase")));
}

QTEST_GUILESS_MAIN(TestConnect)
#include "tst_connect.moc"

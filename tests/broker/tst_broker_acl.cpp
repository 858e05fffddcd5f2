// ACLs on the real broker (scenario R5): mallory may read "orders" but not write it and has no transactional-id
// ACL. Every row fails with a clear authorization error, a transactional send is refused naming
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED, and nothing reaches the topic (counted by kcat as the admin).

#include "BrokerEnv.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerAcl : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void rowsWithoutWriteAclFail_data();
    void rowsWithoutWriteAclFail();
    void topicWithoutDescribeAclIsRefused();
    void transactionalIdWithoutAclIsRefused();

private:
    PublishJob malloryJob(const QString &topic, int rows) const;
    // Rows of mallory's in "orders", read by the admin. (Not a count of the topic: tst_broker_sasl writes there too,
    // and CTest may run it at the same time.) Every row mixedRows() makes carries its tag in the key or the value.
    qsizetype malloryRowsInOrders() const
    {
        qsizetype n = 0;
        for (const KcatRecord &r : kcatReadAll(m_env.plaintext, QStringLiteral("orders")))
            if ((r.key && r.key->contains("mallory")) || (r.value && r.value->contains("mallory")))
                ++n;
        return n;
    }

    BrokerEnv m_env;
};

void TestBrokerAcl::initTestCase()
{
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
}

PublishJob TestBrokerAcl::malloryJob(const QString &topic, int rows) const
{
    PublishJob job;
    job.topic = topic;
    job.rows = mixedRows(rows, 3, "mallory");
    job.connection =
        m_env.scram(QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("mallory"), QStringLiteral("mallory-secret"));
    job.connectTimeoutMs = 10000;
    return job;
}

void TestBrokerAcl::rowsWithoutWriteAclFail_data()
{
    QTest::addColumn<bool>("idempotence");
    QTest::addColumn<QString>("errorName");
    QTest::addColumn<QString>("errorText");
    // With idempotence (KBatch's default) the broker already refuses the producer id: librdkafka (2.0.2 and 2.14.2
    // alike) reports a fatal CLUSTER_AUTHORIZATION_FAILED before any row is sent, and the text says what to check.
    QTest::newRow("idempotence on (default)")
        << true << QStringLiteral("CLUSTER_AUTHORIZATION_FAILED")
        << QStringLiteral("an idempotent producer needs WRITE on the topic (or IDEMPOTENT_WRITE on the cluster): "
                          "check the ACLs for topic 'orders'");
    // Without it each Produce request is refused on its own.
    QTest::newRow("idempotence off") << false << QStringLiteral("TOPIC_AUTHORIZATION_FAILED")
                                     << QStringLiteral("not authorized to write to topic 'orders' "
                                                       "(TOPIC_AUTHORIZATION_FAILED); check the ACLs");
}

void TestBrokerAcl::rowsWithoutWriteAclFail()
{
    QFETCH(bool, idempotence);
    QFETCH(QString, errorName);
    QFETCH(QString, errorText);
    PublishJob job = malloryJob(QStringLiteral("orders"), 20);
    job.settings.idempotence = idempotence;
    const PublishRun run = publishAndWait(job, {}, 60000);
    QVERIFY2(run.finished, "the job must end by itself");
    QVERIFY2(run.elapsedMs < 10000, qPrintable(QString::number(run.elapsedMs)));
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 20);
    QCOMPARE(run.summary.cancelled, 0);
    QCOMPARE(run.summary.fatal, idempotence);
    if (idempotence)
        QVERIFY2(run.summary.error.contains(errorText), qPrintable(run.summary.error));
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Failed);
        QCOMPARE(r.persisted, Persisted::NotPersisted);
        QCOMPARE(r.errorName, errorName);
        QVERIFY2(r.errorText.contains(errorText), qPrintable(r.errorText));
    }
    QCOMPARE(malloryRowsInOrders(), 0);
}

void TestBrokerAcl::topicWithoutDescribeAclIsRefused()
{
    PublishJob job = malloryJob(QStringLiteral("secret"), 5);
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QCOMPARE(run.summary.failed, 5);
    QVERIFY2(run.summary.error.contains(QLatin1String("not authorized to access topic 'secret'")),
             qPrintable(run.summary.error));
    QVERIFY2(run.summary.error.contains(QLatin1String("TOPIC_AUTHORIZATION_FAILED")), qPrintable(run.summary.error));
    QCOMPARE(kcatReadAll(m_env.plaintext, QStringLiteral("secret")).size(), 0);
}

void TestBrokerAcl::transactionalIdWithoutAclIsRefused()
{
    PublishJob job = malloryJob(QStringLiteral("orders"), 10);
    job.settings.mode = PublishMode::Atomic;
    job.settings.transactionalId = QStringLiteral("kbatch-mallory");
    {
        // Without one of its own, the job uses a generated id, and the error must name that one, not ''.
        PublishJob generated = malloryJob(QStringLiteral("orders"), 3);
        generated.settings.mode = PublishMode::Atomic;
        const PublishRun r = publishAndWait(generated, {}, 60000);
        QVERIFY(r.finished);
        QVERIFY2(r.summary.error.contains(QLatin1String("transactional id 'kbatch-")), qPrintable(r.summary.error));
    }
    const PublishRun run = publishAndWait(job, {}, 60000);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY(!run.summary.committed);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 10);
    QVERIFY2(run.summary.error.contains(QLatin1String("TRANSACTIONAL_ID_AUTHORIZATION_FAILED")),
             qPrintable(run.summary.error));
    QVERIFY2(run.summary.error.contains(QLatin1String("transactional id 'kbatch-mallory'")),
             qPrintable(run.summary.error));
    QVERIFY(run.elapsedMs < 10000);
    for (const DeliveryResult &r : run.results)
        QVERIFY2(r.errorText.contains(QLatin1String("TRANSACTIONAL_ID_AUTHORIZATION_FAILED")), qPrintable(r.errorText));
    QCOMPARE(malloryRowsInOrders(), 0);
}

QTEST_GUILESS_MAIN(TestBrokerAcl)
#include "tst_broker_acl.moc"

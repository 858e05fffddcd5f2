// SASL/SCRAM on the real broker (scenario R4): with SCRAM-SHA-256 and SCRAM-SHA-512 alike, the right password works
// over SASL_PLAINTEXT and SASL_SSL, in both modes; a wrong one ends the job with a clear authentication error within
// the connect timeout. On Kafka 4 this needs librdkafka 2.6.1 or newer (older ones repeat the nonce in SCRAM's last
// message and Kafka 4 answers "invalid credentials").
// SASL/OAUTHBEARER with a static token (the profile dialog's "OAuth token"): the broker's unsecured-JWT validator
// takes the principal from the token, so a token for alice writes "orders", one for mallory is refused by the ACLs,
// and an expired token is a clear error before anything is sent.
//
// The connection comes from a ConnectionProfile whose password is stored in, and read back from, a
// MemorySecretStore, then turned into properties by librdkafkaProperties(): the app's own path.

#include "BrokerEnv.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include "core/kafka/ReadBack.h"
#include "core/profiles/ConnectionProfile.h"

#include <QTest>
#include <QUuid>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerSasl : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void scramLogin_data();
    void scramLogin();
    void scramAtomicWithTransactionalIdAcl();
    void wrongPasswordEndsTheJob_data();
    void wrongPasswordEndsTheJob();
    void oauthStaticToken();
    void oauthTokenNamesThePrincipal();
    void oauthExpiredToken();
    void verifyWithoutReadAclSaysSo();

private:
    Properties connection(const QString &protocol, const QString &user, const QByteArray &password,
                          SaslMechanism mechanism = SaslMechanism::ScramSha512) const;
    Properties oauthConnection(const QByteArray &token) const;

    BrokerEnv m_env;
};

Properties TestBrokerSasl::connection(const QString &protocol, const QString &user, const QByteArray &password,
                                      SaslMechanism mechanism) const
{
    const bool tls = protocol == QLatin1String("SASL_SSL");
    ConnectionProfile profile;
    profile.name = QStringLiteral("broker ") + user;
    profile.bootstrapServers = tls ? m_env.saslSsl : m_env.saslPlaintext;
    profile.securityProtocol = tls ? SecurityProtocol::SaslSsl : SecurityProtocol::SaslPlaintext;
    profile.saslMechanism = mechanism;
    profile.username = user;
    if (tls)
        profile.caFile = m_env.ca;
    const auto properties = connectionFromProfile(profile, {{SecretKind::SaslPassword, password}});
    if (!properties.ok()) {
        qWarning("%s", qPrintable(properties.error().message()));
        return {};
    }
    return properties.value();
}

Properties TestBrokerSasl::oauthConnection(const QByteArray &token) const
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("broker oauth");
    profile.bootstrapServers = m_env.saslPlaintext;
    profile.securityProtocol = SecurityProtocol::SaslPlaintext;
    profile.saslMechanism = SaslMechanism::OAuthBearer;
    const auto properties = connectionFromProfile(profile, {{SecretKind::OAuthToken, token}});
    if (!properties.ok()) {
        qWarning("%s", qPrintable(properties.error().message()));
        return {};
    }
    return properties.value();
}

void TestBrokerSasl::initTestCase()
{
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
}

void TestBrokerSasl::scramLogin_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<SaslMechanism>("mechanism");
    for (const char *protocol : {"SASL_PLAINTEXT", "SASL_SSL"}) {
        QTest::addRow("%s SCRAM-SHA-256", protocol) << QString::fromLatin1(protocol) << SaslMechanism::ScramSha256;
        QTest::addRow("%s SCRAM-SHA-512", protocol) << QString::fromLatin1(protocol) << SaslMechanism::ScramSha512;
    }
}

void TestBrokerSasl::scramLogin()
{
    QFETCH(QString, protocol);
    QFETCH(SaslMechanism, mechanism);
    // alice may write "orders" (3 partitions); other tests write there too, so look for this run's rows only.
    const QByteArray tag = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const Batch rows = mixedRows(40, 3, tag);
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = rows;
    job.connection = connection(protocol, QStringLiteral("alice"), "alice-secret", mechanism);
    QVERIFY(!job.connection.isEmpty());
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 40);

    // Read back as the admin over PLAINTEXT: every row at its offset, byte for byte.
    const auto records = kcatReadAll(m_env.plaintext, QStringLiteral("orders"));
    compareWithKcat(records, rows, run.results, false);
}

void TestBrokerSasl::scramAtomicWithTransactionalIdAcl()
{
    // alice may use transactional ids starting "kbatch-": an atomic batch commits.
    const QString topic = QStringLiteral("sasl-tx");
    const Batch rows = mixedRows(60, 3, "sasl-tx");
    PublishJob job;
    job.topic = topic;
    job.rows = rows;
    job.connection = connection(QStringLiteral("SASL_SSL"), QStringLiteral("alice"), "alice-secret");
    QVERIFY(!job.connection.isEmpty());
    job.settings.mode = PublishMode::Atomic;
    job.settings.transactionalId = QStringLiteral("kbatch-alice-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const PublishRun run = publishAndWait(job);
    QVERIFY2(run.summary.committed, qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 60);
    const auto records = kcatReadUntil(m_env, topic, 60, true);
    QCOMPARE(records.size(), 60);
    compareWithKcat(records, rows, run.results);
}

void TestBrokerSasl::wrongPasswordEndsTheJob_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("user");
    QTest::addColumn<SaslMechanism>("mechanism");
    QTest::addColumn<bool>("topicMustExist"); // allow.auto.create.topics=false: the producer lists topics first
    QTest::newRow("SASL_PLAINTEXT") << QStringLiteral("SASL_PLAINTEXT") << QStringLiteral("alice")
                                    << SaslMechanism::ScramSha512 << false;
    QTest::newRow("SASL_SSL") << QStringLiteral("SASL_SSL") << QStringLiteral("alice") << SaslMechanism::ScramSha512
                              << false;
    QTest::newRow("SASL_SSL SCRAM-SHA-256")
        << QStringLiteral("SASL_SSL") << QStringLiteral("alice") << SaslMechanism::ScramSha256 << false;
    QTest::newRow("unknown user") << QStringLiteral("SASL_SSL") << QStringLiteral("nobody")
                                  << SaslMechanism::ScramSha512 << false;
    QTest::newRow("SASL_PLAINTEXT, topic must exist")
        << QStringLiteral("SASL_PLAINTEXT") << QStringLiteral("alice") << SaslMechanism::ScramSha512 << true;
    QTest::newRow("SASL_SSL SCRAM-SHA-256, topic must exist")
        << QStringLiteral("SASL_SSL") << QStringLiteral("alice") << SaslMechanism::ScramSha256 << true;
}

void TestBrokerSasl::wrongPasswordEndsTheJob()
{
    QFETCH(QString, protocol);
    QFETCH(QString, user);
    QFETCH(SaslMechanism, mechanism);
    QFETCH(bool, topicMustExist);
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = mixedRows(5, 3);
    job.connection = connection(protocol, user, "wrong-password", mechanism);
    if (topicMustExist)
        job.settings.properties.append({QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")});
    QVERIFY(!job.connection.isEmpty());
    job.connectTimeoutMs = 10000;
    const PublishRun run = publishAndWait(job, {}, 30000);
    QVERIFY2(run.finished, "the job must end by itself, not retry forever");
    QVERIFY2(run.elapsedMs < job.connectTimeoutMs, qPrintable(QString::number(run.elapsedMs)));
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY(run.summary.connectionFailed);
    QCOMPARE(run.summary.failed, 5);
    QCOMPARE(run.summary.delivered, 0);
    const QString error = run.summary.error;
    qInfo("%lld ms: %s", run.elapsedMs, qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("authentication"), Qt::CaseInsensitive), qPrintable(error));
    QVERIFY2(error.contains(toString(mechanism)), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("wrong-password")), "the password must never appear in a message");
}

void TestBrokerSasl::oauthStaticToken()
{
    const QByteArray token = unsecuredJwt(QStringLiteral("alice"), 3600);
    const QByteArray tag = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const Batch rows = mixedRows(30, 3, tag);
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = rows;
    job.connection = oauthConnection(token);
    QVERIFY(!job.connection.isEmpty());
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 30);

    const auto records = kcatReadAll(m_env.plaintext, QStringLiteral("orders"));
    compareWithKcat(records, rows, run.results, false);
}

void TestBrokerSasl::oauthTokenNamesThePrincipal()
{
    // mallory may read "orders" but not write it: the broker must have taken the principal from this token.
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = mixedRows(4, 3);
    job.connection = oauthConnection(unsecuredJwt(QStringLiteral("mallory"), 3600));
    QVERIFY(!job.connection.isEmpty());
    const PublishRun run = publishAndWait(job, {}, 60000);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 4);
    // With idempotence (the default) the broker refuses mallory's producer id first (CLUSTER_AUTHORIZATION_FAILED,
    // a fatal error that stops the job); alice's token, above, gets one.
    bool sawAuthorization = run.summary.error.contains(QLatin1String("AUTHORIZATION_FAILED"));
    for (const DeliveryResult &r : run.results)
        sawAuthorization = sawAuthorization || r.errorName.endsWith(QLatin1String("AUTHORIZATION_FAILED"));
    QVERIFY2(sawAuthorization, qPrintable(run.summary.error));
}

void TestBrokerSasl::oauthExpiredToken()
{
    const QByteArray token = unsecuredJwt(QStringLiteral("alice"), -120);
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = mixedRows(3, 3);
    job.connection = oauthConnection(token);
    QVERIFY(!job.connection.isEmpty());
    const PublishRun run = publishAndWait(job, {}, 30000);
    QVERIFY(run.finished);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 3);
    const QString error = run.summary.error;
    qInfo("%s", qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("the OAuth token expired at")), qPrintable(error));
    QVERIFY2(!error.contains(QString::fromUtf8(token)), "the token must never appear in a message");
}

void TestBrokerSasl::verifyWithoutReadAclSaysSo()
{
    // alice may write "orders" but not read it: read-back (--verify) must say that, not report every row missing.
    const Batch rows = mixedRows(3, 3, "verify-acl");
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.rows = rows;
    job.connection = connection(QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("alice"), "alice-secret");
    const PublishRun run = publishAndWait(job);
    QCOMPARE(run.summary.delivered, 3);
    const auto verified = readBack(job.connection, QStringLiteral("orders"), rows, run.results, 20000);
    QVERIFY2(!verified.ok(), "alice has no READ on orders: the read-back cannot have succeeded");
    QVERIFY2(verified.error().text.contains(QLatin1String("verifying needs READ on the topic")),
             qPrintable(verified.error().message()));
}

QTEST_GUILESS_MAIN(TestBrokerSasl)
#include "tst_broker_sasl.moc"

// TLS on the real broker (scenarios T1, T2): certificate verification is on by default; an untrusted CA and a host
// name outside the certificate are refused; turning verification off is an explicit property; mutual TLS with an
// encrypted client key works with the right passphrase and fails clearly, before sending, with a wrong one. The
// mutual-TLS and no-verification cases go through a ConnectionProfile and a MemorySecretStore, as the app does.

#include "BrokerEnv.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include "core/profiles/ConnectionProfile.h"

#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void trustedCaWorks();
    void refusedCertificate_data();
    void refusedCertificate();
    void verificationOffIsExplicit_data();
    void verificationOffIsExplicit();
    void profileSwitchTurnsVerificationOff_data();
    void profileSwitchTurnsVerificationOff();
    void mutualTls_data();
    void mutualTls();
    void clientCertificateIsTheIdentity();

private:
    PublishRun send(const QString &topic, const Properties &connection, int rows = 20);
    Properties mutual(const QString &keyFile, const QString &passphrase) const;

    BrokerEnv m_env;
};

void TestBrokerTls::initTestCase()
{
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
}

PublishRun TestBrokerTls::send(const QString &topic, const Properties &connection, int count)
{
    PublishJob job;
    job.topic = topic;
    job.rows = mixedRows(count, 1, topic.toUtf8());
    job.connection = connection;
    job.connectTimeoutMs = 10000;
    return publishAndWait(job, {}, 60000);
}

// A profile with the client certificate and key; the key's passphrase, if any, is stored in and read back from a
// MemorySecretStore, as the app does.
Properties TestBrokerTls::mutual(const QString &keyFile, const QString &passphrase) const
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("broker mtls");
    profile.bootstrapServers = m_env.ssl;
    profile.securityProtocol = SecurityProtocol::Ssl;
    profile.caFile = m_env.ca;
    profile.certFile = m_env.clientCert;
    profile.keyFile = keyFile;
    QList<QPair<SecretKind, QByteArray>> stored;
    if (!passphrase.isNull())
        stored.append({SecretKind::KeyPassphrase, passphrase.toUtf8()});
    const auto properties = connectionFromProfile(profile, stored);
    if (!properties.ok()) {
        qWarning("%s", qPrintable(properties.error().message()));
        return {};
    }
    return properties.value();
}

void TestBrokerTls::trustedCaWorks()
{
    const Batch rows = mixedRows(20, 1, "tls");
    PublishJob job;
    job.topic = QStringLiteral("tls");
    job.rows = rows;
    job.connection = m_env.tls(m_env.ca); // no verification property: librdkafka's default (on) applies
    const PublishRun run = publishAndWait(job);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 20);
    compareWithKcat(kcatReadAll(m_env.plaintext, QStringLiteral("tls")), rows, run.results, false);
}

void TestBrokerTls::refusedCertificate_data()
{
    QTest::addColumn<bool>("wrongHost");
    QTest::newRow("untrusted CA") << false;
    QTest::newRow("host name not in the certificate") << true;
}

void TestBrokerTls::refusedCertificate()
{
    QFETCH(bool, wrongHost);
    const Properties connection = wrongHost ? m_env.tls(m_env.ca, m_env.sslWrongHost) : m_env.tls(m_env.untrustedCa);
    const PublishRun run = send(QStringLiteral("tls"), connection, 5);
    QVERIFY2(run.finished, "the job must end by itself");
    QVERIFY2(run.elapsedMs < 10000, qPrintable(QString::number(run.elapsedMs)));
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY(run.summary.connectionFailed);
    QCOMPARE(run.summary.failed, 5);
    qInfo("%lld ms: %s", run.elapsedMs, qPrintable(run.summary.error));
    QVERIFY2(run.summary.error.contains(QLatin1String("certificate verify failed")), qPrintable(run.summary.error));
}

void TestBrokerTls::verificationOffIsExplicit_data()
{
    QTest::addColumn<bool>("wrongHost");
    QTest::addColumn<QString>("property");
    QTest::addColumn<QString>("value");
    QTest::newRow("untrusted CA, enable.ssl.certificate.verification=false")
        << false << QStringLiteral("enable.ssl.certificate.verification") << QStringLiteral("false");
    QTest::newRow("wrong host, ssl.endpoint.identification.algorithm=none")
        << true << QStringLiteral("ssl.endpoint.identification.algorithm") << QStringLiteral("none");
}

void TestBrokerTls::verificationOffIsExplicit()
{
    QFETCH(bool, wrongHost);
    QFETCH(QString, property);
    QFETCH(QString, value);
    Properties connection = wrongHost ? m_env.tls(m_env.ca, m_env.sslWrongHost) : m_env.tls(m_env.untrustedCa);
    connection.append({property, value});
    const PublishRun run = send(QStringLiteral("tls"), connection);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 20);
}

void TestBrokerTls::profileSwitchTurnsVerificationOff_data()
{
    QTest::addColumn<bool>("wrongHost");
    QTest::newRow("untrusted CA") << false;
    QTest::newRow("host name not in the certificate") << true;
}

void TestBrokerTls::profileSwitchTurnsVerificationOff()
{
    // The profile's visible "skip certificate verification" setting, and nothing else, lets these through.
    QFETCH(bool, wrongHost);
    ConnectionProfile profile;
    profile.name = QStringLiteral("broker no verification");
    profile.bootstrapServers = wrongHost ? m_env.sslWrongHost : m_env.ssl;
    profile.securityProtocol = SecurityProtocol::Ssl;
    profile.caFile = wrongHost ? m_env.ca : m_env.untrustedCa;
    const auto verifying = connectionFromProfile(profile, {});
    QVERIFY(verifying.ok());
    QVERIFY(send(QStringLiteral("tls"), verifying.value(), 3).summary.connectionFailed);
    profile.skipCertificateVerification = true;
    const auto skipping = connectionFromProfile(profile, {});
    QVERIFY(skipping.ok());
    const PublishRun run = send(QStringLiteral("tls"), skipping.value(), 3);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 3);
}

void TestBrokerTls::mutualTls_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<bool>("works");
    QTest::newRow("encrypted key, right passphrase") << QStringLiteral("encrypted") << QStringLiteral("right") << true;
    QTest::newRow("plain key") << QStringLiteral("plain") << QString() << true;
    QTest::newRow("encrypted key, wrong passphrase") << QStringLiteral("encrypted") << QStringLiteral("wrong") << false;
    QTest::newRow("encrypted key, no passphrase") << QStringLiteral("encrypted") << QString() << false;
}

void TestBrokerTls::mutualTls()
{
    QFETCH(QString, key);
    QFETCH(QString, passphrase);
    QFETCH(bool, works);
    const QString keyFile = key == QLatin1String("plain") ? m_env.clientKey : m_env.clientKeyEncrypted;
    const QString secret = passphrase == QLatin1String("right")   ? m_env.clientKeyPassphrase
                           : passphrase == QLatin1String("wrong") ? QStringLiteral("not-the-passphrase")
                                                                  : QString();
    // The client certificate maps to User:kbatch-client, who may write topic "mtls".
    const Properties connection = mutual(keyFile, secret);
    QVERIFY(!connection.isEmpty());
    const PublishRun run = send(QStringLiteral("mtls"), connection);
    QVERIFY2(run.finished, "the job must end by itself");
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    if (works) {
        QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
        QCOMPARE(run.summary.delivered, 20);
        return;
    }
    // Refused before anything is sent, saying which setting is at fault, and quickly.
    qInfo("%lld ms: %s", run.elapsedMs, qPrintable(run.summary.error));
    QVERIFY(run.summary.configurationFailed);
    QCOMPARE(run.summary.failed, 20);
    QVERIFY(run.elapsedMs < 5000);
    QVERIFY2(run.summary.error.contains(QLatin1String("private key could not be read")), qPrintable(run.summary.error));
    QVERIFY2(run.summary.error.contains(QLatin1String("ssl.key.password")), qPrintable(run.summary.error));
    QVERIFY2(!run.summary.error.contains(QLatin1String("not-the-passphrase")), "the passphrase must not be shown");
}

void TestBrokerTls::clientCertificateIsTheIdentity()
{
    // Without a client certificate the SSL listener sees User:ANONYMOUS (a super user here) and may write "tls";
    // with it, the broker sees User:kbatch-client, who may not. So the certificate really was presented.
    const PublishRun anonymous = send(QStringLiteral("tls"), m_env.tls(m_env.ca), 3);
    QCOMPARE(anonymous.summary.delivered, 3);
    const PublishRun withCert =
        send(QStringLiteral("tls"), mutual(m_env.clientKeyEncrypted, m_env.clientKeyPassphrase), 3);
    QCOMPARE(withCert.summary.delivered, 0);
    QVERIFY2(withCert.summary.error.contains(QLatin1String("TOPIC_AUTHORIZATION_FAILED")),
             qPrintable(withCert.summary.error));
}

QTEST_GUILESS_MAIN(TestBrokerTls)
#include "tst_broker_tls.moc"

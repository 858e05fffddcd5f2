// Scenario L1: with librdkafka's debug=all and every kbatch log category at debug level, a SASL_SSL send (right and
// wrong password) and a mutual-TLS send with an encrypted key leave the password and the key passphrase in no log
// line, ours or librdkafka's; nor does a static OAUTHBEARER token.

#include "BrokerEnv.h"
#include "tests/common/DeliverySuite.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

namespace {

QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines.append(message);
    }
    if (type != QtDebugMsg && type != QtInfoMsg && previousHandler)
        previousHandler(type, context, message);
}

Batch fewRows()
{
    return mixedRows(20, 1, "l1");
}

} // namespace

class TestBrokerSecretsNotLogged : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void noSecretInAnyLogLine();
};

void TestBrokerSecretsNotLogged::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("kbatch.*=true"));
    previousHandler = qInstallMessageHandler(capture);
}

void TestBrokerSecretsNotLogged::cleanupTestCase()
{
    qInstallMessageHandler(previousHandler);
}

void TestBrokerSecretsNotLogged::noSecretInAnyLogLine()
{
    const auto env = BrokerEnv::load();
    QVERIFY(env);
    const QByteArray password = "alice-secret";
    const QString passphrase = env->clientKeyPassphrase.trimmed();
    QVERIFY(!passphrase.isEmpty());

    const Properties debug{{QStringLiteral("debug"), QStringLiteral("all")}};
    // Right password, then a wrong one that contains the right one (so a logged attempt would show it too).
    for (const QByteArray &pw : {password, QByteArray(password + "-but-wrong")}) {
        PublishJob job;
        job.topic = QStringLiteral("orders");
        job.rows = fewRows();
        job.connection = env->scram(QStringLiteral("SASL_SSL"), QStringLiteral("alice"), QString::fromUtf8(pw)) + debug;
        job.connectTimeoutMs = 10000;
        const PublishRun run = publishAndWait(std::move(job));
        QVERIFY(run.finished);
    }
    // Mutual TLS with the encrypted key and its passphrase.
    {
        PublishJob job;
        job.topic = QStringLiteral("mtls");
        job.rows = fewRows();
        job.connection = env->tls(env->ca) + debug;
        job.connection.append({QStringLiteral("ssl.certificate.location"), env->clientCert});
        job.connection.append({QStringLiteral("ssl.key.location"), env->clientKeyEncrypted});
        job.connection.append({QStringLiteral("ssl.key.password"), passphrase});
        const PublishRun run = publishAndWait(std::move(job));
        QVERIFY(run.finished);
        QVERIFY2(run.summary.delivered == 20, qPrintable(run.summary.error));
    }

    // A static OAUTHBEARER token, through the profile path (private property -> sasl.oauthbearer.config).
    ConnectionProfile oauth;
    oauth.name = QStringLiteral("l1 oauth");
    oauth.bootstrapServers = env->saslPlaintext;
    oauth.securityProtocol = SecurityProtocol::SaslPlaintext;
    oauth.saslMechanism = SaslMechanism::OAuthBearer;
    const QByteArray token = unsecuredJwt(QStringLiteral("alice"), 3600);
    {
        const auto connection = connectionFromProfile(oauth, {{SecretKind::OAuthToken, token}});
        QVERIFY2(connection.ok(), qPrintable(connection.ok() ? QString() : connection.error().message()));
        PublishJob job;
        job.topic = QStringLiteral("orders");
        job.rows = fewRows();
        job.connection = connection.value() + debug;
        const PublishRun run = publishAndWait(std::move(job));
        QVERIFY(run.finished);
        QVERIFY2(run.summary.delivered == 20, qPrintable(run.summary.error));
    }
    // The claims part alone is what a leak of the token would most likely show.
    const QString claims = QString::fromUtf8(token.split('.').at(1));

    QMutexLocker lock(&logMutex);
    QVERIFY2(logLines.size() > 100, "debug=all must have produced librdkafka log lines, or this test proves nothing");
    for (const QString &line : std::as_const(logLines)) {
        QVERIFY2(!line.contains(QString::fromUtf8(password)), qPrintable(line));
        QVERIFY2(!line.contains(passphrase), qPrintable(line));
        QVERIFY2(!line.contains(claims), qPrintable(line));
    }
}

QTEST_GUILESS_MAIN(TestBrokerSecretsNotLogged)
#include "tst_broker_secrets_not_logged.moc"

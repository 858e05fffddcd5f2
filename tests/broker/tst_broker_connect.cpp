// A connection test (fetchMetadata(), as Test Connection and the topic tree use it) against the real broker: it
// answers at once when waiting cannot help, TLS refused (an untrusted CA, a host name not in the certificate) or a
// wrong SCRAM password, instead of waiting out its timeout; and it connects with the right settings.

#include "BrokerEnv.h"
#include "core/kafka/Metadata.h"

#include <QElapsedTimer>
#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerConnect : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void failsFastWhereWaitingCannotHelp_data();
    void failsFastWhereWaitingCannotHelp();
    void rightSettingsConnect_data();
    void rightSettingsConnect();

private:
    BrokerEnv m_env;
};

void TestBrokerConnect::initTestCase()
{
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
}

void TestBrokerConnect::failsFastWhereWaitingCannotHelp_data()
{
    QTest::addColumn<Properties>("connection");
    QTest::addColumn<QString>("reason");
    QTest::newRow("host name not in the certificate")
        << m_env.tls(m_env.ca, m_env.sslWrongHost) << QStringLiteral("certificate verify failed");
    QTest::newRow("untrusted CA") << m_env.tls(m_env.untrustedCa) << QStringLiteral("certificate verify failed");
    QTest::newRow("wrong SCRAM password")
        << m_env.scram(QStringLiteral("SASL_SSL"), QStringLiteral("alice"), QStringLiteral("not-alices-password"))
        << QStringLiteral("Authentication failed");
}

void TestBrokerConnect::failsFastWhereWaitingCannotHelp()
{
    QFETCH(Properties, connection);
    QFETCH(QString, reason);
    QElapsedTimer clock;
    clock.start();
    const auto info = fetchMetadata(connection, 30000);
    QVERIFY(!info.ok());
    QVERIFY2(clock.elapsed() < 15000, qPrintable(QStringLiteral("%1 ms of a 30000 ms timeout").arg(clock.elapsed())));
    QVERIFY2(info.error().message().contains(reason, Qt::CaseInsensitive), qPrintable(info.error().message()));
    QVERIFY2(!info.error().message().contains(QLatin1String("within 30000 ms")), qPrintable(info.error().message()));
}

void TestBrokerConnect::rightSettingsConnect_data()
{
    QTest::addColumn<Properties>("connection");
    QTest::newRow("TLS") << m_env.tls(m_env.ca);
    QTest::newRow("SCRAM over TLS") << m_env.scram(QStringLiteral("SASL_SSL"), QStringLiteral("alice"),
                                                   QStringLiteral("alice-secret"));
}

void TestBrokerConnect::rightSettingsConnect()
{
    QFETCH(Properties, connection);
    const auto info = fetchTopics(connection, 30000);
    QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().message()));
    QVERIFY(!info->brokers.isEmpty());
}

QTEST_GUILESS_MAIN(TestBrokerConnect)
#include "tst_broker_connect.moc"

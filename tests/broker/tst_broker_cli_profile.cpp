// What a user of Kafka 4 does: `kbatch-cli profile set` with the password going to the system keychain, then
// `kbatch-cli send TEMPLATE --profile P`. With SCRAM-SHA-512 over SASL_SSL (scenario R4) and SCRAM-SHA-256 every row
// is delivered, which kcat, another process, reads back over the admin listener; a wrong password stored in the
// keychain is a clear authentication error within the connect timeout. Runs inside run-with-keychain.sh: a private
// D-Bus session, an unlocked gnome-keyring and a throwaway HOME.

#include "BrokerEnv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace kbatch::test;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
};

Run cli(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(KBATCH_CLI), args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    r.ms = t.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestBrokerCliProfile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void profileSendDeliversEveryRow_data();
    void profileSendDeliversEveryRow();
    void wrongStoredPasswordIsAClearError();

private:
    // `kbatch-cli profile set NAME ...` for alice over `protocol` with `mechanism`, the password on stdin.
    void setProfile(const QString &name, const QString &protocol, const QString &mechanism, const QByteArray &password);
    QString writeTemplate(const QByteArray &tag, int rows);

    BrokerEnv m_env;
    QTemporaryDir m_dir;
};

void TestBrokerCliProfile::initTestCase()
{
    QVERIFY2(QDir::homePath().startsWith(QDir::tempPath()), "run me through run-with-keychain.sh (throwaway HOME)");
    QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
    QVERIFY(m_dir.isValid());
}

void TestBrokerCliProfile::setProfile(const QString &name, const QString &protocol, const QString &mechanism,
                                      const QByteArray &password)
{
    const bool tls = protocol == QLatin1String("sasl_ssl");
    QStringList args{QStringLiteral("profile"),
                     QStringLiteral("set"),
                     name,
                     QStringLiteral("--bootstrap"),
                     tls ? m_env.saslSsl : m_env.saslPlaintext,
                     QStringLiteral("--security-protocol"),
                     protocol,
                     QStringLiteral("--sasl-mechanism"),
                     mechanism,
                     QStringLiteral("--username"),
                     QStringLiteral("alice"),
                     QStringLiteral("--connect-timeout"),
                     QStringLiteral("10000"),
                     QStringLiteral("--password-stdin")};
    if (tls)
        args << QStringLiteral("--ca-file") << m_env.ca;
    const Run set = cli(args, password + '\n');
    QVERIFY2(set.exitCode == 0, set.err.constData());
    // The password is in the keychain, as libsecret's own tool sees it, and in no file.
    QProcess lookup;
    lookup.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("lookup"), QStringLiteral("user"), name + QStringLiteral("/sasl-password"),
                  QStringLiteral("server"), QStringLiteral("kbatch")});
    QVERIFY(lookup.waitForFinished(10000));
    QCOMPARE(lookup.readAllStandardOutput().trimmed(), password);
}

QString TestBrokerCliProfile::writeTemplate(const QByteArray &tag, int rows)
{
    QJsonArray messages;
    for (int i = 0; i < rows; ++i)
        messages.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("k-%1").arg(i)},
                                    {QStringLiteral("value"), QString::fromLatin1(tag + ':' + QByteArray::number(i))}});
    const QJsonObject doc{{QStringLiteral("format"), QStringLiteral("kbatch-template")},
                          {QStringLiteral("version"), 1},
                          {QStringLiteral("name"), QString::fromLatin1(tag)},
                          {QStringLiteral("topic"), QStringLiteral("orders")},
                          {QStringLiteral("messages"), messages}};
    const QString path = m_dir.filePath(QString::fromLatin1(tag) + QStringLiteral(".kbatch.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(doc).toJson()) < 0)
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestBrokerCliProfile::profileSendDeliversEveryRow_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("mechanism");
    QTest::newRow("SCRAM-SHA-512 over SASL_SSL") << QStringLiteral("sasl_ssl") << QStringLiteral("SCRAM-SHA-512");
    QTest::newRow("SCRAM-SHA-256 over SASL_SSL") << QStringLiteral("sasl_ssl") << QStringLiteral("SCRAM-SHA-256");
    QTest::newRow("SCRAM-SHA-512 over SASL_PLAINTEXT")
        << QStringLiteral("sasl_plaintext") << QStringLiteral("SCRAM-SHA-512");
}

void TestBrokerCliProfile::profileSendDeliversEveryRow()
{
    QFETCH(QString, protocol);
    QFETCH(QString, mechanism);
    const QString profile = QStringLiteral("kafka-") + protocol + QLatin1Char('-') + mechanism.toLower();
    setProfile(profile, protocol, mechanism, "alice-secret");
    if (QTest::currentTestFailed())
        return;
    const QByteArray tag = "cli-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    constexpr int Rows = 50;
    const Run send = cli({QStringLiteral("send"), writeTemplate(tag, Rows), QStringLiteral("--profile"), profile,
                          QStringLiteral("--report"), QStringLiteral("-")});
    QVERIFY2(send.exitCode == 0, send.err.constData());
    const QList<QByteArray> lines = send.out.trimmed().split('\n');
    QCOMPARE(lines.size(), Rows);
    for (const QByteArray &line : lines) {
        const QJsonObject r = QJsonDocument::fromJson(line).object();
        QCOMPARE(r.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QVERIFY2(r.value(QStringLiteral("offset")).toInteger(-1) >= 0, line.constData());
    }
    QVERIFY2(!send.err.contains("alice-secret"), "the password must never appear in a message");

    // kcat (Debian's librdkafka 2.0.2, which cannot log in with SCRAM to Kafka 4) reads as the admin over PLAINTEXT.
    QSet<QByteArray> found;
    for (const KcatRecord &r : kcatReadAll(m_env.plaintext, QStringLiteral("orders")))
        if (r.value && r.value->startsWith(QByteArray(tag + ':')))
            found.insert(*r.value);
    QCOMPARE(found.size(), Rows);
}

void TestBrokerCliProfile::wrongStoredPasswordIsAClearError()
{
    const QString profile = QStringLiteral("kafka-wrong-password");
    setProfile(profile, QStringLiteral("sasl_ssl"), QStringLiteral("SCRAM-SHA-512"), "not-alices-password");
    if (QTest::currentTestFailed())
        return;
    const Run send = cli({QStringLiteral("send"), writeTemplate("cli-wrong", 3), QStringLiteral("--profile"), profile});
    QCOMPARE(send.exitCode, 2);
    QVERIFY2(send.ms < 10000 + 5000, qPrintable(QString::number(send.ms)));
    QVERIFY2(send.err.toLower().contains("authentication"), send.err.constData());
    QVERIFY2(send.err.contains("SCRAM-SHA-512"), send.err.constData());
    QVERIFY2(!send.err.contains("not-alices-password"), "the password must never appear in a message");
}

QTEST_GUILESS_MAIN(TestBrokerCliProfile)
#include "tst_broker_cli_profile.moc"

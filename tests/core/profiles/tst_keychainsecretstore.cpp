// The real system keychain (CTest label "keychain", not "core"). Each function runs in its own process, because
// QtKeychain and libsecret pick their backend and D-Bus connection once per process:
//   realKeychain  inside tests/core/profiles/run-with-keychain.sh (private D-Bus session + gnome-keyring)
//   noDbus        with DBUS_SESSION_BUS_ADDRESS pointing at a socket that does not exist
//   hungDbus      with DBUS_SESSION_BUS_ADDRESS pointing at a socket that accepts and never answers
#include "core/profiles/KeychainSecretStore.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using St = SecretResult::Status;

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void realKeychain();
    void noDbus();
    void hungDbus();

private:
    SecretResult run(KeychainSecretStore &store, SecretJobId job, QSignalSpy &spy, int timeoutMs = 10000);
};

struct Tool
{
    int exitCode = -1;
    QByteArray out;
};

static Tool secretTool(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"), args);
    if (!p.waitForFinished(10000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput()};
}

SecretResult TestKeychainSecretStore::run(KeychainSecretStore &store, SecretJobId job, QSignalSpy &spy, int timeoutMs)
{
    Q_UNUSED(store)
    const auto before = spy.size();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(spy.size(), before + 1, timeoutMs); }();
    if (spy.size() != before + 1)
        return {St::Error, QStringLiteral("no report"), {}};
    const auto args = spy.at(before);
    if (args.at(0).toULongLong() != job)
        return {St::Error, QStringLiteral("report for another job"), {}};
    return args.at(1).value<SecretResult>();
}

void TestKeychainSecretStore::realKeychain()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("no D-Bus session: run this through tests/core/profiles/run-with-keychain.sh (see tests.cmake)");
    if (QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty())
        QFAIL("secret-tool not found: install libsecret-tools");

    QTemporaryDir dir;
    QSettings index(dir.filePath(QStringLiteral("kbatch.ini")), QSettings::IniFormat);
    KeychainSecretStore store(&index);
    QSignalSpy spy(&store, &SecretStore::finished);
    const QString profile = QStringLiteral("Prod EU");
    const QByteArray password = "pä55 wörd-7f3a";

    SecretResult r = run(store, store.writeSecret(profile, SecretKind::SaslPassword, password), spy);
    QVERIFY2(r.ok(), qPrintable(r.message));

    // Independently of QtKeychain: the item QtKeychain's libsecret backend writes has the attributes
    // user=<key>, server=<service>, type=plaintext|base64 (schema org.qt.keychain).
    Tool lookup = secretTool({QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("Prod EU/sasl-password"),
                              QStringLiteral("server"), QStringLiteral("kbatch")});
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(lookup.out, password);
    Tool search = secretTool(
        {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"), QStringLiteral("kbatch")});
    QCOMPARE(search.exitCode, 0);
    // secret-tool prints no attribute lines for items of a schema it does not know; the lookup above matched them.
    QVERIFY2(search.out.contains("schema = org.qt.keychain"), search.out.constData());
    QVERIFY(search.out.contains(QByteArray("secret = ").append(password)));
    QCOMPARE(secretTool({QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("Prod EU/sasl-password"),
                         QStringLiteral("server"), QStringLiteral("kbatch"), QStringLiteral("type"),
                         QStringLiteral("plaintext")})
                 .out,
             password);

    r = run(store, store.readSecret(profile, SecretKind::SaslPassword), spy);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.secret, password);

    // Bytes that are not UTF-8 go in as base64 and come back unchanged.
    const QByteArray binary("\x00\xff\xfe key", 7);
    r = run(store, store.writeSecret(profile, SecretKind::KeyPassphrase, binary), spy);
    QVERIFY2(r.ok(), qPrintable(r.message));
    lookup = secretTool({QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("Prod EU/key-passphrase"),
                         QStringLiteral("server"), QStringLiteral("kbatch"), QStringLiteral("type"),
                         QStringLiteral("base64")});
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(QByteArray::fromBase64(lookup.out.trimmed()), binary);
    r = run(store, store.readSecret(profile, SecretKind::KeyPassphrase), spy);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.secret, binary);

    r = run(store, store.readSecret(profile, SecretKind::OAuthToken), spy);
    QCOMPARE(r.status, St::NotFound);

    // Overwriting switches between the text and the binary form without a stale item shadowing the new value.
    for (const QByteArray &value : {QByteArray("\xff token", 7), QByteArray("text token")}) {
        r = run(store, store.writeSecret(profile, SecretKind::OAuthToken, value), spy);
        QVERIFY2(r.ok(), qPrintable(r.message));
        r = run(store, store.readSecret(profile, SecretKind::OAuthToken), spy);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.secret, value);
    }

    // Another profile's secret survives the delete.
    r = run(store, store.writeSecret(QStringLiteral("Other"), SecretKind::SaslPassword, "keep"), spy);
    QVERIFY(r.ok());

    r = run(store, store.deleteSecrets(profile), spy);
    QVERIFY2(r.ok(), qPrintable(r.message));
    for (const char *key : {"Prod EU/sasl-password", "Prod EU/key-passphrase", "Prod EU/oauth-token"}) {
        const Tool gone = secretTool({QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                                      QString::fromUtf8(key), QStringLiteral("server"), QStringLiteral("kbatch")});
        QVERIFY2(gone.out.isEmpty(), gone.out.constData());
    }
    QCOMPARE(secretTool({QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("Other/sasl-password"),
                         QStringLiteral("server"), QStringLiteral("kbatch")})
                 .out,
             QByteArray("keep"));
    QVERIFY(store.indexedKeys(profile).isEmpty());
    r = run(store, store.readSecret(profile, SecretKind::SaslPassword), spy);
    QCOMPARE(r.status, St::NotFound);

    r = run(store, store.deleteSecrets(QStringLiteral("Other")), spy);
    QVERIFY(r.ok());
    QCOMPARE(secretTool({QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("Other/sasl-password"),
                         QStringLiteral("server"), QStringLiteral("kbatch")})
                 .exitCode,
             1);
    QTest::qWait(200);        // no late second report
    QCOMPARE(spy.size(), 13); // one report per job, no more
}

void TestKeychainSecretStore::noDbus()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kbatch-no-such-bus");
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(5000));
    QSignalSpy spy(&store, &SecretStore::finished);
    QElapsedTimer timer;
    timer.start();
    const SecretJobId job = store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    const SecretResult r = run(store, job, spy, 6000);
    QVERIFY(timer.elapsed() < 5500);
    QCOMPARE(r.status, St::Unavailable);
    QVERIFY2(r.message.startsWith(QStringLiteral("the system keychain is unavailable (")), qPrintable(r.message));
    qInfo("%s", qPrintable(r.message));
    QTest::qWait(1000); // a retry or a timer must not report again
    QCOMPARE(spy.size(), 1);
}

void TestKeychainSecretStore::hungDbus()
{
    // A bus that accepts connections and never says a word: only our timeout can end the job.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bus"));
    QLocalServer server;
    QVERIFY(server.listen(path));
    QList<QLocalSocket *> clients;
    connect(&server, &QLocalServer::newConnection, this, [&] {
        while (QLocalSocket *s = server.nextPendingConnection())
            clients.append(s);
    });
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + path.toUtf8());
    KeychainSecretStore store;
    store.setTimeout(std::chrono::milliseconds(1500));
    QSignalSpy spy(&store, &SecretStore::finished);
    QElapsedTimer timer;
    timer.start();
    const SecretJobId job = store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    const SecretResult r = run(store, job, spy, 5000);
    QCOMPARE(r.status, St::Unavailable);
    QCOMPARE(r.message, QStringLiteral("the system keychain did not answer within 1.5 s (is a D-Bus session with a "
                                       "Secret Service such as gnome-keyring running?)"));
    QVERIFY(timer.elapsed() >= 1400);
    QTest::qWait(500);
    QCOMPARE(spy.size(), 1);
}

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"

// kbatch-cli profiles with the real Secret Service (run inside tests/core/profiles/run-with-keychain.sh: a private
// D-Bus session, an unlocked gnome-keyring and a throwaway HOME). secret-tool checks the keychain independently.
// Scenarios K1 (stored in the keychain, never in a file), K2 (no D-Bus, or a locked keyring: clear error, nothing
// written), K3
// (removing a profile removes its secrets).

#include "core/profiles/ProfileStore.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTest>

namespace {

const QByteArray Sentinel = "S3ntinel-pw-7731-do-not-leak";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {},
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        p.kill();
    p.waitForFinished();
    r.ms = t.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run cli(const QStringList &args, const QByteArray &input = {},
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return run(QStringLiteral(KBATCH_CLI), args, input, env);
}

// Every file under HOME that holds `needle` in plain text or base64.
QStringList filesContaining(const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly)) {
            const QByteArray data = f.readAll();
            if (data.contains(needle) || data.contains(needle.toBase64()))
                hits << f.fileName();
        }
    }
    return hits;
}

} // namespace

class TestCliProfiles : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void passwordGoesToTheKeychainOnly();
    void plaintextProfileSends();
    void registryPasswordGoesToTheKeychainOnly();
    void registryKeyPassphraseGoesToTheKeychainOnly();
    void removingAProfileRemovesItsSecrets();
    void builtInSandboxCannotBeRemoved();
    void profilesAreSharedWithTheApp();
    void noKeychainIsAClearErrorAndWritesNothing();
    void lockedKeyringIsAClearErrorAndWritesNothing(); // last: it locks the keyring

private:
    QString m_bootstrap;
};

void TestCliProfiles::initTestCase()
{
    QVERIFY2(QDir::homePath().startsWith(QDir::tempPath()), "run me through run-with-keychain.sh (throwaway HOME)");
    QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    QFile f(QStringLiteral(KBATCH_SANDBOX_DIR "/bootstrap"));
    QVERIFY2(f.open(QIODevice::ReadOnly), "the sandbox fixture did not run");
    m_bootstrap = QString::fromUtf8(f.readAll()).trimmed();
}

void TestCliProfiles::passwordGoesToTheKeychainOnly()
{
    const Run set =
        cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("staging"), QStringLiteral("--bootstrap"),
             QStringLiteral("broker.example:9094"), QStringLiteral("--security-protocol"), QStringLiteral("sasl_ssl"),
             QStringLiteral("--sasl-mechanism"), QStringLiteral("SCRAM-SHA-512"), QStringLiteral("--username"),
             QStringLiteral("alice"), QStringLiteral("--password-stdin")},
            Sentinel + "\n");
    QVERIFY2(set.exitCode == 0, set.err.constData());

    // Independently: libsecret's own tool finds it under QtKeychain's attributes.
    const Run lookup = run(QStringLiteral("secret-tool"),
                           {QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("staging/sasl-password"),
                            QStringLiteral("server"), QStringLiteral("kbatch")});
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(lookup.out.trimmed(), Sentinel);

    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(!list.out.contains(Sentinel));
    bool found = false;
    for (const QJsonValue &p : QJsonDocument::fromJson(list.out).array()) {
        if (p[QStringLiteral("name")].toString() == QLatin1String("staging")) {
            found = true;
            QCOMPARE(p[QStringLiteral("username")].toString(), QStringLiteral("alice"));
            QCOMPARE(p[QStringLiteral("securityProtocol")].toString().toLower(), QStringLiteral("sasl_ssl"));
        }
    }
    QVERIFY2(found, list.out.constData());
    QCOMPARE(filesContaining(Sentinel), QStringList()); // no settings file, no log holds it
}

// Issue 15: a profile's Schema Registry, its password kept like the SASL password.
void TestCliProfiles::registryPasswordGoesToTheKeychainOnly()
{
    const QByteArray secret = Sentinel + "-registry";
    const QStringList base = {QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("with-registry"),
                              QStringLiteral("--bootstrap"), QStringLiteral("broker.example:9092")};
    const Run noUser = cli(base + QStringList{QStringLiteral("--registry"), QStringLiteral("https://registry.invalid"),
                                              QStringLiteral("--registry-password-stdin")},
                           secret + "\n");
    QCOMPARE(noUser.exitCode, 2);
    QVERIFY2(noUser.err.contains("--registry-password-stdin needs --registry-user"), noUser.err.constData());
    // A token with a user would be stored and never used (a user means basic auth): refused.
    const Run tokenWithUser =
        cli(base + QStringList{QStringLiteral("--registry"), QStringLiteral("https://registry.invalid"),
                               QStringLiteral("--registry-user"), QStringLiteral("svc"),
                               QStringLiteral("--registry-token-stdin")},
            secret + "\n");
    QCOMPARE(tokenWithUser.exitCode, 2);
    QVERIFY2(tokenWithUser.err.contains("--registry-token-stdin is used only without --registry-user"),
             tokenWithUser.err.constData());
    const Run inUrl =
        cli(base + QStringList{QStringLiteral("--registry"), QStringLiteral("https://u:pw@registry.invalid")});
    QCOMPARE(inUrl.exitCode, 2);
    QVERIFY2(inUrl.err.contains("holds a user or password"), inUrl.err.constData());

    const Run set =
        cli(base + QStringList{QStringLiteral("--registry"), QStringLiteral("https://registry.invalid:8081"),
                               QStringLiteral("--registry-user"), QStringLiteral("svc"),
                               QStringLiteral("--registry-password-stdin")},
            secret + "\n");
    QVERIFY2(set.exitCode == 0, set.err.constData());
    const Run lookup = run(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"),
                                                           QStringLiteral("with-registry/registry-password"),
                                                           QStringLiteral("server"), QStringLiteral("kbatch")});
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(lookup.out.trimmed(), secret);

    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    bool found = false;
    for (const QJsonValue &p : QJsonDocument::fromJson(list.out).array()) {
        if (p[QStringLiteral("name")].toString() == QLatin1String("with-registry")) {
            found = true;
            QCOMPARE(p[QStringLiteral("registry")][QStringLiteral("url")].toString(),
                     QStringLiteral("https://registry.invalid:8081"));
            QCOMPARE(p[QStringLiteral("registry")][QStringLiteral("username")].toString(), QStringLiteral("svc"));
        }
    }
    QVERIFY2(found, list.out.constData());
    QCOMPARE(filesContaining(secret), QStringList());

    // Removing the profile removes the registry's secret too.
    const Run removed = cli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("with-registry")});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    const Run gone = run(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"),
                                                         QStringLiteral("with-registry/registry-password"),
                                                         QStringLiteral("server"), QStringLiteral("kbatch")});
    QVERIFY(gone.out.trimmed().isEmpty());
}

// The registry's client key may be encrypted: its passphrase is a keychain secret of its own, beside the cluster's.
void TestCliProfiles::registryKeyPassphraseGoesToTheKeychainOnly()
{
    const QByteArray secret = Sentinel + "-registry-key";
    const QStringList base = {QStringLiteral("profile"),
                              QStringLiteral("set"),
                              QStringLiteral("registry-key"),
                              QStringLiteral("--bootstrap"),
                              QStringLiteral("broker.example:9092"),
                              QStringLiteral("--registry"),
                              QStringLiteral("https://registry.invalid:8081")};
    const QString lookupKey = QStringLiteral("registry-key/registry-key-passphrase");
    const auto lookup = [](const QString &key) {
        return run(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"), key,
                                                   QStringLiteral("server"), QStringLiteral("kbatch")});
    };
    // Without a client key the passphrase would be stored and never used: refused, nothing stored.
    const Run noKey = cli(base + QStringList{QStringLiteral("--registry-key-passphrase-stdin")}, secret + "\n");
    QCOMPARE(noKey.exitCode, 2);
    QVERIFY2(noKey.err.contains("has no registry client key: give --registry-key-file"), noKey.err.constData());
    QVERIFY(!noKey.err.contains(secret));
    QVERIFY(lookup(lookupKey).out.trimmed().isEmpty());
    // One secret per call on standard input.
    const Run two = cli(
        base + QStringList{QStringLiteral("--registry-key-passphrase-stdin"), QStringLiteral("--registry-token-stdin")},
        secret + "\n");
    QCOMPARE(two.exitCode, 2);
    QVERIFY2(two.err.contains("standard input holds one secret"), two.err.constData());

    const Run set = cli(base + QStringList{QStringLiteral("--registry-cert-file"), QStringLiteral("/tmp/client.pem"),
                                           QStringLiteral("--registry-key-file"), QStringLiteral("/tmp/client.key"),
                                           QStringLiteral("--registry-key-passphrase-stdin")},
                        secret + "\n");
    QVERIFY2(set.exitCode == 0, set.err.constData());
    QVERIFY(!set.err.contains(secret));
    const Run stored = lookup(lookupKey);
    QCOMPARE(stored.exitCode, 0);
    QCOMPARE(stored.out.trimmed(), secret);
    // The cluster's key passphrase is another secret: not filled by the registry's.
    QVERIFY(lookup(QStringLiteral("registry-key/key-passphrase")).out.trimmed().isEmpty());
    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(!list.out.contains(secret));
    QVERIFY2(list.out.contains("/tmp/client.key"), list.out.constData());
    QCOMPARE(filesContaining(secret), QStringList()); // no settings file, no log holds it

    const Run removed = cli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("registry-key")});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QVERIFY(lookup(lookupKey).out.trimmed().isEmpty());
}

void TestCliProfiles::plaintextProfileSends()
{
    const Run set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("sandbox-by-name"),
                         QStringLiteral("--bootstrap"), m_bootstrap});
    QVERIFY2(set.exitCode == 0, set.err.constData());
    const Run send =
        cli({QStringLiteral("send"), QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"),
             QStringLiteral("--profile"), QStringLiteral("sandbox-by-name"), QStringLiteral("--topic"),
             QStringLiteral("profile-send"), QStringLiteral("--verify")});
    QVERIFY2(send.exitCode == 0, send.err.constData());
    QVERIFY2(send.err.contains("verified by reading them back"), send.err.constData());
}

void TestCliProfiles::removingAProfileRemovesItsSecrets()
{
    const Run removed = cli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("staging")});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    const Run lookup = run(QStringLiteral("secret-tool"),
                           {QStringLiteral("lookup"), QStringLiteral("user"), QStringLiteral("staging/sasl-password"),
                            QStringLiteral("server"), QStringLiteral("kbatch")});
    QVERIFY(lookup.exitCode != 0);
    QVERIFY(lookup.out.isEmpty());
    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY(!list.out.contains("\"staging\""));
}

void TestCliProfiles::builtInSandboxCannotBeRemoved()
{
    const Run removed = cli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("Local sandbox")});
    QCOMPARE(removed.exitCode, 2);
    QVERIFY2(removed.err.contains("Local sandbox"), removed.err.constData());
}

void TestCliProfiles::profilesAreSharedWithTheApp()
{
    // The CLI writes where the desktop app reads: both take their settings location from setApplicationIdentity().
    const Run set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("shared-with-app"),
                         QStringLiteral("--bootstrap"), QStringLiteral("broker-a:9092")});
    QVERIFY2(set.exitCode == 0, set.err.constData());
    kbatch::core::setApplicationIdentity();
    const QString appSettings = QDir::homePath() + QStringLiteral("/.config/") + QCoreApplication::organizationName() +
                                QLatin1Char('/') + QCoreApplication::applicationName() + QStringLiteral(".conf");
    QVERIFY2(QFile::exists(appSettings), qPrintable(appSettings));
    QSettings settings(appSettings, QSettings::NativeFormat);
    const kbatch::core::ProfileStore store(&settings);
    const auto found = store.find(QStringLiteral("shared-with-app"));
    QVERIFY2(found, "the profile made with kbatch-cli is not where the app looks");
    QCOMPARE(found->bootstrapServers, QStringLiteral("broker-a:9092"));
}

void TestCliProfiles::noKeychainIsAClearErrorAndWritesNothing()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/kbatch-test-bus"));
    const Run set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("offline"),
                         QStringLiteral("--bootstrap"), QStringLiteral("broker.example:9094"),
                         QStringLiteral("--security-protocol"), QStringLiteral("sasl_plaintext"),
                         QStringLiteral("--username"), QStringLiteral("bob"), QStringLiteral("--password-stdin")},
                        Sentinel + "\n", env);
    QCOMPARE(set.exitCode, 2);
    QVERIFY2(set.err.contains("was not stored") && set.err.contains("keychain"), set.err.constData());
    QVERIFY2(set.ms < 10000, qPrintable(QString::number(set.ms))); // bounded by the store's own timeout
    QCOMPARE(filesContaining(Sentinel), QStringList());
    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(!list.out.contains("\"offline\""), "a profile whose secret was refused must not be half-saved");
}

void TestCliProfiles::lockedKeyringIsAClearErrorAndWritesNothing()
{
    const Run before = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("stored-before-lock"),
                            QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:9"),
                            QStringLiteral("--security-protocol"), QStringLiteral("sasl_plaintext"),
                            QStringLiteral("--username"), QStringLiteral("dave"), QStringLiteral("--password-stdin")},
                           QByteArray("pw-before-lock\n"));
    QVERIFY2(before.exitCode == 0, before.err.constData());

    // Lock the default collection through the Secret Service API itself (gdbus, a separate client).
    const QStringList service{QStringLiteral("call"), QStringLiteral("--session"), QStringLiteral("--dest"),
                              QStringLiteral("org.freedesktop.secrets")};
    const Run alias = run(QStringLiteral("gdbus"),
                          service + QStringList{QStringLiteral("--object-path"),
                                                QStringLiteral("/org/freedesktop/secrets"), QStringLiteral("--method"),
                                                QStringLiteral("org.freedesktop.Secret.Service.ReadAlias"),
                                                QStringLiteral("default")});
    QCOMPARE(alias.exitCode, 0);
    const QString collection = QString::fromUtf8(alias.out).section(QLatin1Char('\''), 1, 1);
    QVERIFY2(collection.startsWith(QLatin1String("/org/freedesktop/secrets/collection/")), alias.out.constData());
    const Run lock =
        run(QStringLiteral("gdbus"),
            service + QStringList{QStringLiteral("--object-path"), QStringLiteral("/org/freedesktop/secrets"),
                                  QStringLiteral("--method"), QStringLiteral("org.freedesktop.Secret.Service.Lock"),
                                  QStringLiteral("['%1']").arg(collection)});
    QCOMPARE(lock.exitCode, 0);

    // A profile whose password was stored before the lock: reading it now is "locked?", not "no password stored".
    const Run useLocked =
        cli({QStringLiteral("send"), QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"),
             QStringLiteral("--profile"), QStringLiteral("stored-before-lock")});
    QCOMPARE(useLocked.exitCode, 2);
    QVERIFY2(useLocked.err.contains("if the keychain is locked, unlock it"), useLocked.err.constData());
    QVERIFY2(!useLocked.err.contains("no SASL password stored"), useLocked.err.constData());

    const Run set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("locked"),
                         QStringLiteral("--bootstrap"), QStringLiteral("broker.example:9094"),
                         QStringLiteral("--security-protocol"), QStringLiteral("sasl_plaintext"),
                         QStringLiteral("--username"), QStringLiteral("carol"), QStringLiteral("--password-stdin")},
                        Sentinel + "\n");
    QCOMPARE(set.exitCode, 2);
    QVERIFY2(set.err.contains("was not stored") && set.err.contains("locked"), set.err.constData());
    QVERIFY2(set.ms < 10000, qPrintable(QString::number(set.ms)));
    QCOMPARE(filesContaining(Sentinel), QStringList());
    const Run list = cli({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(!list.out.contains("\"locked\""), "a profile whose secret was refused must not be half-saved");
}

QTEST_GUILESS_MAIN(TestCliProfiles)
#include "tst_cli_profiles.moc"

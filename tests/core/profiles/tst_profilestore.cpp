#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;

class TestProfileStore : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void startsWithTheSandboxOnly();
    void roundTrip();
    void listsSandboxFirstThenByName();
    void unusualNamesRoundTrip();
    void updateAndRename();
    void saveErrors_data();
    void saveErrors();
    void sandboxRules();
    void removeErrors();
    void unreadableEntriesAreSkipped();
    void noSecretEverReachesTheFile();

private:
    QString iniFile() const { return m_dir->filePath(QStringLiteral("kbatch.ini")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

static ConnectionProfile full(const QString &name)
{
    ConnectionProfile p;
    p.name = name;
    p.bootstrapServers = QStringLiteral("b1.example.com:9093,[::1]:9094");
    p.securityProtocol = SecurityProtocol::SaslSsl;
    p.saslMechanism = SaslMechanism::ScramSha256;
    p.username = QStringLiteral("alice");
    p.caFile = QStringLiteral("/etc/ca dir/ca.pem");
    p.certFile = QStringLiteral("/c.pem");
    p.keyFile = QStringLiteral("/k.pem");
    p.skipCertificateVerification = true;
    p.connectTimeoutMs = 2500;
    p.properties = {{QStringLiteral("client.id"), QStringLiteral("a=b,c")},
                    {QStringLiteral("linger.ms"), QStringLiteral("5")}};
    p.registry.url = QStringLiteral("https://registry.example.com:8081/apis/ccompat/v7");
    p.registry.username = QStringLiteral("svc-registry");
    p.registry.caFile = QStringLiteral("/etc/registry/ca.pem");
    p.registry.certFile = QStringLiteral("/etc/registry/c.pem");
    p.registry.keyFile = QStringLiteral("/etc/registry/k.pem");
    return p;
}

static ConnectionProfile simple(const QString &name)
{
    ConnectionProfile p;
    p.name = name;
    p.bootstrapServers = QStringLiteral("localhost:9092");
    return p;
}

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>(); // every test starts from an empty settings file
    QVERIFY(m_dir->isValid());
}

void TestProfileStore::startsWithTheSandboxOnly()
{
    ProfileStore store(iniFile());
    const auto all = store.list();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all[0], sandboxProfile());
    QVERIFY(all[0].isSandbox);
    QCOMPARE(all[0].name, QStringLiteral("Local sandbox"));
}

void TestProfileStore::roundTrip()
{
    const ConnectionProfile p = full(QStringLiteral("Prod EU"));
    {
        ProfileStore store(iniFile());
        const Status s = store.save(p);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
    }
    ProfileStore reopened(iniFile()); // read back from the file, not from a cache
    QCOMPARE(reopened.find(QStringLiteral("Prod EU")), std::optional(p));
    QCOMPARE(reopened.list().size(), 2);
    QCOMPARE(reopened.list()[1], p);
    QVERIFY(!reopened.find(QStringLiteral("prod eu"))); // find is exact
    QVERIFY(!reopened.find(QString()));
}

void TestProfileStore::listsSandboxFirstThenByName()
{
    ProfileStore store(iniFile());
    for (const char *name : {"zeta", "Alpha", "beta"})
        QVERIFY(store.save(simple(QString::fromLatin1(name))).ok());
    QStringList names;
    for (const auto &p : store.list())
        names.append(p.name);
    QCOMPARE(names, (QStringList{QStringLiteral("Local sandbox"), QStringLiteral("Alpha"), QStringLiteral("beta"),
                                 QStringLiteral("zeta")}));
}

void TestProfileStore::unusualNamesRoundTrip()
{
    // Characters that mean something in an INI file or to QSettings keys.
    const QStringList names{QStringLiteral("a=b; c#d [e] %f"), QString::fromUtf8("Prüfung \xe2\x9c\x93"),
                            QStringLiteral("dots.and-dashes_"), QStringLiteral("\"quoted\"")};
    {
        ProfileStore store(iniFile());
        for (const QString &name : names) {
            const Status s = store.save(full(name));
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        }
    }
    ProfileStore reopened(iniFile());
    for (const QString &name : names)
        QCOMPARE(reopened.find(name), std::optional(full(name)));
    QCOMPARE(reopened.list().size(), names.size() + 1);
}

void TestProfileStore::updateAndRename()
{
    ProfileStore store(iniFile());
    QVERIFY(store.save(full(QStringLiteral("a"))).ok());
    ConnectionProfile p = simple(QStringLiteral("a"));
    QVERIFY(store.save(p, QStringLiteral("a")).ok()); // update in place: no stale keys left behind
    QCOMPARE(store.find(QStringLiteral("a")), std::optional(p));
    p.name = QStringLiteral("b");
    QVERIFY(store.save(p, QStringLiteral("a")).ok());
    QVERIFY(!store.find(QStringLiteral("a")));
    QCOMPARE(store.find(QStringLiteral("b")), std::optional(p));
    QVERIFY(store.save(simple(QStringLiteral("B")), QStringLiteral("b")).ok()); // renaming to another case is fine
    QVERIFY(store.find(QStringLiteral("B")));
}

void TestProfileStore::saveErrors_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("previousName");
    QTest::addColumn<QString>("message");
    QTest::newRow("duplicate") << simple(QStringLiteral("taken")) << QString()
                               << "name: a profile named 'taken' already exists";
    QTest::newRow("duplicate other case")
        << simple(QStringLiteral("TAKEN")) << QString() << "name: a profile named 'taken' already exists";
    QTest::newRow("rename onto another") << simple(QStringLiteral("taken")) << "other"
                                         << "name: a profile named 'taken' already exists";
    QTest::newRow("rename missing") << simple(QStringLiteral("new")) << "ghost"
                                    << "name: no profile named 'ghost' to rename";
    auto p = simple(QStringLiteral("x"));
    p.bootstrapServers = QStringLiteral("x");
    QTest::newRow("bootstrap")
        << p << QString()
        << "bootstrapServers: 'x' is not host:port (port 1-65535); expected host:port[,host:port], "
           "e.g. broker1:9092,broker2:9092";
    p = simple(QStringLiteral("x"));
    p.properties = {{QStringLiteral("ssl.key.password"), QStringLiteral("x")}};
    QTest::newRow("secret property")
        << p << QString()
        << "properties: 'ssl.key.password' holds a secret; profiles never store secrets: enter it as the profile's "
           "password, key passphrase or token, which go to the system keychain";
    QTest::newRow("reserved name") << simple(QStringLiteral("Local sandbox")) << QString()
                                   << "name: 'Local sandbox' is reserved for the built-in sandbox profile";
}

void TestProfileStore::saveErrors()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, previousName);
    QFETCH(QString, message);
    ProfileStore store(iniFile());
    QVERIFY(store.save(simple(QStringLiteral("taken"))).ok());
    QVERIFY(store.save(simple(QStringLiteral("other"))).ok());
    const Status s = store.save(profile, previousName);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message(), message);
    QCOMPARE(store.list().size(), 3); // nothing written
}

void TestProfileStore::sandboxRules()
{
    ProfileStore store(iniFile());
    QCOMPARE(store.remove(QStringLiteral("Local sandbox")).error().message(),
             QStringLiteral("name: the built-in sandbox profile cannot be removed"));
    ConnectionProfile sandbox = sandboxProfile();
    sandbox.name = QStringLiteral("Renamed");
    QCOMPARE(store.save(sandbox, QStringLiteral("Local sandbox")).error().message(),
             QStringLiteral("name: the built-in sandbox profile cannot be renamed"));
    QCOMPARE(store.save(simple(QStringLiteral("x")), QStringLiteral("Local sandbox")).error().message(),
             QStringLiteral("name: the built-in sandbox profile cannot be renamed"));

    // Its timeout and properties are kept; its bootstrap servers are not (the running sandbox decides them).
    sandbox = sandboxProfile();
    sandbox.connectTimeoutMs = 3000;
    sandbox.properties = {{QStringLiteral("linger.ms"), QStringLiteral("1")}};
    sandbox.bootstrapServers = QStringLiteral("127.0.0.1:1234");
    QVERIFY(store.save(sandbox, sandbox.name).ok());
    ProfileStore reopened(iniFile());
    const auto loaded = reopened.list().first();
    QVERIFY(loaded.isSandbox);
    QCOMPARE(loaded.connectTimeoutMs, 3000);
    QCOMPARE(loaded.properties, sandbox.properties);
    QVERIFY(loaded.bootstrapServers.isEmpty());
    QCOMPARE(reopened.list().size(), 1);
}

void TestProfileStore::removeErrors()
{
    ProfileStore store(iniFile());
    QVERIFY(store.save(simple(QStringLiteral("gone"))).ok());
    QVERIFY(store.remove(QStringLiteral("gone")).ok());
    QVERIFY(!store.find(QStringLiteral("gone")));
    QCOMPARE(store.remove(QStringLiteral("gone")).error().message(), QStringLiteral("name: no profile named 'gone'"));
}

void TestProfileStore::unreadableEntriesAreSkipped()
{
    {
        QSettings raw(iniFile(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("profiles/hand/bootstrapServers"), QStringLiteral("h:1"));
        raw.setValue(QStringLiteral("profiles/hand/securityProtocol"), QStringLiteral("carrier-pigeon"));
    }
    ProfileStore store(iniFile());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("unknown security protocol")));
    QCOMPARE(store.list().size(), 1);
}

void TestProfileStore::noSecretEverReachesTheFile()
{
    const QByteArray sentinel = "S3ntinel-7f3a9c-never-on-disk";
    QSettings settings(iniFile(), QSettings::IniFormat);
    ProfileStore profiles(&settings);
    MemorySecretStore secrets(&settings); // the key index shares the settings file
    ConnectionProfile p = full(QStringLiteral("prod"));
    QVERIFY(profiles.save(p).ok());
    QSignalSpy spy(&secrets, &SecretStore::finished);
    secrets.writeSecret(p.name, SecretKind::SaslPassword, sentinel);
    secrets.writeSecret(p.name, SecretKind::KeyPassphrase, sentinel + "-key");
    secrets.writeSecret(p.name, SecretKind::RegistryPassword, sentinel + "-registry");
    secrets.writeSecret(p.name, SecretKind::RegistryToken, sentinel + "-token");
    secrets.writeSecret(p.name, SecretKind::RegistryKeyPassphrase, sentinel + "-registry-key");
    QTRY_COMPARE(spy.size(), 5);
    p.properties.append({QStringLiteral("sasl.password"), QString::fromLatin1(sentinel)});
    QVERIFY(!profiles.save(p, p.name).ok());
    settings.sync();

    QFile file(iniFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("prod"));
    QVERIFY(text.contains("prod/sasl-password")); // the index holds key names only
    QVERIFY(text.contains("prod/registry-password"));
    QVERIFY(text.contains("prod/registry-key-passphrase"));
    QVERIFY(text.contains("registryUrl"));
    QVERIFY2(!text.contains(sentinel), text.constData());
    QVERIFY(!text.contains(sentinel.toBase64()));
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"

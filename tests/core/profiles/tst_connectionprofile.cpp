#include "core/profiles/ConnectionProfile.h"
#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/RegistryProfile.h"

#include <QTest>

using namespace kbatch::core;

class TestConnectionProfile : public QObject
{
    Q_OBJECT
private slots:
    void names();
    void bootstrapServers_data();
    void bootstrapServers();
    void validation_data();
    void validation();
    void mapping_data();
    void mapping();
    void mappingErrors_data();
    void mappingErrors();
    void secretsNeeded_data();
    void secretsNeeded();
    void registrySecrets();
    void registryKeyPassphraseNeedsAKey();
};

static ConnectionProfile prod()
{
    ConnectionProfile p;
    p.name = QStringLiteral("prod");
    p.bootstrapServers = QStringLiteral("b1:9092,b2:9092");
    return p;
}

void TestConnectionProfile::names()
{
    for (auto p : {SecurityProtocol::Plaintext, SecurityProtocol::Ssl, SecurityProtocol::SaslPlaintext,
                   SecurityProtocol::SaslSsl})
        QCOMPARE(securityProtocolFromString(toString(p).toUpper()), std::optional(p));
    for (auto m :
         {SaslMechanism::Plain, SaslMechanism::ScramSha256, SaslMechanism::ScramSha512, SaslMechanism::OAuthBearer})
        QCOMPARE(saslMechanismFromString(toString(m).toLower()), std::optional(m));
    QCOMPARE(toString(SecurityProtocol::SaslSsl), QStringLiteral("sasl_ssl"));
    QCOMPARE(toString(SaslMechanism::ScramSha512), QStringLiteral("SCRAM-SHA-512"));
    QVERIFY(!securityProtocolFromString(QStringLiteral("tls")));
    QVERIFY(!saslMechanismFromString(QStringLiteral("GSSAPI")));
}

void TestConnectionProfile::bootstrapServers_data()
{
    QTest::addColumn<QString>("servers");
    QTest::addColumn<QString>("error"); // empty: valid
    const QString example = QStringLiteral("expected host:port[,host:port], e.g. broker1:9092,broker2:9092");
    QTest::newRow("one") << QStringLiteral("localhost:9092") << QString();
    QTest::newRow("several with spaces") << QStringLiteral("b1.example.com:9092, 10.0.0.7:9093") << QString();
    QTest::newRow("ipv6") << QStringLiteral("[::1]:9092") << QString();
    QTest::newRow("empty") << QString() << QStringLiteral("bootstrapServers: required: ") + example;
    QTest::newRow("no port") << QStringLiteral("b1")
                             << QStringLiteral("bootstrapServers: 'b1' is not host:port (port 1-65535); ") + example;
    QTest::newRow("port 0") << QStringLiteral("b1:0")
                            << QStringLiteral("bootstrapServers: 'b1:0' is not host:port (port 1-65535); ") + example;
    QTest::newRow("port too big") << QStringLiteral("b1:65536")
                                  << QStringLiteral("bootstrapServers: 'b1:65536' is not host:port "
                                                    "(port 1-65535); ") +
                                         example;
    QTest::newRow("scheme") << QStringLiteral("PLAINTEXT://b1:9092")
                            << QStringLiteral("bootstrapServers: 'PLAINTEXT://b1:9092' is not host:port "
                                              "(port 1-65535); ") +
                                   example;
    QTest::newRow("empty entry") << QStringLiteral("b1:1,,b2:2")
                                 << QStringLiteral("bootstrapServers: empty entry in 'b1:1,,b2:2': ") + example;
    QTest::newRow("bad ipv6") << QStringLiteral("[zz]:9092")
                              << QStringLiteral("bootstrapServers: '[zz]:9092' is not host:port "
                                                "(port 1-65535); ") +
                                     example;
}

void TestConnectionProfile::bootstrapServers()
{
    QFETCH(QString, servers);
    QFETCH(QString, error);
    const Status s = validateBootstrapServers(servers);
    QCOMPARE(s.ok(), error.isEmpty());
    if (!s.ok()) {
        QCOMPARE(s.error().message(), error);
        QCOMPARE(s.error().field, QStringLiteral("bootstrapServers"));
    }
}

void TestConnectionProfile::validation_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::newRow("valid") << prod() << QString() << QString();
    QTest::newRow("sandbox valid") << sandboxProfile() << QString() << QString();
    auto p = prod();
    p.name.clear();
    QTest::newRow("no name") << p << "name"
                             << "name: a profile needs a name";
    p = prod();
    p.name = QStringLiteral(" prod");
    QTest::newRow("spaces") << p << "name"
                            << "name: ' prod' starts or ends with spaces";
    p = prod();
    p.name = QStringLiteral("a/b");
    QTest::newRow("slash") << p << "name"
                           << "name: 'a/b' contains '/', '\\' or a control character";
    p = prod();
    p.name = QStringLiteral("local SANDBOX");
    QTest::newRow("reserved") << p << "name"
                              << "name: 'local SANDBOX' is reserved for the built-in sandbox profile";
    p = sandboxProfile();
    p.name = QStringLiteral("Other");
    QTest::newRow("sandbox renamed") << p << "name"
                                     << "name: the built-in sandbox profile cannot be renamed";
    p = prod();
    p.securityProtocol = SecurityProtocol::SaslSsl;
    p.saslMechanism = SaslMechanism::ScramSha256;
    QTest::newRow("sasl without user") << p << "username"
                                       << "username: required for SASL SCRAM-SHA-256";
    p.saslMechanism = SaslMechanism::OAuthBearer;
    QTest::newRow("oauth without user is fine") << p << QString() << QString();
    p = prod();
    p.certFile = QStringLiteral("/c.pem");
    QTest::newRow("cert without key") << p << "keyFile"
                                      << "keyFile: a client certificate needs both a certificate file and a key file";
    p = prod();
    p.securityProtocol = static_cast<SecurityProtocol>(9);
    QTest::newRow("unknown protocol")
        << p << "securityProtocol"
        << "securityProtocol: unknown; expected plaintext, ssl, sasl_plaintext or sasl_ssl";
    p = prod();
    p.saslMechanism = static_cast<SaslMechanism>(9);
    QTest::newRow("unknown mechanism")
        << p << "saslMechanism"
        << "saslMechanism: unknown; expected PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER";
    p = prod();
    p.connectTimeoutMs = 10;
    QTest::newRow("timeout") << p << "connectTimeoutMs"
                             << "connectTimeoutMs: 10 is out of range: 1000 to 3600000 ms";
    p = prod();
    p.properties = {{QStringLiteral("linger.ms"), QStringLiteral("5")},
                    {QStringLiteral("sasl.password"), QStringLiteral("x")}};
    QTest::newRow("secret property")
        << p << "properties"
        << "properties: 'sasl.password' holds a secret; profiles never store secrets: enter it as the profile's "
           "password, key passphrase or token, which go to the system keychain";

    p = prod();
    p.registry.url = QStringLiteral("http://127.0.0.1:8081/apis/ccompat/v7");
    p.registry.username = QStringLiteral("svc");
    QTest::newRow("registry valid") << p << QString() << QString();
    p.registry.url = QStringLiteral("https://svc:hunter2@registry.example.com");
    QTest::newRow("registry password in URL")
        << p << "registryUrl"
        << "registryUrl: the registry URL holds a user or password: give the user as the registry user and the "
           "password to the keychain";
    p.registry.url = QStringLiteral("ftp://registry.example.com");
    QTest::newRow("registry scheme") << p << "registryUrl"
                                     << "registryUrl: \"ftp://registry.example.com\" is not an http:// or https:// URL "
                                        "with a host";
    p.registry.url = QStringLiteral("http://registry.example.com/?x=1");
    QTest::newRow("registry query") << p << "registryUrl"
                                    << "registryUrl: the registry URL is the API's base: no ?query or #part";
    p.registry.url.clear();
    QTest::newRow("registry user without URL") << p << "registryUrl"
                                               << "registryUrl: registry settings without a registry URL";
    p.registry.url = QStringLiteral("https://registry.example.com");
    p.registry.keyFile = QStringLiteral("/k.pem");
    QTest::newRow("registry key without cert")
        << p << "registryCertFile"
        << "registryCertFile: a registry client certificate needs both a certificate file and a key file";
}

void TestConnectionProfile::validation()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const Status s = validateProfile(profile);
    QCOMPARE(s.ok(), message.isEmpty());
    if (!s.ok()) {
        QCOMPARE(s.error().field, field);
        QCOMPARE(s.error().message(), message);
    }
}

using PropertyList = QList<QPair<QString, QString>>;

void TestConnectionProfile::mapping_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<ResolvedSecrets>("secrets");
    QTest::addColumn<PropertyList>("expected");
    auto P = [](const char *a, const char *b) { return qMakePair(QString::fromLatin1(a), QString::fromLatin1(b)); };

    auto p = prod();
    p.properties = {P("linger.ms", "5")};
    QTest::newRow("plaintext") << p << ResolvedSecrets{}
                               << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                               P("security.protocol", "plaintext"),
                                               P("socket.connection.setup.timeout.ms", "10000"), P("linger.ms", "5")};
    p = prod();
    p.securityProtocol = SecurityProtocol::SaslSsl;
    p.saslMechanism = SaslMechanism::ScramSha512;
    p.username = QStringLiteral("alice");
    p.caFile = QStringLiteral("/ca.pem");
    p.connectTimeoutMs = 2500;
    ResolvedSecrets s;
    s.saslPassword = QByteArray("pw");
    QTest::newRow("sasl_ssl scram") << p << s
                                    << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                                    P("security.protocol", "sasl_ssl"),
                                                    P("sasl.mechanisms", "SCRAM-SHA-512"),
                                                    P("sasl.username", "alice"),
                                                    P("sasl.password", "pw"),
                                                    P("ssl.ca.location", "/ca.pem"),
                                                    P("socket.connection.setup.timeout.ms", "2500")};
    p = prod();
    p.securityProtocol = SecurityProtocol::Ssl;
    p.certFile = QStringLiteral("/c.pem");
    p.keyFile = QStringLiteral("/k.pem");
    p.skipCertificateVerification = true;
    s = {};
    s.keyPassphrase = QByteArray("kp");
    QTest::newRow("mutual tls, no verification") << p << s
                                                 << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                                                 P("security.protocol", "ssl"),
                                                                 P("ssl.certificate.location", "/c.pem"),
                                                                 P("ssl.key.location", "/k.pem"),
                                                                 P("ssl.key.password", "kp"),
                                                                 P("enable.ssl.certificate.verification", "false"),
                                                                 P("ssl.endpoint.identification.algorithm", "none"),
                                                                 P("socket.connection.setup.timeout.ms", "10000")};
    QTest::newRow("unencrypted key") << p << ResolvedSecrets{}
                                     << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                                     P("security.protocol", "ssl"),
                                                     P("ssl.certificate.location", "/c.pem"),
                                                     P("ssl.key.location", "/k.pem"),
                                                     P("enable.ssl.certificate.verification", "false"),
                                                     P("ssl.endpoint.identification.algorithm", "none"),
                                                     P("socket.connection.setup.timeout.ms", "10000")};
    p = prod();
    p.securityProtocol = SecurityProtocol::SaslPlaintext;
    p.saslMechanism = SaslMechanism::OAuthBearer;
    p.username = QStringLiteral("svc");
    QTest::newRow("oauth unsecured jwt") << p << ResolvedSecrets{}
                                         << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                                         P("security.protocol", "sasl_plaintext"),
                                                         P("sasl.mechanisms", "OAUTHBEARER"),
                                                         P("enable.sasl.oauthbearer.unsecure.jwt", "true"),
                                                         P("sasl.oauthbearer.config", "principal=svc"),
                                                         P("socket.connection.setup.timeout.ms", "10000")};
    s = {};
    s.oauthToken = QByteArray("tok");
    QTest::newRow("oauth static token") << p << s
                                        << PropertyList{P("bootstrap.servers", "b1:9092,b2:9092"),
                                                        P("security.protocol", "sasl_plaintext"),
                                                        P("sasl.mechanisms", "OAUTHBEARER"),
                                                        P("kbatch.sasl.oauthbearer.token", "tok"),
                                                        P("socket.connection.setup.timeout.ms", "10000")};
    p = sandboxProfile();
    p.bootstrapServers = QStringLiteral("127.0.0.1:39092");
    QTest::newRow("sandbox once started")
        << p << ResolvedSecrets{}
        << PropertyList{P("bootstrap.servers", "127.0.0.1:39092"), P("security.protocol", "plaintext"),
                        P("socket.connection.setup.timeout.ms", "10000")};
}

void TestConnectionProfile::mapping()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(ResolvedSecrets, secrets);
    QFETCH(PropertyList, expected);
    const auto props = librdkafkaProperties(profile, secrets);
    QVERIFY2(props.ok(), qPrintable(props.ok() ? QString() : props.error().message()));
    QCOMPARE(*props, expected);
}

void TestConnectionProfile::mappingErrors_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    auto p = prod();
    p.securityProtocol = SecurityProtocol::SaslSsl;
    p.username = QStringLiteral("alice");
    QTest::newRow("missing password")
        << p << "saslPassword"
        << "saslPassword: profile 'prod': no SASL password stored; set it in the profile editor or with "
           "'kbatch-cli profile set'";
    p.saslMechanism = SaslMechanism::OAuthBearer;
    p.username.clear();
    QTest::newRow("oauth without token or user")
        << p << "username"
        << "username: profile 'prod': OAUTHBEARER needs a token or, for an unsecured JWT, a username as the principal";
    QTest::newRow("sandbox not started")
        << sandboxProfile() << "bootstrapServers"
        << "bootstrapServers: profile 'Local sandbox': the sandbox's bootstrap servers are known only once it runs: "
           "start the sandbox cluster and fill them in first";
    p = prod();
    p.bootstrapServers = QStringLiteral("nope");
    QTest::newRow("invalid profile")
        << p << "bootstrapServers"
        << "bootstrapServers: profile 'prod': 'nope' is not host:port (port 1-65535); expected host:port[,host:port], "
           "e.g. broker1:9092,broker2:9092";
}

void TestConnectionProfile::mappingErrors()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const auto props = librdkafkaProperties(profile, ResolvedSecrets{});
    QVERIFY(!props.ok());
    QCOMPARE(props.error().field, field);
    QCOMPARE(props.error().message(), message);
}

void TestConnectionProfile::secretsNeeded_data()
{
    QTest::addColumn<ConnectionProfile>("profile");
    QTest::addColumn<QList<SecretNeed>>("needs");
    QTest::newRow("plaintext") << prod() << QList<SecretNeed>{};
    auto p = prod();
    p.securityProtocol = SecurityProtocol::SaslSsl;
    p.keyFile = QStringLiteral("/k");
    QTest::newRow("sasl_ssl with key") << p
                                       << QList<SecretNeed>{{SecretKind::SaslPassword, true},
                                                            {SecretKind::KeyPassphrase, false}};
    p.saslMechanism = SaslMechanism::OAuthBearer;
    p.keyFile.clear();
    QTest::newRow("oauth") << p << QList<SecretNeed>{{SecretKind::OAuthToken, false}};
}

void TestConnectionProfile::secretsNeeded()
{
    QFETCH(ConnectionProfile, profile);
    QFETCH(QList<SecretNeed>, needs);
    QCOMPARE(kbatch::core::secretsNeeded(profile), needs);
}

void TestConnectionProfile::registrySecrets()
{
    auto p = prod();
    QCOMPARE(registrySecretsNeeded(p), QList<SecretNeed>{});
    p.registry.url = QStringLiteral("https://registry.example.com");
    QCOMPARE(registrySecretsNeeded(p), (QList<SecretNeed>{{SecretKind::RegistryToken, false}}));
    QVERIFY(kbatch::core::secretsNeeded(p).isEmpty()); // a send without Avro never asks for the registry's secrets
    ResolvedSecrets secrets;
    secrets.registryToken = QByteArray("tok");
    secrets.registryPassword = QByteArray("pw");
    RegistrySettings s = registrySettings(p.registry, secrets);
    QCOMPARE(s.url, QUrl(QStringLiteral("https://registry.example.com")));
    QCOMPARE(s.bearerToken, QByteArray("tok"));
    QVERIFY(s.password.isEmpty());

    p.registry.username = QStringLiteral("svc");
    p.registry.certFile = QStringLiteral("/c.pem");
    p.registry.keyFile = QStringLiteral("/k.pem");
    // A client key may be encrypted: its passphrase is read too, and optional (a plain key has none).
    QCOMPARE(registrySecretsNeeded(p),
             (QList<SecretNeed>{{SecretKind::RegistryPassword, true}, {SecretKind::RegistryKeyPassphrase, false}}));
    s = registrySettings(p.registry, secrets);
    QCOMPARE(s.username, QStringLiteral("svc"));
    QCOMPARE(s.password, QByteArray("pw"));
    QVERIFY(s.bearerToken.isEmpty());
    QCOMPARE(s.clientCertificateFile, QStringLiteral("/c.pem"));
    QCOMPARE(s.clientKeyFile, QStringLiteral("/k.pem"));
    QVERIFY(s.clientKeyPassphrase.isEmpty()); // none stored: an unencrypted key
    secrets.registryKeyPassphrase = QByteArray("kp");
    secrets.keyPassphrase = QByteArray("the cluster's"); // never mixed up with the registry's
    s = registrySettings(p.registry, secrets);
    QCOMPARE(s.clientKeyPassphrase, QByteArray("kp"));
    QCOMPARE(secrets[SecretKind::RegistryKeyPassphrase], std::optional(QByteArray("kp")));
    p.registry.keyFile.clear(); // no key, no passphrase handed on, even if one is stored
    p.registry.certFile.clear();
    QCOMPARE(registrySecretsNeeded(p), (QList<SecretNeed>{{SecretKind::RegistryPassword, true}}));
    QVERIFY(registrySettings(p.registry, secrets).clientKeyPassphrase.isEmpty());
    for (auto kind : {SecretKind::RegistryPassword, SecretKind::RegistryToken, SecretKind::RegistryKeyPassphrase})
        QCOMPARE(secretKindFromString(toString(kind)), std::optional(kind));
    QCOMPARE(toString(SecretKind::RegistryKeyPassphrase), QStringLiteral("registry-key-passphrase"));
}

void TestConnectionProfile::registryKeyPassphraseNeedsAKey()
{
    RegistryProfile r;
    Status st = checkRegistrySecret(r, SecretKind::RegistryKeyPassphrase);
    QVERIFY(!st.ok());
    QCOMPARE(st.error().field, QStringLiteral("registryUrl"));
    QVERIFY2(st.error().text.contains(QLatin1String("key passphrase without a registry URL")),
             qPrintable(st.error().text));
    r.url = QStringLiteral("https://registry.example.com");
    st = checkRegistrySecret(r, SecretKind::RegistryKeyPassphrase);
    QVERIFY(!st.ok());
    QCOMPARE(st.error().field, QStringLiteral("registryKeyFile"));
    r.certFile = QStringLiteral("/c.pem");
    r.keyFile = QStringLiteral("/k.pem");
    QVERIFY(checkRegistrySecret(r, SecretKind::RegistryKeyPassphrase).ok());
    r.username = QStringLiteral("svc"); // with basic auth or a token alike
    QVERIFY(checkRegistrySecret(r, SecretKind::RegistryKeyPassphrase).ok());
}

QTEST_GUILESS_MAIN(TestConnectionProfile)
#include "tst_connectionprofile.moc"

// RegistryClient and SchemaResolver against the real registry (Apicurio's Confluent-compatible API) and its auth
// proxy: fetching by version, latest and id, registering and looking up, references, 409 and 422, unknown subjects,
// versions and ids, a registry that is down, wrong credentials, TLS, and the request count that caching keeps low.

#include "RegistryEnv.h"
#include "core/schema/ConfluentFrame.h"
#include "core/schema/PayloadCodec.h"
#include "core/schema/RegistryWait.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

namespace {

const char orderV1[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.test", "fields": [
    {"name": "id", "type": "string"}, {"name": "qty", "type": "int"}]})";
// Adds a field with a default: backward compatible with v1.
const char orderV2[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.test", "fields": [
    {"name": "id", "type": "string"}, {"name": "qty", "type": "int"},
    {"name": "note", "type": ["null", "string"], "default": null}]})";
// qty becomes a string: not backward compatible.
const char orderBroken[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.test", "fields": [
    {"name": "id", "type": "string"}, {"name": "qty", "type": "string"}]})";

Schema avro(const char *text)
{
    Schema s;
    s.text = text;
    return s;
}

template <typename T> QByteArray why(const RegistryResult<T> &r)
{
    return r.ok() ? QByteArray("ok") : r.error().text.toUtf8();
}

} // namespace

class TestRegistryClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void registersAndFetches();
    void looksUpDespiteWhitespace();
    void autoRegistersThroughTheResolver();
    void incompatibleEvolutionIs409();
    void invalidSchemaIs422();
    void unknownSubjectVersionAndId();
    void registryDown();
    void credentials();
    void tls();
    void encryptedClientKey_data();
    void encryptedClientKey();
    void referencesResolve();
    void cachingKeepsRequestsFew();
    void recordNameStrategies();
    void lateAnswerAfterContextIsGone();
    void subjectsOfAnId();
    void redirectElsewhereIsNotFollowed();

private:
    RegistryEnv m_env;
};

void TestRegistryClient::initTestCase()
{
    auto env = RegistryEnv::load();
    QVERIFY2(env, "the registry fixture is not up");
    m_env = *env;
}

void TestRegistryClient::registersAndFetches()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString subject = freshName("orders") + QStringLiteral("-value");
    const auto v1 =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(subject, avro(orderV1), c, done); });
    QVERIFY2(v1.ok(), why(v1).constData());
    QVERIFY(v1->id > 0);
    const auto v2 =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(subject, avro(orderV2), c, done); });
    QVERIFY2(v2.ok(), why(v2).constData());
    QVERIFY(v2->id != v1->id);
    // Registering the same text again finds it: same id.
    const auto again =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(subject, avro(orderV1), c, done); });
    QVERIFY2(again.ok(), why(again).constData());
    QCOMPARE(again->id, v1->id);

    const auto latest =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(subject, 0, c, done); });
    QVERIFY2(latest.ok(), why(latest).constData());
    QCOMPARE(latest->id, v2->id);
    QCOMPARE(latest->version, 2);
    QCOMPARE(latest->subject, subject);
    QCOMPARE(latest->text, QByteArray(orderV2)); // byte for byte as registered
    QVERIFY(latest->format == SchemaFormat::Avro);

    const auto first =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(subject, 1, c, done); });
    QVERIFY2(first.ok(), why(first).constData());
    QCOMPARE(first->id, v1->id);
    QCOMPARE(first->text, QByteArray(orderV1));

    const auto byId =
        waitForRegistry<ResolvedSchema>([&](QObject *c, auto done) { client.schemaById(v1->id, c, done); });
    QVERIFY2(byId.ok(), why(byId).constData());
    QCOMPARE(byId->schema.text, QByteArray(orderV1));
    QCOMPARE(byId->schema.id, v1->id);

    // Numbered versions and ids are asked once; "latest" every time.
    const qint64 before = client.requestCount();
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(subject, 1, c, done); }).ok());
    QVERIFY(waitForRegistry<ResolvedSchema>([&](QObject *c, auto done) { client.schemaById(v1->id, c, done); }).ok());
    QCOMPARE(client.requestCount(), before);
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(subject, 0, c, done); }).ok());
    QCOMPARE(client.requestCount(), before + 1);

    const auto subjects = waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    QVERIFY2(subjects.ok(), why(subjects).constData());
    QVERIFY(subjects->contains(subject));
}

void TestRegistryClient::looksUpDespiteWhitespace()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString subject = freshName("lookup") + QStringLiteral("-value");
    const auto registered =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(subject, avro(orderV1), c, done); });
    QVERIFY2(registered.ok(), why(registered).constData());
    // The same schema, written on one line: Apicurio compares bytes unless asked to normalise.
    const Schema oneLine = avro(R"({"type":"record","name":"Order","namespace":"kbatch.test","fields":[)"
                                R"({"name":"id","type":"string"},{"name":"qty","type":"int"}]})");
    const auto found =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.lookup(subject, oneLine, c, done); });
    QVERIFY2(found.ok(), why(found).constData());
    QCOMPARE(found->id, registered->id);
    QCOMPARE(found->version, 1);
    const auto missing =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.lookup(subject, avro(orderV2), c, done); });
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().kind == RegistryError::Kind::NotFound);
}

void TestRegistryClient::autoRegistersThroughTheResolver()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    SchemaResolver resolver(client);
    const QString topic = freshName("auto");
    SerializerSettings settings;
    settings.kind = PayloadKind::Avro;
    settings.schemaText = orderV1;

    // Off (the default): a local schema must be registered already.
    const auto notThere = resolveBlocking(resolver, settings, topic, PayloadPart::Value);
    QVERIFY(!notThere.ok());
    QVERIFY(notThere.error().kind == RegistryError::Kind::NotFound);
    QVERIFY2(notThere.error().text.contains(topic + QStringLiteral("-value")), why(notThere).constData());

    settings.autoRegister = true;
    const auto registered = resolveBlocking(resolver, settings, topic, PayloadPart::Value);
    QVERIFY2(registered.ok(), why(registered).constData());
    QVERIFY(registered->schema.id > 0);
    QCOMPARE(registered->schema.subject, topic + QStringLiteral("-value"));
    QByteArray framed;
    QVERIFY(registered->codec->encodeFramed(registered->schema.id, R"({"id": "o-1", "qty": 2})", framed).ok());
    QCOMPARE(framed.left(5), ConfluentFrame::frame(registered->schema.id, {}));

    // The registry now holds it: the subject's latest is that id.
    const auto latest = waitForRegistry<Schema>(
        [&](QObject *c, auto done) { client.subjectVersion(topic + QStringLiteral("-value"), 0, c, done); });
    QVERIFY2(latest.ok(), why(latest).constData());
    QCOMPARE(latest->id, registered->schema.id);

    // A key schema of its own, under <topic>-key.
    SerializerSettings key;
    key.kind = PayloadKind::Avro;
    key.schemaText = R"("string")";
    key.autoRegister = true;
    const auto keyCodec = resolveBlocking(resolver, key, topic, PayloadPart::Key);
    QVERIFY2(keyCodec.ok(), why(keyCodec).constData());
    QCOMPARE(keyCodec->schema.subject, topic + QStringLiteral("-key"));
    QVERIFY(keyCodec->schema.id != registered->schema.id);

    // Bytes have no schema.
    const auto bytes = resolveBlocking(resolver, SerializerSettings{}, topic, PayloadPart::Key);
    QVERIFY(!bytes.ok());
    QCOMPARE(bytes.error().text, QStringLiteral("the key is set to bytes: there is no schema to resolve"));
}

void TestRegistryClient::incompatibleEvolutionIs409()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString subject = freshName("evolve") + QStringLiteral("-value");
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) {
                client.registerSchema(subject, avro(orderV1), c, done);
            }).ok());
    // Apicurio's default is NONE; a rule on the subject alone keeps the shared registry's global rule as it is.
    const auto config =
        rawRequest("PUT", m_env.ccompat + QStringLiteral("/config/") + subject, R"({"compatibility": "BACKWARD"})");
    QCOMPARE(config.first, 200);

    const auto verdict = waitForRegistry<CompatibilityResult>(
        [&](QObject *c, auto done) { client.checkCompatibility(subject, avro(orderBroken), c, done); });
    QVERIFY2(verdict.ok(), why(verdict).constData());
    QVERIFY(!verdict->compatible);
    const auto fine = waitForRegistry<CompatibilityResult>(
        [&](QObject *c, auto done) { client.checkCompatibility(subject, avro(orderV2), c, done); });
    QVERIFY2(fine.ok(), why(fine).constData());
    QVERIFY(fine->compatible);

    const auto refused = waitForRegistry<Schema>(
        [&](QObject *c, auto done) { client.registerSchema(subject, avro(orderBroken), c, done); });
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().kind == RegistryError::Kind::Incompatible);
    QCOMPARE(refused.error().httpStatus, 409);
    QVERIFY2(refused.error().text.startsWith(QStringLiteral("the registry at %1 refused the schema as incompatible "
                                                            "(HTTP 409): Incompatible artifact")
                                                 .arg(m_env.ccompat)),
             why(refused).constData());
    QVERIFY2(refused.error().text.contains(QLatin1String("STRING not compatible with writer type: INT")),
             why(refused).constData());
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) {
                client.registerSchema(subject, avro(orderV2), c, done);
            }).ok());
}

void TestRegistryClient::invalidSchemaIs422()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const auto refused = waitForRegistry<Schema>([&](QObject *c, auto done) {
        client.registerSchema(freshName("invalid"), avro(R"({"type": "record", "name": "R", "fields": [
            {"name": "a", "type": "Nowhere"}]})"),
                              c, done);
    });
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().kind == RegistryError::Kind::InvalidSchema);
    QCOMPARE(refused.error().httpStatus, 422);
    QCOMPARE(refused.error().text, QStringLiteral("the registry at %1 cannot use the schema (HTTP 422): Failed to "
                                                  "discover artifact type from content.")
                                       .arg(m_env.ccompat));
}

void TestRegistryClient::unknownSubjectVersionAndId()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString subject = freshName("nobody") + QStringLiteral("-value");
    const auto noSubject =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(subject, 1, c, done); });
    QVERIFY(!noSubject.ok());
    QVERIFY(noSubject.error().kind == RegistryError::Kind::NotFound);
    QCOMPARE(noSubject.error().errorCode, 40401);
    QCOMPARE(noSubject.error().text,
             QStringLiteral("subject '%1' does not exist (registry at %2)").arg(subject, m_env.ccompat));

    const QString known = freshName("versions") + QStringLiteral("-value");
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) {
                client.registerSchema(known, avro(orderV1), c, done);
            }).ok());
    const auto noVersion =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.subjectVersion(known, 9, c, done); });
    QVERIFY(!noVersion.ok());
    QCOMPARE(noVersion.error().errorCode, 40402);
    QCOMPARE(noVersion.error().text,
             QStringLiteral("version 9 of subject '%1' does not exist (registry at %2)").arg(known, m_env.ccompat));

    const auto noId =
        waitForRegistry<ResolvedSchema>([&](QObject *c, auto done) { client.schemaById(987654321, c, done); });
    QVERIFY(!noId.ok());
    QCOMPARE(noId.error().errorCode, 40403);
    QCOMPARE(noId.error().text,
             QStringLiteral("schema id 987654321 does not exist (registry at %1)").arg(m_env.ccompat));

    // A URL that is not the API's base at all.
    RegistryClient wrongBase(
        m_env.settings(QUrl(m_env.ccompat).resolved(QUrl(QStringLiteral("/nothing/here"))).toString()));
    const auto wrong = waitForRegistry<QStringList>([&](QObject *c, auto done) { wrongBase.listSubjects(c, done); });
    QVERIFY(!wrong.ok());
    QVERIFY2(wrong.error().text.contains(QLatin1String("is the URL right?")), why(wrong).constData());
}

void TestRegistryClient::registryDown()
{
    const QString url = QStringLiteral("http://127.0.0.1:%1/apis/ccompat/v7").arg(closedPort());
    RegistryClient client(m_env.settings(url));
    const auto r = waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    QVERIFY(!r.ok());
    QVERIFY(r.error().kind == RegistryError::Kind::Unreachable);
    QCOMPARE(r.error().httpStatus, 0);
    QCOMPARE(r.error().text, QStringLiteral("cannot reach the registry at %1: Connection refused").arg(url));

    // A server that takes the connection and never answers: the request's deadline ends it.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    RegistrySettings slow = m_env.settings(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()));
    slow.timeoutMs = 500;
    RegistryClient waiting(slow);
    QElapsedTimer clock;
    clock.start();
    const auto t = waitForRegistry<QStringList>([&](QObject *c, auto done) { waiting.listSubjects(c, done); });
    QVERIFY(!t.ok());
    QVERIFY(t.error().kind == RegistryError::Kind::Unreachable);
    QCOMPARE(
        t.error().text,
        QStringLiteral("no answer from the registry at http://127.0.0.1:%1 within 500 ms").arg(silent.serverPort()));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));

    RegistrySettings bad = m_env.settings(QStringLiteral("ftp://example.invalid/"));
    RegistryClient notHttp(bad);
    const auto s = waitForRegistry<QStringList>([&](QObject *c, auto done) { notHttp.listSubjects(c, done); });
    QVERIFY(!s.ok());
    QVERIFY(s.error().kind == RegistryError::Kind::Settings);
    QCOMPARE(notHttp.requestCount(), 0);
}

void TestRegistryClient::credentials()
{
    const auto tryWith = [this](const QString &user, const QByteArray &password, const QByteArray &token) {
        RegistrySettings s = m_env.settings(m_env.http);
        s.username = user;
        s.password = password;
        s.bearerToken = token;
        RegistryClient client(s);
        return waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    };
    const QByteArray wrongPassword = "not-" + m_env.password.toUtf8() + "-at-all";
    const auto wrong = tryWith(m_env.user, wrongPassword, {});
    QVERIFY(!wrong.ok());
    QVERIFY(wrong.error().kind == RegistryError::Kind::Unauthorized);
    QCOMPARE(wrong.error().text,
             QStringLiteral("the registry at %1 refused the credentials (HTTP 401)").arg(m_env.http));
    QVERIFY(!wrong.error().text.contains(QString::fromUtf8(wrongPassword)));

    const auto none = tryWith({}, {}, {});
    QVERIFY(!none.ok());
    QCOMPARE(none.error().text, QStringLiteral("the registry at %1 needs credentials (HTTP 401)").arg(m_env.http));

    const auto right = tryWith(m_env.user, m_env.password.toUtf8(), {});
    QVERIFY2(right.ok(), why(right).constData());

    const auto wrongToken = tryWith({}, {}, "x" + m_env.token.toUtf8());
    QVERIFY(!wrongToken.ok());
    QVERIFY(wrongToken.error().kind == RegistryError::Kind::Unauthorized);
    QVERIFY(!wrongToken.error().text.contains(m_env.token));
    const auto token = tryWith({}, {}, m_env.token.toUtf8());
    QVERIFY2(token.ok(), why(token).constData());

    // Credentials written into the URL go to basic authentication and never into messages.
    QUrl withUser(m_env.http);
    withUser.setUserName(m_env.user);
    withUser.setPassword(QStringLiteral("in-the-url-secret"));
    RegistryClient fromUrl(m_env.settings(withUser.toString()));
    const auto urlCreds = waitForRegistry<QStringList>([&](QObject *c, auto done) { fromUrl.listSubjects(c, done); });
    QVERIFY(!urlCreds.ok());
    QCOMPARE(urlCreds.error().text,
             QStringLiteral("the registry at %1 refused the credentials (HTTP 401)").arg(m_env.http));

    // The read-only user may read, not register.
    RegistrySettings reader = m_env.settings(m_env.http);
    reader.username = m_env.readonlyUser;
    reader.password = m_env.readonlyPassword.toUtf8();
    RegistryClient readOnly(reader);
    QVERIFY(waitForRegistry<QStringList>([&](QObject *c, auto done) { readOnly.listSubjects(c, done); }).ok());
    const auto write = waitForRegistry<Schema>(
        [&](QObject *c, auto done) { readOnly.registerSchema(freshName("ro"), avro(orderV1), c, done); });
    QVERIFY(!write.ok());
    QVERIFY(write.error().kind == RegistryError::Kind::Forbidden);
    QCOMPARE(write.error().httpStatus, 403);
}

void TestRegistryClient::tls()
{
    const auto list = [this](RegistrySettings s) {
        s.username = m_env.user;
        s.password = m_env.password.toUtf8();
        RegistryClient client(s);
        return waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    };
    RegistrySettings trusted = m_env.settings(m_env.https);
    trusted.caFile = m_env.ca;
    const auto ok = list(trusted);
    QVERIFY2(ok.ok(), why(ok).constData());

    const auto unknownCa = list(m_env.settings(m_env.https)); // the system's CAs only
    QVERIFY(!unknownCa.ok());
    QVERIFY(unknownCa.error().kind == RegistryError::Kind::Tls);
    QVERIFY2(unknownCa.error().text.startsWith(QStringLiteral("TLS with the registry at %1 failed: ").arg(m_env.https)),
             why(unknownCa).constData());
    QVERIFY2(unknownCa.error().text.contains(QLatin1String("certificate for")), why(unknownCa).constData());

    RegistrySettings otherCa = m_env.settings(m_env.https);
    otherCa.caFile = m_env.untrustedCa;
    const auto untrusted = list(otherCa);
    QVERIFY(!untrusted.ok());
    QVERIFY(untrusted.error().kind == RegistryError::Kind::Tls);

    RegistrySettings wrongHost = m_env.settings(m_env.httpsWrongHost);
    wrongHost.caFile = m_env.ca;
    const auto mismatch = list(wrongHost);
    QVERIFY(!mismatch.ok());
    QVERIFY(mismatch.error().kind == RegistryError::Kind::Tls);
    QVERIFY2(mismatch.error().text.contains(QLatin1String("host name did not match")), why(mismatch).constData());
    QVERIFY2(mismatch.error().text.contains(QLatin1String("certificate for wrong-host.invalid")),
             why(mismatch).constData());

    RegistrySettings mutual = m_env.settings(m_env.mtls);
    mutual.caFile = m_env.ca;
    const auto noClientCert = list(mutual);
    QVERIFY(!noClientCert.ok());
    QVERIFY2(noClientCert.error().kind == RegistryError::Kind::Tls, why(noClientCert).constData());
    // The server's "certificate required" alert, or (TLS 1.3: the alert can lose a race with the close) the close
    // explained by the missing certificate.
    QVERIFY2(noClientCert.error().text.contains(QLatin1String("certificate required")) ||
                 noClientCert.error().text.contains(QLatin1String("requires a client certificate")),
             why(noClientCert).constData());
    mutual.clientCertificateFile = m_env.clientCert;
    mutual.clientKeyFile = m_env.clientKey;
    const auto withCert = list(mutual);
    QVERIFY2(withCert.ok(), why(withCert).constData());

    RegistrySettings missingCa = trusted;
    missingCa.caFile = QStringLiteral("/nonexistent/ca.pem");
    const auto settingsError = list(missingCa);
    QVERIFY(!settingsError.ok());
    QVERIFY(settingsError.error().kind == RegistryError::Kind::Settings);
    QCOMPARE(settingsError.error().text, QStringLiteral("registry CA file '/nonexistent/ca.pem': no PEM certificate "
                                                        "in it (or it cannot be read)"));
}

void TestRegistryClient::encryptedClientKey_data()
{
    QTest::addColumn<QString>("format");      // how openssl encrypts the fixture's client key
    QTest::addColumn<QByteArray>("given");    // the passphrase handed to the client
    QTest::addColumn<QString>("expectedEnd"); // of the error; empty: the request passes
    const QByteArray right("kbatch-test-passphrase");
    const QString wrong = QStringLiteral("the passphrase is wrong: the encrypted key does not open with it");
    const QString missing =
        QStringLiteral("the passphrase is missing: the key is encrypted, give the registry key passphrase");
    for (const char *format : {"pkcs8", "traditional"}) {
        const QString f = QLatin1String(format);
        QTest::addRow("%s right", format) << f << right << QString();
        QTest::addRow("%s wrong", format) << f << QByteArray("not-the-passphrase") << wrong;
        QTest::addRow("%s none", format) << f << QByteArray() << missing;
    }
}

// The mTLS listener with the fixture's client certificate (signed by the test CA) and its key encrypted here, in
// the two PEM forms people have: PKCS#8 ("ENCRYPTED PRIVATE KEY") and OpenSSL's traditional "Proc-Type: 4,ENCRYPTED".
void TestRegistryClient::encryptedClientKey()
{
    QFETCH(QString, format);
    QFETCH(QByteArray, given);
    QFETCH(QString, expectedEnd);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString keyFile = dir.filePath(QStringLiteral("client-encrypted.key"));
    const QStringList args =
        format == QLatin1String("pkcs8")
            ? QStringList{QStringLiteral("pkcs8"),    QStringLiteral("-topk8"),
                          QStringLiteral("-v2"),      QStringLiteral("aes-256-cbc"),
                          QStringLiteral("-in"),      m_env.clientKey,
                          QStringLiteral("-out"),     keyFile,
                          QStringLiteral("-passout"), QStringLiteral("pass:kbatch-test-passphrase")}
            : QStringList{QStringLiteral("rsa"),
                          QStringLiteral("-aes256"),
                          QStringLiteral("-traditional"),
                          QStringLiteral("-in"),
                          m_env.clientKey,
                          QStringLiteral("-out"),
                          keyFile,
                          QStringLiteral("-passout"),
                          QStringLiteral("pass:kbatch-test-passphrase")};
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), args);
    QVERIFY2(openssl.waitForFinished(30000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    QFile made(keyFile);
    QVERIFY(made.open(QIODevice::ReadOnly));
    const QByteArray pem = made.readAll();
    // Really encrypted, in the form asked for: else "none" would pass for the wrong reason.
    QVERIFY2(pem.contains(format == QLatin1String("pkcs8") ? "BEGIN ENCRYPTED PRIVATE KEY" : "Proc-Type: 4,ENCRYPTED"),
             pem.left(80).constData());

    RegistrySettings mutual = m_env.settings(m_env.mtls);
    mutual.caFile = m_env.ca;
    mutual.username = m_env.user;
    mutual.password = m_env.password.toUtf8();
    mutual.clientCertificateFile = m_env.clientCert;
    mutual.clientKeyFile = keyFile;
    mutual.clientKeyPassphrase = given;
    RegistryClient client(mutual);
    const auto r = waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    if (expectedEnd.isEmpty()) {
        QVERIFY2(r.ok(), why(r).constData());
        return;
    }
    QVERIFY(!r.ok());
    QVERIFY2(r.error().kind == RegistryError::Kind::Settings, why(r).constData());
    // One line naming the key file and what is wrong with the passphrase, never the passphrase itself.
    QCOMPARE(r.error().text, QStringLiteral("registry client key '%1': %2").arg(keyFile, expectedEnd));
    QVERIFY(!r.error().text.contains(QLatin1String("kbatch-test-passphrase")));
    if (!given.isEmpty())
        QVERIFY(!r.error().text.contains(QString::fromUtf8(given)));
}

void TestRegistryClient::referencesResolve()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString moneySubject = freshName("money");
    Schema money = avro(R"({"type": "record", "name": "Money", "namespace": "kbatch.money",
        "fields": [{"name": "units", "type": "long"}, {"name": "currency", "type": "string"}]})");
    const auto m =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(moneySubject, money, c, done); });
    QVERIFY2(m.ok(), why(m).constData());
    Schema order = avro(R"({"type": "record", "name": "Priced", "namespace": "kbatch.test",
        "fields": [{"name": "id", "type": "string"}, {"name": "total", "type": "kbatch.money.Money"}]})");
    order.references = {{QStringLiteral("kbatch.money.Money"), moneySubject, 1}};
    const QString subject = freshName("priced") + QStringLiteral("-value");
    const auto o =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(subject, order, c, done); });
    QVERIFY2(o.ok(), why(o).constData());

    RegistryClient fresh(m_env.settings(m_env.ccompat));
    const auto resolved =
        waitForRegistry<ResolvedSchema>([&](QObject *c, auto done) { fresh.schemaById(o->id, c, done); });
    QVERIFY2(resolved.ok(), why(resolved).constData());
    QCOMPARE(resolved->schema.references, order.references);
    QCOMPARE(resolved->referenced.size(), 1);
    QCOMPARE(resolved->referenced.front().subject, moneySubject);
    QCOMPARE(resolved->referenced.front().text, money.text);
    QCOMPARE(fresh.requestCount(), 2); // the schema, then its reference
    auto codec = compilePayloadCodec(*resolved);
    QVERIFY2(codec.ok(), qPrintable(codec.ok() ? QString() : codec.error().message()));
    QByteArray bytes;
    QVERIFY((*codec)->encode(R"({"id": "p", "total": {"units": 5, "currency": "EUR"}})", bytes).ok());
    QCOMPARE(bytes.toHex(), QByteArray("02700a06455552"));
}

void TestRegistryClient::cachingKeepsRequestsFew()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString topic = freshName("many");
    QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) {
                client.registerSchema(topic + QStringLiteral("-value"), avro(orderV2), c, done);
            }).ok());
    auto codecs = std::make_shared<CodecCache>();
    const qint64 before = client.requestCount();
    SerializerSettings settings;
    settings.kind = PayloadKind::Avro; // latest of <topic>-value
    {
        SchemaResolver send(client, codecs);
        // As a careless caller might: resolve for each of the first thousand rows. Only the first asks.
        for (int i = 0; i < 1000; ++i) {
            const auto r = resolveBlocking(send, settings, topic, PayloadPart::Value);
            QVERIFY2(r.ok(), why(r).constData());
        }
        const auto resolved = resolveBlocking(send, settings, topic, PayloadPart::Value);
        QVERIFY(resolved.ok());
        QByteArray out;
        for (int i = 0; i < 100000; ++i) {
            out.resize(0);
            const Status s = resolved->codec->encodeFramed(
                resolved->schema.id, QByteArray("{\"id\": \"o-" + QByteArray::number(i) + "\", \"qty\": 1}"), out);
            if (!s)
                QFAIL(qPrintable(s.error().message()));
        }
    }
    QCOMPARE(client.requestCount() - before, 1); // GET latest; no references
    QCOMPARE(codecs->size(), 1);

    // The next send asks for "latest" again (it may have moved), but compiles nothing new.
    SchemaResolver nextSend(client, codecs);
    QVERIFY(resolveBlocking(nextSend, settings, topic, PayloadPart::Value).ok());
    QCOMPARE(client.requestCount() - before, 2);
    QCOMPARE(codecs->size(), 1);
}

void TestRegistryClient::recordNameStrategies()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    SchemaResolver resolver(client);
    const QString topic = freshName("records");
    SerializerSettings settings;
    settings.kind = PayloadKind::Avro;
    settings.subjectStrategy = SubjectNameStrategy::TopicRecordName;
    settings.autoRegister = true;
    settings.schemaText = orderV1;
    const auto local = resolveBlocking(resolver, settings, topic, PayloadPart::Value);
    QVERIFY2(local.ok(), why(local).constData());
    QCOMPARE(local->schema.subject, topic + QStringLiteral("-kbatch.test.Order"));

    // From the registry, the row says which record it is.
    SerializerSettings fromRegistry;
    fromRegistry.kind = PayloadKind::Avro;
    fromRegistry.subjectStrategy = SubjectNameStrategy::TopicRecordName;
    const auto fetched =
        resolveBlocking(resolver, fromRegistry, topic, PayloadPart::Value, QStringLiteral("kbatch.test.Order"));
    QVERIFY2(fetched.ok(), why(fetched).constData());
    QCOMPARE(fetched->schema.id, local->schema.id);
    const auto noName = resolveBlocking(resolver, fromRegistry, topic, PayloadPart::Value);
    QVERIFY(!noName.ok());
    QCOMPARE(noName.error().text, QStringLiteral("subject name strategy topicRecordName needs the record's full name"));

    // RecordName: the subject is the record's name alone; a schema of another record is refused.
    fromRegistry.subjectStrategy = SubjectNameStrategy::RecordName;
    const QString recordSubject = freshName("rec") + QStringLiteral(".Order");
    const auto other = waitForRegistry<Schema>([&](QObject *c, auto done) {
        client.registerSchema(recordSubject, avro(orderV1), c, done); // a kbatch.test.Order under another name
    });
    QVERIFY(other.ok());
    const auto mismatch = resolveBlocking(resolver, fromRegistry, topic, PayloadPart::Value, recordSubject);
    QVERIFY(!mismatch.ok());
    QCOMPARE(mismatch.error().text,
             QStringLiteral("subject '%1' version 1 is for kbatch.test.Order, not %1").arg(recordSubject));

    // The schema id selector needs no subject.
    SerializerSettings byId;
    byId.kind = PayloadKind::Avro;
    byId.version = VersionSelector::schemaId(local->schema.id);
    const auto viaId = resolveBlocking(resolver, byId, topic, PayloadPart::Key);
    QVERIFY2(viaId.ok(), why(viaId).constData());
    QCOMPARE(viaId->schema.id, local->schema.id);
    QVERIFY(viaId->schema.subject.isEmpty());

    // A Protobuf setting on an Avro subject says so.
    SerializerSettings wrongKind;
    wrongKind.kind = PayloadKind::Protobuf;
    wrongKind.version = VersionSelector::schemaId(local->schema.id);
    const auto kind = resolveBlocking(resolver, wrongKind, topic, PayloadPart::Value);
    QVERIFY(!kind.ok());
    QCOMPARE(kind.error().text, QStringLiteral("schema id %1 is an Avro schema, not Protobuf").arg(local->schema.id));
}

void TestRegistryClient::lateAnswerAfterContextIsGone()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    bool called = false;
    {
        QObject context;
        client.listSubjects(&context, [&](const RegistryResult<QStringList> &) { called = true; });
    } // gone before the answer
    bool other = false;
    QObject keep;
    client.listSubjects(&keep, [&](const RegistryResult<QStringList> &) { other = true; });
    QTRY_VERIFY(other);
    QVERIFY(!called);
    QCOMPARE(client.requestCount(), 2); // the request went out; its answer was dropped
}

// Where one schema id is registered: every subject and version that holds it, as Peek shows them; an unknown id is
// NotFound with the id named.
void TestRegistryClient::subjectsOfAnId()
{
    RegistryClient client(m_env.settings(m_env.ccompat));
    const QString first = freshName("held") + QStringLiteral("-value"),
                  second = freshName("held") + QStringLiteral("-key");
    // A schema of its own (a fresh record name), so that no other test's subject holds the same id.
    const QByteArray text = R"({"type": "record", "name": "R)" + freshName("x").toUtf8().replace('-', '_') +
                            R"(", "fields": [{"name": "a", "type": "int"}]})";
    Schema schema;
    schema.text = text;
    const auto one =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(first, schema, c, done); });
    const auto two =
        waitForRegistry<Schema>([&](QObject *c, auto done) { client.registerSchema(second, schema, c, done); });
    QVERIFY2(one.ok() && two.ok(), why(one).constData());
    QCOMPARE(two->id, one->id);
    const auto held = waitForRegistry<QList<SubjectVersion>>(
        [&](QObject *c, auto done) { client.subjectVersionsOfId(one->id, c, done); });
    QVERIFY2(held.ok(), why(held).constData());
    QCOMPARE(*held, (QList<SubjectVersion>{{first, 1}, {second, 1}}));

    const auto none = waitForRegistry<QList<SubjectVersion>>(
        [&](QObject *c, auto done) { client.subjectVersionsOfId(987654321, c, done); });
    QVERIFY(!none.ok());
    QCOMPARE(none.error().kind, RegistryError::Kind::NotFound);
    QCOMPARE(none.error().text,
             QStringLiteral("schema id 987654321 does not exist (registry at %1)").arg(m_env.ccompat));
}

// A registry (or whatever answers at its address) that redirects to another port: the request, and the password in its
// headers, must not go there. Two loopback listeners: the first answers every request with a redirect to the second,
// which counts the connections it gets.
void TestRegistryClient::redirectElsewhereIsNotFollowed()
{
    QTcpServer elsewhere;
    QVERIFY(elsewhere.listen(QHostAddress::LocalHost, 0));
    int reachedElsewhere = 0;
    connect(&elsewhere, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = elsewhere.nextPendingConnection()) {
            ++reachedElsewhere;
            s->close();
        }
    });
    QTcpServer redirecting;
    QVERIFY(redirecting.listen(QHostAddress::LocalHost, 0));
    const QByteArray target =
        QStringLiteral("http://127.0.0.1:%1/apis/ccompat/v7/subjects").arg(elsewhere.serverPort()).toLatin1();
    connect(&redirecting, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = redirecting.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [s, target] {
                s->readAll();
                s->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target +
                         "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                s->disconnectFromHost();
            });
        }
    });
    const QString url = QStringLiteral("http://127.0.0.1:%1/apis/ccompat/v7").arg(redirecting.serverPort());
    RegistrySettings settings = m_env.settings(url);
    settings.username = QStringLiteral("alice");
    settings.password = "secret-that-stays-here";
    RegistryClient client(settings);
    const auto r = waitForRegistry<QStringList>([&](QObject *c, auto done) { client.listSubjects(c, done); });
    QVERIFY(!r.ok());
    QVERIFY2(r.error().kind == RegistryError::Kind::BadAnswer, why(r).constData());
    QVERIFY2(r.error().text.startsWith(QStringLiteral("the registry at %1 redirected GET /subjects to %2: not followed")
                                           .arg(url, QString::fromLatin1(target))),
             why(r).constData());
    QTest::qWait(200); // a connection on its way would arrive now
    QCOMPARE(reachedElsewhere, 0);
}

QTEST_GUILESS_MAIN(TestRegistryClient)
#include "tst_registry_client.moc"

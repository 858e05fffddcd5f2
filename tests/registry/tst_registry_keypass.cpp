// A profile whose Schema Registry wants a client certificate, with the client key encrypted (made here with openssl
// from the fixture's key, whose certificate the test CA signed): the key's passphrase is stored in the real keychain
// by `kbatch-cli profile set --registry-key-passphrase-stdin` and read back by `kbatch-cli send --profile`. Right:
// the rows go out through the mTLS listener and confluent-kafka's deserializer reads them back equal. Missing or
// wrong: exit 2 before anything is sent, on one line naming the key file, never showing the passphrase. Runs inside
// tests/core/profiles/run-with-keychain.sh (a private Secret Service and HOME).

#include "RegistryEnv.h"
#include "tests/broker/BrokerEnv.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::test;

namespace {

const QByteArray Passphrase = "kbatch-registry-key-7c1e";

const char pointSchema[] = R"({"type": "record", "name": "Point", "namespace": "kbatch.keypass", "fields": [
  {"name": "x", "type": "int"}, {"name": "label", "type": "string"}]})";

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        p.kill();
    p.waitForFinished();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run cli(const QStringList &args, const QByteArray &input = {})
{
    return run(QStringLiteral(KBATCH_CLI), args, input);
}

QByteArray jsonString(const QByteArray &text)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("s"), QString::fromUtf8(text)}})
        .toJson(QJsonDocument::Compact)
        .mid(5)
        .chopped(1);
}

} // namespace

class TestRegistryKeyPassphrase : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void refusedWithoutTheRightPassphrase_data();
    void refusedWithoutTheRightPassphrase();
    void sendsWithTheRightPassphrase();
    void settingsHoldNoPassphrase();

private:
    QString createTopic();
    qint64 highWatermark(const QString &topic);
    QString writeTemplate(const QString &topic);
    bool storePassphrase(const QByteArray &passphrase);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
    QTemporaryDir m_dir;
    QString m_key;
    int m_files = 0;
};

void TestRegistryKeyPassphrase::initTestCase()
{
    auto registry = RegistryEnv::load();
    QVERIFY2(registry, "the registry fixture is not up");
    m_registry = *registry;
    auto broker = BrokerEnv::load();
    QVERIFY2(broker, "the broker fixture is not up");
    m_broker = *broker;
    m_python = qEnvironmentVariable("KBATCH_PYENV_DIR", QStringLiteral(KBATCH_PYENV_DIR)) + QStringLiteral("/python");
    QVERIFY2(QFile::exists(m_python), qPrintable(m_python + QStringLiteral(" is missing: is the pyenv fixture up?")));
    QVERIFY(m_dir.isValid());
    // The keychain is a private one (run-with-keychain.sh): refuse to run against the user's own.
    QVERIFY2(!qEnvironmentVariableIsEmpty("GNOME_KEYRING_CONTROL"), "run this through run-with-keychain.sh");

    m_key = m_dir.filePath(QStringLiteral("registry-client.key"));
    const Run made =
        run(QStringLiteral("openssl"),
            {QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-v2"), QStringLiteral("aes-256-cbc"),
             QStringLiteral("-in"), m_registry.clientKey, QStringLiteral("-out"), m_key, QStringLiteral("-passout"),
             QStringLiteral("pass:") + QString::fromLatin1(Passphrase)});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    QFile key(m_key);
    QVERIFY(key.open(QIODevice::ReadOnly));
    QVERIFY(key.readAll().contains("BEGIN ENCRYPTED PRIVATE KEY"));

    const Run set =
        cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("mtls-registry"),
             QStringLiteral("--bootstrap"), m_broker.plaintext, QStringLiteral("--registry"), m_registry.mtls,
             QStringLiteral("--registry-ca-file"), m_registry.ca, QStringLiteral("--registry-cert-file"),
             m_registry.clientCert, QStringLiteral("--registry-key-file"), m_key});
    QVERIFY2(set.exitCode == 0, set.err.constData());

    const QByteArray body = R"({"schema": )" + jsonString(pointSchema) + "}";
    const auto answer = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + QStringLiteral("kbatch-keypass-value/versions"),
        body);
    QVERIFY2(answer.first == 200, answer.second.constData());
}

QString TestRegistryKeyPassphrase::createTopic()
{
    const QString topic = freshName("keypass");
    const Run made =
        run(QStringLiteral("sh"), {m_python, QStringLiteral("-c"),
                                   QStringLiteral("import sys\n"
                                                  "from confluent_kafka.admin import AdminClient, NewTopic\n"
                                                  "a = AdminClient({'bootstrap.servers': sys.argv[1]})\n"
                                                  "for f in a.create_topics([NewTopic(sys.argv[2], 1, 1)]).values():\n"
                                                  "    f.result(60)\n"),
                                   m_broker.plaintext, topic});
    if (made.exitCode != 0)
        qWarning("creating topic %s failed: %s", qPrintable(topic), made.err.constData());
    return made.exitCode == 0 ? topic : QString();
}

// The topic's high watermark by confluent-kafka's consumer: 0 means nothing was ever written to it. -1 on failure.
qint64 TestRegistryKeyPassphrase::highWatermark(const QString &topic)
{
    const Run r = run(QStringLiteral("sh"),
                      {m_python, QStringLiteral("-c"),
                       QStringLiteral("import sys\n"
                                      "from confluent_kafka import Consumer, TopicPartition\n"
                                      "c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'kbatch-wm'})\n"
                                      "print(c.get_watermark_offsets(TopicPartition(sys.argv[2], 0), timeout=60)[1])\n"
                                      "c.close()\n"),
                       m_broker.plaintext, topic});
    bool ok = false;
    const qint64 high = r.out.trimmed().toLongLong(&ok);
    return r.exitCode == 0 && ok ? high : -1;
}

// Two Avro rows under the subject registered above (named in the template: the topic is fresh each time).
QString TestRegistryKeyPassphrase::writeTemplate(const QString &topic)
{
    const QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                            R"(", "serialization": {"value": {"kind": "avro", "subject": "kbatch-keypass-value"}},
 "messages": [{"key": "k0", "value": {"json": {"x": 1, "label": "one"}}},
              {"key": "k1", "value": {"json": {"x": 2, "label": "two"}}}]}
)";
    const QString path = m_dir.filePath(QStringLiteral("t%1.kbatch.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

bool TestRegistryKeyPassphrase::storePassphrase(const QByteArray &passphrase)
{
    const Run set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("mtls-registry"),
                         QStringLiteral("--registry-key-passphrase-stdin")},
                        passphrase + "\n");
    if (set.exitCode != 0)
        qWarning("profile set failed: %s", set.err.constData());
    return set.exitCode == 0;
}

void TestRegistryKeyPassphrase::refusedWithoutTheRightPassphrase_data()
{
    QTest::addColumn<QByteArray>("stored"); // empty: none stored
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing") << QByteArray() << QStringLiteral("the passphrase is missing");
    QTest::newRow("wrong") << QByteArray("not-the-passphrase-0b9d") << QStringLiteral("the passphrase is wrong");
}

void TestRegistryKeyPassphrase::refusedWithoutTheRightPassphrase()
{
    QFETCH(QByteArray, stored);
    QFETCH(QString, expected);
    if (!stored.isEmpty()) {
        QVERIFY(storePassphrase(stored));
        const Run lookup = run(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"),
                                                               QStringLiteral("mtls-registry/registry-key-passphrase"),
                                                               QStringLiteral("server"), QStringLiteral("kbatch")});
        QCOMPARE(lookup.out.trimmed(), stored);
    }
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const QString path = writeTemplate(topic);
    QVERIFY(!path.isEmpty());
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--profile"), QStringLiteral("mtls-registry")});
    QCOMPARE(sent.exitCode, 2);
    // One line says it: the key file and what is wrong with the passphrase; the passphrase itself never.
    const QByteArray line = "registry client key '" + m_key.toUtf8() + "': " + expected.toUtf8();
    QVERIFY2(sent.err.contains(line), sent.err.constData());
    QCOMPARE(sent.err.count(line), 1);
    QVERIFY(!sent.err.contains(Passphrase));
    if (!stored.isEmpty())
        QVERIFY(!sent.err.contains(stored));
    QCOMPARE(highWatermark(topic), qint64(0)); // refused before the first message
}

void TestRegistryKeyPassphrase::sendsWithTheRightPassphrase()
{
    QVERIFY(storePassphrase(Passphrase));
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const QString path = writeTemplate(topic);
    QVERIFY(!path.isEmpty());
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--profile"), QStringLiteral("mtls-registry"),
                          QStringLiteral("--verify")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QVERIFY(!sent.err.contains(Passphrase));

    const Run decoded =
        run(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), QStringLiteral("string"), QStringLiteral("--value"), QStringLiteral("avro")});
    QVERIFY2(decoded.exitCode == 0, decoded.err.constData());
    const QList<QByteArray> lines = decoded.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value(QLatin1String("value")).toObject(),
             (QJsonObject{{QStringLiteral("x"), 1}, {QStringLiteral("label"), QStringLiteral("one")}}));
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value(QLatin1String("value")).toObject(),
             (QJsonObject{{QStringLiteral("x"), 2}, {QStringLiteral("label"), QStringLiteral("two")}}));
}

// Every settings file under the private HOME (the profiles, the secret index): the key's name, never the passphrase.
void TestRegistryKeyPassphrase::settingsHoldNoPassphrase()
{
    bool sawIndex = false;
    QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly) || f.size() > 10'000'000)
            continue;
        const QByteArray text = f.readAll();
        if (f.fileName().contains(QLatin1String("keyrings")))
            continue; // the keychain's own encrypted store
        QVERIFY2(!text.contains(Passphrase), qPrintable(f.fileName()));
        sawIndex = sawIndex || text.contains("mtls-registry/registry-key-passphrase");
    }
    QVERIFY2(sawIndex, "the secret index does not name the stored passphrase");
}

QTEST_GUILESS_MAIN(TestRegistryKeyPassphrase)
#include "tst_registry_keypass.moc"

// kbatch-cli send through the real Schema Registry (issue 15): a template whose value (and key) are Avro, sent to
// the real broker and read back by tests/registry/decode.py (confluent-kafka's AvroDeserializer, code nobody here
// wrote); and every way such a send must refuse to start (registry down, wrong password, unknown subject, a row that
// does not fit, 409 on auto-register, two record types under TopicRecordName): exit 2, one line, and the topic
// still empty, as confluent-kafka's consumer sees its high watermark.

#include "RegistryEnv.h"
#include "tests/broker/BrokerEnv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::test;

namespace {

const char orderSchema[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.cli", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "paid", "type": "boolean"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "n", "type": "int"}]}}},
  {"name": "tags", "type": {"type": "map", "values": "long"}},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "source", "type": "string", "default": "kbatch"}
]})";
// An evolution that breaks BACKWARD compatibility: qty becomes a string.
const char orderBroken[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.cli", "fields": [
  {"name": "id", "type": "string"}, {"name": "qty", "type": "string"}]})";
const char keySchema[] = R"({"type": "record", "name": "OrderKey", "namespace": "kbatch.cli", "fields": [
  {"name": "region", "type": "string"}, {"name": "n", "type": "long"}]})";
const char clickSchema[] = R"({"type": "record", "name": "Click", "namespace": "kbatch.cli", "fields": [
  {"name": "url", "type": "string"}, {"name": "x", "type": "int"}]})";

QByteArray jsonString(const QByteArray &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{QString::fromUtf8(text)}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray orderRow(int i)
{
    const QByteArray n = QByteArray::number(i);
    return R"({"id": "o-)" + n + R"(", "qty": )" + n + R"(, "paid": )" + (i % 2 ? "true" : "false") + R"(, "note": )" +
           (i % 2 ? QByteArray(R"({"string": "tagged )" + n + R"("})") : QByteArray("null")) + R"(, "status": ")" +
           (i % 2 ? "PAID" : "NEW") + R"(", "lines": [{"sku": "A-)" + n + R"(", "n": )" + n + R"(}], "tags": {"t": )" +
           n + R"(}, "amount": ")" + n + R"(.50"})";
}

// What confluent-kafka's deserializer makes of orderRow(i): the union untagged, the decimal as text at its scale,
// the default filled in.
QJsonObject decodedOrder(int i)
{
    return QJsonObject{
        {QStringLiteral("id"), QStringLiteral("o-%1").arg(i)},
        {QStringLiteral("qty"), i},
        {QStringLiteral("paid"), i % 2 == 1},
        {QStringLiteral("note"), i % 2 ? QJsonValue(QStringLiteral("tagged %1").arg(i)) : QJsonValue()},
        {QStringLiteral("status"), i % 2 ? QStringLiteral("PAID") : QStringLiteral("NEW")},
        {QStringLiteral("lines"),
         QJsonArray{QJsonObject{{QStringLiteral("sku"), QStringLiteral("A-%1").arg(i)}, {QStringLiteral("n"), i}}}},
        {QStringLiteral("tags"), QJsonObject{{QStringLiteral("t"), i}}},
        {QStringLiteral("amount"), QStringLiteral("%1.50").arg(i)},
        {QStringLiteral("source"), QStringLiteral("kbatch")}};
}

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

class TestRegistryCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sendsAvroReadBackByConfluent();
    void overridesSubjectAndVersion();
    void refusals_data();
    void refusals();

private:
    QString createTopic();
    QList<QJsonObject> decodeTopic(const QString &topic, const QString &keyFormat);
    qint64 highWatermark(const QString &topic);
    QString writeTemplate(const QString &topic, const QByteArray &serialization, const QList<QByteArray> &values,
                          const QList<QByteArray> &keys = {});
    Run cli(const QStringList &args, const QByteArray &input = {});
    bool registerSchema(const QString &subject, const char *schema);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
    QTemporaryDir m_dir;
    int m_files = 0;
};

void TestRegistryCli::initTestCase()
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
}

QString TestRegistryCli::createTopic()
{
    const QString topic = freshName("cli");
    QProcess p;
    p.start(QStringLiteral("sh"), {m_python, QStringLiteral("-c"),
                                   QStringLiteral("import sys\n"
                                                  "from confluent_kafka.admin import AdminClient, NewTopic\n"
                                                  "a = AdminClient({'bootstrap.servers': sys.argv[1]})\n"
                                                  "for f in a.create_topics([NewTopic(sys.argv[2], 1, 1)]).values():\n"
                                                  "    f.result(60)\n"),
                                   m_broker.plaintext, topic});
    if (!p.waitForFinished(90000) || p.exitCode() != 0)
        qWarning("creating topic %s failed: %s", qPrintable(topic), p.readAllStandardError().constData());
    return p.exitCode() == 0 ? topic : QString();
}

QList<QJsonObject> TestRegistryCli::decodeTopic(const QString &topic, const QString &keyFormat)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), keyFormat, QStringLiteral("--value"), QStringLiteral("avro")});
    const bool finished = p.waitForFinished(120000);
    const QByteArray out = p.readAllStandardOutput();
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    if (!finished || p.exitCode() != 0)
        qWarning("decode.py failed (exit %d): %s\n%s", p.exitCode(), p.readAllStandardError().constData(),
                 out.left(2000).constData());
    return finished && p.exitCode() == 0 ? lines : QList<QJsonObject>{};
}

// The topic's high watermark by confluent-kafka's consumer: 0 means nothing was ever written to it. -1 on failure.
qint64 TestRegistryCli::highWatermark(const QString &topic)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral("-c"),
             QStringLiteral("import sys\n"
                            "from confluent_kafka import Consumer, TopicPartition\n"
                            "c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'kbatch-watermark'})\n"
                            "print(c.get_watermark_offsets(TopicPartition(sys.argv[2], 0), timeout=60)[1])\n"
                            "c.close()\n"),
             m_broker.plaintext, topic});
    if (!p.waitForFinished(90000) || p.exitCode() != 0) {
        qWarning("reading the watermark of %s failed: %s", qPrintable(topic), p.readAllStandardError().constData());
        return -1;
    }
    bool ok = false;
    const qint64 high = p.readAllStandardOutput().trimmed().toLongLong(&ok);
    return ok ? high : -1;
}

QString TestRegistryCli::writeTemplate(const QString &topic, const QByteArray &serialization,
                                       const QList<QByteArray> &values, const QList<QByteArray> &keys)
{
    QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                      R"(", "serialization": )" + serialization + R"(, "messages": [)";
    for (qsizetype i = 0; i < values.size(); ++i) {
        text += (i ? ",\n" : "\n");
        text += R"({"key": )" +
                (keys.isEmpty() ? QByteArray("\"k") + QByteArray::number(i) + "\""
                                : QByteArray(R"({"json": )") + keys[i] + "}") +
                R"(, "value": {"json": )" + values[i] + "}}";
    }
    text += "]}\n";
    const QString path = m_dir.filePath(QStringLiteral("t%1.kbatch.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

Run TestRegistryCli::cli(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(QStringLiteral(KBATCH_CLI), args);
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

bool TestRegistryCli::registerSchema(const QString &subject, const char *schema)
{
    const QByteArray body = R"({"schema": )" + jsonString(schema) + "}";
    const auto answer = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + subject + QStringLiteral("/versions"), body);
    if (answer.first != 200)
        qWarning("registering under %s: HTTP %d %s", qPrintable(subject), answer.first, answer.second.constData());
    return answer.first == 200;
}

void TestRegistryCli::sendsAvroReadBackByConfluent()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    QVERIFY(registerSchema(topic + QStringLiteral("-value"), orderSchema));
    // The key: a schema of its own, registered by the send itself (autoRegister with the template's schema text).
    const QByteArray serialization = R"({"key": {"kind": "avro", "autoRegister": true, "schema": )" +
                                     jsonString(keySchema) + R"(}, "value": {"kind": "avro"}})";
    const int count = 40;
    QList<QByteArray> values, keys;
    for (int i = 0; i < count; ++i) {
        values.append(orderRow(i));
        keys.append(R"({"region": "eu", "n": )" + QByteArray::number(i) + "}");
    }
    const QString path = writeTemplate(topic, serialization, values, keys);
    QVERIFY(!path.isEmpty());
    const QString report = m_dir.filePath(QStringLiteral("report.jsonl"));
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                          QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--report"), report,
                          QStringLiteral("--verify"), QStringLiteral("--allow-register")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QVERIFY2(sent.err.contains("registry requests"), sent.err.constData());

    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("avro"));
    QCOMPARE(lines.size(), count);
    const int valueId = lines[0].value(QLatin1String("value_schema_id")).toInt();
    const int keyId = lines[0].value(QLatin1String("key_schema_id")).toInt();
    QVERIFY(valueId > 0 && keyId > 0 && keyId != valueId);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(lines[i].value(QLatin1String("value")).toObject(), decodedOrder(i));
        QCOMPARE(lines[i].value(QLatin1String("key")).toObject(),
                 (QJsonObject{{QStringLiteral("region"), QStringLiteral("eu")}, {QStringLiteral("n"), i}}));
        QCOMPARE(lines[i].value(QLatin1String("value_schema_id")).toInt(), valueId);
    }

    // --report names the schema ids each message went out with.
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> reportLines = f.readAll().trimmed().split('\n');
    QCOMPARE(reportLines.size(), count);
    for (const QByteArray &line : reportLines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.value(QLatin1String("schemaId")).toInt(), valueId);
        QCOMPARE(o.value(QLatin1String("keySchemaId")).toInt(), keyId);
        QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("delivered"));
    }
}

void TestRegistryCli::overridesSubjectAndVersion()
{
    // A subject named on the command line, pinned at version 1 although version 2 is the latest, and a template
    // that says bytes for the value, turned into Avro by --value-kind.
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const QString subject = freshName("shared-orders");
    QVERIFY(registerSchema(subject, orderSchema));
    QVERIFY(
        registerSchema(subject, R"({"type": "record", "name": "Other", "fields": [{"name": "z", "type": "int"}]})"));
    const QString path = writeTemplate(topic, R"({"value": {"kind": "bytes"}})", {orderRow(1), orderRow(2)});
    const Run sent =
        cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
             QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--value-kind"), QStringLiteral("avro"),
             QStringLiteral("--value-subject"), subject, QStringLiteral("--value-version"), QStringLiteral("1")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    const QByteArray named = "(" + subject.toUtf8() + " version 1)";
    QVERIFY2(sent.err.contains(named), sent.err.constData());
    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("string"));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0].value(QLatin1String("value")).toObject(), decodedOrder(1));
    QCOMPARE(lines[1].value(QLatin1String("value")).toObject(), decodedOrder(2));
}

void TestRegistryCli::refusals_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("registry down") << QStringLiteral("down") << QStringLiteral("value: cannot reach the registry at");
    QTest::newRow("wrong password") << QStringLiteral("401") << QStringLiteral("refused the credentials (HTTP 401)");
    QTest::newRow("unknown subject") << QStringLiteral("unknown") << QStringLiteral("does not exist");
    QTest::newRow("row that does not fit")
        << QStringLiteral("row") << QStringLiteral("message 2: value: $.qty: expected int, got a string");
    // Beyond the template's first piece (16,384 rows) the rest is read while the rows before are encoded: a mistake
    // there still sends nothing, and is named as in a short template.
    QTest::newRow("row that does not fit, read late")
        << QStringLiteral("late row") << QStringLiteral("message 30000: value: $.qty: expected int, got a string");
    QTest::newRow("broken JSON, read late") << QStringLiteral("late syntax") << QStringLiteral(":30002:");
    QTest::newRow("409 on auto-register") << QStringLiteral("409") << QStringLiteral("incompatible (HTTP 409)");
    QTest::newRow("two record types") << QStringLiteral("two types") << QStringLiteral("message 1: value: ");
    // The template alone may not register a schema: the user allows it on the command line.
    QTest::newRow("register not allowed")
        << QStringLiteral("no allow") << QStringLiteral("allow it with --allow-register");
}

void TestRegistryCli::refusals()
{
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    QList<QByteArray> values = {orderRow(0), orderRow(1), orderRow(2)};
    QByteArray serialization = R"({"value": {"kind": "avro"}})";
    QString registry = m_registry.ccompat;
    QStringList extra;
    QByteArray input;
    if (setup != QLatin1String("unknown") && setup != QLatin1String("409") && setup != QLatin1String("two types") &&
        setup != QLatin1String("no allow"))
        QVERIFY(registerSchema(topic + QStringLiteral("-value"), orderSchema));
    if (setup == QLatin1String("down")) {
        registry = QStringLiteral("http://127.0.0.1:%1/apis/ccompat/v7").arg(closedPort());
    } else if (setup == QLatin1String("401")) {
        registry = m_registry.http;
        extra = {QStringLiteral("--registry-user"), m_registry.user, QStringLiteral("--registry-password-stdin")};
        input = "not-" + m_registry.password.toUtf8() + "\n";
    } else if (setup == QLatin1String("row")) {
        values[2] = R"({"id": "o-2", "qty": "three", "paid": true, "status": "NEW", "lines": [], "tags": {},)"
                    R"( "amount": 1})";
    } else if (setup == QLatin1String("late row") || setup == QLatin1String("late syntax")) {
        values.clear();
        for (int i = 0; i < 40000; ++i)
            values.append(orderRow(i));
        values[30000] = setup == QLatin1String("late row")
                            ? QByteArray(R"({"id": "o", "qty": "three", "paid": true, "status": "NEW", "lines": [],)"
                                         R"( "tags": {}, "amount": 1})")
                            : QByteArray(R"({"id": "o", "qty": 3,})"); // row 30000 is on line 30002
    } else if (setup == QLatin1String("409")) {
        const QString subject = topic + QStringLiteral("-value");
        QVERIFY(registerSchema(subject, orderSchema));
        QCOMPARE(rawRequest("PUT", m_registry.ccompat + QStringLiteral("/config/") + subject,
                            R"({"compatibility": "BACKWARD"})")
                     .first,
                 200);
        serialization =
            R"({"value": {"kind": "avro", "autoRegister": true, "schema": )" + jsonString(orderBroken) + "}}";
        values = {R"({"id": "o-1", "qty": "one"})"};
        extra = {QStringLiteral("--allow-register")};
    } else if (setup == QLatin1String("no allow")) {
        serialization =
            R"({"value": {"kind": "avro", "autoRegister": true, "schema": )" + jsonString(orderSchema) + "}}";
    } else if (setup == QLatin1String("two types")) {
        // One schema per part and send: under TopicRecordName a Click schema, and a second row of another record.
        serialization = R"({"value": {"kind": "avro", "subjectStrategy": "topicRecordName", "autoRegister": true,)"
                        R"( "schema": )" +
                        jsonString(clickSchema) + "}}";
        values = {R"({"url": "/a", "x": 1})", R"({"page": "home", "ms": 5})", R"({"url": "/b", "x": 2})"};
        extra = {QStringLiteral("--allow-register")};
    }
    const QString path = writeTemplate(topic, serialization, values);
    QVERIFY(!path.isEmpty());
    const Run sent = cli(QStringList{QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                                     QStringLiteral("--registry"), registry} +
                             extra,
                         input);
    QVERIFY2(sent.exitCode == 2, sent.err.constData());
    const QByteArray line = sent.err.trimmed();
    QVERIFY2(!line.contains('\n'), line.constData()); // one line
    QVERIFY2(line.contains(expected.toUtf8()), line.constData());
    QVERIFY2(line.count(path.toUtf8()) <= 1, line.constData()); // the file named once, if at all
    if (setup == QLatin1String("late syntax"))
        QVERIFY2(line.contains(QByteArray(path.toUtf8() + ":30002:")) && !line.contains("message 30000"),
                 line.constData());
    if (setup == QLatin1String("401"))
        QVERIFY(!line.contains(m_registry.password.toUtf8()));
    // Nothing was sent: the topic's high watermark, as confluent-kafka's consumer reads it, is still 0.
    QCOMPARE(highWatermark(topic), qint64(0));
    if (setup == QLatin1String("no allow")) // and nothing was registered
        QCOMPARE(
            rawRequest("GET",
                       m_registry.ccompat + QStringLiteral("/subjects/") + topic + QStringLiteral("-value/versions"),
                       QByteArray())
                .first,
            404);
}

QTEST_GUILESS_MAIN(TestRegistryCli)
#include "tst_registry_cli.moc"

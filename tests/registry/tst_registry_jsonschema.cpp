// kbatch-cli send with JSON Schema through the real Schema Registry (issue 16): rows validated against a registered
// JSON Schema (required fields, a pattern, nested objects and arrays, a local $ref and a $ref to another registered
// schema through the registry's references), sent to the real broker and read back by tests/registry/decode.py
// with confluent-kafka's JSONDeserializer (code nobody here wrote, which fetches the schema by the frame's id and
// validates with the jsonschema package). And the refusals: a missing required field, a wrong type, a pattern, a
// subject that holds an Avro schema: exit 2, one line naming the row and the path, and the topic still empty.

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

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

// Declared before the schemas: moc reads raw strings with "//" in them as comments.
class TestRegistryJsonSchema : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sendsJsonSchemaReadBackByConfluent();
    void refusals_data();
    void refusals();

private:
    QString createTopic();
    QList<QJsonObject> decodeTopic(const QString &topic, const QString &keyFormat);
    qint64 highWatermark(const QString &topic);
    QString writeTemplate(const QString &topic, const QByteArray &serialization, const QList<QByteArray> &values,
                          const QList<QByteArray> &keys = {});
    Run cli(const QStringList &args, const QByteArray &input = {});
    int registerSchema(const QString &subject, const QByteArray &schema, const QByteArray &type,
                       const QByteArray &references = "[]");
    // Registers the address schema and the order schema that refers to it; the order's schema id, or 0.
    int registerOrder(const QString &topic);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
    QTemporaryDir m_dir;
    int m_files = 0;
};

namespace {

const char addressSchema[] = R"({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
  "required": ["city", "zip"], "additionalProperties": false,
  "properties": {"city": {"type": "string", "minLength": 1}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}})";

const char orderSchema[] = R"({"$schema": "http://json-schema.org/draft-07/schema#", "title": "kbatch.cli.Order",
  "type": "object", "required": ["id", "qty", "customer", "lines"],
  "properties": {
    "id": {"type": "string", "pattern": "^O-[0-9]+$"},
    "qty": {"type": "integer", "minimum": 0},
    "paid": {"type": "boolean"},
    "note": {"type": ["string", "null"]},
    "customer": {"type": "object", "required": ["email"], "properties": {
      "email": {"type": "string"}, "ship": {"$ref": "address.json"}}},
    "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/line"}},
    "price": {"type": "number"}
  },
  "definitions": {"line": {"type": "object", "required": ["sku", "n"],
    "properties": {"sku": {"type": "string"}, "n": {"type": "integer", "minimum": 1}}}}})";

const char keySchema[] = R"({"type": "object", "required": ["region", "n"],
  "properties": {"region": {"enum": ["eu", "us"]}, "n": {"type": "integer"}}})";

QByteArray jsonString(const QByteArray &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{QString::fromUtf8(text)}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

// Whitespace of all kinds, and numbers that a double would change in print (0.10, 1e2): the payload is the row's
// own text, compact, and the deserializer reads the same values.
QByteArray orderRow(int i)
{
    const QByteArray n = QByteArray::number(i);
    return "{\"id\": \"O-" + n + "\",\n   \"qty\": " + n + ", \"paid\": " + (i % 2 ? "true" : "false") +
           ", \"note\": " + (i % 3 ? QByteArray("\"n\\u00e9 " + n + "\"") : QByteArray("null")) +
           ", \"customer\": {\"email\": \"c" + n + "@example.com\"" +
           (i % 2 ? QByteArray(", \"ship\": {\"city\": \"Oslo\", \"zip\": \"0" + n.rightJustified(4, '0') + "\"}")
                  : QByteArray()) +
           "}, \"lines\": [{\"sku\": \"A\", \"n\": 1}, {\"sku\": \"B-" + n + "\", \"n\": " + QByteArray::number(i + 1) +
           "}], \"price\": 0.10}";
}

} // namespace

void TestRegistryJsonSchema::initTestCase()
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

QString TestRegistryJsonSchema::createTopic()
{
    const QString topic = freshName("jsch");
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

QList<QJsonObject> TestRegistryJsonSchema::decodeTopic(const QString &topic, const QString &keyFormat)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), keyFormat, QStringLiteral("--value"), QStringLiteral("json")});
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

qint64 TestRegistryJsonSchema::highWatermark(const QString &topic)
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

QString TestRegistryJsonSchema::writeTemplate(const QString &topic, const QByteArray &serialization,
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
    const QString path = m_dir.filePath(QStringLiteral("j%1.kbatch.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

Run TestRegistryJsonSchema::cli(const QStringList &args, const QByteArray &input)
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

int TestRegistryJsonSchema::registerSchema(const QString &subject, const QByteArray &schema, const QByteArray &type,
                                           const QByteArray &references)
{
    const QByteArray body = R"({"schema": )" + jsonString(schema) + R"(, "schemaType": ")" + type +
                            R"(", "references": )" + references + "}";
    const auto answer = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + subject + QStringLiteral("/versions"), body);
    if (answer.first != 200) {
        qWarning("registering under %s: HTTP %d %s", qPrintable(subject), answer.first, answer.second.constData());
        return 0;
    }
    return QJsonDocument::fromJson(answer.second).object().value(QLatin1String("id")).toInt();
}

int TestRegistryJsonSchema::registerOrder(const QString &topic)
{
    const QString addressSubject = topic + QStringLiteral("-address");
    if (registerSchema(addressSubject, addressSchema, "JSON") == 0)
        return 0;
    return registerSchema(topic + QStringLiteral("-value"), orderSchema, "JSON",
                          R"([{"name": "address.json", "subject": ")" + addressSubject.toUtf8() +
                              R"(", "version": 1}])");
}

void TestRegistryJsonSchema::sendsJsonSchemaReadBackByConfluent()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int orderId = registerOrder(topic);
    QVERIFY(orderId > 0);
    // The key: a JSON Schema of its own, registered by the send (autoRegister with the template's schema text).
    const QByteArray serialization = R"({"key": {"kind": "jsonSchema", "autoRegister": true, "schema": )" +
                                     jsonString(keySchema) + R"(}, "value": {"kind": "jsonSchema"}})";
    const int count = 30;
    QList<QByteArray> values, keys;
    for (int i = 0; i < count; ++i) {
        values.append(orderRow(i));
        keys.append(R"({"region": ")" + QByteArray(i % 2 ? "us" : "eu") + R"(", "n": )" + QByteArray::number(i) + "}");
    }
    const QString path = writeTemplate(topic, serialization, values, keys);
    QVERIFY(!path.isEmpty());
    const QString report = m_dir.filePath(QStringLiteral("report.jsonl"));
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                          QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--report"), report,
                          QStringLiteral("--verify"), QStringLiteral("--allow-register")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());

    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("json"));
    QCOMPARE(lines.size(), count);
    const int keyId = lines[0].value(QLatin1String("key_schema_id")).toInt();
    QVERIFY(keyId > 0 && keyId != orderId);
    for (int i = 0; i < count; ++i) {
        // What confluent-kafka made of the bytes is what the row says, value for value.
        QCOMPARE(lines[i].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(values[i]).object());
        QCOMPARE(lines[i].value(QLatin1String("key")).toObject(), QJsonDocument::fromJson(keys[i]).object());
        QCOMPARE(lines[i].value(QLatin1String("value_schema_id")).toInt(), orderId);
        QCOMPARE(lines[i].value(QLatin1String("key_schema_id")).toInt(), keyId);
    }
    // The ids in --report are the ones in the frames.
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> reportLines = f.readAll().trimmed().split('\n');
    QCOMPARE(reportLines.size(), count);
    for (const QByteArray &line : reportLines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.value(QLatin1String("schemaId")).toInt(), orderId);
        QCOMPARE(o.value(QLatin1String("keySchemaId")).toInt(), keyId);
    }
}

void TestRegistryJsonSchema::refusals_data()
{
    QTest::addColumn<QByteArray>("badRow");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing required field")
        << QByteArray(R"({"id": "O-9", "qty": 1, "customer": {}, "lines": [{"sku": "A", "n": 1}]})")
        << QStringLiteral("message 2: value: $.customer: missing required property 'email'");
    QTest::newRow("wrong type")
        << QByteArray(
               R"({"id": "O-9", "qty": 1, "customer": {"email": "e"}, "lines": [{"sku": "A", "n": 1}, {"sku": "B", "n": "2"}]})")
        << QStringLiteral("message 2: value: $.lines[1].n: expected integer, got a string");
    QTest::newRow("pattern through a reference")
        << QByteArray(R"({"id": "O-9", "qty": 1, "customer": {"email": "e", "ship": {"city": "Oslo", "zip": "12"}},)"
                      R"( "lines": [{"sku": "A", "n": 1}]})")
        << QStringLiteral("message 2: value: $.customer.ship.zip: \"12\" does not match the pattern ^[0-9]{5}$");
    QTest::newRow("an Avro schema") << QByteArray("avro")
                                    << QStringLiteral("value: subject '%1-value' version 1 is an Avro schema");
}

void TestRegistryJsonSchema::refusals()
{
    QFETCH(QByteArray, badRow);
    QFETCH(QString, expected);
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    QList<QByteArray> values = {orderRow(0), orderRow(1), badRow};
    if (badRow == "avro") {
        QVERIFY(registerSchema(topic + QStringLiteral("-value"),
                               R"({"type": "record", "name": "R", "fields": [{"name": "id", "type": "string"}]})",
                               "AVRO") > 0);
        values[2] = orderRow(2);
        expected = expected.arg(topic);
    } else {
        QVERIFY(registerOrder(topic) > 0);
    }
    const QString path = writeTemplate(topic, R"({"value": {"kind": "bytes"}})", values);
    QVERIFY(!path.isEmpty());
    // The template says bytes: --value-kind makes it JSON Schema.
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                          QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--value-kind"),
                          QStringLiteral("jsonSchema"), QStringLiteral("--value-version"), QStringLiteral("1")});
    QVERIFY2(sent.exitCode == 2, sent.err.constData());
    const QByteArray line = sent.err.trimmed();
    QVERIFY2(!line.contains('\n'), line.constData()); // one line
    QVERIFY2(line.contains(expected.toUtf8()), line.constData());
    QCOMPARE(highWatermark(topic), qint64(0)); // nothing was sent
}

QTEST_GUILESS_MAIN(TestRegistryJsonSchema)
#include "tst_registry_jsonschema.moc"

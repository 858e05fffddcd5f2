// End to end, checked by code nobody here wrote: rows encoded with KBatch's Avro codec and framed with the id the
// registry gave, produced by core::Producer to the real broker, then read back by tests/registry/decode.py
// (confluent-kafka's AvroDeserializer, which fetches the writer's schema by the frame's id) and compared with the
// rows' JSON: the same numbers, strings and logical values. A plain-string key with an Avro value; an Avro key with a
// schema of its own; two record types in one topic under TopicRecordNameStrategy.

#include "RegistryEnv.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/AvroSchema.h"
#include "core/schema/RegistryWait.h"
#include "tests/broker/BrokerEnv.h"
#include "tests/common/DeliverySuite.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace kbatch::core;
using namespace kbatch::test;

namespace {

const char orderSchema[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.e2e", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "seq", "type": "long"},
  {"name": "price", "type": "double"},
  {"name": "paid", "type": "boolean"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
  {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
  {"name": "tags", "type": {"type": "map", "values": "string"}},
  {"name": "source", "type": "string", "default": "kbatch"}
]})";

const char keySchema[] = R"({"type": "record", "name": "OrderKey", "namespace": "kbatch.e2e", "fields": [
  {"name": "region", "type": "string"}, {"name": "n", "type": "long"}]})";

const char clickSchema[] = R"({"type": "record", "name": "Click", "namespace": "kbatch.e2e", "fields": [
  {"name": "url", "type": "string"}, {"name": "x", "type": "int"}]})";
const char viewSchema[] = R"({"type": "record", "name": "View", "namespace": "kbatch.e2e", "fields": [
  {"name": "page", "type": "string"}, {"name": "ms", "type": {"type": "long", "logicalType": "timestamp-millis"}}]})";

// A row in the forms people type: a decimal as a number, timestamps with offsets, a uuid in capitals.
QByteArray orderRow(int i)
{
    const QByteArray n = QByteArray::number(i);
    return R"({"id": "o-)" + n + R"(", "qty": )" + QByteArray::number(i % 7 - 3) + R"(, "seq": )" +
           QByteArray::number(qint64(9000000000000) + i) + R"(, "price": )" + QByteArray::number(i * 1.25) +
           R"(, "paid": )" + (i % 2 ? "true" : "false") + R"(, "note": )" +
           (i % 3 ? QByteArray("\"wrap ") + n + "\"" : QByteArray("null")) + R"(, "status": ")" +
           (i % 3 == 0   ? "NEW"
            : i % 3 == 1 ? "PAID"
                         : "SHIPPED") +
           R"(", "amount": )" + QByteArray::number(i) + ".5" + R"(, "at": "2026-01-0)" + QByteArray::number(1 + i % 9) +
           R"(T10:00:00.)" + QByteArray::number(100 + i % 900) + R"(+02:00", "day": "2025-12-)" +
           QByteArray::number(10 + i % 20) + R"(", "uid": "123E4567-E89B-12D3-A456-4266141740)" +
           n.rightJustified(2, '0').right(2) + R"(", "lines": [{"sku": "A-)" + n + R"(", "qty": )" + n +
           R"(}], "tags": {"k": "v)" + n + R"("}})";
}

// The unscaled value of a decimal text at `scale` ("12.5" at 2 is 1250), for comparing decimals whatever their
// written scale.
QString unscaled(QString text, int scale)
{
    const bool negative = text.startsWith(QLatin1Char('-'));
    if (negative)
        text.remove(0, 1);
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    QString whole = dot < 0 ? text : text.left(dot), fraction = dot < 0 ? QString() : text.mid(dot + 1);
    while (fraction.size() < scale)
        fraction += QLatin1Char('0');
    QString digits = whole + fraction;
    while (digits.size() > 1 && digits.startsWith(QLatin1Char('0')))
        digits.remove(0, 1);
    return (negative && digits != QLatin1String("0") ? QStringLiteral("-") : QString()) + digits;
}

// Compares what the user wrote (`row`, KBatch's input forms) with what confluent-kafka's deserializer made of the
// bytes (`got`: fastavro's values as decode.py prints them), the schema saying what each value means.
void compareValue(const AvroNode &n, const QJsonValue &row, const QJsonValue &got, const QString &path)
{
    using T = AvroNode::Type;
    using L = AvroNode::Logical;
    const QByteArray where = path.toUtf8() + ": wrote " +
                             QJsonDocument(QJsonArray{row}).toJson(QJsonDocument::Compact) + ", read " +
                             QJsonDocument(QJsonArray{got}).toJson(QJsonDocument::Compact);
    switch (n.logical) {
    case L::Decimal:
        QVERIFY2(unscaled(row.isString() ? row.toString() : QString::number(row.toDouble(), 'f', n.scale), n.scale) ==
                     unscaled(got.toString(), n.scale),
                 where.constData());
        return;
    case L::TimestampMillis:
        QCOMPARE(QDateTime::fromString(got.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch(),
                 row.isString() ? QDateTime::fromString(row.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch()
                                : row.toInteger());
        return;
    case L::Uuid:
        QCOMPARE(got.toString(), row.toString().toLower());
        return;
    case L::Date:
        QCOMPARE(got.toString(), row.toString());
        return;
    default:
        break;
    }
    switch (n.type) {
    case T::Record: {
        const QJsonObject r = row.toObject(), g = got.toObject();
        QVERIFY2(row.isObject() && got.isObject(), where.constData());
        QCOMPARE(g.size(), qsizetype(n.fields.size()));
        for (const AvroNode::Field &f : n.fields) {
            const QString name = QString::fromUtf8(f.name);
            const QJsonValue written =
                r.contains(name) ? r.value(name) : QJsonDocument::fromJson("[" + f.defaultJson + "]").array().at(0);
            compareValue(*f.type, written, g.value(name), path + QLatin1Char('.') + name);
            if (QTest::currentTestFailed())
                return;
        }
        return;
    }
    case T::Array: {
        const QJsonArray r = row.toArray(), g = got.toArray();
        QCOMPARE(g.size(), r.size());
        for (qsizetype i = 0; i < r.size() && !QTest::currentTestFailed(); ++i)
            compareValue(*n.items, r.at(i), g.at(i), path + QStringLiteral("[%1]").arg(i));
        return;
    }
    case T::Map: {
        const QJsonObject r = row.toObject(), g = got.toObject();
        QCOMPARE(g.keys(), r.keys());
        for (const QString &k : r.keys())
            compareValue(*n.items, r.value(k), g.value(k), path + QLatin1Char('.') + k);
        return;
    }
    case T::Union: // the rows here write unions plain, and fastavro reads them plain
        if (row.isNull()) {
            QVERIFY2(got.isNull(), where.constData());
            return;
        }
        for (const AvroNode *b : n.branches) {
            if (b->type != T::Null)
                return compareValue(*b, row, got, path);
        }
        return;
    case T::Int:
    case T::Long:
        QVERIFY2(got.isDouble() && got.toInteger() == row.toInteger(), where.constData());
        return;
    case T::Double:
    case T::Float:
        QVERIFY2(got.isDouble() && got.toDouble() == row.toDouble(), where.constData());
        return;
    default:
        QVERIFY2(got == row, where.constData());
    }
}

} // namespace

class TestRegistryRoundTrip : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stringKeyAvroValue();
    void avroKeyOfItsOwn();
    void twoRecordTypesInOneTopic();

private:
    QString createTopic();
    // decode.py's lines for `topic`; fails the test when it does not exit 0.
    QList<QJsonObject> decodeTopic(const QString &topic, const QString &keyFormat);
    void produce(const QString &topic, const Batch &rows);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
};

void TestRegistryRoundTrip::initTestCase()
{
    auto registry = RegistryEnv::load();
    QVERIFY2(registry, "the registry fixture is not up");
    m_registry = *registry;
    auto broker = BrokerEnv::load();
    QVERIFY2(broker, "the broker fixture is not up");
    m_broker = *broker;
    m_python = qEnvironmentVariable("KBATCH_PYENV_DIR", QStringLiteral(KBATCH_PYENV_DIR)) + QStringLiteral("/python");
    QVERIFY2(QFile::exists(m_python), qPrintable(m_python + QStringLiteral(" is missing: is the pyenv fixture up?")));
}

QString TestRegistryRoundTrip::createTopic()
{
    // The broker creates no topics by itself; confluent-kafka's admin client (in the venv) makes one.
    const QString topic = freshName("e2e");
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

QList<QJsonObject> TestRegistryRoundTrip::decodeTopic(const QString &topic, const QString &keyFormat)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), keyFormat, QStringLiteral("--value"), QStringLiteral("avro")});
    const bool finished = p.waitForFinished(120000);
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    if (!finished || p.exitCode() != 0)
        qWarning("decode.py failed (exit %d): %s\n%s", p.exitCode(), err.constData(), out.left(2000).constData());
    return finished && p.exitCode() == 0 ? lines : QList<QJsonObject>{};
}

void TestRegistryRoundTrip::produce(const QString &topic, const Batch &rows)
{
    PublishJob job;
    job.topic = topic;
    job.rows = rows;
    job.connection = m_broker.plaintextConnection();
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, rows.size());
}

void TestRegistryRoundTrip::stringKeyAvroValue()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    RegistryClient client(m_registry.settings(m_registry.ccompat));
    SchemaResolver resolver(client);
    SerializerSettings value;
    value.kind = PayloadKind::Avro;
    value.schemaText = orderSchema;
    value.autoRegister = true;
    const auto resolved = resolveBlocking(resolver, value, topic, PayloadPart::Value);
    QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().text));

    const int count = 200;
    Batch rows;
    for (int i = 0; i < count; ++i) {
        QByteArray framed;
        const Status s = resolved->codec->encodeFramed(resolved->schema.id, orderRow(i), framed);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        Message m;
        m.key = Payload("k-" + QByteArray::number(i));
        m.value = Payload(framed, Encoding::Base64);
        rows.append(m);
    }
    produce(topic, rows);
    if (QTest::currentTestFailed())
        return;

    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("string"));
    QCOMPARE(lines.size(), count);
    auto schema = AvroSchema::parse(QByteArray(orderSchema));
    QVERIFY(schema.ok());
    for (int i = 0; i < count; ++i) {
        const QJsonObject &line = lines[i];
        QCOMPARE(line.value(QLatin1String("key")).toString(), QStringLiteral("k-%1").arg(i));
        QCOMPARE(line.value(QLatin1String("value_schema_id")).toInt(), resolved->schema.id);
        compareValue((*schema)->root(), QJsonDocument::fromJson(orderRow(i)).object(),
                     line.value(QLatin1String("value")), QStringLiteral("row %1 $").arg(i));
        if (QTest::currentTestFailed())
            return;
    }
}

void TestRegistryRoundTrip::avroKeyOfItsOwn()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    RegistryClient client(m_registry.settings(m_registry.ccompat));
    // The schemas are registered first, as another team's producer would have; KBatch then takes the latest.
    for (const auto &[part, text] :
         {std::pair{QStringLiteral("-key"), keySchema}, std::pair{QStringLiteral("-value"), orderSchema}}) {
        Schema s;
        s.text = text;
        QVERIFY(waitForRegistry<Schema>([&](QObject *c, auto done) {
                    client.registerSchema(topic + part, s, c, done);
                }).ok());
    }
    SchemaResolver resolver(client);
    SerializerSettings avro;
    avro.kind = PayloadKind::Avro;
    const auto key = resolveBlocking(resolver, avro, topic, PayloadPart::Key);
    const auto value = resolveBlocking(resolver, avro, topic, PayloadPart::Value);
    QVERIFY2(key.ok() && value.ok(), "resolving the key or value schema failed");
    QVERIFY(key->schema.id != value->schema.id);
    QCOMPARE(key->codec->recordName(), QStringLiteral("kbatch.e2e.OrderKey"));

    const int count = 50;
    Batch rows;
    QList<QByteArray> keys;
    for (int i = 0; i < count; ++i) {
        keys.append(R"({"region": ")" + QByteArray(i % 2 ? "eu" : "us") + R"(", "n": )" + QByteArray::number(i) + "}");
        QByteArray k, v;
        QVERIFY(key->codec->encodeFramed(key->schema.id, keys.back(), k).ok());
        QVERIFY(value->codec->encodeFramed(value->schema.id, orderRow(i), v).ok());
        Message m;
        m.key = Payload(k, Encoding::Base64);
        m.value = Payload(v, Encoding::Base64);
        rows.append(m);
    }
    produce(topic, rows);
    if (QTest::currentTestFailed())
        return;

    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("avro"));
    QCOMPARE(lines.size(), count);
    auto keyTree = AvroSchema::parse(QByteArray(keySchema));
    auto valueTree = AvroSchema::parse(QByteArray(orderSchema));
    QVERIFY(keyTree.ok() && valueTree.ok());
    for (int i = 0; i < count; ++i) {
        const QJsonObject &line = lines[i];
        QCOMPARE(line.value(QLatin1String("key_schema_id")).toInt(), key->schema.id);
        QCOMPARE(line.value(QLatin1String("value_schema_id")).toInt(), value->schema.id);
        compareValue((*keyTree)->root(), QJsonDocument::fromJson(keys[i]).object(), line.value(QLatin1String("key")),
                     QStringLiteral("key %1 $").arg(i));
        compareValue((*valueTree)->root(), QJsonDocument::fromJson(orderRow(i)).object(),
                     line.value(QLatin1String("value")), QStringLiteral("row %1 $").arg(i));
        if (QTest::currentTestFailed())
            return;
    }
}

void TestRegistryRoundTrip::twoRecordTypesInOneTopic()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    RegistryClient client(m_registry.settings(m_registry.ccompat));
    SchemaResolver resolver(client);
    SerializerSettings click, view;
    for (auto *s : {&click, &view}) {
        s->kind = PayloadKind::Avro;
        s->subjectStrategy = SubjectNameStrategy::TopicRecordName;
        s->autoRegister = true;
    }
    click.schemaText = clickSchema;
    view.schemaText = viewSchema;
    const auto clicks = resolveBlocking(resolver, click, topic, PayloadPart::Value);
    const auto views = resolveBlocking(resolver, view, topic, PayloadPart::Value);
    QVERIFY2(clicks.ok() && views.ok(), "resolving the two record types failed");
    QCOMPARE(clicks->schema.subject, topic + QStringLiteral("-kbatch.e2e.Click"));
    QCOMPARE(views->schema.subject, topic + QStringLiteral("-kbatch.e2e.View"));

    const int count = 60;
    Batch rows;
    QList<QByteArray> json;
    for (int i = 0; i < count; ++i) {
        const bool isClick = i % 3 != 0;
        json.append(isClick ? QByteArray(R"({"url": "/p/)" + QByteArray::number(i) + R"(", "x": )" +
                                         QByteArray::number(i * 3) + "}")
                            : QByteArray(R"({"page": "home", "ms": "2026-02-0)" + QByteArray::number(1 + i % 9) +
                                         R"(T00:00:00.250Z"})"));
        const ResolvedCodec &r = isClick ? *clicks : *views;
        QByteArray framed;
        QVERIFY(r.codec->encodeFramed(r.schema.id, json.back(), framed).ok());
        Message m;
        m.key = Payload("k");
        m.value = Payload(framed, Encoding::Base64);
        rows.append(m);
    }
    produce(topic, rows);
    if (QTest::currentTestFailed())
        return;

    const QList<QJsonObject> lines = decodeTopic(topic, QStringLiteral("string"));
    QCOMPARE(lines.size(), count);
    auto clickTree = AvroSchema::parse(QByteArray(clickSchema));
    auto viewTree = AvroSchema::parse(QByteArray(viewSchema));
    QVERIFY(clickTree.ok() && viewTree.ok());
    for (int i = 0; i < count; ++i) {
        const bool isClick = i % 3 != 0;
        QCOMPARE(lines[i].value(QLatin1String("value_schema_id")).toInt(),
                 isClick ? clicks->schema.id : views->schema.id);
        compareValue((isClick ? *clickTree : *viewTree)->root(), QJsonDocument::fromJson(json[i]).object(),
                     lines[i].value(QLatin1String("value")), QStringLiteral("row %1 $").arg(i));
        if (QTest::currentTestFailed())
            return;
    }
}

QTEST_GUILESS_MAIN(TestRegistryRoundTrip)
#include "tst_registry_roundtrip.moc"

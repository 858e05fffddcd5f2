// A generator row that fills its value from the registry's schema ("generate": {"fill": ["value"]}), sent by
// kbatch-cli through the real registry to the real broker: kcat reads the very bytes that the same seed makes here
// (the CLI expands as the core does), and confluent-kafka's AvroDeserializer (decode.py) reads every value back
// equal to the JSON generated, placeholders (the row's own fields) included.

#include "RegistryEnv.h"
#include "core/generate/Generator.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/AvroTemplatePlan.h"
#include "core/schema/SchemaFill.h"
#include "tests/broker/BrokerEnv.h"
#include "tests/integration/KcatReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch;
using namespace kbatch::test;

namespace {

const char schemaText[] = R"({"type": "record", "name": "Gen", "namespace": "kbatch.gen", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "big", "type": "long"},
  {"name": "paid", "type": "boolean"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
  {"name": "tags", "type": {"type": "map", "values": "int"}}
]})";

constexpr int Count = 40;
constexpr quint64 Seed = 11;
const char rowValue[] = R"({"id": "g-{{seq}}", "status": "NEW"})";

QByteArray jsonString(const char *text)
{
    return QJsonDocument(QJsonArray{QString::fromUtf8(text)}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

// A decimal text as its unscaled digits at `scale` ("12.5" at 2: "1250").
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

} // namespace

class TestRegistryGenerate : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void filledValuesRoundTrip();
    void plannedRowsRoundTrip();

private:
    QString createTopic();

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
    QTemporaryDir m_dir;
};

void TestRegistryGenerate::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto registry = RegistryEnv::load();
    QVERIFY2(registry, "the registry fixture is not up");
    m_registry = *registry;
    auto broker = BrokerEnv::load();
    QVERIFY2(broker, "the broker fixture is not up");
    m_broker = *broker;
    m_python = qEnvironmentVariable("KBATCH_PYENV_DIR", QStringLiteral(KBATCH_PYENV_DIR)) + QStringLiteral("/python");
    QVERIFY2(QFile::exists(m_python), qPrintable(m_python + QStringLiteral(" is missing: is the pyenv fixture up?")));
}

QString TestRegistryGenerate::createTopic()
{
    const QString topic = freshName("gen");
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

void TestRegistryGenerate::filledValuesRoundTrip()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const auto registered = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + topic + QStringLiteral("-value/versions"),
        R"({"schema": )" + jsonString(schemaText) + "}");
    QCOMPARE(registered.first, 200);
    const int id = QJsonDocument::fromJson(registered.second).object().value(QLatin1String("id")).toInt();
    QVERIFY(id > 0);

    const QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                            R"(", "serialization": {"value": {"kind": "avro"}}, "messages": [
      {"key": "k-{{seq}}", "value": {"json": )" +
                            QByteArray(rowValue) + R"(}, "generate": {"count": )" + QByteArray::number(Count) +
                            R"(, "seed": )" + QByteArray::number(Seed) + R"(, "fill": ["value"]}}]})";
    const QString path = m_dir.filePath(QStringLiteral("gen.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(text), text.size());
    f.close();
    QProcess cli;
    cli.start(QStringLiteral(KBATCH_CLI), {QStringLiteral("send"), path, QStringLiteral("--bootstrap"),
                                           m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat});
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

    // What the same row and seed make here, framed with the registry's id.
    core::ResolvedSchema resolved;
    resolved.schema.text = schemaText;
    resolved.schema.id = id;
    const auto codec = core::AvroCodec::compile(resolved);
    QVERIFY(codec.ok());
    core::Message row;
    row.key = core::Payload("k-{{seq}}");
    row.value = core::Payload(rowValue, core::Encoding::Json);
    row.generate = core::GenerateSpec{};
    row.generate->count = Count;
    row.generate->seed = Seed;
    row.generate->fillValue = true;
    core::Batch batch;
    batch.append(row);
    const auto expected = core::expandGenerators(batch, 0, core::systemClock(), core::schemaFill(nullptr, *codec));
    QVERIFY(expected.ok());
    QCOMPARE(expected->size(), Count);

    const QList<KcatRecord> records = kcatReadAll(m_broker.plaintext, topic);
    QCOMPARE(records.size(), Count);
    for (int i = 0; i < Count; ++i) {
        QByteArray framed;
        QVERIFY((*codec)->encodeFramed(id, *expected->at(i).value.bytes, framed).ok());
        QVERIFY(records[i].value.has_value());
        QCOMPARE(records[i].value->toHex(), framed.toHex());
        QCOMPARE(records[i].key.value_or("(null)"), QByteArray("k-") + QByteArray::number(i + 1));
    }

    QProcess decode;
    decode.start(QStringLiteral("sh"), {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"),
                                        QStringLiteral("--bootstrap"), m_broker.plaintext, QStringLiteral("--registry"),
                                        m_registry.ccompat, QStringLiteral("--topic"), topic, QStringLiteral("--key"),
                                        QStringLiteral("string"), QStringLiteral("--value"), QStringLiteral("avro")});
    QVERIFY(decode.waitForFinished(120000));
    const QByteArray out = decode.readAllStandardOutput();
    QVERIFY2(decode.exitCode() == 0, decode.readAllStandardError().constData());
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), Count);
    for (int i = 0; i < Count; ++i) {
        const QJsonObject line = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(line.value(QLatin1String("value_schema_id")).toInt(), id);
        const QJsonObject got = line.value(QLatin1String("value")).toObject();
        const QJsonObject made = QJsonDocument::fromJson(*expected->at(i).value.bytes).object();
        QCOMPARE(got.value(QLatin1String("id")).toString(), QStringLiteral("g-%1").arg(i + 1));
        QCOMPARE(got.value(QLatin1String("status")).toString(), QStringLiteral("NEW"));
        for (const char *same : {"id", "qty", "big", "paid", "status", "day", "lines", "tags"})
            QVERIFY2(got.value(QLatin1String(same)) == made.value(QLatin1String(same)),
                     qPrintable(QStringLiteral("message %1, %2: generated %3, read %4")
                                    .arg(i)
                                    .arg(QLatin1String(same),
                                         QString::fromUtf8(QJsonDocument(QJsonArray{made.value(QLatin1String(same))})
                                                               .toJson(QJsonDocument::Compact)),
                                         QString::fromUtf8(QJsonDocument(QJsonArray{got.value(QLatin1String(same))})
                                                               .toJson(QJsonDocument::Compact)))));
        // A union may be written tagged ({"string": "x"}) and is read plain; a decimal compared by its digits.
        const QJsonValue note = made.value(QLatin1String("note"));
        QCOMPARE(got.value(QLatin1String("note")),
                 note.isObject() ? note.toObject().value(QLatin1String("string")) : note);
        QCOMPARE(unscaled(got.value(QLatin1String("amount")).toString(), 2),
                 unscaled(made.value(QLatin1String("amount")).toString(), 2));
    }
}

// A generator row whose value kbatch-cli writes straight from the template (AvroTemplatePlan: placeholders only in
// string fields), enough messages for the pieces to be encoded on every core: kcat reads the bytes that expanding
// the same row to JSON and encoding it make here, and confluent-kafka's AvroDeserializer reads each value back equal
// to that JSON.
void TestRegistryGenerate::plannedRowsRoundTrip()
{
    constexpr int Planned = 25000;
    const char plannedSchema[] = R"({"type": "record", "name": "Ev", "namespace": "kbatch.plan", "fields": [
      {"name": "id", "type": "string"}, {"name": "uid", "type": "string"},
      {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
      {"name": "qty", "type": "int"}, {"name": "price", "type": "double"},
      {"name": "note", "type": ["null", "string"], "default": null},
      {"name": "tags", "type": {"type": "array", "items": "string"}},
      {"name": "who", "type": "string", "default": "nobody"}]})";
    // Compact, as the CLI keeps a row's JSON; an é written as itself (an escape would keep the plan away).
    const QByteArray value = R"({"id":"p-{{seq}}","uid":"{{uuid}}","kind":"B","qty":-3,"price":2.5,)"
                             R"("note":"n{{index}}-{{pick x|yy|)"
                             "\xc3\xa9"
                             R"(}}","tags":["t","u"]})";
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const auto registered = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + topic + QStringLiteral("-value/versions"),
        R"({"schema": )" + jsonString(plannedSchema) + "}");
    QCOMPARE(registered.first, 200);
    const int id = QJsonDocument::fromJson(registered.second).object().value(QLatin1String("id")).toInt();
    QVERIFY(id > 0);
    core::ResolvedSchema resolved;
    resolved.schema.text = plannedSchema;
    resolved.schema.id = id;
    const auto codec = core::AvroCodec::compile(resolved);
    QVERIFY(codec.ok());
    QVERIFY2(core::avroTemplatePlanner(core::ResolvedCodec{resolved.schema, *codec})(value) != nullptr,
             value.constData()); // else this would test the usual way again

    const QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                            R"(", "serialization": {"value": {"kind": "avro"}}, "messages": [{"value": {"json": )" +
                            value + R"(}, "generate": {"count": )" + QByteArray::number(Planned) + R"(, "seed": )" +
                            QByteArray::number(Seed) + R"(}}]})";
    const QString path = m_dir.filePath(QStringLiteral("planned.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(text), text.size());
    f.close();
    QProcess cli;
    cli.start(QStringLiteral(KBATCH_CLI), {QStringLiteral("send"), path, QStringLiteral("--bootstrap"),
                                           m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat});
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

    core::Message row;
    row.value = core::Payload(value, core::Encoding::Json);
    row.generate = core::GenerateSpec{};
    row.generate->count = Planned;
    row.generate->seed = Seed;
    core::Batch batch;
    batch.append(row);
    const auto expected = core::expandGenerators(batch, 0);
    QVERIFY(expected.ok());
    QCOMPARE(expected->size(), Planned);

    const QList<KcatRecord> records = kcatReadAll(m_broker.plaintext, topic);
    QCOMPARE(records.size(), Planned);
    for (int i = 0; i < Planned; ++i) {
        QByteArray framed;
        QVERIFY((*codec)->encodeFramed(id, *expected->at(i).value.bytes, framed).ok());
        QVERIFY(records[i].value.has_value());
        if (*records[i].value != framed)
            QCOMPARE(records[i].value->toHex(), framed.toHex()); // says which bytes differ
    }

    QProcess decode;
    decode.start(QStringLiteral("sh"),
                 {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"),
                  QStringLiteral("--bootstrap"), m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat,
                  QStringLiteral("--topic"), topic, QStringLiteral("--value"), QStringLiteral("avro")});
    QVERIFY(decode.waitForFinished(180000));
    const QByteArray out = decode.readAllStandardOutput();
    QVERIFY2(decode.exitCode() == 0, decode.readAllStandardError().constData());
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QCOMPARE(lines.size(), Planned);
    for (int i = 0; i < Planned; ++i) {
        const QJsonObject line = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(line.value(QLatin1String("value_schema_id")).toInt(), id);
        QJsonObject made = QJsonDocument::fromJson(*expected->at(i).value.bytes).object();
        made.insert(QLatin1String("who"), QStringLiteral("nobody")); // the default the row leaves out
        const QJsonObject got = line.value(QLatin1String("value")).toObject();
        if (got != made)
            QFAIL(qPrintable(QStringLiteral("message %1: generated %2, read %3")
                                 .arg(i)
                                 .arg(QString::fromUtf8(QJsonDocument(made).toJson(QJsonDocument::Compact)),
                                      QString::fromUtf8(QJsonDocument(got).toJson(QJsonDocument::Compact)))));
    }
    QCOMPARE(
        QJsonDocument::fromJson(lines[0]).object().value(QLatin1String("value")).toObject().value(QLatin1String("id")),
        QJsonValue(QStringLiteral("p-1")));
}

QTEST_GUILESS_MAIN(TestRegistryGenerate)
#include "tst_registry_generate.moc"

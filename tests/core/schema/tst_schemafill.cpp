// Generator rows that fill a part from its schema ("generate": {"fill": ["value"]}): every message fits the schema
// (the codec encodes it), the same seed gives the same bytes and another seed other values, placeholders in the row's
// JSON still expand and win over the random values, and a row that cannot be filled is refused naming the row.

#include "core/generate/Generator.h"
#include "core/generate/JsonMerge.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/SchemaFill.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace kbatch::core;

namespace {

std::shared_ptr<const AvroCodec> compile(const QByteArray &schema)
{
    ResolvedSchema resolved;
    resolved.schema.text = schema;
    resolved.schema.id = 1;
    auto codec = AvroCodec::compile(resolved);
    if (!codec.ok()) {
        qWarning("schema does not compile: %s", qPrintable(codec.error().message()));
        return nullptr;
    }
    return *codec;
}

const char everything[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.fill", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "big", "type": "long"},
  {"name": "price", "type": "double"},
  {"name": "ratio", "type": "float"},
  {"name": "paid", "type": "boolean"},
  {"name": "raw", "type": "bytes"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "maybeLine", "type": ["null", {"type": "record", "name": "Extra", "fields": [{"name": "x", "type": "int"}]}]},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
  {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 8}},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "fixedAmount", "type": {"type": "fixed", "name": "Amt", "size": 6, "logicalType": "decimal",
    "precision": 12, "scale": 3}},
  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
  {"name": "tm", "type": {"type": "int", "logicalType": "time-millis"}},
  {"name": "tu", "type": {"type": "long", "logicalType": "time-micros"}},
  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
  {"name": "atMicros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
  {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"},
               {"name": "sub", "type": {"type": "array", "items": "long"}}]}}},
  {"name": "tags", "type": {"type": "map", "values": ["null", "Status"]}},
  {"name": "source", "type": "string", "default": "kbatch"}
]})";

Batch fillRow(std::int64_t count, std::optional<std::uint64_t> seed, Payload value = Payload::null(),
              bool fillKey = false)
{
    Message m;
    m.value = std::move(value);
    GenerateSpec spec;
    spec.count = count;
    spec.seed = seed;
    spec.fillValue = true;
    spec.fillKey = fillKey;
    m.generate = spec;
    Batch b;
    b.append(m);
    return b;
}

} // namespace

class TestSchemaFill : public QObject
{
    Q_OBJECT
private slots:
    void everyValueFitsAndASeedRepeats_data();
    void everyValueFitsAndASeedRepeats();
    void placeholdersInTheRowStillWork();
    void keyAndValueBothFilled();
    void mergeRules_data();
    void mergeRules();
    void rowsThatCannotBeFilled();
};

void TestSchemaFill::everyValueFitsAndASeedRepeats_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::newRow("everything: nested, arrays, maps, enums, fixed, unions, logical") << QByteArray(everything);
    QTest::newRow("array of maps") << QByteArray(R"({"type": "array", "items": {"type": "map", "values": "int"}})");
    QTest::newRow("nullable record root")
        << QByteArray(R"(["null", {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}])");
    QTest::newRow("enum root") << QByteArray(R"({"type": "enum", "name": "E", "symbols": ["A", "B", "C", "D"]})");
    QTest::newRow("fixed root") << QByteArray(R"({"type": "fixed", "name": "F", "size": 16})");
    QTest::newRow("recursive list") << QByteArray(
        R"({"type": "record", "name": "Node", "fields": [{"name": "v", "type": "int"},
                          {"name": "next", "type": ["null", "Node"], "default": null}]})");
    QTest::newRow("string") << QByteArray(R"("string")");
}

void TestSchemaFill::everyValueFitsAndASeedRepeats()
{
    QFETCH(QByteArray, schema);
    const auto codec = compile(schema);
    QVERIFY(codec);
    const SchemaFill fill = schemaFill(nullptr, codec);
    const int count = 300;
    const auto first = expandGenerators(fillRow(count, 42), 1, systemClock(), fill);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message()));
    QCOMPARE(first->size(), count);
    QSet<QByteArray> distinct;
    for (qsizetype i = 0; i < first->size(); ++i) {
        const Payload v = first->at(i).value;
        QVERIFY(!v.isNull());
        QCOMPARE(v.encoding, Encoding::Json);
        QByteArray encoded;
        const Status s = codec->encode(*v.bytes, encoded);
        QVERIFY2(s.ok(), qPrintable(QStringLiteral("message %1: %2: %3")
                                        .arg(i)
                                        .arg(QString::fromUtf8(*v.bytes), s.ok() ? QString() : s.error().message())));
        // What the codec reads back from its own bytes encodes to the same bytes: the value is a proper one.
        const auto decoded = codec->decode(encoded);
        QVERIFY(decoded.ok());
        QByteArray again;
        QVERIFY(codec->encode(*decoded, again).ok());
        QCOMPARE(again, encoded);
        distinct.insert(*v.bytes);
    }
    QVERIFY2(distinct.size() > 2, "the values hardly vary");

    // The same seed, on its own and in another expansion: the same bytes. Another seed: other values.
    const auto second = expandGenerators(fillRow(count, 42), 999, systemClock(), fill);
    QVERIFY(second.ok());
    const auto other = expandGenerators(fillRow(count, 43), 1, systemClock(), fill);
    QVERIFY(other.ok());
    bool differs = false;
    for (qsizetype i = 0; i < count; ++i) {
        QCOMPARE(*second->at(i).value.bytes, *first->at(i).value.bytes);
        differs = differs || *other->at(i).value.bytes != *first->at(i).value.bytes;
    }
    QVERIFY(differs);
    // The editor's preview shows the first messages a send makes.
    const auto preview = previewGenerator(fillRow(count, 42).at(0), 5, 7, systemClock(), fill);
    QVERIFY(preview.ok());
    QCOMPARE(preview->size(), 5);
    for (qsizetype i = 0; i < 5; ++i)
        QCOMPARE(*preview->at(i).value.bytes, *first->at(i).value.bytes);
}

void TestSchemaFill::placeholdersInTheRowStillWork()
{
    const auto codec = compile(everything);
    QVERIFY(codec);
    const Payload row(R"({"id": "order-{{seq}}", "qty": 5, "note": {"string": "{{pick a|b}}"}, "source": "peek"})",
                      Encoding::Json);
    const auto out = expandGenerators(fillRow(50, 7, row), 1, systemClock(), schemaFill(nullptr, codec));
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message()));
    QCOMPARE(out->size(), 50);
    for (qsizetype i = 0; i < out->size(); ++i) {
        const QByteArray bytes = *out->at(i).value.bytes;
        QByteArray encoded;
        const Status s = codec->encode(bytes, encoded);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        const QJsonObject o = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(o.value(QLatin1String("id")).toString(), QStringLiteral("order-%1").arg(i + 1));
        QCOMPARE(o.value(QLatin1String("qty")).toInt(), 5);
        const QString note = o.value(QLatin1String("note")).toObject().value(QLatin1String("string")).toString();
        QVERIFY2(note == QLatin1String("a") || note == QLatin1String("b"), qPrintable(note));
        QCOMPARE(o.value(QLatin1String("source")).toString(), QStringLiteral("peek"));
        QVERIFY(o.contains(QLatin1String("lines")) && o.contains(QLatin1String("amount"))); // the rest random
        // Fields in the schema's order, whatever order the row wrote them in.
        QVERIFY(bytes.startsWith("{\"id\":\"order-"));
    }
}

void TestSchemaFill::keyAndValueBothFilled()
{
    const auto key = compile(R"({"type": "record", "name": "K", "fields": [{"name": "region", "type": "string"}]})");
    const auto value = compile(everything);
    QVERIFY(key && value);
    const auto out = expandGenerators(fillRow(20, 3, Payload::null(), true), 1, systemClock(), schemaFill(key, value));
    QVERIFY(out.ok());
    for (qsizetype i = 0; i < out->size(); ++i) {
        QByteArray k, v;
        QVERIFY(key->encode(*out->at(i).key.bytes, k).ok());
        QVERIFY(value->encode(*out->at(i).value.bytes, v).ok());
    }
}

void TestSchemaFill::mergeRules_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("over");
    QTest::addColumn<QByteArray>("merged");
    QTest::newRow("nothing over") << QByteArray(R"({"a": 1, "b": "x"})") << QByteArray("")
                                  << QByteArray(R"({"a":1,"b":"x"})");
    QTest::newRow("a field") << QByteArray(R"({"a": 1, "b": "x"})") << QByteArray(R"({"b": "y"})")
                             << QByteArray(R"({"a":1,"b":"y"})");
    QTest::newRow("base order kept") << QByteArray(R"({"a": 1, "b": 2})") << QByteArray(R"({"b": 3, "a": 4})")
                                     << QByteArray(R"({"a":4,"b":3})");
    QTest::newRow("nested record") << QByteArray(R"({"r": {"x": 1, "y": 2}, "z": 0})")
                                   << QByteArray(R"({"r": {"y": 9}})") << QByteArray(R"({"r":{"x":1,"y":9},"z":0})");
    QTest::newRow("a map is the user's whole")
        << QByteArray(R"({"m": {"k1": 1}})") << QByteArray(R"({"m": {"a": 2}})") << QByteArray(R"({"m":{"a":2}})");
    QTest::newRow("a union in the other form")
        << QByteArray(R"({"u": {"string": "r"}})") << QByteArray(R"({"u": "mine"})") << QByteArray(R"({"u":"mine"})");
    QTest::newRow("an array is the user's whole")
        << QByteArray(R"({"l": [1, 2, 3]})") << QByteArray(R"({"l": []})") << QByteArray(R"({"l":[]})");
    QTest::newRow("long stays exact") << QByteArray(R"({"n": 1})") << QByteArray(R"({"n": 9007199254740993})")
                                      << QByteArray(R"({"n":9007199254740993})");
    QTest::newRow("unknown member: the row whole")
        << QByteArray(R"({"a": 1})") << QByteArray(R"({"zz": 1})") << QByteArray(R"({"zz":1})");
    QTest::newRow("invalid JSON over: as it is")
        << QByteArray(R"({"a": 1})") << QByteArray(R"({"a": )") << QByteArray(R"({"a": )");
    QTest::newRow("escaped names") << QByteArray(R"({"a\"b": 1, "c": 2})") << QByteArray(R"({"a\u0022b": 5})")
                                   << QByteArray(R"({"a\"b":5,"c":2})");
}

void TestSchemaFill::mergeRules()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, over);
    QFETCH(QByteArray, merged);
    QCOMPARE(mergeJsonOver(base, over), merged);
}

void TestSchemaFill::rowsThatCannotBeFilled()
{
    const auto codec = compile(everything);
    QVERIFY(codec);
    // No schema for the value: the part is sent as bytes.
    auto untyped = expandGenerators(fillRow(3, 1), 1, systemClock(), schemaFill(codec, nullptr));
    QVERIFY(!untyped.ok());
    QCOMPARE(untyped.error().message(),
             QStringLiteral("row 1: generate fills the value from its schema, but the value is not sent through a "
                            "Schema Registry"));
    // Text or base64 to lay over a random value: not JSON.
    Batch rows = fillRow(1, 1);
    rows.append(fillRow(3, 1, Payload(QByteArray("plain text"))).at(0));
    auto text = expandGenerators(rows, 1, systemClock(), schemaFill(nullptr, codec));
    QVERIFY(!text.ok());
    QCOMPARE(text.error().message(),
             QStringLiteral("row 2: generate fills the value from its schema: write the value as JSON (the fields to "
                            "fix) or leave it null"));
    // Without "fill", a row is expanded as before even with a schema at hand.
    Message plain;
    plain.value = Payload("v-{{seq}}");
    plain.generate = GenerateSpec{};
    plain.generate->count = 2;
    Batch b;
    b.append(plain);
    auto out = expandGenerators(b, 1, systemClock(), schemaFill(nullptr, codec));
    QVERIFY(out.ok());
    QCOMPARE(*out->at(1).value.bytes, QByteArray("v-2"));
    QCOMPARE(out->at(1).value.encoding, Encoding::Text);
}

QTEST_GUILESS_MAIN(TestSchemaFill)
#include "tst_schemafill.moc"

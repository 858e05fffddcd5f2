#include "core/schema/AvroTemplatePlan.h"
#include "core/schema/RowSerializer.h"

#include "core/generate/Clock.h"
#include "core/generate/Generator.h"

#include <QTest>

using namespace kbatch::core;

// AvroTemplatePlan: generator rows whose Avro part is written straight from the template. Every planned send must give
// the bytes of the way it replaces (expand to JSON text, then AvroJsonEncoder), message for message; templates it
// cannot do exactly go that way, with its errors.
class TestAvroTemplatePlan : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsTheEncoder_data();
    void sameBytesAsTheEncoder();
    void keyAndValuePlanned();
    void notPlanned_data();
    void notPlanned();
    void errorsNameTheRowAndField();
    void notAvroNoPlanner();
    void tasksMakeWhatTakeMakes();
};

static ResolvedCodec compile(const QByteArray &text, int id, SchemaFormat format = SchemaFormat::Avro)
{
    ResolvedSchema schema;
    schema.schema.id = id;
    schema.schema.format = format;
    schema.schema.text = text;
    auto codec = compilePayloadCodec(schema);
    if (!codec)
        qFatal("%s", qPrintable(codec.error().message()));
    return ResolvedCodec{schema.schema, codec.value()};
}

// The benchmark's record (bench/schema_send.sh), and one with every kind of field around the planned strings.
static const QByteArray EventSchema = R"({"type":"record","name":"Event","namespace":"kbatch.bench","fields":[
 {"name":"id","type":"string"},{"name":"uid","type":"string"},{"name":"kind","type":"string"},
 {"name":"count","type":"int"},{"name":"total","type":"long"},{"name":"ratio","type":"double"},
 {"name":"ok","type":"boolean"},{"name":"note","type":["null","string"],"default":null},
 {"name":"region","type":"string"},{"name":"source","type":"string"}]})";
static const QByteArray WideSchema = R"({"type":"record","name":"Wide","fields":[
 {"name":"a","type":["string","null"]},
 {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"long"},
   {"name":"tags","type":{"type":"array","items":"string"}}]}},
 {"name":"m","type":{"type":"map","values":"int"}},
 {"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},
 {"name":"f","type":{"type":"fixed","name":"F2","size":2}},
 {"name":"b","type":"bytes"},
 {"name":"fl","type":"float"},
 {"name":"d","type":"double"},
 {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
 {"name":"s","type":"string"},
 {"name":"opt","type":["null","int"],"default":null},
 {"name":"last","type":"string","default":"dflt"}]})";

static Batch generatorRow(const QByteArray &value, std::int64_t count, const QByteArray &key = {})
{
    Batch rows;
    Message gen;
    if (!key.isEmpty())
        gen.key = Payload(key, Encoding::Json);
    gen.value = Payload(value, Encoding::Json);
    gen.generate = GenerateSpec{count, std::uint64_t(42)};
    rows.append(gen);
    return rows;
}

// The messages the plan makes for `rows` and the ones expanding and encoding make, compared one by one.
static void compareWithEncoder(const Batch &rows, const SendCodecs &codecs, qsizetype pieceRows = 1000)
{
    const FixedClock clock(1764979200123);
    auto expanded = expandGenerators(rows, 7, clock);
    QVERIFY(expanded.ok());
    auto expected = serializeRows(expanded.value(), codecs);
    QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().message()));
    GeneratorExpander expander(7, clock);
    QVERIFY(expander.add(rows).ok());
    auto out = serializeRows(expander, codecs, pieceRows);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message()));
    QCOMPARE(out->size(), expected->size());
    for (qsizetype r = 0; r < out->size(); ++r) {
        const Message got = out->at(r), want = expected->at(r);
        if (!(got == want))
            QFAIL(qPrintable(QStringLiteral("message %1 differs: %2 vs %3")
                                 .arg(r)
                                 .arg(QString::fromLatin1(got.value.bytes.value_or(QByteArray()).toHex()),
                                      QString::fromLatin1(want.value.bytes.value_or(QByteArray()).toHex()))));
    }
}

void TestAvroTemplatePlan::sameBytesAsTheEncoder_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<std::int64_t>("count");
    QTest::newRow("the benchmark's row")
        << EventSchema
        << QByteArray(R"({"id":"e-{{seq}}","uid":"{{uuid}}","kind":"click","count":42,"total":1234567890123,)"
                      R"("ratio":0.25,"ok":true,"note":"n","region":"eu-west-1","source":"kbatch-bench"})")
        << std::int64_t(30000);
    QTest::newRow("a nullable string planned, fields in another order, a default left out")
        << EventSchema
        << QByteArray(R"({"source":"s","note":"n-{{index}}-{{random.hex 5}}","id":"{{random.int -5 5000000}}",)"
                      R"("uid":"{{now}}/{{now.ms}}","kind":"{{pick a|bb|ccc}}","count":-1,"total":-9,)"
                      R"("ratio":1e300,"ok":false,"region":""})")
        << std::int64_t(2000);
    QTest::newRow("spaces, non-ASCII text, a long string")
        << EventSchema
        << QByteArray(
               " { \"id\" : \"\xc3\xa9t\xc3\xa9-{{seq}}\" , \"uid\":\"{{pick \xe2\x82\xac|x|\xf0\x9f\x98\x80}}\","
               "\"kind\":\"" +
               QByteArray(300, 'k') +
               "{{seq}}\",\"count\":7,\"total\":0,\"ratio\":0,\"ok\":true,\"note\":null,"
               "\"region\":\"r\",\"source\":\"s\"} ")
        << std::int64_t(500);
    QTest::newRow("every kind of field around the planned ones")
        << WideSchema
        << QByteArray(R"({"a":"a{{seq}}","inner":{"x":5,"tags":["t1","t2"]},"m":{"k":1,"j":2},"e":"GREEN",)"
                      R"("f":"ab","b":"\u00ff","fl":"NaN","d":-0.0,"ts":"2026-12-06T00:00:00Z","s":"{{uuid}}",)"
                      R"("opt":3})")
        << std::int64_t(100);
    QTest::newRow("the same without escapes, planned")
        << WideSchema
        << QByteArray(R"({"a":"a{{seq}}","inner":{"x":5,"tags":[]},"m":{},"e":"RED","f":"ab","b":"",)"
                      R"("fl":1.5,"d":"Infinity","ts":0,"s":"{{uuid}}","last":"x{{seq}}"})")
        << std::int64_t(100);
    QTest::newRow("every random placeholder, expanded on every core")
        << EventSchema
        << QByteArray(R"({"id":"{{random.int 1 1000}}-{{pick a|b|c}}-{{seq}}","uid":"{{random.hex 21}}{{uuid}}",)"
                      R"("kind":"{{random.int -9223372036854775808 9223372036854775807}}","count":42,"total":1,)"
                      R"("ratio":0.25,"ok":true,"note":"{{index}}{{random.hex 16}}","region":"r","source":"s"})")
        << std::int64_t(45000);
    QTest::newRow("no placeholder at all") << EventSchema
                                           << QByteArray(R"({"id":"i","uid":"u","kind":"k","count":1,"total":2,)"
                                                         R"("ratio":0.5,"ok":true,"region":"r","source":"s"})")
                                           << std::int64_t(50);
}

void TestAvroTemplatePlan::sameBytesAsTheEncoder()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, value);
    QFETCH(std::int64_t, count);
    const ResolvedCodec codec = compile(schema, 12);
    const bool hasEscape = value.contains('\\');
    // Planned, except where an escape in the template sends it the usual way: both must give the same bytes.
    QCOMPARE(avroTemplatePlanner(codec)(value) != nullptr, !hasEscape);
    SendCodecs codecs;
    codecs.value = codec;
    Batch rows = generatorRow(value, count);
    Message plain;
    plain.value = Payload(QByteArray(R"({"id":"lit","uid":"u","kind":"k","count":1,"total":2,"ratio":0.5,"ok":false,)"
                                     R"("region":"r","source":"s"})"),
                          Encoding::Json);
    if (schema == EventSchema) { // rows of the usual kind around it: their order is kept
        Batch mixed;
        mixed.append(plain);
        mixed.append(rows);
        mixed.append(plain);
        rows = mixed;
    }
    compareWithEncoder(rows, codecs);
    compareWithEncoder(rows, codecs, 1); // pieces of one message
}

void TestAvroTemplatePlan::keyAndValuePlanned()
{
    SendCodecs codecs;
    codecs.value = compile(EventSchema, 3);
    codecs.key = compile(
        R"({"type":"record","name":"K","fields":[{"name":"id","type":"string"},{"name":"n","type":"int"}]})", 4);
    const QByteArray key = R"({"id":"k-{{seq}}","n":1})";
    QVERIFY(avroTemplatePlanner(*codecs.key)(key) != nullptr);
    compareWithEncoder(
        generatorRow(R"({"id":"e-{{seq}}","uid":"{{uuid}}","kind":"click","count":42,"total":1,"ratio":0.25,)"
                     R"("ok":true,"region":"eu","source":"b"})",
                     25000, key),
        codecs);
}

void TestAvroTemplatePlan::notPlanned_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QByteArray>("value");
    const QByteArray rest = R"("uid":"u","kind":"k","total":2,"ratio":0.5,"ok":true,"region":"r","source":"s")";
    QTest::newRow("a placeholder outside a string") << EventSchema << R"({"id":"i","count":{{seq}},)" + rest + "}";
    QTest::newRow("a string with a placeholder for an int")
        << EventSchema << R"({"id":"i","count":"{{seq}}",)" + rest + "}";
    QTest::newRow("a placeholder in a name") << EventSchema << R"({"id":"i","count":1,"x{{seq}}":1,)" + rest + "}";
    QTest::newRow("a tagged union around it")
        << EventSchema << R"({"id":"i","count":1,"note":{"string":"{{seq}}"},)" + rest + "}";
    QTest::newRow("an unknown field") << EventSchema << R"({"id":"{{seq}}","count":1,"nope":1,)" + rest + "}";
    QTest::newRow("a field twice") << EventSchema << R"({"id":"{{seq}}","id":"x","count":1,)" + rest + "}";
    QTest::newRow("a missing field") << EventSchema << QByteArray(R"({"id":"{{seq}}"})");
    QTest::newRow("an escape in the template") << EventSchema << R"({"id":"a\"{{seq}}","count":1,)" + rest + "}";
    QTest::newRow("a uuid string (its form is checked)")
        << QByteArray(R"({"type":"record","name":"U","fields":[{"name":"u","type":{"type":"string",)"
                      R"("logicalType":"uuid"}}]})")
        << QByteArray(R"({"u":"{{uuid}}"})");
    QTest::newRow("a union with two branches that take text")
        << QByteArray(R"({"type":"record","name":"U","fields":[{"name":"u","type":["string","double"]}]})")
        << QByteArray(R"({"u":"{{seq}}"})");
    QTest::newRow("not a record") << QByteArray(R"("string")") << QByteArray(R"("{{seq}}")");
    QTest::newRow("an array of them") << QByteArray(R"({"type":"record","name":"U","fields":[{"name":"u","type":)"
                                                    R"({"type":"array","items":"string"}}]})")
                                      << QByteArray(R"({"u":["{{seq}}"]})");
}

void TestAvroTemplatePlan::notPlanned()
{
    QFETCH(QByteArray, schema);
    QFETCH(QByteArray, value);
    const ResolvedCodec codec = compile(schema, 5);
    QVERIFY(avroTemplatePlanner(codec)(value) == nullptr);
    // And the usual way gives what it gave before: the same bytes, or the same error.
    SendCodecs codecs;
    codecs.value = codec;
    const Batch rows = generatorRow(value, 40);
    auto expanded = expandGenerators(rows, 7);
    QVERIFY(expanded.ok());
    auto expected = serializeRows(expanded.value(), codecs);
    GeneratorExpander expander(7);
    QVERIFY(expander.add(rows).ok());
    auto out = serializeRows(expander, codecs);
    QCOMPARE(out.ok(), expected.ok());
    if (!out.ok()) {
        QCOMPARE(out.error().message(), expected.error().message());
        return;
    }
    QCOMPARE(out->size(), expected->size());
    for (qsizetype r = 0; r < out->size(); ++r)
        QVERIFY(out->at(r) == expected->at(r));
}

void TestAvroTemplatePlan::errorsNameTheRowAndField()
{
    // A planned generator row, then rows that do not fit: the error counts every message before them and names the
    // field, as without the plan; a base64 value is refused, not passed off as encoded.
    SendCodecs codecs;
    codecs.value = compile(EventSchema, 9);
    Batch rows = generatorRow(R"({"id":"e-{{seq}}","uid":"{{uuid}}","kind":"click","count":42,"total":1,"ratio":0.25,)"
                              R"("ok":true,"region":"eu","source":"b"})",
                              30000);
    Message bad;
    bad.value = Payload(QByteArray(R"({"id":"x","uid":"u","kind":"k","count":"many","total":2,"ratio":0.5,"ok":true,)"
                                   R"("region":"r","source":"s"})"),
                        Encoding::Json);
    rows.append(bad);
    {
        GeneratorExpander expander(1);
        QVERIFY(expander.add(rows).ok());
        RowSerializeFailure failure;
        auto out = serializeRows(expander, codecs, 4096, &failure);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().message(), QStringLiteral("message 30000: value: $.count: expected int, got a string"));
        // The same facts apart, for the window, which names and selects the row its own way.
        QCOMPARE(failure.row, qsizetype(30000));
        QCOMPARE(failure.part, QStringLiteral("value"));
        QCOMPARE(failure.reason, QStringLiteral("$.count: expected int, got a string"));
    }
    Batch generated = generatorRow(R"({"id":"i","uid":"u","kind":"k","count":"{{seq}}","total":2,"ratio":0.5,)"
                                   R"("ok":true,"region":"r","source":"s"})",
                                   10);
    {
        GeneratorExpander expander(1);
        QVERIFY(expander.add(generated).ok());
        auto out = serializeRows(expander, codecs);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().message(), QStringLiteral("message 0: value: $.count: expected int, got a string"));
    }
    Batch withBytes = generatorRow(R"({"id":"e-{{seq}}","uid":"u","kind":"k","count":1,"total":2,"ratio":0.5,)"
                                   R"("ok":true,"region":"r","source":"s"})",
                                   5);
    Message raw;
    raw.value = Payload(QByteArray("\x00\x00\x00\x00\x09", 5), Encoding::Base64);
    withBytes.append(raw);
    GeneratorExpander expander(1);
    QVERIFY(expander.add(withBytes).ok());
    auto out = serializeRows(expander, codecs);
    QVERIFY(!out.ok());
    QVERIFY2(out.error().message().startsWith(QStringLiteral("message 5: value: ")), qPrintable(out.error().message()));
}

void TestAvroTemplatePlan::notAvroNoPlanner()
{
    const ResolvedCodec json =
        compile(R"({"type":"object","properties":{"id":{"type":"string"}}})", 2, SchemaFormat::JsonSchema);
    QCOMPARE(json.codec->format(), SchemaFormat::JsonSchema);
    QVERIFY(!avroTemplatePlanner(json));
}

// GeneratorExpander::takeTask(): tasks run later, in any order, make what take() makes in order, and move the random
// stream exactly as far (rows after them, sharing the stream, come out the same too).
void TestAvroTemplatePlan::tasksMakeWhatTakeMakes()
{
    Batch rows;
    Message a;
    a.key = Payload(QByteArray("k-{{seq}}-{{pick x|y}}"));
    a.value = Payload(QByteArray(R"({"n":{{random.int 1 6}},"h":"{{random.hex 33}}","u":"{{uuid}}"})"), Encoding::Json);
    a.headers = {Header{"trace", Payload(QByteArray("{{uuid}}"))}, Header{"fixed", Payload(QByteArray("f"))}};
    a.generate = GenerateSpec{5000, std::nullopt}; // the shared stream
    rows.append(a);
    Message plain;
    plain.value = Payload(QByteArray("plain"));
    rows.append(plain);
    Message b = a;
    b.generate = GenerateSpec{3001, std::uint64_t(5)}; // its own stream
    rows.append(b);
    Message c = a; // the shared stream again, after the tasks moved it
    c.generate = GenerateSpec{10, std::nullopt};
    rows.append(c);
    Message timed;
    timed.value = Payload(QByteArray("{{now.ms}}-{{uuid}}")); // reads the clock: no task
    timed.generate = GenerateSpec{20, std::nullopt};
    rows.append(timed);

    const FixedClock clock(1764979200123);
    GeneratorExpander once(3, clock);
    QVERIFY(once.add(rows).ok());
    const Batch expected = once.take(1'000'000);
    QCOMPARE(expected.size(), 5000 + 1 + 3001 + 10 + 20);

    GeneratorExpander inTasks(3, clock);
    QVERIFY(inTasks.add(rows).ok());
    std::vector<ExpansionTask> tasks;
    std::vector<Batch> taken; // in order: a task's rows, or what take() gave
    std::vector<int> kinds;
    int tasksMade = 0;
    for (;;) {
        if (auto task = inTasks.takeTask(777)) {
            ++tasksMade;
            QVERIFY(task->size() > 0 && task->size() <= 777);
            tasks.push_back(*task);
            taken.emplace_back();
            kinds.push_back(int(tasks.size()) - 1);
            continue;
        }
        Batch next = inTasks.take(777);
        if (next.isEmpty())
            break;
        taken.push_back(next);
        kinds.push_back(-1);
    }
    QVERIFY(inTasks.isEmpty());
    QVERIFY(tasksMade >= 9); // most of the 5000, 3001 and 10 (take() gets the plain row and what follows it)
    for (int t = int(tasks.size()) - 1; t >= 0; --t) // backwards: the order they run in does not matter
        for (std::size_t i = 0; i < kinds.size(); ++i)
            if (kinds[i] == t)
                taken[i] = tasks[std::size_t(t)].run(nullptr);
    Batch all;
    for (const Batch &piece : taken)
        all.append(piece);
    QCOMPARE(all.size(), expected.size());
    for (qsizetype r = 0; r < all.size(); ++r)
        if (!(all.at(r) == expected.at(r)))
            QFAIL(qPrintable(QStringLiteral("message %1 differs: %2 vs %3")
                                 .arg(r)
                                 .arg(QString::fromUtf8(all.at(r).value.bytes.value_or(QByteArray())),
                                      QString::fromUtf8(expected.at(r).value.bytes.value_or(QByteArray())))));
}

QTEST_GUILESS_MAIN(TestAvroTemplatePlan)
#include "tst_avrotemplateplan.moc"

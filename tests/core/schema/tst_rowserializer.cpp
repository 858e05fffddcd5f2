#include "core/schema/ConfluentFrame.h"
#include "core/schema/RowSerializer.h"

#include "core/generate/Generator.h"

#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Message)

// serializeRows(): the step between a batch as typed and the bytes a send hands to the producer.
class TestRowSerializer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void framesValuesKeepsTheRest();
    void bothParts();
    void refusals_data();
    void refusals();
    void expandedInPiecesIsTheSame_data();
    void expandedInPiecesIsTheSame();
    void expandedInPiecesNamesTheFirstBadMessage();
    void readInPiecesIsTheSame_data();
    void readInPiecesIsTheSame();
    void readErrorAfterRowsThatFit();
    void rowThatDoesNotFitBeforeAReadError();

private:
    ResolvedCodec m_value;
    ResolvedCodec m_key;
};

static ResolvedCodec compile(const char *text, int id)
{
    ResolvedSchema schema;
    schema.schema.id = id;
    schema.schema.text = text;
    auto codec = compilePayloadCodec(schema);
    if (!codec)
        qFatal("%s", qPrintable(codec.error().message()));
    return ResolvedCodec{schema.schema, codec.value()};
}

void TestRowSerializer::initTestCase()
{
    m_value = compile(R"({"type": "record", "name": "R", "fields": [{"name": "n", "type": "int"},
                         {"name": "s", "type": ["null", "string"], "default": null}]})",
                      7);
    m_key = compile(R"("string")", 300);
}

void TestRowSerializer::framesValuesKeepsTheRest()
{
    Batch rows;
    Message m;
    m.key = Payload(QByteArray("plain key"));
    m.value = Payload(QByteArray(R"({"n": 5, "s": {"string": "x"}})"), Encoding::Json);
    m.headers = {Header{"h", Payload(QByteArray("v"))}};
    m.partition = 2;
    m.timestamp = 1767225600000;
    rows.append(m);
    Message tombstone;
    tombstone.key = Payload(QByteArray("gone"));
    rows.append(tombstone);
    Message text; // a text payload is read as JSON text
    text.value = Payload(QByteArray(R"({"n": -1})"));
    rows.append(text);

    SendCodecs codecs;
    codecs.value = m_value;
    auto out = serializeRows(rows, codecs);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message()));
    QCOMPARE(out->size(), 3);
    const Message first = out->at(0);
    QCOMPARE(first.key, m.key);
    QCOMPARE(first.headers, m.headers);
    QCOMPARE(first.partition, m.partition);
    QCOMPARE(first.timestamp, m.timestamp);
    QVERIFY(first.value.encoding == Encoding::Base64);
    // magic 0, id 7 big endian, then n=5 (zigzag 0x0a), union branch 1 (0x02), "x" (length 1: 0x02, 'x').
    QCOMPARE(*first.value.bytes, QByteArray::fromHex("00000000070a020278"));
    QVERIFY(out->at(1).value.isNull()); // a tombstone stays one
    QCOMPARE(*out->at(2).value.bytes, QByteArray::fromHex("00000000070100"));
}

void TestRowSerializer::bothParts()
{
    Batch rows;
    Message m;
    m.key = Payload(QByteArray(R"("k-1")"), Encoding::Json);
    m.value = Payload(QByteArray(R"({"n": 1})"), Encoding::Json);
    rows.append(m);
    SendCodecs codecs;
    codecs.key = m_key;
    codecs.value = m_value;
    auto out = serializeRows(rows, codecs);
    QVERIFY(out.ok());
    QCOMPARE(*out->at(0).key.bytes, QByteArray::fromHex("000000012c06") + "k-1");
    QCOMPARE(*out->at(0).value.bytes, QByteArray::fromHex("00000000070200"));
}

void TestRowSerializer::refusals_data()
{
    QTest::addColumn<Message>("bad");
    QTest::addColumn<QString>("text");
    Message m;
    m.value = Payload(QByteArray(R"({"n": "five"})"), Encoding::Json);
    QTest::newRow("wrong type") << m << QStringLiteral("message 1: value: $.n: expected int, got a string");
    m.value = Payload(QByteArray("AAEC"), Encoding::Base64);
    QTest::newRow("base64") << m
                            << QStringLiteral("message 1: value: Avro payloads are written as JSON, not as base64 "
                                              "bytes");
    m.value = Payload(QByteArray("not json"));
    QTest::newRow("not JSON") << m << QStringLiteral("message 1: value: ");
    m.value = Payload(QByteArray(R"({"n": 1})"), Encoding::Json);
    m.generate = GenerateSpec{3, {}};
    QTest::newRow("generator row") << m
                                   << QStringLiteral("message 1: generate: a generator row must be expanded before it "
                                                     "is serialized");
}

void TestRowSerializer::refusals()
{
    QFETCH(Message, bad);
    QFETCH(QString, text);
    Batch rows;
    Message good;
    good.value = Payload(QByteArray(R"({"n": 1})"), Encoding::Json);
    rows.append(good);
    rows.append(bad);
    rows.append(good);
    SendCodecs codecs;
    codecs.value = m_value;
    auto out = serializeRows(rows, codecs);
    QVERIFY(!out.ok());
    QVERIFY2(out.error().message().startsWith(text), qPrintable(out.error().message()));
    QVERIFY(!out.error().message().contains(QLatin1Char('\n')));

    // The same refusal with its facts apart (the window names the row its own way and selects it): the row, the
    // part, and the reason without the "message N: part: " the message starts with.
    RowSerializeFailure failure;
    auto again = serializeRows(rows, codecs, &failure);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().message(), out.error().message());
    QCOMPARE(failure.row, 1);
    const QString part = text.section(QLatin1Char(':'), 1, 1).trimmed();
    QCOMPARE(failure.part, part);
    QCOMPARE(QStringLiteral("message 1: %1: %2").arg(failure.part, failure.reason), out.error().message());

    // And nothing reported when every row fits.
    failure = RowSerializeFailure{};
    QVERIFY(serializeRows(Batch(), codecs, &failure).ok());
    QCOMPARE(failure.row, -1);
}

// The generator rows of a send, expanded and encoded in one go (serializeRows(GeneratorExpander&)): the same bytes as
// expanding everything and then encoding it, in the same order, whatever the piece size.
void TestRowSerializer::expandedInPiecesIsTheSame_data()
{
    QTest::addColumn<qsizetype>("pieceRows");
    QTest::addColumn<std::int64_t>("count");
    QTest::newRow("small, one thread") << qsizetype(16384) << std::int64_t(1000);
    QTest::newRow("many pieces, encoded on every core") << qsizetype(1000) << std::int64_t(45000);
    QTest::newRow("pieces of one") << qsizetype(1) << std::int64_t(300);
}

static Batch generatorRows(std::int64_t count)
{
    Batch rows;
    Message plain; // a literal row first, then a generator row: the output keeps their order
    plain.value = Payload(QByteArray(R"({"n": -7})"), Encoding::Json);
    rows.append(plain);
    Message gen;
    gen.key = Payload(QByteArray("k-{{seq}}"));
    gen.value = Payload(QByteArray(R"({"n": {{seq}}, "s": {"string": "{{uuid}}"}})"), Encoding::Json);
    gen.generate = GenerateSpec{count, std::uint64_t(42)};
    rows.append(gen);
    return rows;
}

void TestRowSerializer::expandedInPiecesIsTheSame()
{
    QFETCH(qsizetype, pieceRows);
    QFETCH(std::int64_t, count);
    SendCodecs codecs;
    codecs.value = m_value;
    auto expanded = expandGenerators(generatorRows(count), 1);
    QVERIFY(expanded.ok());
    auto expected = serializeRows(expanded.value(), codecs);
    QVERIFY(expected.ok());

    GeneratorExpander expander(1);
    QVERIFY(expander.add(generatorRows(count)).ok());
    auto out = serializeRows(expander, codecs, pieceRows);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message()));
    QCOMPARE(out->size(), expected->size());
    QCOMPARE(out->size(), qsizetype(count) + 1);
    for (qsizetype r = 0; r < out->size(); ++r) {
        const Message got = out->at(r), want = expected->at(r);
        if (!(got == want))
            QFAIL(qPrintable(QStringLiteral("message %1 differs: %2 vs %3")
                                 .arg(r)
                                 .arg(QString::fromLatin1(got.value.bytes->toHex()),
                                      QString::fromLatin1(want.value.bytes->toHex()))));
    }
    QCOMPARE(*out->at(0).value.bytes, QByteArray::fromHex("00000000070d00"));
    QCOMPARE(*out->at(1).key.bytes, QByteArray("k-1")); // the key has no codec: as written
    QVERIFY(expander.isEmpty());
}

void TestRowSerializer::expandedInPiecesNamesTheFirstBadMessage()
{
    // Rows that do not fit placed after many generated ones, in a later piece than the first: the error counts from
    // the first message of the send, not from its piece, and names the first of them.
    Batch rows = generatorRows(30000);
    Message bad;
    bad.value = Payload(QByteArray(R"({"n": "x"})"), Encoding::Json);
    rows.append(bad);
    rows.append(bad); // a second one later: the first is named
    SendCodecs codecs;
    codecs.value = m_value;
    GeneratorExpander expander(1);
    QVERIFY(expander.add(rows).ok());
    auto out = serializeRows(expander, codecs, 4096);
    QVERIFY(!out.ok());
    QVERIFY2(out.error().message().startsWith(QStringLiteral("message 30001: value: $.n: expected int")),
             qPrintable(out.error().message()));
}

// Rows that arrive while the others are encoded (a template read piece by piece: serializeRows()' moreRows): the
// same bytes as all the rows encoded at once, more rows asked for only until the last piece came.
void TestRowSerializer::readInPiecesIsTheSame_data()
{
    QTest::addColumn<qsizetype>("pieceRows");
    QTest::addColumn<int>("pieces");
    QTest::addColumn<int>("rowsPerPiece");
    QTest::newRow("small pieces") << qsizetype(16384) << 3 << 50;
    QTest::newRow("large, cut into pieces of another size") << qsizetype(1000) << 5 << 9001;
}

static Batch numberedRows(int from, int count)
{
    Batch rows;
    for (int i = from; i < from + count; ++i) {
        Message m;
        m.key = Payload(QByteArray("k") + QByteArray::number(i));
        m.value = Payload(QByteArray(R"({"n": )") + QByteArray::number(i) + "}", Encoding::Json);
        rows.append(m);
    }
    return rows;
}

void TestRowSerializer::readInPiecesIsTheSame()
{
    QFETCH(qsizetype, pieceRows);
    QFETCH(int, pieces);
    QFETCH(int, rowsPerPiece);
    SendCodecs codecs;
    codecs.value = m_value;
    Batch all;
    for (int p = 0; p < pieces; ++p)
        all.append(numberedRows(p * rowsPerPiece, rowsPerPiece));
    all.append(generatorRows(2000)); // a generator row in the last piece expands as it comes
    auto expected = serializeRows(*expandGenerators(all, 1), codecs);
    QVERIFY(expected.ok());

    GeneratorExpander expander(1);
    QVERIFY(expander.add(numberedRows(0, rowsPerPiece)).ok());
    int calls = 0;
    const MoreRows more = [&](GeneratorExpander &into) -> Result<bool> {
        ++calls;
        if (calls >= pieces)
            return Error(QStringLiteral("asked for more rows after the last piece"));
        Batch rows = numberedRows(calls * rowsPerPiece, rowsPerPiece);
        if (calls == pieces - 1)
            rows.append(generatorRows(2000));
        if (auto added = into.add(std::move(rows)); !added)
            return added.error();
        return calls < pieces - 1;
    };
    auto out = serializeRows(expander, codecs, pieceRows, nullptr, more);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message()));
    QCOMPARE(calls, pieces - 1);
    QCOMPARE(out->size(), expected->size());
    for (qsizetype r = 0; r < out->size(); ++r)
        if (!(out->at(r) == expected->at(r)))
            QFAIL(qPrintable(QStringLiteral("message %1 differs").arg(r)));
    QCOMPARE(*out->at(3).value.bytes, QByteArray::fromHex("00000000070600")); // n = 3, zigzag 6, s null
    QCOMPARE(*out->at(3).key.bytes, QByteArray("k3"));
}

void TestRowSerializer::readErrorAfterRowsThatFit()
{
    // The read error is the send's error as the reader worded it (it names the file and line): nothing is added.
    SendCodecs codecs;
    codecs.value = m_value;
    GeneratorExpander expander(1);
    QVERIFY(expander.add(numberedRows(0, 25000)).ok());
    const QString text = QStringLiteral("t.kbatch.json:25002:9: messages[25000].value: trailing comma before '}'");
    RowSerializeFailure failure;
    auto out = serializeRows(expander, codecs, 4096, &failure,
                             [&](GeneratorExpander &) -> Result<bool> { return Error(text); });
    QVERIFY(!out.ok());
    QCOMPARE(out.error().message(), text);
    QCOMPARE(failure.row, -1); // not a row that does not fit
}

void TestRowSerializer::rowThatDoesNotFitBeforeAReadError()
{
    // A row that does not fit comes before the read error in the file: it is the first mistake, and the one named.
    SendCodecs codecs;
    codecs.value = m_value;
    Batch rows = numberedRows(0, 25000);
    Message bad;
    bad.value = Payload(QByteArray(R"({"n": "x"})"), Encoding::Json);
    rows.append(bad);
    GeneratorExpander expander(1);
    QVERIFY(expander.add(std::move(rows)).ok());
    RowSerializeFailure failure;
    auto out = serializeRows(expander, codecs, 4096, &failure,
                             [&](GeneratorExpander &) -> Result<bool> { return Error(QStringLiteral("read error")); });
    QVERIFY(!out.ok());
    QVERIFY2(out.error().message().startsWith(QStringLiteral("message 25000: value: $.n: expected int")),
             qPrintable(out.error().message()));
    QCOMPARE(failure.row, qsizetype(25000));
}

QTEST_GUILESS_MAIN(TestRowSerializer)
#include "tst_rowserializer.moc"

#include "core/schema/ConfluentFrame.h"
#include "core/schema/RowSerializer.h"

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
}

QTEST_GUILESS_MAIN(TestRowSerializer)
#include "tst_rowserializer.moc"

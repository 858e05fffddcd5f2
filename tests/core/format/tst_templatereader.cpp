#include "core/format/JsonContext.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/model/Printable.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <thread>

using namespace kbatch::core;

class TestTemplateReader : public QObject
{
    Q_OBJECT
private slots:
    void ordersSmoke();
    void generatedSample();
    void binarySample();
    void samplesAreStable_data();
    void samplesAreStable();
    void minimal();
    void errors_data();
    void errors();
    void secretPropertyRefused_data();
    void secretPropertyRefused();
    void connectionAndCodePropertiesRefused_data();
    void connectionAndCodePropertiesRefused();
    void hostileNamesShownEscaped();
    void binaryFileRefused();
    void binaryContentLocated_data();
    void binaryContentLocated();
    void otherEncodingsRefused();
    void emptyFileRefused();
    void oversizedFileRefused();
    void missingFile();
    void byteOrderMarkAccepted();
    void largeTemplateStreams();
    void filesAndPipesReadAlike();
    void mutatedInputNeverCrashes();
    void streamedReadMatchesWholeRead_data();
    void streamedReadMatchesWholeRead();
    void streamedMutationsFailAlike();
    void streamStopsAtTheFirstBadRow();
    void bytesLeftBehindAreNotNeededAgain();
    void jsonKeptAsWrittenForTypedParts();
    void schemaInvalidFixturesRejected_data();
    void schemaInvalidFixturesRejected();
};

static QString sample(const char *name)
{
    return QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/") + QLatin1String(name);
}

static QByteArray wrap(const QByteArray &messages)
{
    return "{\n\"format\": \"kbatch-template\",\n\"version\": 1,\n\"messages\": [\n" + messages + "\n]\n}\n";
}

void TestTemplateReader::ordersSmoke()
{
    const auto t = loadTemplate(sample("orders-smoke.kbatch.json"));
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    QCOMPARE(t->name, QStringLiteral("Orders smoke test"));
    QCOMPARE(t->topic, QStringLiteral("orders"));
    QVERIFY(t->producer.mode == PublishMode::Independent);
    QCOMPARE(t->producer.compression, QStringLiteral("lz4"));
    QVERIFY(t->producer.lingerMs == std::optional<int>(5));
    QCOMPARE(t->producer.properties.size(), 1);
    QVERIFY(t->producer.properties.first() == Property(QStringLiteral("batch.size"), QStringLiteral("1000000")));
    const Batch &b = t->messages;
    QCOMPARE(b.size(), 4);
    QCOMPARE(b.key(0).toByteArray(), QByteArray("order-1"));
    QVERIFY(b.valueEncoding(0) == Encoding::Json);
    QCOMPARE(b.value(0).toByteArray(),
             QByteArray(R"({"id":1,"customer":"c-42","total":9.50,"items":[{"sku":"A-1","qty":2}]})"));
    QCOMPARE(b.headers(0).size(), 3);
    QCOMPARE(b.headers(0).at(0).name, QByteArray("trace-id"));
    QCOMPARE(b.headers(0).at(1).name, QByteArray("trace-id"));
    QCOMPARE(*b.headers(0).at(1).value.bytes, QByteArray("second value, same name"));
    QVERIFY(b.partition(0) == std::optional<std::int32_t>(2));
    QVERIFY(b.timestamp(1) == std::optional<std::int64_t>(1767225600000));
    QVERIFY(!b.partition(1));
    QVERIFY(b.valueIsNull(2));
    QVERIFY(!b.keyIsNull(2));
    QVERIFY(b.keyEncoding(3) == Encoding::Base64);
    QCOMPARE(b.key(3).toByteArray(), QByteArray("\x00\x01\x02\xff", 4));
    QCOMPARE(b.value(3).toByteArray(), QByteArray("plain UTF-8 text: Grüße, 日本"));
    QVERIFY(b.valueEncoding(3) == Encoding::Text);
}

void TestTemplateReader::generatedSample()
{
    const auto t = loadTemplate(sample("user-events-generated.kbatch.json"));
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    QVERIFY(t->messages.hasGenerator());
    QVERIFY(t->messages.generate(0) == std::optional<GenerateSpec>(GenerateSpec{1000, 42}));
    QVERIFY(t->messages.generate(1) == std::optional<GenerateSpec>(GenerateSpec{10, std::nullopt}));
    QVERIFY(!t->messages.generate(2));
    QCOMPARE(t->producer.rateLimit, 500.0);
    QVERIFY(t->producer.batchSize == std::optional<int>(262144));
    QCOMPARE(t->producer.acks, QStringLiteral("1"));
}

void TestTemplateReader::binarySample()
{
    const auto t = loadTemplate(sample("binary-and-nulls.kbatch.json"));
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    const Batch &b = t->messages;
    QVERIFY(t->producer.mode == PublishMode::Atomic);
    QCOMPARE(t->producer.transactionalId, QStringLiteral("kbatch-binary-test"));
    QVERIFY(b.keyIsNull(0) && b.valueIsNull(0));
    QVERIFY(!b.keyIsNull(1) && !b.valueIsNull(1));
    QCOMPARE(b.key(1).size(), 0);
    QCOMPARE(b.key(2).toByteArray(), QByteArray::fromHex("deadbeef"));
    QCOMPARE(b.value(2).size(), 20);
    const Headers &h = b.headers(2);
    QCOMPARE(h.size(), 4);
    QVERIFY(h.at(0).value.isNull());
    QVERIFY(!h.at(1).value.isNull());
    QCOMPARE(h.at(1).value.bytes->size(), 0);
    QCOMPARE(*h.at(2).value.bytes, QByteArray("\xff\x00\xff", 3));
    QVERIFY(h.at(2).value.encoding == Encoding::Base64);
    QCOMPARE(*h.at(3).value.bytes, QByteArray(R"({"v":1})"));
    QVERIFY(h.at(3).value.encoding == Encoding::Json);
    QCOMPARE(b.key(3).toByteArray(), QByteArray("tab\tand\nnewline"));
    QCOMPARE(b.value(3).toByteArray(), QByteArray("\0 NUL and \"quotes\"", 18));
    QVERIFY(b.partition(3) == std::optional<std::int32_t>(0));
    QVERIFY(b.timestamp(3) == std::optional<std::int64_t>(0));
}

void TestTemplateReader::samplesAreStable_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates"));
    const auto files = dir.entryList({QStringLiteral("*.kbatch.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 2);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestTemplateReader::samplesAreStable()
{
    // The samples are written in the writer's layout, so loading and saving one gives the same bytes.
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const auto t = parseTemplate(bytes, path);
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    QCOMPARE(serializeTemplate(*t), bytes);
}

void TestTemplateReader::minimal()
{
    const auto t = parseTemplate(R"({"version": 1, "format": "kbatch-template"})", QStringLiteral("m.json"));
    QVERIFY(t.ok());
    QVERIFY(t->messages.isEmpty());
    QVERIFY(t->producer == ProducerSettings());
    const auto e = parseTemplate(wrap(R"({}, {"key": "k"})"), QStringLiteral("m.json"));
    QVERIFY(e.ok());
    QCOMPARE(e->messages.size(), 2);
    QVERIFY(e->messages.keyIsNull(0));
    QVERIFY(e->messages.valueIsNull(1));
}

void TestTemplateReader::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("field");

    QTest::newRow("unknown version") << QByteArray(R"({"format": "kbatch-template", "version": 3})")
                                     << QStringLiteral("unsupported template version 3: this KBatch reads versions 1 "
                                                       "and 2; a newer KBatch may read this file")
                                     << 1 << 42 << QStringLiteral("version");
    QTest::newRow("version as string") << QByteArray(R"({"format": "kbatch-template", "version": "1"})")
                                       << QStringLiteral("expected an integer, found a string") << 1 << 42
                                       << QStringLiteral("version");
    QTest::newRow("wrong format") << QByteArray(R"({"format": "other", "version": 1})")
                                  << QStringLiteral("not a KBatch template: \"format\" is \"other\", expected "
                                                    "\"kbatch-template\"")
                                  << 1 << 12 << QStringLiteral("format");
    QTest::newRow("missing format") << QByteArray("\n  {\"version\": 1}")
                                    << QStringLiteral("not a KBatch template: \"format\": \"kbatch-template\" "
                                                      "is missing")
                                    << 2 << 3 << QString();
    QTest::newRow("missing version") << QByteArray(R"({"format": "kbatch-template"})")
                                     << QStringLiteral("\"version\" is missing") << 1 << 1 << QString();
    QTest::newRow("not an object") << QByteArray("[1, 2]")
                                   << QStringLiteral("not a KBatch template: expected a JSON object") << 1 << 1
                                   << QString();
    QTest::newRow("unknown top field")
        << QByteArray("{\"format\": \"kbatch-template\", \"version\": 1,\n \"tpoic\": \"x\"}")
        << QStringLiteral("unknown field \"tpoic\" (expected one of: format, version, name, topic, producer, "
                          "serialization, messages)")
        << 2 << 2 << QStringLiteral("tpoic");
    QTest::newRow("some other JSON file")
        << QByteArray("{\"name\": \"my-app\",\n \"dependencies\": {}}")
        << QStringLiteral("not a KBatch template: it has a field \"dependencies\" and no \"format\": "
                          "\"kbatch-template\" before it")
        << 2 << 2 << QString();
    QTest::newRow("duplicate field") << QByteArray(R"({"format": "kbatch-template", "version": 1, "version": 1})")
                                     << QStringLiteral("duplicate field \"version\"") << 1 << 45
                                     << QStringLiteral("version");
    QTest::newRow("topic type") << QByteArray(R"({"format": "kbatch-template", "version": 1, "topic": 5})")
                                << QStringLiteral("expected a string, found a number") << 1 << 54
                                << QStringLiteral("topic");
    QTest::newRow("messages type") << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": {}})")
                                   << QStringLiteral("expected an array of messages, found an object") << 1 << 57
                                   << QStringLiteral("messages");
    QTest::newRow("message not object") << wrap("{}, 5") << QStringLiteral("expected a message object, found a number")
                                        << 5 << 5 << QStringLiteral("messages[1]");
    QTest::newRow("unknown message field")
        << wrap("{},\n{\"key\": \"a\", \"vaule\": \"b\"}")
        << QStringLiteral("unknown field \"vaule\" (expected one of: key, value, headers, partition, timestamp, "
                          "generate)")
        << 6 << 14 << QStringLiteral("messages[1].vaule");
    QTest::newRow("header not pair") << wrap("{}, {}, {}, {\"headers\": [[\"a\", \"b\"], [\"n\"]]}")
                                     << QStringLiteral("expected a [name, value] pair, found only a name") << 5 << 38
                                     << QStringLiteral("messages[3].headers[1]");
    QTest::newRow("header name type") << wrap("{}, {}, {}, {\"headers\": [[\"a\", \"b\"], [1, \"v\"]]}")
                                      << QStringLiteral("a header name must be a string, found a number") << 5 << 39
                                      << QStringLiteral("messages[3].headers[1][0]");
    QTest::newRow("header object") << wrap("{\"headers\": {\"a\": \"b\"}}")
                                   << QStringLiteral("expected an array of [name, value] pairs, found an object") << 5
                                   << 13 << QStringLiteral("messages[0].headers");
    QTest::newRow("header triple") << wrap("{\"headers\": [[\"a\", \"b\", \"c\"]]}")
                                   << QStringLiteral("expected a [name, value] pair, found more than two elements") << 5
                                   << 25 << QStringLiteral("messages[0].headers[0][2]");
    QTest::newRow("header value type") << wrap("{\"headers\": [[\"a\", 1]]}")
                                       << QStringLiteral("expected a string, null, {\"json\": ...} or {\"base64\": "
                                                         "\"...\"}, found a number")
                                       << 5 << 20 << QStringLiteral("messages[0].headers[0][1]");
    QTest::newRow("negative partition") << wrap("{\"partition\": -1}")
                                        << QStringLiteral("must be 0 or greater, found -1") << 5 << 15
                                        << QStringLiteral("messages[0].partition");
    QTest::newRow("partition fraction") << wrap("{\"partition\": 1.5}")
                                        << QStringLiteral("expected an integer, found 1.5") << 5 << 15
                                        << QStringLiteral("messages[0].partition");
    QTest::newRow("partition too big") << wrap("{\"partition\": 2147483648}")
                                       << QStringLiteral("must be 2147483647 or less, found 2147483648") << 5 << 15
                                       << QStringLiteral("messages[0].partition");
    QTest::newRow("negative timestamp") << wrap("{\"timestamp\": -5}")
                                        << QStringLiteral("must be 0 or greater, found -5") << 5 << 15
                                        << QStringLiteral("messages[0].timestamp");
    QTest::newRow("bad base64") << wrap("{\"key\": {\"base64\": \"AA=A\"}}") << QStringLiteral("invalid base64") << 5
                                << 20 << QStringLiteral("messages[0].key.base64");
    QTest::newRow("unknown payload form") << wrap("{\"value\": {\"text\": \"x\"}}")
                                          << QStringLiteral("unknown payload form \"text\" (expected \"json\" or "
                                                            "\"base64\")")
                                          << 5 << 12 << QStringLiteral("messages[0].value.text");
    QTest::newRow("two payload forms") << wrap("{\"value\": {\"json\": 1, \"base64\": \"\"}}")
                                       << QStringLiteral("a payload object holds exactly one of \"json\" or \"base64\"")
                                       << 5 << 23 << QStringLiteral("messages[0].value.base64");
    QTest::newRow("empty payload object") << wrap("{\"value\": {}}")
                                          << QStringLiteral("expected {\"json\": ...} or {\"base64\": \"...\"}, "
                                                            "found an "
                                                            "empty object")
                                          << 5 << 11 << QStringLiteral("messages[0].value");
    QTest::newRow("payload number") << wrap("{\"value\": 42}")
                                    << QStringLiteral("expected a string, null, {\"json\": ...} or "
                                                      "{\"base64\": \"...\"}, "
                                                      "found a number")
                                    << 5 << 11 << QStringLiteral("messages[0].value");
    QTest::newRow("syntax in json payload")
        << wrap("{\"value\": {\"json\": {\"a\": [1,]}}}") << QStringLiteral("trailing comma before ']'") << 5 << 29
        << QStringLiteral("messages[0].value.json");
    QTest::newRow("generate count") << wrap("{\"generate\": {\"count\": 0}}")
                                    << QStringLiteral("must be 1 or greater, found 0") << 5 << 24
                                    << QStringLiteral("messages[0].generate.count");
    QTest::newRow("generate unknown") << wrap("{\"generate\": {\"cnt\": 3}}")
                                      << QStringLiteral("unknown field \"cnt\" (expected one of: count, seed, fill)")
                                      << 5 << 15 << QStringLiteral("messages[0].generate.cnt");
    QTest::newRow("generate fill part") << wrap("{\"generate\": {\"count\": 2, \"fill\": [\"value\", \"headers\"]}}")
                                        << QStringLiteral("expected \"key\" or \"value\"") << 5 << 45
                                        << QStringLiteral("messages[0].generate.fill[1]");
    QTest::newRow("generate fill twice") << wrap("{\"generate\": {\"count\": 2, \"fill\": [\"key\", \"key\"]}}")
                                         << QStringLiteral("\"key\" is named twice") << 5 << 43
                                         << QStringLiteral("messages[0].generate.fill[1]");
    QTest::newRow("mode") << QByteArray(R"({"format": "kbatch-template", "version": 1, "producer": {"mode": "all"}})")
                          << QStringLiteral("unknown mode \"all\" (expected \"independent\" or \"atomic\")") << 1 << 66
                          << QStringLiteral("producer.mode");
    QTest::newRow("compression")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "producer": {"compression": "brotli"}})")
        << QStringLiteral("unknown compression \"brotli\" (expected none, gzip, snappy, lz4 or zstd)") << 1 << 73
        << QStringLiteral("producer.compression");
    QTest::newRow("idempotence type")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "producer": {"idempotence": "yes"}})")
        << QStringLiteral("expected true or false, found a string") << 1 << 73
        << QStringLiteral("producer.idempotence");
    QTest::newRow("property value type")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "producer": {"properties": {"batch.size": 5}}})")
        << QStringLiteral("property values must be strings (write \"batch.size\": \"...\"), found a number") << 1 << 87
        << QStringLiteral("producer.properties.batch.size");
    QTest::newRow("syntax error") << wrap("{\"key\": \"a\"\n \"value\": \"b\"}")
                                  << QStringLiteral("unexpected character '\"', expected ',' or '}'") << 6 << 2
                                  << QStringLiteral("messages[0]");
    QTest::newRow("trailing garbage") << QByteArray("{\"format\": \"kbatch-template\", \"version\": 1}\n}")
                                      << QStringLiteral("unexpected content after the end of the JSON value") << 2 << 1
                                      << QString();
}

void TestTemplateReader::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, field);
    const auto t = parseTemplate(input, QStringLiteral("bad.kbatch.json"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, text);
    QCOMPARE(t.error().file, QStringLiteral("bad.kbatch.json"));
    QCOMPARE(t.error().line, line);
    QCOMPARE(t.error().column, column);
    QCOMPARE(t.error().field, field);
}

void TestTemplateReader::secretPropertyRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("sasl.password") << QStringLiteral("sasl.password");
    QTest::newRow("ssl.key.password") << QStringLiteral("ssl.key.password");
    QTest::newRow("oauth secret") << QStringLiteral("sasl.oauthbearer.client.secret");
}

void TestTemplateReader::secretPropertyRefused()
{
    QFETCH(QString, name);
    const QByteArray input = "{\"format\": \"kbatch-template\", \"version\": 1, \"producer\": {\"properties\": {\n"
                             "  \"linger.ms\": \"5\",\n  \"" +
                             name.toUtf8() + "\": \"hunter2\"}}}";
    const auto t = parseTemplate(input, QStringLiteral("s.kbatch.json"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, QStringLiteral("property \"%1\" holds a secret and is not allowed in a template; keep "
                                            "secrets in a connection profile")
                                 .arg(name));
    QCOMPARE(t.error().line, 3);
    QCOMPARE(t.error().column, 3);
    QCOMPARE(t.error().field, QStringLiteral("producer.properties.") + name);
    QVERIFY(!t.error().message().contains(QLatin1String("hunter2")));
}

void TestTemplateReader::connectionAndCodePropertiesRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("kinit") << QStringLiteral("sasl.kerberos.kinit.cmd") << QStringLiteral("touch /tmp/x")
                           << QStringLiteral("it runs a shell command");
    QTest::newRow("plugin") << QStringLiteral("plugin.library.paths") << QStringLiteral("/tmp/evil.so")
                            << QStringLiteral("it loads a shared library");
    QTest::newRow("engine") << QStringLiteral("ssl.engine.location") << QStringLiteral("/tmp/evil.so")
                            << QStringLiteral("it loads a shared library");
    QTest::newRow("bootstrap") << QStringLiteral("bootstrap.servers") << QStringLiteral("attacker.invalid:9092")
                               << QStringLiteral("it says where or how to connect");
    QTest::newRow("protocol") << QStringLiteral("security.protocol") << QStringLiteral("sasl_plaintext")
                              << QStringLiteral("it says where or how to connect");
    QTest::newRow("debug") << QStringLiteral("debug") << QStringLiteral("all") << QStringLiteral("it turns on logging");
    QTest::newRow("client.id") << QStringLiteral("client.id") << QStringLiteral("x")
                               << QStringLiteral("it says where or how to connect");
}

void TestTemplateReader::connectionAndCodePropertiesRefused()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, reason);
    const QByteArray input = "{\"format\": \"kbatch-template\", \"version\": 1, \"producer\": {\"properties\": {\n"
                             "  \"linger.ms\": \"5\",\n  \"" +
                             name.toUtf8() + "\": \"" + value.toUtf8() + "\"}}}";
    const auto t = parseTemplate(input, QStringLiteral("h.kbatch.json"));
    QVERIFY(!t.ok());
    QVERIFY2(
        t.error().text.startsWith(QStringLiteral("property \"%1\" is not allowed in a template: %2").arg(name, reason)),
        qPrintable(t.error().text));
    QVERIFY(t.error().text.contains(QLatin1String("connection profile")));
    QCOMPARE(t.error().line, 3);
    QCOMPARE(t.error().column, 3);
    QCOMPARE(t.error().field, QStringLiteral("producer.properties.") + name);
}

void TestTemplateReader::hostileNamesShownEscaped()
{
    // A trailing NUL once slipped a secret past the check, and escapes in names drove the terminal.
    const QByteArray nul =
        R"({"format": "kbatch-template", "version": 1, "producer": {"properties": {"sasl.password\u0000": "x"}}})";
    const auto t = parseTemplate(nul, QStringLiteral("n.kbatch.json"));
    QVERIFY(!t.ok());
    QVERIFY2(t.error().text.contains(QLatin1String("\"sasl.password\\x00\" is not a property name")),
             qPrintable(t.error().text));
    const QByteArray esc = R"({"format": "kbatch-template", "version": 1, "vers\u001b]0;owned\u0007ion": 1})";
    const auto u = parseTemplate(esc, QStringLiteral("e.kbatch.json"));
    QVERIFY(!u.ok());
    QVERIFY2(!hasUnprintable(u.error().message()), qPrintable(u.error().message()));
    QVERIFY2(u.error().message().contains(QLatin1String("\\x1b]0;owned\\x07")), qPrintable(u.error().message()));
}

void TestTemplateReader::binaryFileRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 16));
    f.close();
    const auto t = loadTemplate(path);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, QStringLiteral("not a KBatch template: the file holds binary data, not JSON text (byte "
                                            "0x89 at byte offset 0)"));
    QCOMPARE(t.error().file, path);
    QCOMPARE(t.error().line, 1);
    QCOMPARE(t.error().column, 1);
}

// Where the first byte that no text holds is: line, column (in characters) and byte offset, within the first 4 KiB.
void TestTemplateReader::binaryContentLocated_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("what");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("NUL on line 3") << QByteArray("{\n  \"format\": \"kbatch-template\",\n  \"n\xC3\xA9\x00\": 1}", 45)
                                   << QStringLiteral("byte 0x00 at byte offset 39") << 3 << 6;
    QTest::newRow("Latin-1 after a byte order mark") << QByteArray("\xEF\xBB\xBF{\"name\": \"caf\xE9\"}")
                                                     << QStringLiteral("byte 0xe9 at byte offset 16") << 1 << 14;
    QTest::newRow("a character cut by the end")
        << QByteArray("{\"name\": \"\xE2\x82") << QStringLiteral("byte 0xe2 at byte offset 10") << 1 << 11;
}

void TestTemplateReader::binaryContentLocated()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, what);
    QFETCH(int, line);
    QFETCH(int, column);
    const auto t = parseTemplate(input, QStringLiteral("b.kbatch.json"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text,
             QStringLiteral("not a KBatch template: the file holds binary data, not JSON text (%1)").arg(what));
    QCOMPARE(t.error().line, line);
    QCOMPARE(t.error().column, column);
}

// Templates are UTF-8 (strict): a UTF-16 or UTF-32 one says so instead of "binary data".
void TestTemplateReader::otherEncodingsRefused()
{
    const QString text = QStringLiteral(R"({"format": "kbatch-template", "version": 1})");
    QByteArray le("\xFF\xFE");
    for (const QChar c : text) {
        le += char(c.unicode() & 0xff);
        le += char(c.unicode() >> 8);
    }
    const auto t = parseTemplate(le, QStringLiteral("u.kbatch.json"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text,
             QStringLiteral("not a KBatch template: the file is UTF-16LE text (it starts with a UTF-16LE "
                            "byte order mark); templates are UTF-8: save it as UTF-8"));
    const auto t32 = parseTemplate(QByteArray("\x00\x00\xFE\xFF\x00\x00\x00{", 8), QStringLiteral("u.kbatch.json"));
    QVERIFY(!t32.ok());
    QVERIFY(t32.error().text.startsWith(QLatin1String("not a KBatch template: the file is UTF-32BE text")));
}

void TestTemplateReader::emptyFileRefused()
{
    const auto t = parseTemplate(" \n", QStringLiteral("e.json"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, QStringLiteral("not a KBatch template: the file is empty"));
}

void TestTemplateReader::oversizedFileRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize((qint64(1) << 30) + 1)); // sparse: no disk space used
    f.close();
    const auto t = loadTemplate(path);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, QStringLiteral("the file is too large (1073741825 bytes; the limit is 1073741824 bytes)"));
    QCOMPARE(t.error().file, path);
}

void TestTemplateReader::missingFile()
{
    const auto t = loadTemplate(QStringLiteral("/nonexistent/dir/x.kbatch.json"));
    QVERIFY(!t.ok());
    QVERIFY(t.error().text.startsWith(QLatin1String("cannot open the file: ")));
    QCOMPARE(t.error().file, QStringLiteral("/nonexistent/dir/x.kbatch.json"));
}

void TestTemplateReader::byteOrderMarkAccepted()
{
    const auto t = parseTemplate("\xEF\xBB\xBF{\"format\": \"kbatch-template\", \"version\": 1}", QStringLiteral("b"));
    QVERIFY(t.ok());
}

void TestTemplateReader::largeTemplateStreams()
{
    // 200,000 rows with 100-byte values: every row must arrive intact and in order (timing is left to bench/).
    const int rows = 200000;
    QByteArray text = "{\"format\": \"kbatch-template\", \"version\": 1, \"topic\": \"big\", \"messages\": [\n";
    text.reserve(rows * 150);
    const QByteArray value(100, 'v');
    for (int i = 0; i < rows; ++i) {
        text += (i ? ",\n" : "") + QByteArray("{\"key\": \"k") + QByteArray::number(i) + "\", \"value\": \"" + value +
                "\"}";
    }
    text += "\n]}\n";
    const auto t = parseTemplate(text, QStringLiteral("big"));
    QVERIFY(t.ok());
    QCOMPARE(t->messages.size(), rows);
    QCOMPARE(t->messages.key(rows - 1).toByteArray(), QByteArray("k199999"));
    QCOMPARE(t->messages.value(rows / 2).toByteArray(), value);
    QCOMPARE(t->messages.payloadBytes(), qint64(rows) * 101 + 1088890); // values, "k" and the digits
}

// loadTemplate() reads a regular file through a window and a pipe whole. Rows must own their bytes either way: the
// window is gone when loadTemplate() returns (a row still pointing into it would crash here, or be reported by ASan).
void TestTemplateReader::filesAndPipesReadAlike()
{
    QByteArray text = "{\"format\": \"kbatch-template\", \"version\": 1, \"topic\": \"t\", \"messages\": [\n";
    for (int i = 0; i < 5000; ++i) {
        text += (i ? ",\n" : "") + QByteArray("{\"key\": \"k") + QByteArray::number(i) + "\", \"value\": \"plain " +
                QByteArray::number(i) + (i % 7 == 0 ? "\\tescaped" : "") + "\", \"headers\": [[\"h\", \"v" +
                QByteArray::number(i) + "\"]]}";
    }
    text += "\n]}\n";
    const auto expected = parseTemplate(text, QStringLiteral("memory"));
    QVERIFY(expected.ok());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rows.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(text), text.size());
    f.close();
    const auto fromFile = loadTemplate(path);
    QVERIFY(fromFile.ok());
    QVERIFY(*fromFile == *expected);
    QCOMPARE(fromFile->messages.value(7).toByteArray(), QByteArray("plain 7\tescaped"));
    QCOMPARE(fromFile->messages.headers(4999).constFirst().value.bytes, QByteArray("v4999"));

    const QString fifo = dir.filePath(QStringLiteral("pipe.kbatch.json"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    std::thread writer([&] {
        QFile w(fifo);
        if (w.open(QIODevice::WriteOnly))
            w.write(text);
    });
    const auto piped = loadTemplate(fifo);
    writer.join();
    QVERIFY2(piped.ok(), qPrintable(piped.ok() ? QString() : piped.error().message()));
    QVERIFY(*piped == *expected);
}

void TestTemplateReader::mutatedInputNeverCrashes()
{
    // Cheap fuzzing with a fixed seed: every mutation of a valid template parses or fails with a located error.
    QFile f(sample("binary-and-nulls.kbatch.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray original = f.readAll();
    QRandomGenerator rng(4242);
    static const char interesting[] = "{}[]\",:\\ \n0-1e.nutfalse\xff\xc3";
    int failures = 0;
    for (int i = 0; i < 3000; ++i) {
        QByteArray mutated = original;
        const int edits = rng.bounded(1, 4);
        for (int e = 0; e < edits; ++e) {
            const int pos = rng.bounded(int(mutated.size()));
            switch (rng.bounded(3)) {
            case 0:
                mutated[pos] = interesting[rng.bounded(int(sizeof interesting) - 1)];
                break;
            case 1:
                mutated.remove(pos, rng.bounded(1, 8));
                break;
            default:
                mutated.insert(pos, interesting[rng.bounded(int(sizeof interesting) - 1)]);
            }
        }
        mutated.truncate(rng.bounded(2) ? mutated.size() : rng.bounded(int(mutated.size()) + 1));
        const auto t = parseTemplate(mutated, QStringLiteral("m"));
        if (!t.ok()) {
            ++failures;
            QVERIFY(!t.error().text.isEmpty());
            QCOMPARE(t.error().file, QStringLiteral("m"));
        }
    }
    QVERIFY(failures > 1000);
}

// Reads `path` as kbatch-cli send does: the head, then rows `piece` at a time. The rows end up in messages.
static Result<Template> readStreamed(const QString &path, qsizetype piece, int *pieces = nullptr)
{
    auto stream = TemplateStream::open(path);
    if (!stream)
        return stream.error();
    auto head = stream->readHead();
    if (!head)
        return head.error();
    Template t = std::move(head.value());
    for (;;) {
        Batch rows;
        auto more = stream->readRows(rows, piece);
        if (!more)
            return more.error();
        if (rows.size() > piece)
            return Error(QStringLiteral("a piece of %1 rows, more than %2").arg(rows.size()).arg(piece));
        if (pieces && !rows.isEmpty())
            ++*pieces;
        t.messages.append(rows);
        if (!*more)
            return t;
    }
}

static bool sameTemplate(const Template &a, const Template &b)
{
    return a.name == b.name && a.topic == b.topic && a.producer == b.producer && a.messages == b.messages;
}

void TestTemplateReader::streamedReadMatchesWholeRead_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("piece");
    const QDir dir(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates"));
    for (const QString &f : dir.entryList({QStringLiteral("*.kbatch.json")}, QDir::Files, QDir::Name))
        for (int piece : {1, 2, 1000})
            QTest::newRow(qPrintable(QStringLiteral("%1 by %2").arg(f).arg(piece))) << dir.filePath(f) << piece;
}

void TestTemplateReader::streamedReadMatchesWholeRead()
{
    QFETCH(QString, path);
    QFETCH(int, piece);
    const auto whole = loadTemplate(path);
    QVERIFY(whole.ok());
    QVERIFY(!whole->messages.isEmpty());
    int pieces = 0;
    const auto streamed = readStreamed(path, piece, &pieces);
    QVERIFY2(streamed.ok(), qPrintable(streamed.ok() ? QString() : streamed.error().message()));
    QVERIFY(sameTemplate(*streamed, *whole));
    // KBatch writes "messages" last, so the rows really came piece by piece.
    QCOMPARE(pieces, int((whole->messages.size() + piece - 1) / piece));
}

void TestTemplateReader::streamedMutationsFailAlike()
{
    // Every mutation of a valid template reads the same, or fails with the same error, streamed or whole: a send
    // that streams refuses exactly what opening the file refuses, at the same line, column and field.
    QFile f(sample("binary-and-nulls.kbatch.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray original = f.readAll();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("m.kbatch.json"));
    QRandomGenerator rng(777);
    static const char interesting[] = "{}[]\",:\\ \n0-1e.nutfalse\xff";
    int failures = 0;
    int streamedOk = 0;
    for (int i = 0; i < 1500; ++i) {
        QByteArray mutated = original;
        const int pos = rng.bounded(int(mutated.size()));
        if (rng.bounded(2))
            mutated[pos] = interesting[rng.bounded(int(sizeof interesting) - 1)];
        else
            mutated.remove(pos, rng.bounded(1, 6));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(mutated);
        out.close();
        const auto whole = loadTemplate(path);
        const auto streamed = readStreamed(path, 1);
        QCOMPARE(streamed.ok(), whole.ok());
        if (whole.ok()) {
            ++streamedOk;
            QVERIFY(sameTemplate(*streamed, *whole));
        } else {
            ++failures;
            QCOMPARE(streamed.error().message(), whole.error().message());
        }
    }
    QVERIFY(failures > 500);
    QVERIFY(streamedOk > 100);
}

void TestTemplateReader::streamStopsAtTheFirstBadRow()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.kbatch.json"));
    QByteArray rows;
    for (int i = 0; i < 10; ++i)
        rows += QByteArray(i ? ",\n" : "") + (i == 7 ? R"({"value": "x", "partition": -1})" : R"({"value": "x"})");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(wrap(rows));
    f.close();
    auto stream = TemplateStream::open(path);
    QVERIFY(stream.ok());
    QVERIFY(stream->readHead().ok());
    Batch first;
    const auto more = stream->readRows(first, 5);
    QVERIFY(more.ok() && *more);
    QCOMPARE(first.size(), 5);
    Batch second;
    const auto bad = stream->readRows(second, 5);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().line, 12);
    QCOMPARE(bad.error().field, QStringLiteral("messages[7].partition"));
    QCOMPARE(bad.error().message(), loadTemplate(path).error().message());

    // "messages" not last: the fields after it could change how rows are sent, so the head reads everything.
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(R"({"format": "kbatch-template", "version": 1, "messages": [{"value": "a"}], "topic": "t"})");
    f.close();
    auto notLast = TemplateStream::open(path);
    QVERIFY(notLast.ok());
    const auto head = notLast->readHead();
    QVERIFY(head.ok());
    QCOMPARE(head->messages.size(), 1);
    QCOMPARE(head->topic, QStringLiteral("t"));
    Batch none;
    const auto after = notLast->readRows(none, 5);
    QVERIFY(after.ok() && !*after && none.isEmpty());
}

// A send that encodes its values before sending them keeps their JSON as written: checked as strictly, not made
// compact (the encoder parses it again). Keys stay compact here, and so does a generator row's JSON.
void TestTemplateReader::jsonKeptAsWrittenForTypedParts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("typed.kbatch.json"));
    const QByteArray written = R"({"a": [1, 2],  "s": "x y",
      "t": {"u": null}})";
    QByteArray rows = R"({"key": {"json": { "id" : 1 }}, "value": {"json": )" + written + "}},\n";
    rows += R"({"value": {"json": { "n" : 2 }}, "generate": {"count": 3}},)"
            "\n";
    rows += R"({"key": "plain", "value": {"base64": "AAE="}})";
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(wrap(rows));
    f.close();
    for (const qsizetype window : {qsizetype(0), qsizetype(48)}) { // whole rows in view, and rows across windows
        auto stream = TemplateStream::open(path, window);
        QVERIFY(stream.ok());
        QVERIFY(stream->readHead().ok());
        stream->setJsonAsWritten(false, true);
        Batch got;
        const auto more = stream->readRows(got, 100);
        QVERIFY2(more.ok() && !*more, qPrintable(more.ok() ? QString() : more.error().message()));
        QCOMPARE(got.size(), 3);
        QCOMPARE(*got.at(0).key.bytes, QByteArray(R"({"id":1})"));
        QCOMPARE(*got.at(0).value.bytes, written);
        QCOMPARE(got.at(0).value.encoding, Encoding::Json);
        QCOMPARE(*got.at(1).value.bytes, QByteArray(R"({"n":2})"));
        QCOMPARE(*got.at(2).value.bytes, QByteArray("\x00\x01", 2));
        QCOMPARE(got.at(2).value.encoding, Encoding::Base64);
    }

    // A mistake inside the JSON is the same error, at the same place, as when it is made compact.
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(wrap(R"({"value": {"json": {"a": 1}}},)"
                 "\n"
                 R"({"value": {"json": {"a": [1, 2,]}}})"));
    f.close();
    auto stream = TemplateStream::open(path, 48);
    QVERIFY(stream.ok());
    QVERIFY(stream->readHead().ok());
    stream->setJsonAsWritten(true, true);
    Batch got;
    const auto bad = stream->readRows(got, 100);
    QVERIFY(!bad.ok());
    const Error whole = loadTemplate(path).error();
    QCOMPARE(bad.error().message(), whole.message());
    QCOMPARE(bad.error().line, 6);
    QCOMPARE(bad.error().column, whole.column);
    QCOMPARE(bad.error().field, whole.field);
    QCOMPARE(bad.error().field, QStringLiteral("messages[1].value.json"));
}

void TestTemplateReader::bytesLeftBehindAreNotNeededAgain()
{
    // A streamed read moves its window on through the file as it goes. Whatever it reads after that, rows and an
    // error's line and column, must be what reading the whole file gives.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.kbatch.json"));
    QByteArray rows;
    const int count = 60000; // ~7 MB: several moves of a 1 MiB window
    for (int i = 0; i < count; ++i) {
        rows +=
            R"({"key": "k)" + QByteArray::number(i) + R"(", "value": ")" + QByteArray(100, char('a' + i % 26)) + '"';
        rows += i == count - 2 ? R"(, "timestamp": "soon"})" : "}";
        rows += i + 1 < count ? ",\n" : "";
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(wrap(rows));
    f.close();
    const auto whole = loadTemplate(path);
    QVERIFY(!whole.ok());
    const auto streamed = readStreamed(path, 1000);
    QVERIFY(!streamed.ok());
    QCOMPARE(streamed.error().message(), whole.error().message());
    QCOMPARE(streamed.error().line, count - 2 + 5);

    // Without the mistake, every row reads back alike.
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(wrap(rows.replace(R"(, "timestamp": "soon"})", "}")));
    f.close();
    const auto good = loadTemplate(path);
    QVERIFY(good.ok());
    const auto goodStreamed = readStreamed(path, 1000);
    QVERIFY(goodStreamed.ok());
    QCOMPARE(goodStreamed->messages.size(), count);
    QVERIFY(sameTemplate(*goodStreamed, *good));
}

void TestTemplateReader::schemaInvalidFixturesRejected_data()
{
    // The same files the JSON Schema test must reject: the reader and the schema agree.
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(KBATCH_TEST_DATA "/format/schema-invalid"));
    const auto files = dir.entryList({QStringLiteral("*.kbatch.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 5);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestTemplateReader::schemaInvalidFixturesRejected()
{
    QFETCH(QString, path);
    const auto t = loadTemplate(path);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().file, path);
    QCOMPARE(t.error().line, 1);
    QVERIFY(t.error().column > 1);
}

QTEST_GUILESS_MAIN(TestTemplateReader)
#include "tst_templatereader.moc"

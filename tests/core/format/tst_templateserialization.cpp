#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"

#include <QFile>
#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Serialization)

// A template's "serialization" block (format version 2): read, written back byte for byte, and refused with the
// path at fault. Version 1 templates read and write as before.
class TestTemplateSerialization : public QObject
{
    Q_OBJECT
private slots:
    void versionOneUnchanged();
    void readsBothParts();
    void roundTrip_data();
    void roundTrip();
    void exactLayout();
    void protobufFilesWriteNoRegistryKeys();
    void errors_data();
    void errors();
    void sample();
};

static QByteArray v2(const QByteArray &serialization)
{
    return R"({"format": "kbatch-template", "version": 2, "topic": "t", "serialization": )" + serialization +
           R"(, "messages": [{"key": "k", "value": {"json": {"id": 1}}}]})";
}

void TestTemplateSerialization::versionOneUnchanged()
{
    // A version 1 template has no serialization and is written again as version 1, byte for byte.
    QFile f(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    auto tpl = parseTemplate(bytes, QStringLiteral("orders-smoke.kbatch.json"));
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().message()));
    QVERIFY(tpl->serialization.isDefault());
    QCOMPARE(serializeTemplate(*tpl), bytes);
}

void TestTemplateSerialization::readsBothParts()
{
    auto tpl = parseTemplate(v2(R"({"key": {"kind": "bytes"}, "value": {"kind": "avro", "subjectStrategy":
        "topicRecordName", "version": "id:17", "recordName": "com.example.Click"}})"),
                             QStringLiteral("t.kbatch.json"));
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().message()));
    QVERIFY(tpl->serialization.key.kind == PayloadKind::Bytes);
    const SerializerSettings &v = tpl->serialization.value;
    QVERIFY(v.kind == PayloadKind::Avro);
    QVERIFY(v.subjectStrategy == SubjectNameStrategy::TopicRecordName);
    QVERIFY(v.version == VersionSelector::schemaId(17));
    QCOMPARE(v.autoRegister, false);
    QCOMPARE(v.recordName, QStringLiteral("com.example.Click"));
    QVERIFY(v.schemaText.isEmpty());
    QCOMPARE(tpl->messages.size(), 1);
}

void TestTemplateSerialization::roundTrip_data()
{
    QTest::addColumn<Serialization>("serialization");
    Serialization valueOnly;
    valueOnly.value.kind = PayloadKind::Avro;
    QTest::newRow("value avro, defaults") << valueOnly;
    Serialization jsonSchema;
    jsonSchema.value.kind = PayloadKind::JsonSchema;
    jsonSchema.value.schemaText = R"({"type": "object", "title": "t.Order"})";
    QTest::newRow("value jsonSchema, local schema") << jsonSchema;

    Serialization both;
    both.key.kind = PayloadKind::Avro;
    both.key.version = VersionSelector::version(3);
    both.key.subject = QStringLiteral("shared-keys");
    both.value.kind = PayloadKind::Avro;
    both.value.subjectStrategy = SubjectNameStrategy::RecordName;
    both.value.autoRegister = true;
    both.value.schemaText = R"({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]})";
    QTest::newRow("key and value, local schema") << both;

    Serialization unicode;
    unicode.value.kind = PayloadKind::Avro;
    unicode.value.subjectStrategy = SubjectNameStrategy::TopicRecordName;
    unicode.value.recordName = QStringLiteral("com.example._Order2");
    unicode.value.subject = QStringLiteral("exämple-Ωrders \"quoted\"");
    unicode.value.version = VersionSelector::schemaId(2147483647);
    QTest::newRow("unicode subject, large id") << unicode;

    // Protobuf: a registry schema's message type; files kept as written (relative to the template).
    Serialization registryProto;
    registryProto.value.kind = PayloadKind::Protobuf;
    registryProto.value.messageType = QStringLiteral("shop.Order.Line");
    QTest::newRow("protobuf, registry") << registryProto;
    Serialization protoFiles;
    protoFiles.value.kind = PayloadKind::Protobuf;
    protoFiles.value.messageType = QStringLiteral("shop.Order");
    protoFiles.value.protoPaths = {QStringLiteral("../protos/shop/order.proto"), QStringLiteral("../protos")};
    protoFiles.key.kind = PayloadKind::Protobuf;
    protoFiles.key.descriptorSet = QStringLiteral("keys.desc");
    QTest::newRow("protobuf, files and a descriptor set") << protoFiles;
}

void TestTemplateSerialization::roundTrip()
{
    QFETCH(Serialization, serialization);
    Template tpl;
    tpl.topic = QStringLiteral("orders");
    tpl.serialization = serialization;
    Message m;
    m.key = Payload(QByteArray("k"));
    m.value = Payload(QByteArray(R"({"id":1})"), Encoding::Json);
    tpl.messages.append(m);
    const QByteArray written = serializeTemplate(tpl);
    QVERIFY(written.contains("\"version\": 2"));
    auto read = parseTemplate(written, QStringLiteral("rt.kbatch.json"));
    QVERIFY2(
        read.ok(),
        qPrintable(read.ok() ? QString() : read.error().message() + QLatin1Char('\n') + QString::fromUtf8(written)));
    QVERIFY(read->serialization == serialization);
    QVERIFY(*read == tpl);
    QCOMPARE(serializeTemplate(*read), written);
}

void TestTemplateSerialization::exactLayout()
{
    Template tpl;
    tpl.topic = QStringLiteral("orders");
    tpl.serialization.value.kind = PayloadKind::Avro;
    const QByteArray expected = R"({
  "format": "kbatch-template",
  "version": 2,
  "topic": "orders",
  "producer": {
    "mode": "independent",
    "acks": "all",
    "compression": "none",
    "idempotence": true
  },
  "serialization": {
    "key": {"kind": "bytes"},
    "value": {"kind": "avro", "subjectStrategy": "topicName", "version": "latest", "autoRegister": false}
  },
  "messages": []
}
)";
    QCOMPARE(serializeTemplate(tpl), expected);
}

void TestTemplateSerialization::protobufFilesWriteNoRegistryKeys()
{
    // Protobuf from files asks no registry: no subjectStrategy, version or autoRegister in the file. A template that
    // has them (written before) still reads, and is written again without them.
    const QByteArray old = v2(R"({"value": {"kind": "protobuf", "subjectStrategy": "topicName", "version": "latest",
        "autoRegister": false, "messageType": "shop.Order", "protoPaths": ["../protos/shop.proto", "../protos"]},
        "key": {"kind": "protobuf", "version": "latest", "descriptorSet": "keys.desc"}})");
    auto tpl = parseTemplate(old, QStringLiteral("old.kbatch.json"));
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().message()));
    QVERIFY(tpl->serialization.value.sendsUnframed());
    QCOMPARE(tpl->serialization.value.protoPaths,
             QStringList({QStringLiteral("../protos/shop.proto"), QStringLiteral("../protos")}));
    const QByteArray written = serializeTemplate(*tpl);
    QVERIFY2(written.contains(R"("value": {"kind": "protobuf", "messageType": "shop.Order", "protoPaths": )"
                              R"(["../protos/shop.proto", "../protos"]})"),
             written.constData());
    QVERIFY2(written.contains(R"("key": {"kind": "protobuf", "descriptorSet": "keys.desc"})"), written.constData());
    QVERIFY2(!written.contains("subjectStrategy") && !written.contains("autoRegister"), written.constData());
    // A registry Protobuf part keeps them: they say which schema is used.
    tpl->serialization.value.protoPaths.clear();
    QVERIFY(serializeTemplate(*tpl).contains(
        R"("value": {"kind": "protobuf", "subjectStrategy": "topicName", "version": "latest", "autoRegister": false)"));
    auto again = parseTemplate(written, QStringLiteral("new.kbatch.json"));
    QVERIFY(again.ok());
    QCOMPARE(serializeTemplate(*again), written);
}

void TestTemplateSerialization::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");

    QTest::newRow("version 1") << QByteArray(R"({"format": "kbatch-template", "version": 1, "serialization": {}})")
                               << QStringLiteral("\"serialization\" needs \"version\": 2 (version 1 templates send "
                                                 "bytes only)")
                               << QStringLiteral("serialization");
    QTest::newRow("version 1 after it")
        << QByteArray(R"({"format": "kbatch-template", "serialization": {}, "version": 1})")
        << QStringLiteral("\"serialization\" needs \"version\": 2 (version 1 templates send bytes only)")
        << QStringLiteral("version");
    // The registry comes from the profile or the command line: a template cannot name a host.
    QTest::newRow("url") << v2(R"({"value": {"kind": "avro", "url": "http://registry.invalid:8081"}})")
                         << QStringLiteral("unknown field \"url\" (expected one of: kind, subjectStrategy, version, "
                                           "autoRegister, subject, recordName, schema, messageType, protoPaths, "
                                           "descriptorSet)")
                         << QStringLiteral("serialization.value.url");
    QTest::newRow("third part") << v2(R"({"headers": {}})")
                                << QStringLiteral("unknown field \"headers\" (expected one of: key, value)")
                                << QStringLiteral("serialization.headers");
    QTest::newRow("kind escaped") << v2("{\"value\": {\"kind\": \"avro\\u001b]0;x\\u0007\"}}")
                                  << QStringLiteral("unknown kind \"avro\\x1b]0;x\\x07\" (expected \"bytes\", "
                                                    "\"avro\", \"protobuf\" or \"jsonSchema\")")
                                  << QStringLiteral("serialization.value.kind");
    QTest::newRow("proto files for avro") << v2(R"({"value": {"kind": "avro", "protoPaths": ["a.proto"]}})")
                                          << QStringLiteral("only a \"protobuf\" kind takes \"protoPaths\"")
                                          << QStringLiteral("serialization.value.protoPaths");
    QTest::newRow("files and a set")
        << v2(R"({"value": {"kind": "protobuf", "protoPaths": ["a.proto"], "descriptorSet": "a.desc"}})")
        << QStringLiteral("give \"protoPaths\" or \"descriptorSet\", not both")
        << QStringLiteral("serialization.value.descriptorSet");
    QTest::newRow("proto path not a string")
        << v2(R"({"value": {"kind": "protobuf", "protoPaths": ["a.proto", 3]}})")
        << QStringLiteral("expected a string, found a number") << QStringLiteral("serialization.value.protoPaths[1]");
    QTest::newRow("message type") << v2(R"({"value": {"kind": "protobuf", "messageType": "shop..Order"}})")
                                  << QStringLiteral("\"shop..Order\" is not a message type name (such as "
                                                    "\"com.example.Order\")")
                                  << QStringLiteral("serialization.value.messageType");
    QTest::newRow("strategy") << v2(R"({"key": {"kind": "avro", "subjectStrategy": "TopicNameStrategy"}})")
                              << QStringLiteral("unknown subject strategy \"TopicNameStrategy\" (expected "
                                                "\"topicName\", \"recordName\" or \"topicRecordName\")")
                              << QStringLiteral("serialization.key.subjectStrategy");
    QTest::newRow("version 0") << v2(R"({"value": {"kind": "avro", "version": "0"}})")
                               << QStringLiteral("version selector \"0\": expected latest, a version number (1 or "
                                                 "more) or id:N")
                               << QStringLiteral("serialization.value.version");
    QTest::newRow("version number") << v2(R"({"value": {"kind": "avro", "version": 3}})")
                                    << QStringLiteral("expected a string, found a number")
                                    << QStringLiteral("serialization.value.version");
    QTest::newRow("auto-register, no schema") << v2(R"({"value": {"kind": "avro", "autoRegister": true}})")
                                              << QStringLiteral("autoRegister needs a \"schema\" to register")
                                              << QStringLiteral("serialization.value.autoRegister");
    QTest::newRow("control in subject") << v2("{\"value\": {\"kind\": \"avro\", \"subject\": \"a\\nb\"}}")
                                        << QStringLiteral("expected a name without control characters, found "
                                                          "\"a\\x0ab\"")
                                        << QStringLiteral("serialization.value.subject");
    QTest::newRow("dot-dot subject") << v2(R"({"value": {"kind": "avro", "subject": ".."}})")
                                     << QStringLiteral("\"..\" is not a subject name")
                                     << QStringLiteral("serialization.value.subject");
    QTest::newRow("record name") << v2(R"({"value": {"kind": "avro", "recordName": "com.1bad"}})")
                                 << QStringLiteral("\"com.1bad\" is not an Avro full name (such as "
                                                   "\"com.example.Click\")")
                                 << QStringLiteral("serialization.value.recordName");
    QTest::newRow("duplicate") << v2(R"({"value": {"kind": "avro"}, "value": {"kind": "bytes"}})")
                               << QStringLiteral("duplicate field \"value\"") << QStringLiteral("serialization.value");
}

void TestTemplateSerialization::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, text);
    QFETCH(QString, field);
    auto tpl = parseTemplate(json, QStringLiteral("bad.kbatch.json"));
    QVERIFY(!tpl.ok());
    QCOMPARE(tpl.error().text, text);
    QCOMPARE(tpl.error().field, field);
}

void TestTemplateSerialization::sample()
{
    auto tpl = loadTemplate(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-avro.kbatch.json"));
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().message()));
    QVERIFY(tpl->serialization.value.kind == PayloadKind::Avro);
    QVERIFY(tpl->serialization.key.kind == PayloadKind::Bytes);
    QCOMPARE(tpl->messages.size(), 2);
}

QTEST_GUILESS_MAIN(TestTemplateSerialization)
#include "tst_templateserialization.moc"

// The Protobuf codec: .proto files, registry texts with references and descriptor sets compiled; the JSON mapping
// encoded for nested messages, lists, maps, oneofs, enums and well-known types, the bytes checked by protoc's own
// decoder; the message-index path of the first, second and a nested type; every error with its path; decode and
// byte-exact round trips; skeletons, random values and concurrent use.

#include "core/generate/Random.h"
#include "core/schema/ConfluentFrame.h"
#include "core/schema/PayloadCodec.h"
#include "core/schema/ProtobufCodec.h"
#include "core/schema/ProtobufJsonEncoder.h"
#include "core/schema/ProtobufPool.h"
#include "core/schema/RegistryWait.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

using namespace kbatch::core;

namespace {

const QString protoDir = QStringLiteral(KBATCH_TEST_DATA "/schema/proto");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

std::shared_ptr<const ProtobufCodec> fromFiles(const QString &type, QString *error = nullptr)
{
    SerializerSettings s;
    s.kind = PayloadKind::Protobuf;
    s.protoPaths = {QStringLiteral("shop.proto"), QStringLiteral(".")};
    s.messageType = type;
    auto codec = ProtobufCodec::compileLocal(s, protoDir);
    if (!codec) {
        if (error)
            *error = codec.error().message();
        else
            qWarning("does not compile: %s", qPrintable(codec.error().message()));
        return nullptr;
    }
    return codec.value();
}

// shop.proto as a registry serves it: the text, with common/money.proto as a reference to another subject.
ResolvedSchema registrySchema(bool withReference = true)
{
    ResolvedSchema r;
    r.schema.id = 7;
    r.schema.subject = QStringLiteral("orders-value");
    r.schema.version = 1;
    r.schema.format = SchemaFormat::Protobuf;
    r.schema.text = readFile(protoDir + QStringLiteral("/shop.proto"));
    if (withReference) {
        r.schema.references = {{QStringLiteral("common/money.proto"), QStringLiteral("money-value"), 3}};
        Schema money;
        money.id = 5;
        money.subject = QStringLiteral("money-value");
        money.version = 3;
        money.format = SchemaFormat::Protobuf;
        money.text = readFile(protoDir + QStringLiteral("/common/money.proto"));
        r.referenced = {money};
    }
    return r;
}

QJsonDocument json(const QByteArray &text)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(text, &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s: %s", qPrintable(e.errorString()), text.constData());
    return d;
}

// The error of a Result, for a check's message (QVERIFY2 evaluates it even when the check passes).
template <typename T> QByteArray errorOf(const Result<T> &r)
{
    return r.ok() ? QByteArray("ok") : r.error().message().toUtf8();
}

QByteArray why(const QByteArray &in, const Status &s)
{
    return in + " -> " + (s.ok() ? QByteArray("ok") : s.error().message().toUtf8());
}

// protoc's own decoder, the independent reader: the bytes as protobuf text format.
QByteArray protocDecode(const QString &type, const QByteArray &bytes)
{
    QProcess p;
    p.start(QStringLiteral("protoc"),
            {QStringLiteral("-I") + protoDir, QStringLiteral("--decode=") + type, QStringLiteral("shop.proto")});
    if (!p.waitForStarted())
        return "protoc did not start (install protobuf-compiler)";
    p.write(bytes);
    p.closeWriteChannel();
    p.waitForFinished();
    return p.readAllStandardOutput() + p.readAllStandardError();
}

const char fullOrder[] = R"({"id": "o-1",
 "lines": [{"sku": "A", "qty": 2, "note": {"text": "gift wrap"}}, {"sku": "B", "qty": -3}],
 "tags": {"b": "2", "a": 1},
 "card": "visa",
 "status": "STATUS_OPEN",
 "created": "2024-05-01T10:00:00.5Z",
 "ttl": "1.5s",
 "priority": 3,
 "comment": "hello",
 "total": {"currency": "EUR", "units": "1234567890123"},
 "blob": "AAEC/w==",
 "price": 12.5,
 "ratio": "NaN",
 "gift": true,
 "big": "18446744073709551615",
 "delta": -7,
 "labels": ["x", "y"],
 "maybe": 0,
 "byNumber": {"4": {"sku": "Z"}}})";

} // namespace

class TestProtobufCodec : public QObject
{
    Q_OBJECT
private slots:
    void firstMessageByDefault();
    void indexPathFraming_data();
    void indexPathFraming();
    void fullMessageReadByProtoc();
    void jsonNamesAndProtoNames();
    void roundTripIsByteExact();
    void decodeRefusesForeignBytes();
    void errors_data();
    void errors();
    void typeNotInFile();
    void registryReferencesAreImports();
    void registryMissingImport();
    void registryEncodedDescriptors_data();
    void registryEncodedDescriptors();
    void registryTypeInImportRefused();
    void filesMissingImport();
    void descriptorSet();
    void libraryOnlyTypes();
    void matchesLibprotobuf_data();
    void matchesLibprotobuf();
    void skeletonAndRandom();
    void concurrentEncode();
    void dispatch();
    void resolverCompilesFilesWithoutRegistry();
    void proto2();
};

void TestProtobufCodec::firstMessageByDefault()
{
    const auto codec = fromFiles({});
    QVERIFY(codec);
    QCOMPARE(codec->recordName(), QStringLiteral("kbatch.test.Header"));
    QCOMPARE(codec->messageIndexes(), QList<int>{0});
    QCOMPARE(codec->messageTypes(),
             (QStringList{QStringLiteral("kbatch.test.Header"), QStringLiteral("kbatch.test.Order"),
                          QStringLiteral("kbatch.test.Order.Line"), QStringLiteral("kbatch.test.Order.Line.Note")}));
    QByteArray out;
    QVERIFY(codec->encode(R"({"source": "x"})", out).ok());
    QCOMPARE(out.toHex(), QByteArray("0a0178")); // field 1, length 1, "x"
}

void TestProtobufCodec::indexPathFraming_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QList<int>>("indexes");
    QTest::addColumn<QByteArray>("frameHex");
    // The frame after magic byte and id: the first message is the single byte 0; others count then indexes, zigzag.
    QTest::newRow("first") << QStringLiteral("kbatch.test.Header") << QList<int>{0} << QByteArray("00");
    QTest::newRow("second") << QStringLiteral("kbatch.test.Order") << QList<int>{1} << QByteArray("0202");
    QTest::newRow("nested") << QStringLiteral("kbatch.test.Order.Line") << QList<int>{1, 0} << QByteArray("040200");
    QTest::newRow("nested twice, short name")
        << QStringLiteral("Order.Line.Note") << QList<int>{1, 0, 0} << QByteArray("06020000");
}

void TestProtobufCodec::indexPathFraming()
{
    QFETCH(QString, type);
    QFETCH(QList<int>, indexes);
    QFETCH(QByteArray, frameHex);
    const auto codec = fromFiles(type);
    QVERIFY(codec);
    QCOMPARE(codec->messageIndexes(), indexes);
    QByteArray framed;
    QVERIFY(codec->encodeFramed(0x01020304, "{}", framed).ok());
    QCOMPARE(framed.toHex(), QByteArray("0001020304") + frameHex);
    // And the frame reads back to the same path.
    const auto parsed = ConfluentFrame::parseProtobuf(framed);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->messageIndexes, indexes);
    QCOMPARE(codec->decodeFramed(framed, 0x01020304).value(), QByteArray("{}"));
}

void TestProtobufCodec::fullMessageReadByProtoc()
{
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Order"));
    QVERIFY(codec);
    QByteArray out;
    const Status s = codec->encode(fullOrder, out);
    QVERIFY2(s.ok(), why("full order", s).constData());
    const QByteArray text = protocDecode(QStringLiteral("kbatch.test.Order"), out);
    // protoc prints fields by number, map entries by key (we write them sorted), the well-known types as messages.
    const QByteArray expected = R"(id: "o-1"
lines {
  sku: "A"
  qty: 2
  note {
    text: "gift wrap"
  }
}
lines {
  sku: "B"
  qty: -3
}
tags {
  key: "a"
  value: 1
}
tags {
  key: "b"
  value: 2
}
card: "visa"
status: STATUS_OPEN
created {
  seconds: 1714557600
  nanos: 500000000
}
ttl {
  seconds: 1
  nanos: 500000000
}
priority {
  value: 3
}
comment {
  value: "hello"
}
total {
  currency: "EUR"
  units: 1234567890123
}
blob: "\000\001\002\377"
price: 12.5
ratio: nan
gift: true
big: 18446744073709551615
delta: -7
labels: "x"
labels: "y"
maybe: 0
by_number {
  key: 4
  value {
    sku: "Z"
  }
}
)";
    QCOMPARE(text, expected);
}

void TestProtobufCodec::jsonNamesAndProtoNames()
{
    // Both the .proto name and the lowerCamelCase JSON name are taken, as the JSON mapping says.
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Order"));
    QVERIFY(codec);
    QByteArray a, b;
    QVERIFY(codec->encode(R"({"by_number": {"1": {}}})", a).ok());
    QVERIFY(codec->encode(R"({"byNumber": {"1": {}}})", b).ok());
    QCOMPARE(a, b);
    QVERIFY(!a.isEmpty());
}

void TestProtobufCodec::roundTripIsByteExact()
{
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Order"));
    QVERIFY(codec);
    QByteArray bytes;
    QVERIFY(codec->encode(fullOrder, bytes).ok());
    const auto decoded = codec->decode(bytes);
    QVERIFY2(decoded.ok(), errorOf(decoded).constData());
    QByteArray again;
    const Status s = codec->encode(decoded.value(), again);
    QVERIFY2(s.ok(), why(decoded.value(), s).constData());
    QCOMPARE(again.toHex(), bytes.toHex());
    // The decoded JSON uses the .proto names and the JSON mapping's forms.
    const QJsonObject o = json(decoded.value()).object();
    QCOMPARE(o.value(QStringLiteral("created")).toString(), QStringLiteral("2024-05-01T10:00:00.500Z"));
    QCOMPARE(o.value(QStringLiteral("ttl")).toString(), QStringLiteral("1.500s"));
    QCOMPARE(o.value(QStringLiteral("big")).toString(), QStringLiteral("18446744073709551615"));
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("STATUS_OPEN"));
    QCOMPARE(o.value(QStringLiteral("priority")).toInt(), 3);
    QVERIFY(o.contains(QStringLiteral("by_number")));
    QCOMPARE(o.value(QStringLiteral("maybe")).toInt(-1), 0); // proto3 optional: a set 0 is kept
}

void TestProtobufCodec::decodeRefusesForeignBytes()
{
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Header"));
    QVERIFY(codec);
    // Field 2 (varint 5): Header has no field 2.
    const auto unknown = codec->decode(QByteArray::fromHex("0a01781005"));
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().text.contains(QLatin1String("does not define")), errorOf(unknown).constData());
    const auto garbage = codec->decode(QByteArray::fromHex("0a05"));
    QVERIFY(!garbage.ok());
    QVERIFY2(garbage.error().text.contains(QLatin1String("truncated or malformed")), errorOf(garbage).constData());
}

void TestProtobufCodec::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown field") << QByteArray(R"({"id": "x", "bogus": 1})") << "$"
                                   << "unknown field 'bogus' (kbatch.test.Order has no such field)";
    QTest::newRow("wrong type nested") << QByteArray(R"({"lines": [{"qty": 1}, {"qty": "many"}]})") << "$.lines[1].qty"
                                       << "expected int32 (a whole number), got the string \"many\"";
    QTest::newRow("string for int") << QByteArray(R"({"lines": [{"sku": 5}]})") << "$.lines[0].sku"
                                    << "expected a string, got a number";
    QTest::newRow("out of range") << QByteArray(R"({"lines": [{"qty": 3000000000}]})") << "$.lines[0].qty"
                                  << "3000000000 is out of range for int32";
    QTest::newRow("negative unsigned") << QByteArray(R"({"big": -1})") << "$.big"
                                       << "-1 is out of range for uint64";
    QTest::newRow("fraction") << QByteArray(R"({"delta": 1.5})") << "$.delta"
                              << "expected sint32 (a whole number), got 1.5";
    QTest::newRow("two oneof members") << QByteArray(R"({"card": "v", "voucher": 5})") << "$.voucher"
                                       << "'card' and 'voucher' are members of the same oneof 'payment': give one";
    QTest::newRow("unknown enum") << QByteArray(R"({"status": "OPEN"})") << "$.status"
                                  << "\"OPEN\" is not a value of kbatch.test.Status (STATUS_UNKNOWN, STATUS_OPEN, "
                                     "STATUS_CLOSED)";
    QTest::newRow("bad timestamp") << QByteArray(R"({"created": "yesterday"})") << "$.created"
                                   << "expected an RFC 3339 timestamp string (\"2024-05-01T10:00:00Z\"), got "
                                      "\"yesterday\"";
    QTest::newRow("bad duration") << QByteArray(R"({"ttl": 5})") << "$.ttl"
                                  << "expected a duration string (\"1.5s\"), got a number";
    QTest::newRow("wrapper type") << QByteArray(R"({"priority": "high"})") << "$.priority"
                                  << "expected int32 (a whole number), got the string \"high\"";
    QTest::newRow("map key") << QByteArray(R"({"by_number": {"x": {}}})") << "$.by_number[\"x\"]"
                             << "map key \"x\" is not a int32";
    QTest::newRow("map value") << QByteArray(R"({"tags": {"a": true}})") << "$.tags[\"a\"]"
                               << "expected int64, got a boolean";
    QTest::newRow("not base64") << QByteArray(R"({"blob": "not base64!"})") << "$.blob"
                                << "expected base64 bytes, got a string that is not base64";
    QTest::newRow("twice") << QByteArray(R"({"id": "a", "id": "b"})") << "$"
                           << "field 'id' is given twice";
    QTest::newRow("list for message") << QByteArray(R"({"total": []})") << "$.total"
                                      << "expected an object (kbatch.common.Money), got an array";
    QTest::newRow("null in list") << QByteArray(R"({"labels": ["a", null]})") << "$.labels[1]"
                                  << "expected a string, got null (a list holds no nulls)";
    QTest::newRow("not an object") << QByteArray(R"([1])") << ""
                                   << "expected an object (kbatch.test.Order), got an array";
}

void TestProtobufCodec::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, field);
    QFETCH(QString, text);
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Order"));
    QVERIFY(codec);
    QByteArray out = "kept";
    const Status s = codec->encode(input, out);
    QVERIFY2(!s.ok(), input.constData());
    QCOMPARE(out, QByteArray("kept"));
    QCOMPARE(s.error().text, text);
    if (!field.isEmpty())
        QCOMPARE(s.error().field, field);
    QVERIFY(s.error().line >= 1);
    QVERIFY(s.error().column >= 1);
}

void TestProtobufCodec::typeNotInFile()
{
    QString error;
    QVERIFY(!fromFiles(QStringLiteral("kbatch.test.Ordr"), &error));
    QCOMPARE(error, QStringLiteral("message type 'kbatch.test.Ordr' is not in shop.proto (it has kbatch.test.Header, "
                                   "kbatch.test.Order, kbatch.test.Order.Line, kbatch.test.Order.Line.Note)"));
    // A map's entry type is no message type of the file.
    QVERIFY(!fromFiles(QStringLiteral("kbatch.test.Order.TagsEntry"), &error));
    QVERIFY(error.startsWith(QLatin1String("message type 'kbatch.test.Order.TagsEntry' is not in")));
}

void TestProtobufCodec::registryReferencesAreImports()
{
    auto codec = compilePayloadCodec(registrySchema(), QStringLiteral("kbatch.test.Order"));
    QVERIFY2(codec.ok(), errorOf(codec).constData());
    QCOMPARE((*codec)->format(), SchemaFormat::Protobuf);
    QCOMPARE((*codec)->messageIndexes(), QList<int>{1});
    QByteArray registryBytes, fileBytes;
    QVERIFY((*codec)->encode(fullOrder, registryBytes).ok());
    QVERIFY(fromFiles(QStringLiteral("kbatch.test.Order"))->encode(fullOrder, fileBytes).ok());
    QCOMPARE(registryBytes, fileBytes);
    // The default type of a registry schema is its first message, as for files.
    auto first = compilePayloadCodec(registrySchema());
    QVERIFY(first.ok());
    QCOMPARE((*first)->recordName(), QStringLiteral("kbatch.test.Header"));
}

// Each file of shop.proto's descriptor set, as protoc writes it, base64-encoded: what Confluent's serializers register
// (Python's auto-register among them) and a registry that does not convert it serves back.
QMap<QString, QByteArray> encodedDescriptors()
{
    QTemporaryDir tmp;
    QProcess p;
    p.start(QStringLiteral("protoc"), {QStringLiteral("-I") + protoDir, QStringLiteral("--include_imports"),
                                       QStringLiteral("--descriptor_set_out=") + tmp.filePath(QStringLiteral("set")),
                                       QStringLiteral("shop.proto")});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    google::protobuf::FileDescriptorSet set;
    const QByteArray bytes = readFile(tmp.filePath(QStringLiteral("set")));
    if (!set.ParseFromArray(bytes.constData(), int(bytes.size())))
        return {};
    QMap<QString, QByteArray> out;
    for (const auto &file : set.file()) {
        const std::string serialized = file.SerializeAsString();
        out.insert(QString::fromStdString(file.name()),
                   QByteArray(serialized.data(), qsizetype(serialized.size())).toBase64());
    }
    return out;
}

void TestProtobufCodec::registryEncodedDescriptors_data()
{
    QTest::addColumn<bool>("mainEncoded");
    QTest::addColumn<bool>("referenceEncoded");
    QTest::newRow("both encoded") << true << true;
    QTest::newRow("main encoded, reference text") << true << false;
    QTest::newRow("main text, reference encoded") << false << true;
}

void TestProtobufCodec::registryEncodedDescriptors()
{
    // The registry's schema texts may be base64 FileDescriptorProtos instead of .proto text: the same types, the
    // same bytes as from the files, mixed freely with texts.
    QFETCH(bool, mainEncoded);
    QFETCH(bool, referenceEncoded);
    const QMap<QString, QByteArray> encoded = encodedDescriptors();
    QVERIFY2(encoded.contains(QStringLiteral("shop.proto")) && encoded.contains(QStringLiteral("common/money.proto")),
             "protoc --descriptor_set_out failed");
    ResolvedSchema r = registrySchema();
    if (mainEncoded)
        r.schema.text = encoded.value(QStringLiteral("shop.proto"));
    if (referenceEncoded)
        r.referenced[0].text = encoded.value(QStringLiteral("common/money.proto"));
    auto codec = compilePayloadCodec(r, QStringLiteral("kbatch.test.Order"));
    QVERIFY2(codec.ok(), errorOf(codec).constData());
    QCOMPARE((*codec)->messageIndexes(), QList<int>{1});
    QByteArray registryBytes, fileBytes;
    QVERIFY((*codec)->encode(fullOrder, registryBytes).ok());
    QVERIFY(fromFiles(QStringLiteral("kbatch.test.Order"))->encode(fullOrder, fileBytes).ok());
    QCOMPARE(registryBytes.toHex(' '), fileBytes.toHex(' '));
    // Text that only looks like base64 but is no descriptor stays .proto text, and fails as such.
    ResolvedSchema notOne = registrySchema(false);
    notOne.schema.text = QByteArray("aGVsbG8=");
    const auto refused = compilePayloadCodec(notOne, QStringLiteral("kbatch.test.Order"));
    QVERIFY(!refused.ok());
}

void TestProtobufCodec::registryMissingImport()
{
    const auto codec = compilePayloadCodec(registrySchema(false), QStringLiteral("kbatch.test.Order"));
    QVERIFY(!codec.ok());
    const QString text = codec.error().message();
    QVERIFY2(text.contains(QLatin1String("common/money.proto: File not found (not among the schema's references)")),
             qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("orders-value.proto:10:1: Import \"common/money.proto\" was not found")),
             qPrintable(text));
    // A reference whose schema the resolver did not bring.
    ResolvedSchema unresolved = registrySchema();
    unresolved.referenced.clear();
    const auto missing = compilePayloadCodec(unresolved);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message(), QStringLiteral("reference 'common/money.proto' (subject 'money-value' version "
                                                       "3) was not resolved"));
    // A syntax error names the line in the registry's text.
    ResolvedSchema broken = registrySchema();
    broken.schema.text.replace("string source = 1;", "string source = 1");
    const auto parse = compilePayloadCodec(broken);
    QVERIFY(!parse.ok());
    QVERIFY2(parse.error().message().startsWith(QLatin1String("orders-value.proto:20:")), errorOf(parse).constData());
}

void TestProtobufCodec::registryTypeInImportRefused()
{
    const auto codec = compilePayloadCodec(registrySchema(), QStringLiteral("kbatch.common.Money"));
    QVERIFY(!codec.ok());
    QCOMPARE(codec.error().message(), QStringLiteral("message type 'kbatch.common.Money' is declared in "
                                                     "'common/money.proto', which the schema imports: send it with "
                                                     "the subject that holds 'common/money.proto'"));
}

void TestProtobufCodec::filesMissingImport()
{
    SerializerSettings s;
    s.kind = PayloadKind::Protobuf;
    s.protoPaths = {QStringLiteral("broken.proto")};
    const auto codec = ProtobufCodec::compileLocal(s, protoDir);
    QVERIFY(!codec.ok());
    QVERIFY2(codec.error().message().contains(QLatin1String("common/absent.proto: File not found")),
             errorOf(codec).constData());
    s.protoPaths = {QStringLiteral("nowhere.proto")};
    const auto absent = ProtobufCodec::compileLocal(s, protoDir);
    QVERIFY(!absent.ok());
    QCOMPARE(absent.error().message(), protoDir + QStringLiteral("/nowhere.proto: no such file"));
    s.protoPaths = {};
    QVERIFY(!ProtobufCodec::compileLocal(s, protoDir).ok());
}

void TestProtobufCodec::descriptorSet()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString set = tmp.filePath(QStringLiteral("shop.desc"));
    QProcess protoc;
    protoc.start(QStringLiteral("protoc"),
                 {QStringLiteral("-I") + protoDir, QStringLiteral("--include_imports"),
                  QStringLiteral("--descriptor_set_out=") + set, QStringLiteral("shop.proto")});
    QVERIFY2(protoc.waitForFinished() && protoc.exitCode() == 0, protoc.readAllStandardError().constData());
    SerializerSettings s;
    s.kind = PayloadKind::Protobuf;
    s.descriptorSet = QStringLiteral("shop.desc"); // relative to the base directory
    s.messageType = QStringLiteral("kbatch.test.Order");
    auto codec = ProtobufCodec::compileLocal(s, tmp.path());
    QVERIFY2(codec.ok(), errorOf(codec).constData());
    QByteArray fromSet, fromProto;
    QVERIFY((*codec)->encode(fullOrder, fromSet).ok());
    QVERIFY(fromFiles(QStringLiteral("kbatch.test.Order"))->encode(fullOrder, fromProto).ok());
    QCOMPARE(fromSet, fromProto);
    QCOMPARE((*codec)->messageIndexes(), QList<int>{1});
    // A file that is not a descriptor set.
    s.descriptorSet = protoDir + QStringLiteral("/shop.proto");
    const auto notASet = ProtobufCodec::compileLocal(s, {});
    QVERIFY(!notASet.ok());
    QVERIFY2(notASet.error().text.contains(QLatin1String("not a descriptor set")), errorOf(notASet).constData());
}

void TestProtobufCodec::libraryOnlyTypes()
{
    SerializerSettings s;
    s.kind = PayloadKind::Protobuf;
    s.protoPaths = {QStringLiteral("loose.proto")};
    auto codec = ProtobufCodec::compileLocal(s, protoDir);
    QVERIFY2(codec.ok(), errorOf(codec).constData());
    QByteArray out;
    const QByteArray in = R"({"id": "a", "attributes": {"n": 1, "list": [true, null, "x"]}})";
    const Status encoded = (*codec)->encode(in, out);
    QVERIFY2(encoded.ok(), why(in, encoded).constData());
    const auto decoded = (*codec)->decode(out);
    QVERIFY(decoded.ok());
    QCOMPARE(json(decoded.value()), json(in));
    QByteArray again;
    const Status back = (*codec)->encode(decoded.value(), again);
    QVERIFY2(back.ok(), why(decoded.value(), back).constData());
    QCOMPARE(again, out);
    const Status bad = (*codec)->encode(R"({"id": 5})", out);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().field, QStringLiteral("$.id"));
}

// libprotobuf's own JSON parser and its deterministic serialization, the reference: for the same JSON, the very same
// bytes as the codec's own walk (field order, packed lists, map entry order, proto3 defaults left out or kept).
static QByteArray libprotobufBytes(const ProtobufCodec &codec, const QByteArray &json, QString &error)
{
    auto message = codec.pool().newMessage(codec.type());
    const auto status = google::protobuf::util::JsonStringToMessage(json.toStdString(), message.get());
    if (!status.ok()) {
        error = QString::fromStdString(std::string(status.message()));
        return {};
    }
    QByteArray out;
    ProtobufJsonEncoder::appendDeterministic(*message, out);
    return out;
}

void TestProtobufCodec::matchesLibprotobuf_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("input");
    const QString order = QStringLiteral("kbatch.test.Order");
    QTest::newRow("full order") << order << QByteArray(fullOrder);
    QTest::newRow("fields out of order")
        << order << QByteArray(R"({"labels": ["b"], "id": "x", "blob": "AA==", "lines": [{"qty": 1}]})");
    QTest::newRow("proto3 defaults")
        << order
        << QByteArray(
               R"({"id": "", "price": 0, "gift": false, "status": "STATUS_UNKNOWN", "big": "0", "delta": 0, "blob": ""})");
    QTest::newRow("negative zero") << order << QByteArray(R"({"price": -0.0, "ratio": -0})");
    QTest::newRow("oneof and optional at default") << order << QByteArray(R"({"voucher": 0, "maybe": 0})");
    QTest::newRow("empty messages")
        << order << QByteArray(R"({"total": {}, "priority": 0, "comment": "", "created": "1970-01-01T00:00:00Z"})");
    QTest::newRow("negative numbers") << order
                                      << QByteArray(R"({"lines": [{"qty": -5}], "delta": -2147483648, "status": -3})");
    QTest::newRow("map order and defaults")
        << order
        << QByteArray(
               R"({"tags": {"z": 0, "": 5, "a": "-1"}, "by_number": {"10": {}, "-2": {"sku": ""}, "3": {"qty": 1}}})");
    QTest::newRow("lists") << order << QByteArray(R"({"lines": [], "labels": ["", "x"]})");
    QTest::newRow("timestamps") << order
                                << QByteArray(R"({"created": "2024-05-01T12:00:00.123456789+02:00", "ttl": "-0.5s"})");
    QTest::newRow("header") << QStringLiteral("kbatch.test.Header")
                            << QByteArray(R"({"source": "\u00e9\ud83d\ude00"})");
    QTest::newRow("nested") << QStringLiteral("kbatch.test.Order.Line.Note") << QByteArray(R"({"text": "n"})");
}

void TestProtobufCodec::matchesLibprotobuf()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, input);
    const auto codec = fromFiles(type);
    QVERIFY(codec);
    QByteArray ours;
    const Status s = codec->encode(input, ours);
    QVERIFY2(s.ok(), why(input, s).constData());
    QString error;
    const QByteArray reference = libprotobufBytes(*codec, input, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(ours.toHex(' '), reference.toHex(' '));
}

void TestProtobufCodec::skeletonAndRandom()
{
    for (const QString &type : {QStringLiteral("kbatch.test.Header"), QStringLiteral("kbatch.test.Order"),
                                QStringLiteral("kbatch.test.Order.Line")}) {
        const auto codec = fromFiles(type);
        QVERIFY(codec);
        const QByteArray skeleton = codec->skeleton();
        QByteArray out;
        const Status encoded = codec->encode(skeleton, out);
        QVERIFY2(encoded.ok(), why(skeleton, encoded).constData());
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            Random a(seed), b(seed);
            const QByteArray value = codec->randomValue(a);
            QCOMPARE(codec->randomValue(b), value);
            out.clear();
            const Status s = codec->encode(value, out);
            QVERIFY2(s.ok(), why(value, s).constData());
            QString error;
            QCOMPARE(out.toHex(), libprotobufBytes(*codec, value, error).toHex());
        }
    }
    const auto order = fromFiles(QStringLiteral("kbatch.test.Order"));
    const QJsonObject skeleton = json(order->skeleton()).object();
    QCOMPARE(skeleton.value(QStringLiteral("status")).toString(), QStringLiteral("STATUS_UNKNOWN"));
    QCOMPARE(skeleton.value(QStringLiteral("card")).toString(QStringLiteral("absent")), QString());
    QVERIFY(skeleton.value(QStringLiteral("total")).isObject());
    QVERIFY(skeleton.value(QStringLiteral("lines")).isArray());
    Random r(3);
    QVERIFY(json(order->randomValue(r)).object().contains(QStringLiteral("id")));
}

void TestProtobufCodec::concurrentEncode()
{
    const auto codec = fromFiles(QStringLiteral("kbatch.test.Order"));
    QVERIFY(codec);
    QByteArray expected;
    QVERIFY(codec->encode(fullOrder, expected).ok());
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            QByteArray out;
            for (int i = 0; i < 500; ++i) {
                out.clear();
                if (!codec->encode(fullOrder, out).ok() || out != expected)
                    ++wrong;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    QCOMPARE(wrong.load(), 0);
}

void TestProtobufCodec::dispatch()
{
    // compilePayloadCodec() hands Protobuf schemas to this codec; a schema that is not Protobuf text is an error.
    ResolvedSchema r;
    r.schema.format = SchemaFormat::Protobuf;
    r.schema.subject = QStringLiteral("x-value");
    r.schema.text = "syntax = \"proto3\"; message M { string a = 1; }";
    const auto ok = compilePayloadCodec(r);
    QVERIFY2(ok.ok(), errorOf(ok).constData());
    QCOMPARE((*ok)->recordName(), QStringLiteral("M"));
    r.schema.text = "{\"type\": \"record\"}";
    QVERIFY(!compilePayloadCodec(r).ok());
}

void TestProtobufCodec::resolverCompilesFilesWithoutRegistry()
{
    // A registry that cannot answer: Protobuf from files must not ask it, and must come back unframed.
    RegistrySettings settings;
    settings.url = QUrl(QStringLiteral("http://registry.invalid:1"));
    settings.timeoutMs = 2000;
    RegistryClient client(settings);
    SchemaResolver resolver(client);
    SerializerSettings s;
    s.kind = PayloadKind::Protobuf;
    s.protoPaths = {protoDir + QStringLiteral("/shop.proto"), protoDir};
    s.messageType = QStringLiteral("kbatch.test.Order");
    const auto resolved = resolveBlocking(resolver, s, QStringLiteral("orders"), PayloadPart::Value);
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().text));
    QVERIFY(!resolved->framed);
    QCOMPARE(resolved->codec->recordName(), QStringLiteral("kbatch.test.Order"));
    QCOMPARE(client.requestCount(), 0);
    s.messageType = QStringLiteral("kbatch.test.Nope");
    const auto unknown = resolveBlocking(resolver, s, QStringLiteral("orders"), PayloadPart::Value);
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().text.startsWith(QLatin1String("the value's schema: message type 'kbatch.test.Nope'")),
             qPrintable(unknown.error().text));
}

void TestProtobufCodec::proto2()
{
    // proto2: presence for every optional field (a 0 given is written), lists not packed unless asked, closed
    // enums, required fields; the bytes as libprotobuf writes them.
    ResolvedSchema r;
    r.schema.format = SchemaFormat::Protobuf;
    r.schema.subject = QStringLiteral("legacy-value");
    r.schema.text = R"(syntax = "proto2";
package legacy;
enum Kind { A = 1; B = 2; }
message Event {
  required string id = 1;
  optional int32 n = 2;
  repeated int32 plain = 3;
  repeated int32 packed = 4 [packed = true];
  optional Kind kind = 5;
  optional string label = 6 [default = "x"];
})";
    auto codec = ProtobufCodec::compile(r);
    QVERIFY2(codec.ok(), errorOf(codec).constData());
    for (const QByteArray &in : {QByteArray(R"({"id": "", "n": 0, "plain": [1, 2], "packed": [3, -4], "kind": "B"})"),
                                 QByteArray(R"({"id": "e", "label": ""})")}) {
        QByteArray ours;
        const Status s = (*codec)->encode(in, ours);
        QVERIFY2(s.ok(), why(in, s).constData());
        QString error;
        QCOMPARE(ours.toHex(' '), libprotobufBytes(**codec, in, error).toHex(' '));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    QByteArray out;
    const Status missing = (*codec)->encode(R"({"n": 1})", out);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().text, QStringLiteral("required field 'id' is missing"));
    const Status closed = (*codec)->encode(R"({"id": "a", "kind": 7})", out);
    QVERIFY(!closed.ok());
    QCOMPARE(closed.error().text, QStringLiteral("7 is not a value of legacy.Kind"));
    QCOMPARE(closed.error().field, QStringLiteral("$.kind"));
}

QTEST_GUILESS_MAIN(TestProtobufCodec)
#include "tst_protobufcodec.moc"

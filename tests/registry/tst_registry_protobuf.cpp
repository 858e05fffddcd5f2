// kbatch-cli send with Protobuf values (issue 16), to the real broker, read back by code nobody here wrote:
//  - through the real registry, framed: confluent-kafka's ProtobufDeserializer (decode.py) with message classes that
//    protoc generates here, for the first, the second and a nested message of a file (the frame's index path), with
//    nested messages, lists, maps, a oneof, an enum, Timestamp, Duration and wrappers, and an import resolved through
//    a registry reference;
//  - without a registry, unframed, from .proto files named relative to the template and from a descriptor set that
//    protoc wrote: the raw bytes parsed by python protobuf's generated classes;
//  - the refusals (an unknown field, a wrong type, a missing import, a type that is not in the file): exit 2, one line
//    on stderr, and the topic still empty.

#include "RegistryEnv.h"
#include "tests/broker/BrokerEnv.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::test;

namespace {

const QString protoSource = QStringLiteral(KBATCH_SOURCE_DIR "/tests/core/data/schema/proto");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

QByteArray jsonString(const QByteArray &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{QString::fromUtf8(text)}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

// Order i as a row: a nested message list, a map, the oneof's first or second member, an enum, well-known types.
QByteArray orderRow(int i)
{
    const QByteArray n = QByteArray::number(i);
    return R"({"id": "o-)" + n + R"(", "lines": [{"sku": "A", "qty": )" + n +
           R"(, "note": {"text": "wrap"}}, {"sku": "B", "qty": -1}], "tags": {"t": )" + n + R"(}, )" +
           (i % 2 ? QByteArray(R"("card": "visa")") : QByteArray(R"("voucher": ")" + n + R"(00")")) +
           R"(, "status": "STATUS_CLOSED", "created": "2024-05-01T10:00:0)" + n +
           R"(.250Z", "ttl": "90s", "priority": 7, "comment": "c)" + n +
           R"(", "total": {"currency": "EUR", "units": "12345678901"}, "blob": "AAE=", "big": "18446744073709551615"})";
}

// What python protobuf's json_format.MessageToDict(preserving_proto_field_name=True) makes of orderRow(i): 64-bit
// numbers as strings, the well-known types in their JSON forms.
QJsonObject decodedOrder(int i)
{
    QJsonObject o{{QStringLiteral("id"), QStringLiteral("o-%1").arg(i)},
                  {QStringLiteral("lines"),
                   QJsonArray{QJsonObject{{QStringLiteral("sku"), QStringLiteral("A")},
                                          {QStringLiteral("note"),
                                           QJsonObject{{QStringLiteral("text"), QStringLiteral("wrap")}}}},
                              QJsonObject{{QStringLiteral("sku"), QStringLiteral("B")}, {QStringLiteral("qty"), -1}}}},
                  {QStringLiteral("tags"), QJsonObject{{QStringLiteral("t"), QString::number(i)}}},
                  {QStringLiteral("status"), QStringLiteral("STATUS_CLOSED")},
                  {QStringLiteral("created"), QStringLiteral("2024-05-01T10:00:0%1.250Z").arg(i)},
                  {QStringLiteral("ttl"), QStringLiteral("90s")},
                  {QStringLiteral("priority"), 7},
                  {QStringLiteral("comment"), QStringLiteral("c%1").arg(i)},
                  {QStringLiteral("total"), QJsonObject{{QStringLiteral("currency"), QStringLiteral("EUR")},
                                                        {QStringLiteral("units"), QStringLiteral("12345678901")}}},
                  {QStringLiteral("blob"), QStringLiteral("AAE=")},
                  {QStringLiteral("big"), QStringLiteral("18446744073709551615")}};
    if (i != 0) { // qty 0 is proto3's default: not on the wire, not in the JSON
        QJsonArray lines = o.value(QStringLiteral("lines")).toArray();
        QJsonObject first = lines[0].toObject();
        first.insert(QStringLiteral("qty"), i);
        lines[0] = first;
        o.insert(QStringLiteral("lines"), lines);
    }
    if (i % 2)
        o.insert(QStringLiteral("card"), QStringLiteral("visa"));
    else
        o.insert(QStringLiteral("voucher"), QString::number(i * 100));
    return o;
}

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

class TestRegistryProtobuf : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void framedThroughRegistry_data();
    void framedThroughRegistry();
    void unframedFromProtoFiles();
    void unframedFromDescriptorSet();
    void refusals_data();
    void refusals();

private:
    QString createTopic();
    QList<QJsonObject> decodeFramed(const QString &topic, const QString &type);
    QList<QJsonObject> decodeUnframed(const QString &topic, const QString &type);
    qint64 highWatermark(const QString &topic);
    QString writeTemplate(const QString &dir, const QString &topic, const QByteArray &serialization,
                          const QList<QByteArray> &values);
    Run cli(const QStringList &args);
    int registerProto(const QString &subject, const QByteArray &text, const QByteArray &references = {});
    bool protoc(const QStringList &args);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
    QTemporaryDir m_dir;
    QString m_pyOut; // the *_pb2.py modules protoc generated
    int m_files = 0;
};

void TestRegistryProtobuf::initTestCase()
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
    m_pyOut = m_dir.filePath(QStringLiteral("py"));
    QVERIFY(QDir().mkpath(m_pyOut));
    QVERIFY(protoc({QStringLiteral("-I") + protoSource, QStringLiteral("--python_out=") + m_pyOut,
                    QStringLiteral("shop.proto"), QStringLiteral("common/money.proto")}));
}

bool TestRegistryProtobuf::protoc(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("protoc"), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("protoc %s failed: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return false;
    }
    return true;
}

QString TestRegistryProtobuf::createTopic()
{
    const QString topic = freshName("pb");
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

QList<QJsonObject> TestRegistryProtobuf::decodeFramed(const QString &topic, const QString &type)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), QStringLiteral("string"), QStringLiteral("--value"), QStringLiteral("protobuf"),
             QStringLiteral("--proto-dir"), m_pyOut, QStringLiteral("--value-type"), type});
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

// The raw values (decode.py --value bytes) parsed by python protobuf's generated class for `type`: no frame expected,
// and the bytes must be the very bytes python protobuf's deterministic serialization writes for what it read.
QList<QJsonObject> TestRegistryProtobuf::decodeUnframed(const QString &topic, const QString &type)
{
    QProcess p;
    const QString script = QStringLiteral(
        "import base64, json, subprocess, sys\n"
        "from google.protobuf import descriptor_pool, json_format, message_factory\n"
        "decode, bootstrap, registry, topic, pydir, name = sys.argv[1:7]\n"
        "out = subprocess.run([sys.executable, decode, '--bootstrap', bootstrap, '--registry', registry, '--topic',\n"
        "                      topic, '--key', 'string', '--value', 'bytes'], capture_output=True, text=True,\n"
        "                     check=True).stdout\n"
        "sys.path.insert(0, pydir)\n"
        "import shop_pb2\n"
        "cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(name))\n"
        "for line in out.splitlines():\n"
        "    raw = base64.b64decode(json.loads(line)['value'])\n"
        "    m = cls.FromString(raw)\n"
        "    assert m.SerializeToString(deterministic=True) == raw, 'not the bytes protobuf writes: ' + raw.hex()\n"
        "    print(json.dumps(json_format.MessageToDict(m, preserving_proto_field_name=True)))\n");
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral("-c"), script, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"),
             m_broker.plaintext, m_registry.ccompat, topic, m_pyOut, type});
    const bool finished = p.waitForFinished(120000);
    const QByteArray out = p.readAllStandardOutput();
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    if (!finished || p.exitCode() != 0)
        qWarning("reading %s failed (exit %d): %s", qPrintable(topic), p.exitCode(),
                 p.readAllStandardError().constData());
    return finished && p.exitCode() == 0 ? lines : QList<QJsonObject>{};
}

qint64 TestRegistryProtobuf::highWatermark(const QString &topic)
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
    if (!p.waitForFinished(90000) || p.exitCode() != 0)
        return -1;
    bool ok = false;
    const qint64 high = p.readAllStandardOutput().trimmed().toLongLong(&ok);
    return ok ? high : -1;
}

QString TestRegistryProtobuf::writeTemplate(const QString &dir, const QString &topic, const QByteArray &serialization,
                                            const QList<QByteArray> &values)
{
    QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                      R"(", "serialization": )" + serialization + R"(, "messages": [)";
    for (qsizetype i = 0; i < values.size(); ++i)
        text += (i ? ",\n" : "\n") + QByteArray(R"({"key": "k)") + QByteArray::number(i) + R"(", "value": {"json": )" +
                values[i] + "}}";
    text += "]}\n";
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(QStringLiteral("t%1.kbatch.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return path;
}

Run TestRegistryProtobuf::cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(KBATCH_CLI), args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        p.kill();
    p.waitForFinished();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The version registered, or 0.
int TestRegistryProtobuf::registerProto(const QString &subject, const QByteArray &text, const QByteArray &references)
{
    QByteArray body = R"({"schemaType": "PROTOBUF", "schema": )" + jsonString(text);
    if (!references.isEmpty())
        body += R"(, "references": )" + references;
    body += "}";
    const auto answer = rawRequest(
        "POST", m_registry.ccompat + QStringLiteral("/subjects/") + subject + QStringLiteral("/versions"), body);
    if (answer.first != 200) {
        qWarning("registering under %s: HTTP %d %s", qPrintable(subject), answer.first, answer.second.constData());
        return 0;
    }
    const auto version = rawRequest("GET", m_registry.ccompat + QStringLiteral("/subjects/") + subject +
                                               QStringLiteral("/versions/latest"));
    return QJsonDocument::fromJson(version.second).object().value(QLatin1String("version")).toInt();
}

void TestRegistryProtobuf::framedThroughRegistry_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QList<int>>("indexes");
    QTest::newRow("second message, with an import") << QStringLiteral("kbatch.test.Order") << QList<int>{1};
    QTest::newRow("first message") << QStringLiteral("kbatch.test.Header") << QList<int>{0};
    QTest::newRow("nested message") << QStringLiteral("kbatch.test.Order.Line") << QList<int>{1, 0};
}

void TestRegistryProtobuf::framedThroughRegistry()
{
    QFETCH(QString, type);
    QFETCH(QList<int>, indexes);
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    // common/money.proto is a schema of its own; shop.proto names it in its references, under its import path.
    const QString moneySubject = topic + QStringLiteral("-money");
    const int moneyVersion = registerProto(moneySubject, readFile(protoSource + QStringLiteral("/common/money.proto")));
    QVERIFY(moneyVersion > 0);
    const QByteArray refs = R"([{"name": "common/money.proto", "subject": ")" + moneySubject.toUtf8() +
                            R"(", "version": )" + QByteArray::number(moneyVersion) + "}]";
    QVERIFY(registerProto(topic + QStringLiteral("-value"), readFile(protoSource + QStringLiteral("/shop.proto")),
                          refs) > 0);

    QList<QByteArray> values;
    QList<QJsonObject> expected;
    for (int i = 0; i < 3; ++i) {
        if (type == QLatin1String("kbatch.test.Order")) {
            values.append(orderRow(i));
            expected.append(decodedOrder(i));
        } else if (type == QLatin1String("kbatch.test.Header")) {
            values.append(R"({"source": "s)" + QByteArray::number(i) + R"("})");
            expected.append(QJsonObject{{QStringLiteral("source"), QStringLiteral("s%1").arg(i)}});
        } else {
            values.append(R"({"sku": "n)" + QByteArray::number(i) + R"(", "qty": 5, "note": {"text": "t"}})");
            expected.append(
                QJsonObject{{QStringLiteral("sku"), QStringLiteral("n%1").arg(i)},
                            {QStringLiteral("qty"), 5},
                            {QStringLiteral("note"), QJsonObject{{QStringLiteral("text"), QStringLiteral("t")}}}});
        }
    }
    const QString path =
        writeTemplate(m_dir.filePath(QStringLiteral("framed")), topic,
                      R"({"value": {"kind": "protobuf", "messageType": ")" + type.toUtf8() + R"("}})", values);
    QVERIFY(!path.isEmpty());
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                          QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--verify")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    QVERIFY2(sent.err.contains("kbatch-cli: Schema Registry: value schema id "), sent.err.constData());

    const QList<QJsonObject> lines = decodeFramed(topic, type);
    QCOMPARE(lines.size(), values.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QCOMPARE(lines[i].value(QLatin1String("value")).toObject(), expected[i]);
        QList<int> got;
        for (const QJsonValue &v : lines[i].value(QLatin1String("value_message_indexes")).toArray())
            got.append(v.toInt());
        QCOMPARE(got, indexes);
        QVERIFY(lines[i].value(QLatin1String("value_schema_id")).toInt() > 0);
    }
}

void TestRegistryProtobuf::unframedFromProtoFiles()
{
    // A repository with protos/ and batches/: the template names the files relative to itself, and the send runs
    // from another working directory.
    const QString repo = m_dir.filePath(QStringLiteral("repo"));
    QVERIFY(QDir().mkpath(repo + QStringLiteral("/protos/common")));
    QVERIFY(QFile::copy(protoSource + QStringLiteral("/shop.proto"), repo + QStringLiteral("/protos/shop.proto")));
    QVERIFY(QFile::copy(protoSource + QStringLiteral("/common/money.proto"),
                        repo + QStringLiteral("/protos/common/money.proto")));
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const QString path = writeTemplate(
        repo + QStringLiteral("/batches"), topic,
        R"({"value": {"kind": "protobuf", "messageType": "kbatch.test.Order", "protoPaths": ["../protos/shop.proto", "../protos"]}})",
        {orderRow(1), orderRow(2)});
    QVERIFY(!path.isEmpty());
    QProcess p;
    p.setWorkingDirectory(QDir::rootPath());
    p.start(QStringLiteral(KBATCH_CLI), {QStringLiteral("send"), path, QStringLiteral("--bootstrap"),
                                         m_broker.plaintext, QStringLiteral("--verify")});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QList<QJsonObject> lines = decodeUnframed(topic, QStringLiteral("kbatch.test.Order"));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], decodedOrder(1));
    QCOMPARE(lines[1], decodedOrder(2));
}

void TestRegistryProtobuf::unframedFromDescriptorSet()
{
    const QString set = m_dir.filePath(QStringLiteral("shop.desc"));
    QVERIFY(protoc({QStringLiteral("-I") + protoSource, QStringLiteral("--include_imports"),
                    QStringLiteral("--descriptor_set_out=") + set, QStringLiteral("shop.proto")}));
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    // A template that sends bytes, made Protobuf by the command line.
    const QString path = writeTemplate(m_dir.filePath(QStringLiteral("desc")), topic, R"({"value": {"kind": "bytes"}})",
                                       {orderRow(3), orderRow(4), orderRow(5)});
    const Run sent = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext,
                          QStringLiteral("--value-descriptor-set"), set, QStringLiteral("--value-message-type"),
                          QStringLiteral("kbatch.test.Order")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());
    // No registry was asked: the closing line does not say one was.
    QVERIFY2(sent.err.contains("kbatch-cli: serialized without a registry: value Protobuf kbatch.test.Order unframed;"),
             sent.err.constData());
    QVERIFY2(!sent.err.contains("Schema Registry"), sent.err.constData());
    const QList<QJsonObject> lines = decodeUnframed(topic, QStringLiteral("kbatch.test.Order"));
    QCOMPARE(lines.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(lines[i], decodedOrder(i + 3));
}

void TestRegistryProtobuf::refusals_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown field") << QStringLiteral("field")
                                   << QStringLiteral("message 1: value: $: unknown field 'qty' (kbatch.test.Order has "
                                                     "no such field)");
    QTest::newRow("wrong type") << QStringLiteral("type")
                                << QStringLiteral("message 1: value: $.lines[0].qty: expected int32 (a whole number), "
                                                  "got the string \"two\"");
    QTest::newRow("missing import (registry)")
        << QStringLiteral("import registry") << QStringLiteral("Import \"common/money.proto\" was not found");
    QTest::newRow("missing import (files)")
        << QStringLiteral("import files") << QStringLiteral("value: common/absent.proto: File not found");
    QTest::newRow("type not in the file")
        << QStringLiteral("name") << QStringLiteral("value: message type 'kbatch.test.Nope' is not in shop.proto");
}

void TestRegistryProtobuf::refusals()
{
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    QList<QByteArray> values = {orderRow(0), orderRow(1), orderRow(2)};
    QByteArray serialization = R"({"value": {"kind": "protobuf", "messageType": "kbatch.test.Order"}})";
    QStringList args{QStringLiteral("--registry"), m_registry.ccompat};
    if (setup == QLatin1String("import registry")) {
        // The template's own schema text for the registry, without the reference its import needs: refused when
        // it is compiled, before the registry is asked to look it up.
        serialization = R"({"value": {"kind": "protobuf", "messageType": "kbatch.test.Order", "schema": )" +
                        jsonString(readFile(protoSource + QStringLiteral("/shop.proto"))) + "}}";
    } else if (setup == QLatin1String("import files")) {
        args = QStringList{QStringLiteral("--value-proto"), protoSource + QStringLiteral("/broken.proto"),
                           QStringLiteral("--value-message-type"), QStringLiteral("kbatch.test.Broken")};
    } else {
        args = QStringList{QStringLiteral("--value-proto"), protoSource + QStringLiteral("/shop.proto"),
                           QStringLiteral("--proto-path"), protoSource};
        if (setup == QLatin1String("field"))
            values[1] = R"({"id": "x", "qty": 2})";
        else if (setup == QLatin1String("type"))
            values[1] = R"({"lines": [{"qty": "two"}]})";
        else
            serialization = R"({"value": {"kind": "protobuf", "messageType": "kbatch.test.Nope"}})";
    }
    const QString path = writeTemplate(m_dir.filePath(QStringLiteral("refusals")), topic, serialization, values);
    const Run sent =
        cli(QStringList{QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_broker.plaintext} + args);
    QCOMPARE(sent.exitCode, 2);
    const QList<QByteArray> lines = sent.err.trimmed().split('\n');
    QVERIFY2(lines.size() == 1, sent.err.constData());
    QVERIFY2(lines[0].contains(expected.toUtf8()), sent.err.constData());
    QCOMPARE(highWatermark(topic), 0);
}

QTEST_GUILESS_MAIN(TestRegistryProtobuf)
#include "tst_registry_protobuf.moc"

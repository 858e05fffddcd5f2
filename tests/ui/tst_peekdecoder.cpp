// PeekDecoder without a registry that answers: a peek of frames with more schema ids than it may fetch asks the
// registry for the first MaxSchemasPerPeek only, says for each part why it was not decoded (the registry unreachable,
// too many ids, too large, not a frame), and answers once, later, never inside decode(). A part the document sends as
// unframed Protobuf is decoded with the document's type, without any registry, and bytes that are not that type say
// so. A frame's message-index path names the type in the schema's file, nested ones too.

#include "core/schema/ConfluentFrame.h"
#include "core/schema/ProtobufCodec.h"
#include "core/schema/ProtobufPool.h"
#include "ui/connections/PeekDecoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch;
using Part = ui::PeekDecoder::Part;

class TestPeekDecoder : public QObject
{
    Q_OBJECT
private slots:
    void boundsWhatAPeekMayAsk();
    void noRegistryNoDecoding();
    void unframedWithTheDocumentsType();
    void indexPathNamesTheType_data();
    void indexPathNamesTheType();
};

namespace {

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

core::PeekedMessage message(const QByteArray &value)
{
    core::PeekedMessage m;
    m.message.key = core::Payload::null();
    m.message.value = core::Payload(value, core::Encoding::Base64);
    return m;
}

const char twoMessages[] = R"(syntax = "proto3";
package kbatch.t;
message Header { string source = 1; }
message Order {
  message Line { string sku = 1; }
  message Note { string text = 1; }
  string id = 1;
  repeated Line lines = 2;
}
)";

// The codec of `type` in twoMessages, compiled from a file in `dir`.
std::shared_ptr<const core::ProtobufCodec> compileOrder(const QTemporaryDir &dir, const QString &type)
{
    QFile f(dir.filePath(QStringLiteral("t.proto")));
    if (!f.open(QIODevice::WriteOnly) || f.write(twoMessages) < 0)
        return nullptr;
    f.close();
    core::SerializerSettings settings;
    settings.kind = core::PayloadKind::Protobuf;
    settings.protoPaths = {f.fileName()};
    settings.messageType = type;
    auto codec = core::ProtobufCodec::compileLocal(settings, {});
    if (!codec.ok())
        qWarning("%s", qPrintable(codec.error().message()));
    return codec.ok() ? *codec : nullptr;
}

} // namespace

void TestPeekDecoder::boundsWhatAPeekMayAsk()
{
    ui::PeekDecoder decoder;
    core::RegistrySettings settings;
    settings.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
    settings.timeoutMs = 5000;
    decoder.setRegistry(settings);
    QList<core::PeekedMessage> messages;
    const int ids = ui::PeekDecoder::MaxSchemasPerPeek + 8;
    for (int id = 1; id <= ids; ++id)
        messages.append(message(core::ConfluentFrame::frame(id, QByteArray("\x02", 1))));
    messages.append(message(core::ConfluentFrame::frame(1, QByteArray(ui::PeekDecoder::MaxPayloadBytes, 'x'))));
    messages.append(message(QByteArray("{\"plain\": true}")));

    int calls = 0;
    QList<ui::PeekDecoder::Row> rows;
    decoder.decode(messages, QStringLiteral("t"), [&](const QList<ui::PeekDecoder::Row> &r) {
        ++calls;
        rows = r;
    });
    QCOMPARE(calls, 0); // never inside decode()
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 15000);
    QCOMPARE(rows.size(), messages.size());
    // Two requests per id fetched (the schema, its subjects), none for the ids past the bound.
    QCOMPARE(decoder.requestCount(), qint64(2 * ui::PeekDecoder::MaxSchemasPerPeek));
    for (int i = 0; i < ids; ++i) {
        const Part &p = rows[i].value;
        QCOMPARE(p.state, Part::State::Failed);
        QCOMPARE(p.schemaId, i + 1);
        QCOMPARE(rows[i].key.state, Part::State::None); // a null key
        if (i < ui::PeekDecoder::MaxSchemasPerPeek)
            QVERIFY2(p.reason.contains(QLatin1String("cannot reach the registry")), qPrintable(p.reason));
        else
            QVERIFY2(p.reason.contains(QLatin1String("more than 32 schema ids")), qPrintable(p.reason));
        QVERIFY(p.describe().startsWith(QLatin1String("not decoded: ")));
    }
    QVERIFY2(rows[ids].value.reason.contains(QLatin1String("too large to decode")), qPrintable(rows[ids].value.reason));
    QCOMPARE(rows[ids + 1].value.reason, QStringLiteral("not a Schema Registry frame"));
    QTest::qWait(200);
    QCOMPARE(calls, 1); // once
}

void TestPeekDecoder::noRegistryNoDecoding()
{
    ui::PeekDecoder decoder;
    decoder.setRegistry(std::nullopt);
    int calls = 0;
    QList<ui::PeekDecoder::Row> rows;
    decoder.decode({message(core::ConfluentFrame::frame(7, QByteArray("\x02", 1)))}, QStringLiteral("t"),
                   [&](const QList<ui::PeekDecoder::Row> &r) {
                       ++calls;
                       rows = r;
                   });
    QTRY_COMPARE(calls, 1);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].value.state, Part::State::None);
    QCOMPARE(decoder.requestCount(), qint64(0));
}

void TestPeekDecoder::unframedWithTheDocumentsType()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto codec = compileOrder(dir, QStringLiteral("kbatch.t.Order"));
    QVERIFY(codec);
    ui::PeekDecoder decoder;
    decoder.setRegistry(std::nullopt);
    core::ResolvedCodec local;
    local.codec = codec;
    local.framed = false;
    local.source = QStringLiteral("t.proto");
    decoder.setUnframed(core::PayloadPart::Value, local);
    QVERIFY(decoder.hasUnframed());
    // Bytes written by hand (field 1 "o-1", field 2 a Line with sku "A"), and bytes that are no Order.
    const QByteArray order("\x0a\x03o-1\x12\x03\x0a\x01\x41", 10);
    int calls = 0;
    QList<ui::PeekDecoder::Row> rows;
    decoder.decode({message(order), message(QByteArray("\xff\xff\xff", 3))}, QStringLiteral("t"),
                   [&](const QList<ui::PeekDecoder::Row> &r) {
                       ++calls;
                       rows = r;
                   });
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 1);
    QCOMPARE(rows.size(), 2);
    const Part &decoded = rows[0].value;
    QVERIFY2(decoded.state == Part::State::Decoded, qPrintable(decoded.reason));
    QVERIFY(!decoded.framed);
    QCOMPARE(decoded.messageType, QStringLiteral("kbatch.t.Order"));
    QCOMPARE(QJsonDocument::fromJson(decoded.json).object(),
             QJsonDocument::fromJson(R"({"id": "o-1", "lines": [{"sku": "A"}]})").object());
    QCOMPARE(decoded.describe(), QStringLiteral("kbatch.t.Order from t.proto, unframed"));
    QCOMPARE(rows[1].value.state, Part::State::Failed);
    QVERIFY(!rows[1].value.reason.isEmpty());
    QCOMPARE(rows[0].key.state, Part::State::None); // a null key, and the key is not typed
    QCOMPARE(decoder.requestCount(), qint64(0));

    // A framed codec is no unframed type: the document's part is then the registry's business.
    local.framed = true;
    decoder.setUnframed(core::PayloadPart::Value, local);
    QVERIFY(!decoder.hasUnframed());
}

void TestPeekDecoder::indexPathNamesTheType_data()
{
    QTest::addColumn<QList<int>>("path");
    QTest::addColumn<QString>("type"); // empty: an error naming the path
    QTest::newRow("empty is the first") << QList<int>{} << QStringLiteral("kbatch.t.Header");
    QTest::newRow("[0]") << QList<int>{0} << QStringLiteral("kbatch.t.Header");
    QTest::newRow("[1]") << QList<int>{1} << QStringLiteral("kbatch.t.Order");
    QTest::newRow("[1, 1]") << QList<int>{1, 1} << QStringLiteral("kbatch.t.Order.Note");
    QTest::newRow("[2] is past the end") << QList<int>{2} << QString();
    QTest::newRow("[0, 0]: Header has none") << QList<int>{0, 0} << QString();
    QTest::newRow("negative") << QList<int>{-1} << QString();
}

void TestPeekDecoder::indexPathNamesTheType()
{
    QFETCH(QList<int>, path);
    QFETCH(QString, type);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto codec = compileOrder(dir, {});
    QVERIFY(codec);
    const auto name = codec->pool().messageNameAt(path);
    if (type.isEmpty()) {
        QVERIFY(!name.ok());
        QVERIFY2(name.error().message().contains(QLatin1String("message index path [")),
                 qPrintable(name.error().message()));
    } else {
        QVERIFY2(name.ok(), qPrintable(name.ok() ? QString() : name.error().message()));
        QCOMPARE(*name, type);
    }
}

QTEST_GUILESS_MAIN(TestPeekDecoder)
#include "tst_peekdecoder.moc"

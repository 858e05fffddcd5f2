// PeekDecoder without a registry that answers: a peek of frames with more schema ids than it may fetch asks the
// registry for the first MaxSchemasPerPeek only, says for each part why it was not decoded (the registry unreachable,
// too many ids, too large, not a frame), and answers once, later, never inside decode().

#include "core/schema/ConfluentFrame.h"
#include "ui/connections/PeekDecoder.h"

#include <QTcpServer>
#include <QTest>

using namespace kbatch;
using Part = ui::PeekDecoder::Part;

class TestPeekDecoder : public QObject
{
    Q_OBJECT
private slots:
    void boundsWhatAPeekMayAsk();
    void noRegistryNoDecoding();
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

QTEST_GUILESS_MAIN(TestPeekDecoder)
#include "tst_peekdecoder.moc"

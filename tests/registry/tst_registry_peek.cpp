// The Peek panel of the real window against the real broker and the real registry: framed Avro values are shown as
// JSON with their subject, version and id; a frame of an unknown id, a plain value and an unreachable registry each
// say why in the Schema column, with the bytes shown as read and no dialog. "Copy to Batch" of framed messages, sent
// again by the window to another topic, gives the same bytes (kcat reads both topics) and values that confluent-kafka's
// AvroDeserializer (decode.py) reads back equal to the source's, decimal and union included.

#include "RegistryEnv.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/ConfluentFrame.h"
#include "core/schema/RegistryClient.h"
#include "core/schema/RegistryWait.h"
#include "tests/broker/BrokerEnv.h"
#include "tests/common/DeliverySuite.h"
#include "tests/integration/KcatReader.h"
#include "tests/ui/MainWindowFixture.h"
#include "ui/connections/PeekDecoder.h"
#include "ui/connections/PeekModel.h"
#include "ui/connections/PeekPanel.h"

#include <QDockWidget>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QPushButton>
#include <QTableView>

using namespace kbatch;
using namespace kbatch::test;

namespace {

const char paymentSchema[] = R"({"type": "record", "name": "Payment", "namespace": "kbatch.peek", "fields": [
  {"name": "id", "type": "string"},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
  {"name": "tags", "type": {"type": "map", "values": "long"}},
  {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["CARD", "CASH"]}}
]})";

// Written in the form the decoder writes (tagged unions, decimals with `scale` places), so that what the panel shows
// can be compared with what was written as JSON values.
const QList<QByteArray> paymentRows = {
    R"({"id": "p-1", "amount": "12.50", "note": {"string": "ring\u0007bell"}, "lines": [{"sku": "A", "qty": 2}],
        "tags": {"a": 1}, "kind": "CARD"})",
    R"({"id": "p-2", "amount": "-0.05", "note": null, "lines": [], "tags": {}, "kind": "CASH"})",
    R"({"id": "p-3", "amount": "1234567.89", "note": {"string": "日本"}, "lines": [{"sku": "B", "qty": -1},
        {"sku": "C", "qty": 0}], "tags": {"x": -5, "y": 9000000000}, "kind": "CARD"})",
};

constexpr int UnknownId = 987654;

} // namespace

class TestRegistryPeek : public QObject, public MainWindowFixture
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void decodesFramesAndCopiesThemByteForByte();

private:
    QString createTopic();
    QList<QJsonObject> decodeTopic(const QString &topic);
    void useProfile(const QString &name, const QString &registryUrl);
    void peekAndWait(const QString &topic, int expectedRows);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
};

void TestRegistryPeek::initTestCase()
{
    initFixture();
    auto registry = RegistryEnv::load();
    QVERIFY2(registry, "the registry fixture is not up");
    m_registry = *registry;
    auto broker = BrokerEnv::load();
    QVERIFY2(broker, "the broker fixture is not up");
    m_broker = *broker;
    m_python = qEnvironmentVariable("KBATCH_PYENV_DIR", QStringLiteral(KBATCH_PYENV_DIR)) + QStringLiteral("/python");
    QVERIFY2(QFile::exists(m_python), qPrintable(m_python + QStringLiteral(" is missing: is the pyenv fixture up?")));
}

QString TestRegistryPeek::createTopic()
{
    const QString topic = freshName("peek");
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

QList<QJsonObject> TestRegistryPeek::decodeTopic(const QString &topic)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            {m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"), QStringLiteral("--bootstrap"),
             m_broker.plaintext, QStringLiteral("--registry"), m_registry.ccompat, QStringLiteral("--topic"), topic,
             QStringLiteral("--key"), QStringLiteral("string"), QStringLiteral("--value"), QStringLiteral("avro")});
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
    return lines;
}

// A profile on the broker's plaintext listener with `registryUrl` as its registry, chosen in the send bar.
void TestRegistryPeek::useProfile(const QString &name, const QString &registryUrl)
{
    core::ConnectionProfile profile;
    profile.name = name;
    profile.bootstrapServers = m_broker.plaintext;
    profile.registry.url = registryUrl;
    QVERIFY(m_window->connectionService()->profiles()->save(profile).ok());
    m_window->sendBar()->setProfiles({ui::ConnectionService::sandboxProfileName(), name}, name);
    QCOMPARE(m_window->sendBar()->profile(), name);
}

void TestRegistryPeek::peekAndWait(const QString &topic, int expectedRows)
{
    ui::PeekPanel *peek = m_window->peekPanel();
    peek->peekAt(topic);
    QVERIFY(peek->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!peek->isBusy(), 60000);
    QCOMPARE(peek->model()->rowCount(), expectedRows);
}

void TestRegistryPeek::decodesFramesAndCopiesThemByteForByte()
{
    const QString source = createTopic(), copy = createTopic();
    QVERIFY(!source.isEmpty() && !copy.isEmpty());

    // The value schema registered under another topic's subject first, then under this topic's, as other teams'
    // producers would have: one id (the registry keeps one copy of a text) in two subjects, and the peek names the
    // peeked topic's subject although the registry lists the other first, saying there are more.
    core::RegistryClient client(m_registry.settings(m_registry.ccompat));
    core::Schema schema;
    schema.text = paymentSchema;
    const auto shared = core::waitForRegistry<core::Schema>([&](QObject *c, auto done) {
        client.registerSchema(freshName("elsewhere") + QStringLiteral("-value"), schema, c, done);
    });
    QVERIFY2(shared.ok(), qPrintable(shared.ok() ? QString() : shared.error().text));
    const auto registered = core::waitForRegistry<core::Schema>(
        [&](QObject *c, auto done) { client.registerSchema(source + QStringLiteral("-value"), schema, c, done); });
    QVERIFY2(registered.ok(), qPrintable(registered.ok() ? QString() : registered.error().text));
    const int id = registered->id;
    QCOMPARE(shared->id, id);
    core::ResolvedSchema resolved;
    resolved.schema = schema;
    resolved.schema.id = id;
    const auto codec = core::AvroCodec::compile(resolved);
    QVERIFY(codec.ok());

    // Three framed payments, a frame of an id the registry does not have, a plain text value.
    core::Batch rows;
    for (qsizetype i = 0; i < paymentRows.size(); ++i) {
        QByteArray framed;
        const core::Status s = (*codec)->encodeFramed(id, paymentRows[i], framed);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        core::Message m;
        m.key = core::Payload("k-" + QByteArray::number(i));
        m.value = core::Payload(framed, core::Encoding::Base64);
        rows.append(m);
    }
    core::Message unknown;
    unknown.key = core::Payload("k-unknown");
    unknown.value =
        core::Payload(core::ConfluentFrame::frame(UnknownId, QByteArray("\x02\x04xy", 4)), core::Encoding::Base64);
    rows.append(unknown);
    core::Message plain;
    plain.key = core::Payload("k-plain");
    plain.value = core::Payload("hello");
    rows.append(plain);
    core::PublishJob job;
    job.topic = source;
    job.rows = rows;
    job.connection = m_broker.plaintextConnection();
    const PublishRun run = publishAndWait(job);
    QVERIFY(run.finished);
    QCOMPARE(run.summary.delivered, rows.size());

    newWindow();
    useProfile(QStringLiteral("with-registry"), m_registry.ccompat);
    ui::PeekPanel *peek = m_window->peekPanel();
    watchModel(peek->model());
    peekAndWait(source, 5);
    ui::PeekModel *model = peek->model();

    for (int i = 0; i < 3; ++i) {
        const ui::PeekDecoder::Part value = model->decodedAt(i).value;
        QCOMPARE(value.state, ui::PeekDecoder::Part::State::Decoded);
        QCOMPARE(QJsonDocument::fromJson(value.json), QJsonDocument::fromJson(paymentRows[i]));
        QCOMPARE(value.schemaId, id);
        QCOMPARE(value.subject, source + QStringLiteral("-value"));
        QCOMPARE(value.version, 1);
        const QString schemaCell = model->data(model->index(i, ui::PeekModel::Schema)).toString();
        QVERIFY2(schemaCell.contains(QStringLiteral("value: %1-value v1 (id %2) (+").arg(source).arg(id)),
                 qPrintable(schemaCell));
        QVERIFY(value.moreSubjects >= 1); // earlier runs against the same registry may have added more
        // The plain string key is not a frame: said, and shown as it is.
        QCOMPARE(model->decodedAt(i).key.state, ui::PeekDecoder::Part::State::Failed);
        QCOMPARE(model->data(model->index(i, ui::PeekModel::Key)).toString(), QStringLiteral("k-%1").arg(i));
        const QString shown = model->data(model->index(i, ui::PeekModel::Value)).toString();
        QVERIFY2(shown.startsWith(QLatin1String("{\"id\":\"p-")), qPrintable(shown));
        QVERIFY2(!shown.contains(QChar(7)), "a control character from the broker reached the table");
    }
    const ui::PeekDecoder::Part unknownPart = model->decodedAt(3).value;
    QCOMPARE(unknownPart.state, ui::PeekDecoder::Part::State::Failed);
    QCOMPARE(unknownPart.schemaId, UnknownId);
    QVERIFY2(unknownPart.reason.contains(QString::number(UnknownId)), qPrintable(unknownPart.reason));
    QCOMPARE(model->data(model->index(3, ui::PeekModel::Value)).toString(),
             QString::fromLatin1(core::ConfluentFrame::frame(UnknownId, QByteArray("\x02\x04xy", 4)).toBase64()));
    const ui::PeekDecoder::Part plainPart = model->decodedAt(4).value;
    QCOMPARE(plainPart.state, ui::PeekDecoder::Part::State::Failed);
    QVERIFY2(plainPart.reason.contains(QLatin1String("not a Schema Registry frame")), qPrintable(plainPart.reason));
    QCOMPARE(model->data(model->index(4, ui::PeekModel::Value)).toString(), QStringLiteral("hello"));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QVERIFY(ui::MessageBox::lastError().isEmpty());

    // Peeking again fetches nothing for the id it has; only the unknown id is asked again (by id and its subjects).
    const qint64 requests = peek->decoder()->requestCount();
    QCOMPARE(requests, qint64(4));
    peekAndWait(source, 5);
    QCOMPARE(peek->decoder()->requestCount() - requests, qint64(2));
    QCOMPARE(model->decodedAt(2).value.state, ui::PeekDecoder::Part::State::Decoded);

    // Copy the three payments into an empty batch and send them to the other topic from the window.
    newEmptyBatch();
    QItemSelectionModel *selection = peek->view()->selectionModel();
    for (int i = 0; i < 3; ++i)
        selection->select(model->index(i, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    peek->findChild<QPushButton *>(QStringLiteral("peekCopyButton"))->click();
    QCOMPARE(m_window->model()->rowCount(), 3);
    setTopic(copy);
    action("actionSend")->trigger();
    QVERIFY(waitForSendToFinish());
    QVERIFY(m_window->sendController()->stats().delivered == 3);

    // Byte for byte, as kcat reads both topics.
    const QList<KcatRecord> sent = kcatReadAll(m_broker.plaintext, source);
    const QList<KcatRecord> copied = kcatReadAll(m_broker.plaintext, copy);
    QCOMPARE(sent.size(), 5);
    QCOMPARE(copied.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(copied[i].key.value_or("(null)"), sent[i].key.value_or("(null)"));
        QVERIFY(copied[i].value.has_value());
        QCOMPARE(copied[i].value->toHex(), sent[i].value->toHex());
        QCOMPARE(copied[i].value->toHex(), rows.at(i).value.bytes->toHex());
    }
    // And confluent-kafka's deserializer reads the copies as it reads the originals: decimal and union included.
    const QList<QJsonObject> original = decodeTopic(source);
    const QList<QJsonObject> again = decodeTopic(copy);
    QCOMPARE(again.size(), 3);
    QVERIFY(original.size() >= 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(again[i].value(QLatin1String("value_schema_id")).toInt(), id);
        QCOMPARE(again[i].value(QLatin1String("value")), original[i].value(QLatin1String("value")));
        const QJsonObject value = again[i].value(QLatin1String("value")).toObject();
        const QJsonObject written = QJsonDocument::fromJson(paymentRows[i]).object();
        QCOMPARE(value.value(QLatin1String("amount")).toString(), written.value(QLatin1String("amount")).toString());
        const QJsonValue note = written.value(QLatin1String("note"));
        QCOMPARE(value.value(QLatin1String("note")),
                 note.isNull() ? QJsonValue() : note.toObject().value(QLatin1String("string")));
    }

    // A registry that cannot be reached: the messages show as read, each framed one says why, and no dialog.
    useProfile(QStringLiteral("registry-down"),
               QStringLiteral("http://127.0.0.1:%1/apis/ccompat/v7").arg(closedPort()));
    peekAndWait(source, 5);
    for (int i = 0; i < 4; ++i) {
        const ui::PeekDecoder::Part value = model->decodedAt(i).value;
        QCOMPARE(value.state, ui::PeekDecoder::Part::State::Failed);
        QVERIFY2(value.reason.contains(QLatin1String("cannot reach the registry")), qPrintable(value.reason));
        QCOMPARE(model->data(model->index(i, ui::PeekModel::Value)).toString(),
                 QString::fromLatin1(rows.at(i).value.bytes->toBase64()));
    }
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QVERIFY(ui::MessageBox::lastError().isEmpty());
}

QTEST_MAIN(TestRegistryPeek)
#include "tst_registry_peek.moc"

// The window's half of issue 15, driven through its real widgets (offscreen) against the real Schema Registry and
// the real broker: a profile with a registry made in the Profiles dialog, Test Connection's registry line (OK, 401,
// unreachable) apart from the cluster's, the value set to Avro on the send bar, a row that fits sent and read back
// EQUAL by tests/registry/decode.py (confluent-kafka's AvroDeserializer), and every refusal before the first message
// (a row that does not fit, with its field path and the row selected; the registry down; a wrong password) with the
// topic still empty as confluent-kafka's consumer sees it. The serialization survives save and reopen. Protobuf
// through the registry (the second message of a file) read back by confluent-kafka's ProtobufDeserializer, and a
// generator row of 40,000 Avro messages (more than one piece) expanded, encoded and sent whole. A key from a .proto
// file (unframed, no registry asked for it) beside an Avro value through the registry.

#include "../ui/MainWindowFixture.h"
#include "RegistryEnv.h"
#include "core/format/TemplateReader.h"
#include "tests/broker/BrokerEnv.h"
#include "ui/batch/BatchView.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/DocumentModel.h"
#include "ui/sending/SerializationDialog.h"
#include "ui/widgets/FileDialog.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QToolButton>

using namespace kbatch;
using namespace kbatch::test;

namespace {

const char orderSchema[] = R"({"type": "record", "name": "Order", "namespace": "kbatch.window", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "n", "type": "int"}]}}},
  {"name": "tags", "type": {"type": "map", "values": "long"}}
]})";

// A row that fits orderSchema, in the form confluent-kafka's deserializer prints it back (plain union values).
QByteArray orderRow(int i)
{
    const QByteArray n = QByteArray::number(i);
    return R"({"id": "o-)" + n + R"(", "qty": )" + n + R"(, "note": )" + (i % 2 ? QByteArray("\"gift\"") : "null") +
           R"(, "lines": [{"sku": "A-)" + n + R"(", "n": )" + n + R"(}], "tags": {"t": )" + n + "}}";
}

// A JSON Schema (draft 7, the default without "$schema") for the same orders, with a required field and a pattern.
const char orderJsonSchema[] = R"({"title": "Order",
  "type": "object", "required": ["id", "qty"],
  "properties": {"id": {"type": "string", "pattern": "^o-[0-9]+$"}, "qty": {"type": "integer"},
                 "lines": {"type": "array", "items": {"type": "object", "required": ["sku"],
                           "properties": {"sku": {"type": "string"}, "n": {"type": "integer"}}}}}})";

} // namespace

class TestRegistryWindow : public QObject, public MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void testConnectionReportsTheRegistryOnItsOwnLine_data();
    void testConnectionReportsTheRegistryOnItsOwnLine();
    void avroValueSentAndReadBackEqual();
    void rowThatDoesNotFitIsRefusedWithItsPath();
    void registryProblemsRefuseBeforeSending_data();
    void registryProblemsRefuseBeforeSending();
    void resolvingDoesNotFreezeTheWindow();
    void autoRegisterIsAskedOnce();
    void serializationSurvivesSaveAndReopen();
    void jsonSchemaValueSentAndReadBackEqual();
    void protobufSecondMessageSentAndReadBackEqual();
    void largeGeneratorRowSentThroughTheRegistry();
    void keyFromProtoFileValueThroughRegistry();

private:
    ui::ProfilesDialog *newProfileInDialog(const QString &name, const QString &registryUrl, const QString &user,
                                           const QString &password);
    void saveProfile(const QString &name, const QString &registryUrl, const QString &user = {},
                     const QString &password = {});
    void chooseProfile(const QString &name);
    void openOnRegistry(const QString &topic);
    ui::SerializationDialog *openSerializationDialog();
    void setValueToAvro();
    void appendJsonRows(const QList<QByteArray> &values);
    QString createTopic();
    int registerSchema(const QString &subject, const char *schema, const QString &schemaType = {});
    QList<QJsonObject> decodeTopic(const QString &topic, const QString &valueFormat = QStringLiteral("avro"),
                                   const QStringList &extra = {});
    qint64 highWatermark(const QString &topic);

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QString m_python;
};

void TestRegistryWindow::initTestCase()
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

// A new profile typed into the Profiles dialog: the real broker, and the registry on its own tab. Not saved.
ui::ProfilesDialog *TestRegistryWindow::newProfileInDialog(const QString &name, const QString &registryUrl,
                                                           const QString &user, const QString &password)
{
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *n) { return dialog->findChild<QLineEdit *>(QLatin1String(n)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), name);
    QTest::keyClicks(field("profileBootstrap"), m_broker.plaintext);
    dialog->findChild<QTabWidget *>(QStringLiteral("profileTabs"))->setCurrentIndex(1);
    QTest::keyClicks(field("profileRegistryUrl"), registryUrl);
    if (!user.isEmpty())
        QTest::keyClicks(field("profileRegistryUser"), user);
    if (!password.isEmpty())
        QTest::keyClicks(field("profileRegistryPassword"), password);
    return dialog;
}

void TestRegistryWindow::saveProfile(const QString &name, const QString &registryUrl, const QString &user,
                                     const QString &password)
{
    ui::ProfilesDialog *dialog = newProfileInDialog(name, registryUrl, user, password);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    if (!password.isEmpty())
        QTRY_VERIFY2(dialog->statusText().contains(QLatin1String("registry password is in the keychain")),
                     qPrintable(dialog->statusText()));
    else
        QTRY_VERIFY2(dialog->statusText().contains(QLatin1String("saved")), qPrintable(dialog->statusText()));
    QVERIFY(!dialog->hasUnsavedEdits());
    dialog->close();
    // The password went to the keychain only.
    QCOMPARE(m_secrets->contents().value(name + QStringLiteral("/registry-password")), password.toUtf8());
    QVERIFY(QSettings().allKeys().join(QLatin1Char(' ')).contains(QLatin1String("registryUrl")));
    for (const QString &key : QSettings().allKeys())
        QVERIFY(password.isEmpty() || !QSettings().value(key).toString().contains(password));
}

void TestRegistryWindow::chooseProfile(const QString &name)
{
    auto *combo = child<QComboBox>("profileCombo");
    QVERIFY(combo->findText(name) >= 0);
    combo->setCurrentText(name);
    QCOMPARE(m_window->sendBar()->profile(), name);
}

// A new window with an empty batch for `topic`, on a profile with the test registry (basic auth).
void TestRegistryWindow::openOnRegistry(const QString &topic)
{
    newWindow();
    newEmptyBatch();
    saveProfile(QStringLiteral("with-registry"), m_registry.http, m_registry.user, m_registry.password);
    if (QTest::currentTestFailed())
        return;
    chooseProfile(QStringLiteral("with-registry"));
    if (QTest::currentTestFailed())
        return;
    setTopic(topic);
}

// The send bar's serialization dialog, opened as a user does (null when it did not open).
ui::SerializationDialog *TestRegistryWindow::openSerializationDialog()
{
    QTest::mouseClick(child<QToolButton>("serializationButton"), Qt::LeftButton);
    ui::SerializationDialog *dialog = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] { return (dialog = m_window->findChild<ui::SerializationDialog *>()) && dialog->isVisible(); });
    return shown ? dialog : nullptr;
}

// The value set to Avro in the send bar's serialization dialog, the subject from the topic, version latest.
void TestRegistryWindow::setValueToAvro()
{
    auto *button = child<QToolButton>("serializationButton");
    QCOMPARE(button->text(), QStringLiteral("Bytes"));
    QVERIFY(button->toolTip().contains(QStringLiteral("Key: bytes · Value: bytes")));
    QTest::mouseClick(button, Qt::LeftButton);
    ui::SerializationDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ui::SerializationDialog *>()) && dialog->isVisible());
    auto *kind = dialog->findChild<QComboBox *>(QStringLiteral("valueKind"));
    kind->setCurrentIndex(kind->findData(int(core::PayloadKind::Avro)));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("serializationOk")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<ui::SerializationDialog *>());
    QVERIFY(m_window->documentModel()->serialization().value.kind == core::PayloadKind::Avro);
    QVERIFY(m_window->documentModel()->serialization().key.kind == core::PayloadKind::Bytes);
    QVERIFY2(button->toolTip().contains(m_window->documentModel()->topic() + QStringLiteral("-value, latest")),
             qPrintable(button->toolTip()));
    QCOMPARE(button->text(), QStringLiteral("Value: Avro (%1-value, latest)").arg(m_window->documentModel()->topic()));
}

void TestRegistryWindow::appendJsonRows(const QList<QByteArray> &values)
{
    core::Batch rows;
    for (qsizetype i = 0; i < values.size(); ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("k") + QByteArray::number(i));
        m.value = core::Payload(values[i], core::Encoding::Json);
        rows.append(m);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("rows"));
}

QString TestRegistryWindow::createTopic()
{
    const QString topic = freshName("win");
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

// Registers `schema` under `subject` with Qt's own HTTP client (not KBatch's); its id, or -1.
int TestRegistryWindow::registerSchema(const QString &subject, const char *schema, const QString &schemaType)
{
    QJsonObject request{{QStringLiteral("schema"), QString::fromUtf8(schema)}};
    if (!schemaType.isEmpty())
        request.insert(QStringLiteral("schemaType"), schemaType);
    const QByteArray body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    const auto [status, answer] =
        rawRequest("POST", m_registry.ccompat + QStringLiteral("/subjects/%1/versions").arg(subject), body);
    if (status != 200) {
        qWarning("registering %s: HTTP %d %s", qPrintable(subject), status, answer.constData());
        return -1;
    }
    return QJsonDocument::fromJson(answer).object().value(QLatin1String("id")).toInt(-1);
}

QList<QJsonObject> TestRegistryWindow::decodeTopic(const QString &topic, const QString &valueFormat,
                                                   const QStringList &extra)
{
    QProcess p;
    p.start(QStringLiteral("sh"),
            QStringList{m_python, QStringLiteral(KBATCH_SOURCE_DIR "/tests/registry/decode.py"),
                        QStringLiteral("--bootstrap"), m_broker.plaintext, QStringLiteral("--registry"),
                        m_registry.ccompat, QStringLiteral("--topic"), topic, QStringLiteral("--key"),
                        QStringLiteral("string"), QStringLiteral("--value"), valueFormat} +
                extra);
    const bool finished = p.waitForFinished(120000);
    const QByteArray out = p.readAllStandardOutput();
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    if (!finished || p.exitCode() != 0)
        qWarning("decode.py failed (exit %d): %s\n%s", p.exitCode(), p.readAllStandardError().constData(),
                 out.left(2000).constData());
    return finished && p.exitCode() == 0 ? lines : QList<QJsonObject>{};
}

// The topic's high watermark by confluent-kafka's consumer: 0 means nothing was ever written to it. -1 on failure.
qint64 TestRegistryWindow::highWatermark(const QString &topic)
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
    if (!p.waitForFinished(90000) || p.exitCode() != 0) {
        qWarning("reading the watermark of %s failed: %s", qPrintable(topic), p.readAllStandardError().constData());
        return -1;
    }
    bool ok = false;
    const qint64 high = p.readAllStandardOutput().trimmed().toLongLong(&ok);
    return ok ? high : -1;
}

void TestRegistryWindow::testConnectionReportsTheRegistryOnItsOwnLine_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("wrongPassword");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("ok");
    QTest::newRow("ok") << QString() << false << QStringLiteral("Schema Registry OK at") << true;
    QTest::newRow("401") << QString() << true << QStringLiteral("(401)") << false;
    QTest::newRow("unreachable") << QStringLiteral("http://127.0.0.1:%1").arg(closedPort()) << false
                                 << QStringLiteral("unreachable") << false;
    // The proxy's TLS port, whose certificate only the fixture's own CA signs: not given here, so not trusted.
    QTest::newRow("tls") << m_registry.https << false << QStringLiteral("TLS failed") << false;
}

// Test Connection checks the cluster and the registry, each on its own line: the cluster's stays "Connected" while
// the registry's says OK with what it saw, or what failed.
void TestRegistryWindow::testConnectionReportsTheRegistryOnItsOwnLine()
{
    QFETCH(QString, url);
    QFETCH(bool, wrongPassword);
    QFETCH(QString, expected);
    QFETCH(bool, ok);
    // A subject of our own, so that the registry has at least one to list.
    QVERIFY(registerSchema(freshName("conn") + QStringLiteral("-value"), orderSchema) > 0);
    newWindow();
    ui::ProfilesDialog *dialog =
        newProfileInDialog(QStringLiteral("reg"), url.isEmpty() ? m_registry.http : url, m_registry.user,
                           wrongPassword ? m_registry.password + QStringLiteral("-wrong") : m_registry.password);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->registryStatusText().contains(expected), 20000);
    const QString line = dialog->registryStatusText();
    if (ok)
        QVERIFY2(line.contains(QLatin1String("subject")) && !line.contains(QLatin1String("failed")), qPrintable(line));
    else
        QVERIFY2(!line.contains(QLatin1String(" OK ")), qPrintable(line));
    // The cluster's own line, separately: the broker is fine whatever the registry says.
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected to")), 20000);
    QVERIFY(!dialog->statusText().contains(QLatin1String("Registry")));
    QVERIFY(!dialog->registryStatusText().contains(m_registry.password));
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    dialog->close();
}

// The Done-when of issue 15 in the window: a registry profile picked, the value set to Avro (subject from the topic),
// a JSON row that fits is sent to the real broker, and confluent-kafka's deserializer reads it back equal; the row's
// result names the schema id, which is the id in the frame.
void TestRegistryWindow::avroValueSentAndReadBackEqual()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int id = registerSchema(topic + QStringLiteral("-value"), orderSchema);
    QVERIFY(id > 0);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    setValueToAvro();
    const QList<QByteArray> rows{orderRow(1), orderRow(2)};
    appendJsonRows(rows);
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 2);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), id);
    QCOMPARE(m_window->sendController()->lastKeySchemaId(), 0);
    for (int r = 0; r < 2; ++r) {
        const QString tip = m_window->model()
                                ->data(m_window->model()->index(r, ui::BatchTableModel::Status), Qt::ToolTipRole)
                                .toString();
        QVERIFY2(tip.contains(QStringLiteral("value schema id %1").arg(id)), qPrintable(tip));
    }

    const QList<QJsonObject> decoded = decodeTopic(topic);
    QCOMPARE(decoded.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(decoded[i].value(QLatin1String("key")).toString(), QStringLiteral("k%1").arg(i));
        QCOMPARE(decoded[i].value(QLatin1String("value_schema_id")).toInt(), id);
        QCOMPARE(decoded[i].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(rows[i]).object());
    }
}

// A row that does not fit is refused before the first message: the message names the row and the field path, the
// row is selected, and nothing reaches the topic.
void TestRegistryWindow::rowThatDoesNotFitIsRefusedWithItsPath()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    QVERIFY(registerSchema(topic + QStringLiteral("-value"), orderSchema) > 0);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    setValueToAvro();
    QByteArray bad = orderRow(2);
    bad.replace("\"qty\": 2", "\"qty\": \"many\"");
    appendJsonRows({orderRow(1), bad, orderRow(3)});
    m_window->view()->selectSourceRow(0);
    action("actionSend")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 20000);
    const QString error = ui::MessageBox::lastError();
    QVERIFY2(error.startsWith(QLatin1String("Row 2: value: ")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("$.qty")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("int")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Nothing was sent")), qPrintable(error));
    QVERIFY(!m_window->sendController()->isBusy());
    QCOMPARE(m_window->view()->selectedRowList(), QList<qsizetype>{1});
    // Every row is back to "not sent", and editable again.
    for (int r = 0; r < 3; ++r)
        QCOMPARE(m_window->model()->data(m_window->model()->index(r, 0), ui::BatchTableModel::StatusRole).toInt(), -1);
    QVERIFY(!m_window->model()->isSending());
    QCOMPARE(highWatermark(topic), 0);
}

void TestRegistryWindow::registryProblemsRefuseBeforeSending_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected");
    QTest::newRow("registry down") << QStringLiteral("http://127.0.0.1:%1").arg(closedPort()) << QString()
                                   << QStringLiteral("cannot reach the registry");
    QTest::newRow("wrong password") << QString() << QStringLiteral("not-the-password")
                                    << QStringLiteral("refused the credentials (HTTP 401)");
    QTest::newRow("unknown subject") << QStringLiteral("(no subject)") << QString() << QStringLiteral("does not exist");
}

// A registry that is down, a wrong password, a subject the registry lacks: refused with the registry's reason and
// what to do, the rows back to "not sent", and the topic still empty.
void TestRegistryWindow::registryProblemsRefuseBeforeSending()
{
    QFETCH(QString, url);
    QFETCH(QString, password);
    QFETCH(QString, expected);
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const bool noSubject = url == QLatin1String("(no subject)");
    if (!noSubject)
        QVERIFY(registerSchema(topic + QStringLiteral("-value"), orderSchema) > 0);
    newWindow();
    newEmptyBatch();
    saveProfile(QStringLiteral("reg"), url.isEmpty() || noSubject ? m_registry.http : url, m_registry.user,
                password.isEmpty() ? m_registry.password : password);
    chooseProfile(QStringLiteral("reg"));
    setTopic(topic);
    setValueToAvro();
    appendJsonRows({orderRow(1)});
    action("actionSend")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 30000);
    const QString error = ui::MessageBox::lastError();
    QVERIFY2(error.startsWith(QLatin1String("Nothing sent: value: ")), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(m_registry.password), "a secret in the message");
    QVERIFY(!m_window->sendController()->isBusy());
    QCOMPARE(m_window->model()->data(m_window->model()->index(0, 0), ui::BatchTableModel::StatusRole).toInt(), -1);
    QCOMPARE(highWatermark(topic), 0);
}

// A registry that accepts the connection and never answers: Send returns at once, the window goes on (its event
// loop runs, Cancel works), and cancelling sends nothing.
void TestRegistryWindow::resolvingDoesNotFreezeTheWindow()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> held; // accepted and never answered
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = silent.nextPendingConnection())
            held << s;
    });
    newWindow();
    newEmptyBatch();
    saveProfile(QStringLiteral("silent"), QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()));
    chooseProfile(QStringLiteral("silent"));
    setTopic(QStringLiteral("never-written"));
    setValueToAvro();
    appendJsonRows({orderRow(1)});
    QElapsedTimer clock;
    clock.start();
    action("actionSend")->trigger();
    QVERIFY2(clock.elapsed() < 1000, "Send waited for the registry on the GUI thread");
    QVERIFY(m_window->sendController()->isPreparing());
    QVERIFY(action("actionCancel")->isEnabled());
    QVERIFY(!action("actionSend")->isEnabled());
    // The event loop runs meanwhile: timers fire, and the registry sees the request.
    QTRY_VERIFY(!held.isEmpty());
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&] { ++ticks; });
    timer.start(10);
    QTest::qWait(300);
    QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
    QVERIFY(m_window->sendController()->isPreparing());
    action("actionCancel")->trigger();
    QVERIFY(!m_window->sendController()->isBusy());
    QVERIFY2(ui::MessageBox::lastError().contains(QLatin1String("nothing was sent")),
             qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->model()->data(m_window->model()->index(0, 0), ui::BatchTableModel::StatusRole).toInt(), -1);
    qDeleteAll(held);
}

// A template whose value schema is registered by the send (autoRegister) writes to the user's registry only after the
// user says yes: Cancel registers and sends nothing; Yes registers the template's schema and sends, read back equal.
void TestRegistryWindow::autoRegisterIsAskedOnce()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const QString subject = topic + QStringLiteral("-value");
    const QByteArray schemaString =
        QJsonDocument(QJsonArray{QString::fromUtf8(orderSchema)}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    const QByteArray text = R"({"format": "kbatch-template", "version": 2, "topic": ")" + topic.toUtf8() +
                            R"(", "serialization": {"value": {"kind": "avro", "autoRegister": true, "schema": )" +
                            schemaString + R"(}}, "messages": [{"key": "k0", "value": {"json": )" + orderRow(4) +
                            "}}]}\n";
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("register.kbatch.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(text), text.size());
    f.close();

    newWindow();
    saveProfile(QStringLiteral("with-registry"), m_registry.http, m_registry.user, m_registry.password);
    chooseProfile(QStringLiteral("with-registry"));
    ui::FileDialog::setNextFileName(path);
    action("actionOpen")->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QVERIFY(m_window->documentModel()->serialization().value.autoRegister);

    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastQuestion().contains(QLatin1String("registers its value schema")),
             qPrintable(ui::MessageBox::lastQuestion()));
    QVERIFY(!m_window->sendController()->isBusy());
    QCOMPARE(rawRequest("GET", m_registry.ccompat + QStringLiteral("/subjects/%1/versions").arg(subject)).first, 404);

    ui::MessageBox::clearLast();
    ui::MessageBox::setNextAnswer(QMessageBox::Yes);
    action("actionSend")->trigger();
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 1);
    const auto versions = rawRequest("GET", m_registry.ccompat + QStringLiteral("/subjects/%1/versions").arg(subject));
    QCOMPARE(versions.first, 200);
    const QList<QJsonObject> decoded = decodeTopic(topic);
    QCOMPARE(decoded.size(), 1);
    QCOMPARE(decoded[0].value(QLatin1String("value_schema_id")).toInt(),
             m_window->sendController()->lastValueSchemaId());
    QCOMPARE(decoded[0].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(orderRow(4)).object());
}

// The serialization chosen in the window marks the document modified, is saved in the template, and a reopened
// template shows the same choices.
void TestRegistryWindow::serializationSurvivesSaveAndReopen()
{
    newWindow();
    newEmptyBatch();
    setTopic(QStringLiteral("orders"));
    appendJsonRows({orderRow(1)});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("typed.kbatch.json"));
    ui::FileDialog::setNextFileName(path);
    action("actionSaveAs")->trigger();
    QTRY_VERIFY(QFile::exists(path));
    QVERIFY(!m_window->isWindowModified());

    ui::SerializationDialog *dialog = openSerializationDialog();
    QVERIFY(dialog);
    auto combo = [dialog](const char *name) { return dialog->findChild<QComboBox *>(QLatin1String(name)); };
    auto line = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    combo("keyKind")->setCurrentIndex(combo("keyKind")->findData(int(core::PayloadKind::Avro)));
    line("keySubject")->setText(QStringLiteral("custom-keys"));
    line("keyVersion")->setText(QStringLiteral("3"));
    combo("valueKind")->setCurrentIndex(combo("valueKind")->findData(int(core::PayloadKind::Avro)));
    combo("valueStrategy")
        ->setCurrentIndex(combo("valueStrategy")->findData(int(core::SubjectNameStrategy::TopicRecordName)));
    line("valueRecordName")->setText(QStringLiteral("kbatch.window.Order"));
    line("valueVersion")->setText(QStringLiteral("id:7"));
    // A version that is no version is refused in the dialog, with the field named.
    line("keyVersion")->setText(QStringLiteral("newest"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("serializationOk")), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->findChild<QLabel *>(QStringLiteral("serializationProblem"))
                 ->text()
                 .startsWith(QLatin1String("Key version")),
             qPrintable(dialog->findChild<QLabel *>(QStringLiteral("serializationProblem"))->text()));
    line("keyVersion")->setText(QStringLiteral("3"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("serializationOk")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<ui::SerializationDialog *>());
    QVERIFY(m_window->isWindowModified());

    core::Serialization expected;
    expected.key.kind = core::PayloadKind::Avro;
    expected.key.subject = QStringLiteral("custom-keys");
    expected.key.version = core::VersionSelector::version(3);
    expected.value.kind = core::PayloadKind::Avro;
    expected.value.subjectStrategy = core::SubjectNameStrategy::TopicRecordName;
    expected.value.recordName = QStringLiteral("kbatch.window.Order");
    expected.value.version = core::VersionSelector::schemaId(7);
    QVERIFY(m_window->documentModel()->serialization() == expected);

    action("actionSave")->trigger();
    QTRY_VERIFY(!m_window->isWindowModified());
    auto saved = core::loadTemplate(path);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message()));
    QVERIFY(saved->serialization == expected);

    closeWindow();
    newWindow();
    ui::FileDialog::setNextFileName(path);
    action("actionOpen")->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    QVERIFY(m_window->documentModel()->serialization() == expected);
    QVERIFY(!m_window->isWindowModified());
    const QString summary = child<QToolButton>("serializationButton")->toolTip();
    QVERIFY2(summary.contains(QLatin1String("Key: Avro (custom-keys, 3)")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("Value: Avro (id 7)")), qPrintable(summary));
}

// JSON Schema through the same controls: chosen in the serialization dialog, a row that misses a required field refused
// with its path before anything is sent, then rows that fit sent framed and read back equal by confluent-kafka's
// JSONDeserializer.
void TestRegistryWindow::jsonSchemaValueSentAndReadBackEqual()
{
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int id = registerSchema(topic + QStringLiteral("-value"), orderJsonSchema, QStringLiteral("JSON"));
    QVERIFY(id > 0);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    ui::SerializationDialog *dialog = openSerializationDialog();
    QVERIFY(dialog);
    auto *kind = dialog->findChild<QComboBox *>(QStringLiteral("valueKind"));
    auto *messageType = dialog->findChild<QLineEdit *>(QStringLiteral("valueMessageType"));
    QVERIFY(!messageType->isEnabled()); // only Protobuf has a message type
    kind->setCurrentIndex(kind->findData(int(core::PayloadKind::Protobuf)));
    QVERIFY(messageType->isEnabled());
    QVERIFY(kind->findData(int(core::PayloadKind::JsonSchema)) >= 0);
    kind->setCurrentIndex(kind->findData(int(core::PayloadKind::JsonSchema)));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("serializationOk")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<ui::SerializationDialog *>());
    QVERIFY(m_window->documentModel()->serialization().value.kind == core::PayloadKind::JsonSchema);
    QCOMPARE(child<QToolButton>("serializationButton")->text(),
             QStringLiteral("Value: JSON Schema (%1-value, latest)").arg(topic));

    const QList<QByteArray> rows{R"({"id": "o-1", "qty": 2, "lines": [{"sku": "A", "n": 1}]})",
                                 R"({"id": "o-22", "qty": 0, "lines": []})"};
    appendJsonRows({rows[0], R"({"id": "o-3", "lines": []})"}); // the second lacks qty
    action("actionSend")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 20000);
    const QString error = ui::MessageBox::lastError();
    QVERIFY2(error.startsWith(QLatin1String("Row 2: value: ")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("qty")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Nothing was sent")), qPrintable(error));
    QVERIFY(!m_window->sendController()->isBusy());
    QCOMPARE(highWatermark(topic), 0);

    ui::MessageBox::clearLast();
    m_window->model()->removeRowList({0, 1});
    QCOMPARE(m_window->model()->rowCount(), 0);
    appendJsonRows(rows);
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 2);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), id);
    const QList<QJsonObject> decoded = decodeTopic(topic, QStringLiteral("json"));
    QCOMPARE(decoded.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(decoded[i].value(QLatin1String("value_schema_id")).toInt(), id);
        QCOMPARE(decoded[i].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(rows[i]).object());
    }
}

// Protobuf through the registry from the window: the value set to Protobuf with the file's second message type on the
// send bar, sent framed (index path [1]) and read back equal by confluent-kafka's ProtobufDeserializer with a class
// that protoc generates here.
void TestRegistryWindow::protobufSecondMessageSentAndReadBackEqual()
{
    const char shopProto[] = "syntax = \"proto3\";\npackage kbatch.window;\n"
                             "message Header { string source = 1; }\n"
                             "message Order { string id = 1; int32 qty = 2; repeated string tags = 3;\n"
                             "  map<string, int64> counts = 4; Header header = 5; }\n";
    QTemporaryDir py;
    QVERIFY(py.isValid());
    QFile proto(py.filePath(QStringLiteral("window_shop.proto")));
    QVERIFY(proto.open(QIODevice::WriteOnly));
    proto.write(shopProto);
    proto.close();
    QProcess protoc;
    protoc.start(QStringLiteral("protoc"),
                 {QStringLiteral("-I") + py.path(), QStringLiteral("--python_out=") + py.path(),
                  QStringLiteral("window_shop.proto")});
    QVERIFY(protoc.waitForFinished(60000));
    QVERIFY2(protoc.exitCode() == 0, protoc.readAllStandardError().constData());

    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int id = registerSchema(topic + QStringLiteral("-value"), shopProto, QStringLiteral("PROTOBUF"));
    QVERIFY(id > 0);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    ui::SerializationDialog *dialog = openSerializationDialog();
    QVERIFY(dialog);
    auto *kind = dialog->findChild<QComboBox *>(QStringLiteral("valueKind"));
    kind->setCurrentIndex(kind->findData(int(core::PayloadKind::Protobuf)));
    auto *messageType = dialog->findChild<QLineEdit *>(QStringLiteral("valueMessageType"));
    QVERIFY(messageType->isEnabled());
    messageType->setText(QStringLiteral("kbatch.window.Order"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("serializationOk")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<ui::SerializationDialog *>());
    QVERIFY(m_window->documentModel()->serialization().value.kind == core::PayloadKind::Protobuf);
    QCOMPARE(m_window->documentModel()->serialization().value.messageType, QStringLiteral("kbatch.window.Order"));

    // As python protobuf's MessageToDict prints them back: 64-bit numbers as strings.
    const QList<QByteArray> rows{
        R"({"id": "o-1", "qty": 3, "tags": ["a", "b"], "counts": {"x": "5"}, "header": {"source": "win"}})",
        R"({"id": "o-2", "qty": 40, "counts": {"y": "-7", "z": "12345678901"}})"};
    appendJsonRows(rows);
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 2);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), id);

    const QList<QJsonObject> decoded =
        decodeTopic(topic, QStringLiteral("protobuf"),
                    {QStringLiteral("--proto-dir"), py.path(), QStringLiteral("--value-type"),
                     QStringLiteral("kbatch.window.Order")});
    QCOMPARE(decoded.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(decoded[i].value(QLatin1String("key")).toString(), QStringLiteral("k%1").arg(i));
        QCOMPARE(decoded[i].value(QLatin1String("value_schema_id")).toInt(), id);
        QCOMPARE(decoded[i].value(QLatin1String("value_message_indexes")).toArray(), QJsonArray{1});
        QCOMPARE(decoded[i].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(rows[i]).object());
    }
}

// A generator row of 40,000 Avro messages, more than the piece a send encodes at once: expanded and encoded in the
// pool before the first message, every one delivered, and confluent-kafka's AvroDeserializer reads them all back
// with each message's own index in it.
void TestRegistryWindow::largeGeneratorRowSentThroughTheRegistry()
{
    constexpr int Count = 40000;
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int id = registerSchema(topic + QStringLiteral("-value"), orderSchema);
    QVERIFY(id > 0);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    setValueToAvro();
    appendJsonRows({orderRow(1)});
    core::Message generator;
    generator.key = core::Payload(QByteArray("g-{{seq}}"));
    generator.value = core::Payload(QByteArray(R"({"id": "g-{{seq}}", "qty": 7, "note": {"string": "{{seq}}"},)"
                                               R"( "lines": [{"sku": "S-{{seq}}", "n": 1}], "tags": {}})"),
                                    core::Encoding::Json);
    generator.generate = core::GenerateSpec{Count, 11};
    core::Batch rows;
    rows.append(generator);
    m_window->model()->appendBatch(rows, QStringLiteral("generator"));
    QCOMPARE(m_window->model()->rowCount(), 2);

    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().total, Count + 1);
    QCOMPARE(m_window->sendController()->stats().delivered, Count + 1);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), id);
    for (int r = 0; r < 2; ++r)
        QCOMPARE(cell(r, ui::BatchTableModel::Status), QStringLiteral("delivered"));

    const QList<QJsonObject> decoded = decodeTopic(topic);
    QCOMPARE(decoded.size(), Count + 1);
    QSet<QString> keys;
    for (const QJsonObject &d : decoded) {
        QCOMPARE(d.value(QLatin1String("value_schema_id")).toInt(), id);
        const QString key = d.value(QLatin1String("key")).toString();
        keys.insert(key);
        const QJsonObject value = d.value(QLatin1String("value")).toObject();
        if (key == QLatin1String("k0")) {
            QCOMPARE(value, QJsonDocument::fromJson(orderRow(1)).object());
            continue;
        }
        // Each value is its own message's: the number in its key is the one in its id, note and line.
        const QString seq = key.mid(2);
        const QJsonObject expected =
            QJsonDocument::fromJson(QStringLiteral(R"({"id": "g-%1", "qty": 7, "note": "%1",)"
                                                   R"( "lines": [{"sku": "S-%1", "n": 1}], "tags": {}})")
                                        .arg(seq)
                                        .toUtf8())
                .object();
        if (value != expected)
            QFAIL(qPrintable(QStringLiteral("not the row's: ") +
                             QString::fromUtf8(QJsonDocument(d).toJson(QJsonDocument::Compact))));
    }
    QCOMPARE(keys.size(), Count + 1); // every generated message once, and the plain row
    QVERIFY(keys.contains(QStringLiteral("g-1")) && keys.contains(QStringLiteral("g-%1").arg(Count)));
}

// A key that is Protobuf from a .proto file (absolute path: the document is never saved) and a value through the
// registry: the registry is asked for the value only, the key goes out as the bare message (protoc --decode reads
// it) and the value framed (confluent-kafka's AvroDeserializer reads it).
void TestRegistryWindow::keyFromProtoFileValueThroughRegistry()
{
    QTemporaryDir protos;
    QVERIFY(protos.isValid());
    QFile proto(protos.filePath(QStringLiteral("order_key.proto")));
    QVERIFY(proto.open(QIODevice::WriteOnly));
    proto.write("syntax = \"proto3\";\npackage kbatch.keys;\nmessage OrderKey { string id = 1; int32 shard = 2; }\n");
    proto.close();
    const QString topic = createTopic();
    QVERIFY(!topic.isEmpty());
    const int id = registerSchema(topic + QStringLiteral("-value"), orderSchema);
    QVERIFY(id > 0);
    QCOMPARE(rawRequest("GET", m_registry.ccompat + QStringLiteral("/subjects/%1-key/versions").arg(topic)).first, 404);
    openOnRegistry(topic);
    if (QTest::currentTestFailed())
        return;
    core::Serialization serialization;
    serialization.key.kind = core::PayloadKind::Protobuf;
    serialization.key.messageType = QStringLiteral("kbatch.keys.OrderKey");
    serialization.key.protoPaths = {proto.fileName()};
    serialization.value.kind = core::PayloadKind::Avro;
    m_window->documentModel()->setSerialization(serialization);
    core::Batch rows;
    for (int i = 0; i < 2; ++i) {
        core::Message m;
        m.key = core::Payload(QStringLiteral(R"({"id": "o-%1", "shard": %2})").arg(i).arg(i + 3).toUtf8(),
                              core::Encoding::Json);
        m.value = core::Payload(orderRow(i), core::Encoding::Json);
        rows.append(m);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("rows"));
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 2);
    QCOMPARE(m_window->sendController()->lastKeySchemaId(), 0);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), id);

    const QList<QJsonObject> decoded =
        decodeTopic(topic, QStringLiteral("avro"), {QStringLiteral("--key"), QStringLiteral("bytes")});
    QCOMPARE(decoded.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(decoded[i].value(QLatin1String("value_schema_id")).toInt(), id);
        QCOMPARE(decoded[i].value(QLatin1String("value")).toObject(), QJsonDocument::fromJson(orderRow(i)).object());
        QProcess protoc;
        protoc.setWorkingDirectory(protos.path());
        protoc.start(QStringLiteral("protoc"), {QStringLiteral("--decode=kbatch.keys.OrderKey"), QStringLiteral("-I."),
                                                QStringLiteral("order_key.proto")});
        QVERIFY(protoc.waitForStarted(10000));
        protoc.write(QByteArray::fromBase64(decoded[i].value(QLatin1String("key")).toString().toLatin1()));
        protoc.closeWriteChannel();
        QVERIFY(protoc.waitForFinished(30000));
        QVERIFY2(protoc.exitCode() == 0, protoc.readAllStandardError().constData());
        QCOMPARE(protoc.readAllStandardOutput(),
                 QStringLiteral("id: \"o-%1\"\nshard: %2\n").arg(i).arg(i + 3).toUtf8());
    }
    // The key's subject was never asked for, so never made.
    QCOMPARE(rawRequest("GET", m_registry.ccompat + QStringLiteral("/subjects/%1-key/versions").arg(topic)).first, 404);
}

QTEST_MAIN(TestRegistryWindow)
#include "tst_registry_window.moc"

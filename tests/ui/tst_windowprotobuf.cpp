// The real window with a template whose value is Protobuf from .proto files: opened from disk, the files are found
// beside the template (not in the working directory) and the detail panel says so; the same serialization in a
// document that is not saved says to save first. Sent to the sandbox (no registry) from .proto files with an import
// directory and from a descriptor set, read back by kcat and decoded by protoc itself; a row that does not fit, and a
// document not saved, refused before the first message.

#include "MainWindowFixture.h"
#include "core/format/TemplateWriter.h"
#include "tests/integration/KcatReader.h"
#include "ui/batch/BatchView.h"
#include "ui/documents/DocumentController.h"
#include "ui/schema/SchemaContext.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <algorithm>

using namespace kbatch;
using State = ui::SchemaContext::State;

class TestWindowProtobuf : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void openedTemplateFindsItsProtoFiles();
    void sendsUnframedToTheSandbox_data();
    void sendsUnframedToTheSandbox();
    void rowThatDoesNotFitIsRefusedBeforeSending();
    void unsavedDocumentWithRelativePathsIsRefused();
    void largeGeneratorRowsAreEncodedWhole_data();
    void largeGeneratorRowsAreEncodedWhole();

private:
    // repo/protos/shop.proto importing repo/include/common/money.proto, and a template in repo/batches naming them
    // relative to it (with the import directory), or naming a descriptor set made from them by protoc.
    QString writeShop(bool descriptorSet, const QString &topic, const QList<QByteArray> &values);
    core::Template shopTemplate(bool descriptorSet, const QString &topic, const QList<QByteArray> &values) const;
    // protoc's own decoding of `bytes` as shop.Order, in its text format; empty (and a warning) on failure.
    QByteArray protocDecode(const QByteArray &bytes) const;
    QString repo(const char *path) const { return QDir(m_files.path()).filePath(QLatin1String(path)); }
};

namespace {
const char moneyProto[] =
    "syntax = \"proto3\";\npackage common;\nmessage Money { string currency = 1; int64 cents = 2; }\n";
const char shopProto[] =
    "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\n"
    "message Order { string id = 1; int32 qty = 2; common.Money total = 3; repeated string tags = 4; }\n";

// The sandbox's topics may have several partitions, which kcat reads one after the other: in the rows' order again.
void sortByKey(QList<test::KcatRecord> &records)
{
    std::sort(records.begin(), records.end(),
              [](const test::KcatRecord &a, const test::KcatRecord &b) { return a.key < b.key; });
}
} // namespace

void TestWindowProtobuf::openedTemplateFindsItsProtoFiles()
{
    const QDir root(m_files.path());
    QVERIFY(root.mkpath(QStringLiteral("repo/protos")) && root.mkpath(QStringLiteral("repo/batches")));
    QFile proto(root.filePath(QStringLiteral("repo/protos/shop.proto")));
    QVERIFY(proto.open(QIODevice::WriteOnly));
    proto.write("syntax = \"proto3\";\npackage shop;\nmessage Order { string id = 1; int32 qty = 2; }\n");
    proto.close();
    core::Template tpl;
    tpl.topic = QStringLiteral("orders");
    tpl.serialization.value.kind = core::PayloadKind::Protobuf;
    tpl.serialization.value.messageType = QStringLiteral("shop.Order");
    tpl.serialization.value.protoPaths = {QStringLiteral("../protos/shop.proto")};
    core::Message m;
    m.value = core::Payload(QByteArray(R"({"id":"o-1","qty":2})"), core::Encoding::Json);
    tpl.messages.append(m);
    const QString path = root.filePath(QStringLiteral("repo/batches/orders.kbatch.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(core::serializeTemplate(tpl));
    file.close();
    QVERIFY(QDir::setCurrent(QDir::rootPath())); // "../protos" from here leads nowhere

    newWindow();
    ui::SchemaContext *context = m_window->schemaContext();
    m_window->document()->openFile(path);
    QTRY_COMPARE(m_window->document()->filePath(), path);
    QTRY_COMPARE(context->part(core::PayloadPart::Value).state, State::Ready);
    QCOMPARE(context->documentDir(), root.filePath(QStringLiteral("repo/batches")));
    const QString described = ui::SchemaContext::describe(context->part(core::PayloadPart::Value));
    QCOMPARE(described, QStringLiteral("Protobuf shop.Order from ../protos/shop.proto, sent unframed (no registry)"));
    m_window->view()->selectRow(0);
    auto *title = m_window->findChild<QLabel *>(QStringLiteral("schemaTitle_value"));
    QVERIFY(title);
    QTRY_VERIFY2(title->text().contains(described), qPrintable(title->text()));

    // The same serialization in a document that was never saved: no folder to take "../protos" from.
    m_window->document()->setTemplate(tpl, QString());
    QTRY_COMPARE(context->part(core::PayloadPart::Value).state, State::Error);
    QVERIFY2(context->part(core::PayloadPart::Value).error.contains(QLatin1String("save it first")),
             qPrintable(context->part(core::PayloadPart::Value).error));
}

core::Template TestWindowProtobuf::shopTemplate(bool descriptorSet, const QString &topic,
                                                const QList<QByteArray> &values) const
{
    core::Template tpl;
    tpl.topic = topic;
    tpl.serialization.value.kind = core::PayloadKind::Protobuf;
    tpl.serialization.value.messageType = QStringLiteral("shop.Order");
    if (descriptorSet)
        tpl.serialization.value.descriptorSet = QStringLiteral("../protos/shop.desc");
    else
        tpl.serialization.value.protoPaths = {QStringLiteral("../protos/shop.proto"), QStringLiteral("../include")};
    for (qsizetype i = 0; i < values.size(); ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("k") + QByteArray::number(i));
        m.value = core::Payload(values[i], core::Encoding::Json);
        tpl.messages.append(m);
    }
    return tpl;
}

QString TestWindowProtobuf::writeShop(bool descriptorSet, const QString &topic, const QList<QByteArray> &values)
{
    const QDir root(m_files.path());
    if (!root.mkpath(QStringLiteral("repo/protos")) || !root.mkpath(QStringLiteral("repo/include/common")) ||
        !root.mkpath(QStringLiteral("repo/batches")))
        return {};
    const auto write = [](const QString &path, const QByteArray &bytes) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    if (!write(repo("repo/include/common/money.proto"), moneyProto) ||
        !write(repo("repo/protos/shop.proto"), shopProto))
        return {};
    if (descriptorSet) {
        QProcess protoc;
        protoc.start(QStringLiteral("protoc"),
                     {QStringLiteral("--descriptor_set_out=") + repo("repo/protos/shop.desc"),
                      QStringLiteral("--include_imports"), QStringLiteral("-I"), repo("repo/protos"),
                      QStringLiteral("-I"), repo("repo/include"), QStringLiteral("shop.proto")});
        if (!protoc.waitForFinished(30000) || protoc.exitCode() != 0) {
            qWarning("protoc --descriptor_set_out failed: %s", protoc.readAllStandardError().constData());
            return {};
        }
        // The .proto files go: only the descriptor set is left to compile from.
        QFile::remove(repo("repo/protos/shop.proto"));
        QDir(repo("repo/include")).removeRecursively();
    }
    const QString path = repo("repo/batches/orders.kbatch.json");
    if (!write(path, core::serializeTemplate(shopTemplate(descriptorSet, topic, values))))
        return {};
    return path;
}

QByteArray TestWindowProtobuf::protocDecode(const QByteArray &bytes) const
{
    // From the .proto text again (the descriptor set case removed them): protoc reads the files itself.
    QTemporaryDir dir;
    const auto write = [](const QString &path, const QByteArray &text) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    };
    if (!QDir(dir.path()).mkpath(QStringLiteral("common")) ||
        !write(dir.filePath(QStringLiteral("common/money.proto")), moneyProto) ||
        !write(dir.filePath(QStringLiteral("shop.proto")), shopProto))
        return {};
    QProcess protoc;
    protoc.setWorkingDirectory(dir.path());
    protoc.start(QStringLiteral("protoc"),
                 {QStringLiteral("--decode=shop.Order"), QStringLiteral("-I."), QStringLiteral("shop.proto")});
    if (!protoc.waitForStarted(10000))
        return {};
    protoc.write(bytes);
    protoc.closeWriteChannel();
    if (!protoc.waitForFinished(30000) || protoc.exitCode() != 0) {
        qWarning("protoc --decode failed: %s", protoc.readAllStandardError().constData());
        return {};
    }
    return protoc.readAllStandardOutput();
}

void TestWindowProtobuf::sendsUnframedToTheSandbox_data()
{
    QTest::addColumn<bool>("descriptorSet");
    QTest::newRow("proto files and an import path") << false;
    QTest::newRow("descriptor set") << true;
}

// The window sends Protobuf from files through the sandbox profile, which has no registry: each value is the bare
// message (no frame), which protoc --decode reads as the row said.
void TestWindowProtobuf::sendsUnframedToTheSandbox()
{
    QFETCH(bool, descriptorSet);
    const QString topic = descriptorSet ? QStringLiteral("proto-desc") : QStringLiteral("proto-files");
    const QList<QByteArray> values{R"({"id": "o-1", "qty": 2, "total": {"currency": "EUR", "cents": "1250"},
                                     "tags": ["gift", "fragile"]})",
                                   R"({"id": "o-2", "qty": 300})"};
    const QList<QByteArray> expected{"id: \"o-1\"\nqty: 2\ntotal {\n  currency: \"EUR\"\n  cents: 1250\n}\n"
                                     "tags: \"gift\"\ntags: \"fragile\"\n",
                                     "id: \"o-2\"\nqty: 300\n"};
    const QString path = writeShop(descriptorSet, topic, values);
    QVERIFY(!path.isEmpty());
    QVERIFY(QDir::setCurrent(QDir::rootPath())); // "../protos" from the working directory leads nowhere

    newWindow();
    m_window->document()->openFile(path);
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    QCOMPARE(m_window->sendBar()->profile(), ui::ConnectionService::sandboxProfileName());
    action("actionSend")->trigger();
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, 2);
    QCOMPARE(m_window->sendController()->lastValueSchemaId(), 0);

    auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    sortByKey(records);
    QCOMPARE(records.size(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(records[i].key, std::optional<QByteArray>(QByteArray("k") + QByteArray::number(i)));
        QVERIFY(records[i].value);
        QVERIFY2(!records[i].value->startsWith('\0'), "a Confluent frame on an unframed value");
        QCOMPARE(protocDecode(*records[i].value), expected[i]);
    }
}

// A row that does not fit the message type: refused before the first message, naming the row and the field path,
// the row selected; with the row taken out the rest goes, and the topic holds exactly those (so nothing went before).
void TestWindowProtobuf::rowThatDoesNotFitIsRefusedBeforeSending()
{
    const QString topic = QStringLiteral("proto-refused");
    const QList<QByteArray> values{R"({"id": "o-1", "qty": 1})",
                                   R"({"id": "o-2", "qty": 2, "total": {"currency": "EUR", "cents": "lots"}})",
                                   R"({"id": "o-3", "qty": 3})"};
    const QString path = writeShop(false, topic, values);
    QVERIFY(!path.isEmpty());
    newWindow();
    m_window->document()->openFile(path);
    QTRY_COMPARE(m_window->model()->rowCount(), 3);
    action("actionSend")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 20000);
    const QString error = ui::MessageBox::lastError();
    QVERIFY2(error.startsWith(QLatin1String("Row 2: value: $.total.cents")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Nothing was sent")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("../protos/shop.proto")), qPrintable(error));
    QVERIFY(!m_window->sendController()->isBusy());
    QVERIFY(!m_window->model()->isSending());
    QCOMPARE(m_window->view()->selectedRowList(), QList<qsizetype>{1});
    for (int r = 0; r < 3; ++r)
        QCOMPARE(m_window->model()->data(m_window->model()->index(r, 0), ui::BatchTableModel::StatusRole).toInt(), -1);

    ui::MessageBox::clearLast();
    m_window->model()->removeRowList({1});
    action("actionSend")->trigger();
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    sortByKey(records);
    QCOMPARE(records.size(), 2);
    QCOMPARE(protocDecode(*records[0].value), QByteArray("id: \"o-1\"\nqty: 1\n"));
    QCOMPARE(protocDecode(*records[1].value), QByteArray("id: \"o-3\"\nqty: 3\n"));
}

// Paths relative to a template that is not saved: refused at once with what to do, nothing marked as sent.
void TestWindowProtobuf::unsavedDocumentWithRelativePathsIsRefused()
{
    QVERIFY(!writeShop(false, QStringLiteral("proto-unsaved"), {}).isEmpty());
    QVERIFY(QDir::setCurrent(repo("repo/batches"))); // where the paths would happen to work: not a guess to make
    newWindow();
    m_window->document()->setTemplate(shopTemplate(false, QStringLiteral("proto-unsaved"), {R"({"id": "o-1"})"}),
                                      QString());
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    action("actionSend")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 20000);
    const QString error = ui::MessageBox::lastError();
    QVERIFY2(error.startsWith(QLatin1String("Nothing sent: the value's Protobuf schema: '../protos/shop.proto' is "
                                            "relative to the template's folder, and the template is not saved yet")),
             qPrintable(error));
    QVERIFY(!m_window->sendController()->isBusy());
    QCOMPARE(m_window->sendController()->stats().delivered, 0);
    QCOMPARE(m_window->model()->data(m_window->model()->index(0, 0), ui::BatchTableModel::StatusRole).toInt(), -1);
    QVERIFY(QDir::setCurrent(QDir::rootPath()));
}

void TestWindowProtobuf::largeGeneratorRowsAreEncodedWhole_data()
{
    QTest::addColumn<bool>("fits");
    QTest::newRow("fits") << true;
    QTest::newRow("a row after them does not fit") << false;
}

// A generator row of more than a piece (20,000 messages after a plain row), expanded and encoded in the pool before
// the first message: all of it delivered, read back by kcat and protoc; or, when a row after them does not fit, that
// row named (counted in the editor's rows, not the messages) and selected, and nothing sent.
void TestWindowProtobuf::largeGeneratorRowsAreEncodedWhole()
{
    QFETCH(bool, fits);
    constexpr int Count = 20000;
    const QString topic = fits ? QStringLiteral("proto-generated") : QStringLiteral("proto-generated-refused");
    const QString path = writeShop(false, topic, {R"({"id": "o-1", "qty": 1})"});
    QVERIFY(!path.isEmpty());
    newWindow();
    m_window->document()->openFile(path);
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    core::Message generator;
    generator.key = core::Payload(QByteArray("g-{{seq}}"));
    generator.value = core::Payload(QByteArray(R"({"id": "g-{{seq}}", "qty": 7})"), core::Encoding::Json);
    generator.generate = core::GenerateSpec{Count, 5};
    core::Batch rows;
    rows.append(generator);
    if (!fits) { // after every generated message: the send's message 20,001 (0-based), in the second piece
        core::Message bad;
        bad.key = core::Payload(QByteArray("bad"));
        bad.value = core::Payload(QByteArray(R"({"id": "b", "tags": [5]})"), core::Encoding::Json);
        rows.append(bad);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("generator"));
    QCOMPARE(m_window->model()->rowCount(), fits ? 2 : 3);
    m_window->view()->selectSourceRow(0);
    action("actionSend")->trigger();
    if (!fits) {
        QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 60000);
        const QString error = ui::MessageBox::lastError();
        QVERIFY2(error.startsWith(QLatin1String("Row 3: value: $.tags[0]")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("Nothing was sent")), qPrintable(error));
        QVERIFY(!m_window->sendController()->isBusy());
        QVERIFY(!m_window->model()->isSending());
        QCOMPARE(m_window->view()->selectedRowList(), QList<qsizetype>{2});
        QCOMPARE(m_window->sendController()->stats().delivered, 0);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(m_window->model()->data(m_window->model()->index(r, 0), ui::BatchTableModel::StatusRole).toInt(),
                     -1);
        return;
    }
    QVERIFY(waitForSendToFinish());
    QVERIFY2(ui::MessageBox::lastError().isEmpty(), qPrintable(ui::MessageBox::lastError()));
    QCOMPARE(m_window->sendController()->stats().delivered, Count + 1);
    auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    QCOMPARE(records.size(), Count + 1);
    sortByKey(records);
    QCOMPARE(records[0].key, std::optional<QByteArray>("g-1"));
    QCOMPARE(protocDecode(*records[0].value), QByteArray("id: \"g-1\"\nqty: 7\n"));
    QCOMPARE(records[Count - 1].key, std::optional<QByteArray>("g-9999")); // "g-" sorted as text
    QCOMPARE(protocDecode(*records[Count - 1].value), QByteArray("id: \"g-9999\"\nqty: 7\n"));
    QCOMPARE(records[Count].key, std::optional<QByteArray>("k0"));
}

QTEST_MAIN(TestWindowProtobuf)
#include "tst_windowprotobuf.moc"

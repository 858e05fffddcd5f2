// The real window with a template whose value is Protobuf from .proto files: opened from disk, the files are found
// beside the template (not in the working directory) and the detail panel says so; the same serialization in a
// document that is not saved says to save first.

#include "MainWindowFixture.h"
#include "core/format/TemplateWriter.h"
#include "ui/batch/BatchView.h"
#include "ui/documents/DocumentController.h"
#include "ui/schema/SchemaContext.h"

#include <QDir>
#include <QFile>

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
};

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

QTEST_MAIN(TestWindowProtobuf)
#include "tst_windowprotobuf.moc"

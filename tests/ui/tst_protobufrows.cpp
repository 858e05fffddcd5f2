// Protobuf in the window, without a registry: a part from .proto files or a descriptor set resolved by SchemaContext
// from the document's folder (as kbatch-cli takes a template's paths), and the detail panel's schema section for
// Protobuf (the message type in the title, the message-index bytes labelled, unframed payloads said so), skeleton and
// checking. protoc, the reference compiler, makes the descriptor set and decodes what the panel shows.

#include "core/schema/PayloadCodec.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/schema/RowChecker.h"
#include "ui/schema/SchemaContext.h"
#include "ui/schema/SchemaSection.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch;
using core::PayloadPart;
using ui::BatchTableModel;
using State = ui::SchemaContext::State;

namespace {
const QByteArray MoneyProto = R"(syntax = "proto3";
package shop;
message Money { string currency = 1; int64 units = 2; }
)";
const QByteArray ShopProto = R"(syntax = "proto3";
package shop;
import "money.proto";
message Header { string source = 1; }
message Order {
  string id = 1;
  repeated Line lines = 2;
  shop.Money total = 3;
  message Line { string sku = 1; int32 qty = 2; }
}
)";
const QByteArray Good = R"({"id":"o-1","lines":[{"sku":"a","qty":2}],"total":{"currency":"EUR","units":"12"}})";

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QString hexLinesToText(const QStringList &lines, int from)
{
    QByteArray bytes;
    for (int i = from; i < lines.size(); ++i)
        bytes += QByteArray::fromHex(lines[i].mid(8).toLatin1());
    return QString::fromLatin1(bytes.toHex());
}

core::Message jsonRow(const QByteArray &value)
{
    core::Message m;
    m.value = core::Payload(value, core::Encoding::Json);
    return m;
}
} // namespace

class TestProtobufRows : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void filesAreTakenFromTheDocumentFolder();
    void unsavedDocumentWithRelativePathsSaysSaveFirst();
    void descriptorSetFromTheDocumentFolder();
    void unframedBytesAreTheMessageAlone();
    void framedBytesLabelTheMessageIndexes_data();
    void framedBytesLabelTheMessageIndexes();
    void skeletonFitsAndBadRowsAreMarked();

private:
    core::Serialization fromFiles() const;

    QTemporaryDir m_dir; // protos/shop.proto, protos/money.proto, batches/ (the template's folder)
    QString m_protos, m_batches;
    BatchTableModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
    ui::SchemaContext *m_context = nullptr;
    ui::RowChecker *m_checker = nullptr;
};

void TestProtobufRows::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("protos")));
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("batches")));
    m_protos = m_dir.filePath(QStringLiteral("protos"));
    m_batches = m_dir.filePath(QStringLiteral("batches"));
    QVERIFY(writeFile(m_protos + QStringLiteral("/shop.proto"), ShopProto));
    QVERIFY(writeFile(m_protos + QStringLiteral("/money.proto"), MoneyProto));
    // The working directory is not the template's: a path taken from it would not be found.
    QVERIFY(QDir::setCurrent(QDir::rootPath()));
}

void TestProtobufRows::init()
{
    m_model = new BatchTableModel;
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_context = new ui::SchemaContext({}); // no registry at all: files need none
    m_checker = new ui::RowChecker(m_model, m_context);
}

void TestProtobufRows::cleanup()
{
    delete m_checker;
    delete m_context;
    delete m_tester;
    delete m_model;
}

core::Serialization TestProtobufRows::fromFiles() const
{
    core::Serialization s;
    s.value.kind = core::PayloadKind::Protobuf;
    s.value.messageType = QStringLiteral("shop.Order");
    s.value.protoPaths = {QStringLiteral("../protos/shop.proto"), QStringLiteral("../protos")};
    return s;
}

void TestProtobufRows::filesAreTakenFromTheDocumentFolder()
{
    QSignalSpy changed(m_context, &ui::SchemaContext::changed);
    m_context->setDocumentDir(m_batches);
    m_context->setTarget(fromFiles(), QStringLiteral("orders"), QStringLiteral("no-registry"));
    const ui::SchemaContext::Part &value = m_context->part(PayloadPart::Value);
    QCOMPARE(value.state, State::Ready); // at once: nothing to ask
    QVERIFY(value.typed());
    QVERIFY(!value.codec.framed);
    QCOMPARE(value.codec.codec->recordName(), QStringLiteral("shop.Order"));
    QCOMPARE(m_context->part(PayloadPart::Key).state, State::None);
    QVERIFY(!changed.isEmpty());
    const QString described = ui::SchemaContext::describe(value);
    QCOMPARE(described, QStringLiteral("Protobuf shop.Order from ../protos/shop.proto, sent unframed (no registry)"));
    // The schema tab shows the main file's declarations.
    QVERIFY(value.codec.schema.text.contains("message Order"));
    QVERIFY(value.codec.schema.text.contains("import \"money.proto\""));

    // Saved elsewhere: the same relative paths no longer lead to the files, and the part says which one is missing.
    const QString elsewhere = m_dir.filePath(QStringLiteral("batches/deeper"));
    QVERIFY(QDir().mkpath(elsewhere));
    m_context->setDocumentDir(elsewhere);
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::Error);
    QVERIFY2(m_context->part(PayloadPart::Value).error.contains(m_dir.filePath(QStringLiteral("batches/protos"))),
             qPrintable(m_context->part(PayloadPart::Value).error));
    m_context->setDocumentDir(m_batches);
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::Ready);
}

void TestProtobufRows::unsavedDocumentWithRelativePathsSaysSaveFirst()
{
    m_context->setDocumentDir(QString());
    m_context->setTarget(fromFiles(), QStringLiteral("orders"), QString());
    const ui::SchemaContext::Part &value = m_context->part(PayloadPart::Value);
    QCOMPARE(value.state, State::Error);
    QVERIFY2(value.error.contains(QLatin1String("../protos/shop.proto")) &&
                 value.error.contains(QLatin1String("save it first")) &&
                 value.error.contains(QLatin1String("absolute paths")),
             qPrintable(value.error));
    // Absolute paths need no saved document.
    core::Serialization absolute = fromFiles();
    absolute.value.protoPaths = {m_protos + QStringLiteral("/shop.proto"), m_protos};
    m_context->setTarget(absolute, QStringLiteral("orders"), QString());
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::Ready);
    // Saving gives the relative paths their folder.
    m_context->setTarget(fromFiles(), QStringLiteral("orders"), QString());
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::Error);
    m_context->setDocumentDir(m_batches);
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::Ready);
}

void TestProtobufRows::descriptorSetFromTheDocumentFolder()
{
    QProcess protoc;
    protoc.start(QStringLiteral("protoc"),
                 {QStringLiteral("-I") + m_protos, QStringLiteral("--include_imports"),
                  QStringLiteral("--descriptor_set_out=") + m_batches + QStringLiteral("/shop.desc"),
                  QStringLiteral("shop.proto")});
    QVERIFY2(protoc.waitForFinished() && protoc.exitCode() == 0, protoc.readAllStandardError().constData());
    core::Serialization s;
    s.key.kind = core::PayloadKind::Protobuf;
    s.key.descriptorSet = QStringLiteral("shop.desc");
    s.key.messageType = QStringLiteral("Header");
    m_context->setDocumentDir(m_batches);
    m_context->setTarget(s, QStringLiteral("orders"), QString());
    const ui::SchemaContext::Part &key = m_context->part(PayloadPart::Key);
    QVERIFY2(key.typed(), qPrintable(key.error));
    QCOMPARE(ui::SchemaContext::describe(key),
             QStringLiteral("Protobuf shop.Header from shop.desc, sent unframed (no registry)"));
    QCOMPARE(m_context->part(PayloadPart::Value).state, State::None);
}

void TestProtobufRows::unframedBytesAreTheMessageAlone()
{
    m_model->appendBatch(
        [] {
            core::Batch b;
            b.append(jsonRow(Good));
            return b;
        }(),
        QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    m_context->setDocumentDir(m_batches);
    m_context->setTarget(fromFiles(), QStringLiteral("orders"), QString());
    panel.setRow(0);
    auto *title = panel.findChild<QLabel *>(QStringLiteral("schemaTitle_value"));
    QVERIFY(title);
    QVERIFY2(title->text().contains(QLatin1String("Protobuf shop.Order from ../protos/shop.proto")),
             qPrintable(title->text()));
    auto *bytes = panel.findChild<QPlainTextEdit *>(QStringLiteral("schemaBytes_value"));
    QVERIFY(bytes);
    const QStringList lines = bytes->toPlainText().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() >= 3, qPrintable(bytes->toPlainText()));
    QVERIFY2(lines[0].startsWith(QLatin1String("unframed")), qPrintable(lines[0]));
    QVERIFY(!bytes->toPlainText().contains(QLatin1String("magic byte  ")));
    QVERIFY(!bytes->toPlainText().contains(QLatin1String("schema id   ")));
    const QByteArray shown = QByteArray::fromHex(hexLinesToText(lines, 2).toLatin1());
    QCOMPARE(lines[1], QStringLiteral("message     %1 bytes").arg(shown.size()));

    // protoc reads the bytes shown as the Order the row says.
    QProcess protoc;
    protoc.start(QStringLiteral("protoc"), {QStringLiteral("-I") + m_protos, QStringLiteral("--decode=shop.Order"),
                                            QStringLiteral("shop.proto")});
    QVERIFY(protoc.waitForStarted());
    protoc.write(shown);
    protoc.closeWriteChannel();
    QVERIFY(protoc.waitForFinished());
    QCOMPARE(protoc.exitCode(), 0);
    const QString decoded = QString::fromUtf8(protoc.readAllStandardOutput()).simplified();
    QCOMPARE(decoded, QStringLiteral("id: \"o-1\" lines { sku: \"a\" qty: 2 } total { currency: \"EUR\" units: 12 }"));
    auto *schema = panel.findChild<QPlainTextEdit *>(QStringLiteral("schemaText_value"));
    QVERIFY(schema->toPlainText().contains(QLatin1String("message Order")));
}

void TestProtobufRows::framedBytesLabelTheMessageIndexes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("indexLine");
    QTest::newRow("first message") << QStringLiteral("shop.Header") << QStringLiteral(R"({"source":"web"})")
                                   << QStringLiteral(
                                          "indexes     00  (message index path [0]: the file's first message)");
    QTest::newRow("second message") << QStringLiteral("shop.Order") << QString::fromUtf8(Good)
                                    << QStringLiteral("indexes     02 02  (message index path [1])");
    QTest::newRow("nested message") << QStringLiteral("shop.Order.Line") << QStringLiteral(R"({"sku":"b","qty":3})")
                                    << QStringLiteral("indexes     04 02 00  (message index path [1, 0])");
}

void TestProtobufRows::framedBytesLabelTheMessageIndexes()
{
    QFETCH(QString, type);
    QFETCH(QString, json);
    QFETCH(QString, indexLine);
    // As the registry serves it: the schema text and its reference (money.proto) under subjects.
    core::ResolvedSchema served;
    served.schema.id = 7;
    served.schema.subject = QStringLiteral("orders-value");
    served.schema.version = 2;
    served.schema.format = core::SchemaFormat::Protobuf;
    served.schema.text = ShopProto;
    served.schema.references = {{QStringLiteral("money.proto"), QStringLiteral("money"), 1}};
    core::Schema money;
    money.id = 6;
    money.subject = QStringLiteral("money");
    money.version = 1;
    money.format = core::SchemaFormat::Protobuf;
    money.text = MoneyProto;
    served.referenced = {money};
    auto codec = core::compilePayloadCodec(served, type);
    QVERIFY2(codec, codec ? "" : qPrintable(codec.error().message()));

    m_model->appendBatch(
        [&] {
            core::Batch b;
            b.append(jsonRow(json.toUtf8()));
            return b;
        }(),
        QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    m_context->setCodec(PayloadPart::Value, {served.schema, codec.value()});
    panel.setRow(0);
    auto *title = panel.findChild<QLabel *>(QStringLiteral("schemaTitle_value"));
    QVERIFY2(title->text().contains(QStringLiteral("Protobuf %1, orders-value v2 (id 7)").arg(type)),
             qPrintable(title->text()));
    auto *bytes = panel.findChild<QPlainTextEdit *>(QStringLiteral("schemaBytes_value"));
    QByteArray frame;
    QVERIFY(codec.value()->encodeFramed(7, json.toUtf8(), frame).ok());
    QCOMPARE(bytes->toPlainText(), ui::SchemaSection::frameHex(frame, true));
    const QStringList lines = bytes->toPlainText().split(QLatin1Char('\n'));
    QCOMPARE(lines.value(0), QStringLiteral("magic byte  00"));
    QCOMPARE(lines.value(1), QStringLiteral("schema id   00 00 00 07  (7)"));
    QCOMPARE(lines.value(2), indexLine);
    // The labelled pieces, put back together, are the whole frame.
    const QByteArray indexes = QByteArray::fromHex(lines[2].mid(12).section(QLatin1String("  "), 0, 0).toLatin1());
    QByteArray message;
    QVERIFY(codec.value()->encode(json.toUtf8(), message).ok());
    QCOMPARE(lines.value(3), QStringLiteral("message     %1 bytes").arg(message.size()));
    QCOMPARE(hexLinesToText(lines, 4), QString::fromLatin1(message.toHex()));
    QCOMPARE(QByteArray::fromHex("0000000007") + indexes + message, frame);
}

void TestProtobufRows::skeletonFitsAndBadRowsAreMarked()
{
    core::Batch b;
    core::Message empty;
    empty.value = core::Payload(QByteArray(), core::Encoding::Json);
    b.append(empty);
    b.append(jsonRow(Good));
    m_model->appendBatch(b, QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    m_context->setDocumentDir(m_batches);
    m_context->setTarget(fromFiles(), QStringLiteral("orders"), QString());
    const core::ResolvedCodec codec = m_context->part(PayloadPart::Value).codec;
    QVERIFY(codec.codec);
    panel.setRow(0);
    auto *insert = panel.findChild<QAbstractButton *>(QStringLiteral("insertSkeleton_value"));
    QVERIFY(insert && insert->isEnabled());
    insert->click();
    QCOMPARE(m_model->batch().value(0), codec.codec->skeleton());
    QVERIFY(m_model->batch().value(0).contains("\"lines\""));
    QByteArray scratch;
    QVERIFY(!ui::RowChecker::check(m_model->batch(), 0, PayloadPart::Value, codec, scratch));
    QVERIFY(m_model->schemaMark(0, PayloadPart::Value).isEmpty());

    // An unknown field deep in the message, and a wrong type: marked with the field's path.
    m_model->setMessage(1, jsonRow(R"({"id":"o-1","lines":[{"sku":"a","qty":2,"colour":"red"}]})"),
                        QStringLiteral("edit"));
    QString mark = m_model->schemaMark(1, PayloadPart::Value);
    QVERIFY2(mark.contains(QLatin1String("lines[0]")) && mark.contains(QLatin1String("colour")), qPrintable(mark));
    m_model->setMessage(1, jsonRow(R"({"id":"o-1","lines":[{"sku":"a","qty":"two"}]})"), QStringLiteral("edit"));
    mark = m_model->schemaMark(1, PayloadPart::Value);
    QVERIFY2(mark.contains(QLatin1String("lines[0].qty")), qPrintable(mark));
    const QString tip = m_model->data(m_model->index(1, BatchTableModel::Value), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("(Protobuf shop.Order from ../protos/shop.proto)")), qPrintable(tip));
    panel.setRow(1);
    auto *problem = panel.findChild<QLabel *>(QStringLiteral("schemaProblem_value"));
    QVERIFY2(problem->text().contains(QLatin1String("lines[0].qty")), qPrintable(problem->text()));
    m_model->setMessage(1, jsonRow(Good), QStringLiteral("edit"));
    QVERIFY(m_model->schemaMark(1, PayloadPart::Value).isEmpty());
}

QTEST_MAIN(TestProtobufRows)
#include "tst_protobufrows.moc"

// The real window's typed rows against the real registry (fixture "registry"): the document's value is Avro under
// TopicName, the schema comes from Apicurio, and the rows are checked as they are typed. Typing a field of the wrong
// type marks only that row, with the JSON path, and disables nothing; fixing it clears the mark; the bytes the detail
// panel shows are core's frame with 00 and the registry's schema id; a skeleton gives a row that fits; an unknown
// subject is said, and marks nothing.

#include "RegistryEnv.h"
#include "core/schema/PayloadCodec.h"
#include "tests/ui/MainWindowFixture.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/documents/DocumentController.h"
#include "ui/schema/RowChecker.h"
#include "ui/schema/SchemaContext.h"
#include "ui/schema/SchemaSection.h"

#include <QAbstractButton>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTest>

using namespace kbatch;
using core::PayloadPart;
using ui::BatchTableModel;
using ui::SchemaContext;

namespace {
const QByteArray OrderSchema =
    R"({"type":"record","name":"Order","namespace":"com.example.rows","fields":[{"name":"id","type":"string"},)"
    R"({"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[)"
    R"({"name":"sku","type":"string"},{"name":"qty","type":"int"}]}}},)"
    R"({"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},)"
    R"({"name":"note","type":["null","string"],"default":null}]})";
const QByteArray Good = R"({"id":"o-1","items":[{"sku":"a","qty":1}],"placed":1700000000000,"note":null})";
const QByteArray BadQty =
    R"({"id":"o-1","items":[{"sku":"a","qty":1},{"sku":"b","qty":2},{"sku":"c","qty":"3"}],"placed":1,"note":null})";

core::Message jsonRow(const QByteArray &value)
{
    core::Message m;
    m.key = core::Payload(QByteArray("k"));
    m.value = core::Payload(value, core::Encoding::Json);
    return m;
}
} // namespace

class TestRegistryRows : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void typingAnInvalidFieldMarksTheRowAndDisablesNothing();
    void bytesShownAreCoresFrameWithTheRegistrysId();
    void skeletonGivesARowThatFits();
    void unknownSubjectIsSaidAndMarksNothing();

private:
    // A window whose profile has the registry and whose document sends `rows` to `topic` with an Avro value.
    void openTypedDocument(const QString &topic, const core::Batch &rows);
    QPlainTextEdit *valueEditor() const { return child<QPlainTextEdit>("valueEdit"); }
    bool marked(int row) const
    {
        return !m_window->model()
                    ->data(m_window->model()->index(row, BatchTableModel::Value), Qt::DecorationRole)
                    .isNull();
    }
    void selectRow(int row)
    {
        auto *view = m_window->view();
        view->setCurrentIndex(view->model()->index(row, BatchTableModel::Value));
        QCOMPARE(m_window->detailPanel()->row(), row);
    }

    test::RegistryEnv m_env;
    QString m_topic;
    int m_schemaId = 0;
};

void TestRegistryRows::initTestCase()
{
    initFixture();
    const auto env = test::RegistryEnv::load();
    QVERIFY(env);
    m_env = *env;
    // Registered with Qt's own HTTP client, not KBatch's: the ids the window shows must be the registry's.
    m_topic = test::freshName("rows");
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("schema"), QString::fromUtf8(OrderSchema)}})
                                .toJson(QJsonDocument::Compact);
    const auto [status, answer] =
        test::rawRequest("POST", m_env.ccompat + QStringLiteral("/subjects/%1-value/versions").arg(m_topic), body);
    QVERIFY2(status == 200, answer.constData());
    m_schemaId = QJsonDocument::fromJson(answer).object().value(QLatin1String("id")).toInt();
    QVERIFY(m_schemaId > 0);
}

void TestRegistryRows::openTypedDocument(const QString &topic, const core::Batch &rows)
{
    newWindow();
    core::ConnectionProfile profile;
    profile.name = QStringLiteral("with registry");
    profile.bootstrapServers = QStringLiteral("127.0.0.1:%1").arg(test::closedPort());
    profile.registry.url = m_env.ccompat;
    QVERIFY(m_window->connectionService()->profiles()->save(profile).ok());
    m_window->sendBar()->setProfiles({ui::ConnectionService::sandboxProfileName(), profile.name}, profile.name);
    child<QComboBox>("profileCombo")->setCurrentText(profile.name);
    QCOMPARE(m_window->sendBar()->profile(), profile.name);

    core::Template tpl;
    tpl.name = QStringLiteral("typed");
    tpl.topic = topic;
    tpl.serialization.value.kind = core::PayloadKind::Avro; // TopicName, latest, no auto-register: the defaults
    tpl.messages = rows;
    m_window->document()->setTemplate(tpl, QString());
    QCOMPARE(m_window->model()->rowCount(), int(rows.size()));
    auto *context = m_window->schemaContext();
    QTRY_VERIFY_WITH_TIMEOUT(!context->isResolving(), 20000);
    QCOMPARE(context->part(PayloadPart::Key).state, SchemaContext::State::None);
}

void TestRegistryRows::typingAnInvalidFieldMarksTheRowAndDisablesNothing()
{
    core::Batch rows;
    for (int i = 0; i < 3; ++i)
        rows.append(jsonRow(Good));
    openTypedDocument(m_topic, rows);
    const SchemaContext::Part &value = m_window->schemaContext()->part(PayloadPart::Value);
    QVERIFY2(value.state == SchemaContext::State::Ready, qPrintable(value.error));
    QCOMPARE(value.codec.schema.id, m_schemaId);
    QCOMPARE(value.codec.schema.subject, m_topic + QStringLiteral("-value"));
    QCOMPARE(value.codec.schema.version, 1);
    QTRY_VERIFY(!m_window->rowChecker()->isChecking());
    for (int r = 0; r < 3; ++r)
        QVERIFY(!marked(r));

    selectRow(1);
    // A valid edit first, so that what an edit enables (Undo) is so before the invalid one too: the snapshot then
    // differs from what the mark could change only by the mark.
    valueEditor()->selectAll();
    QTest::keyClicks(valueEditor(), QString::fromUtf8(Good).replace(QLatin1String("o-1"), QLatin1String("o-9")));
    QVERIFY(!marked(1));
    QHash<QString, bool> enabledBefore;
    for (QAction *a : m_window->findChildren<QAction *>())
        if (!a->objectName().isEmpty())
            enabledBefore[a->objectName()] = a->isEnabled();
    QVERIFY(!enabledBefore.isEmpty());

    valueEditor()->selectAll();
    QTest::keyClicks(valueEditor(), QString::fromUtf8(BadQty));
    QVERIFY(marked(1));
    QVERIFY(!marked(0));
    QVERIFY(!marked(2));
    const QString tip =
        m_window->model()->data(m_window->model()->index(1, BatchTableModel::Value), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("$.items[2].qty")) && tip.contains(QLatin1String("expected int")),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("id %1").arg(m_schemaId)), qPrintable(tip));
    auto *problem = child<QLabel>("schemaProblem_value");
    QVERIFY(problem->isVisible());
    QVERIFY2(problem->text().contains(QLatin1String("$.items[2].qty")), qPrintable(problem->text()));

    // Nothing else is disabled: every action as it was, the row still editable, the panel too, the text kept.
    for (QAction *a : m_window->findChildren<QAction *>())
        if (enabledBefore.contains(a->objectName()))
            QVERIFY2(a->isEnabled() == enabledBefore.value(a->objectName()), qPrintable(a->objectName()));
    QVERIFY(m_window->model()->flags(m_window->model()->index(1, BatchTableModel::Value)) & Qt::ItemIsEditable);
    QVERIFY(m_window->detailPanel()->isEnabled() && !valueEditor()->isReadOnly());
    QCOMPARE(m_window->model()->batch().value(1), BadQty);
    const auto first = m_window->rowChecker()->firstMismatch();
    QVERIFY(first);
    QCOMPARE(first->row, 1);

    // Fixing it clears the mark.
    valueEditor()->selectAll();
    QTest::keyClicks(valueEditor(), QString::fromUtf8(Good));
    QVERIFY(!marked(1));
    QVERIFY(!problem->isVisible());
    QVERIFY(!m_window->rowChecker()->firstMismatch());
}

void TestRegistryRows::bytesShownAreCoresFrameWithTheRegistrysId()
{
    core::Batch rows;
    rows.append(jsonRow(Good));
    openTypedDocument(m_topic, rows);
    selectRow(0);
    auto *bytes = child<QPlainTextEdit>("schemaBytes_value");
    QVERIFY(bytes);

    // What core writes for the schema as the registry serves it, compiled here on its own.
    const auto [status, answer] =
        test::rawRequest("GET", m_env.ccompat + QStringLiteral("/schemas/ids/%1").arg(m_schemaId));
    QCOMPARE(status, 200);
    core::ResolvedSchema served;
    served.schema.id = m_schemaId;
    served.schema.text = QJsonDocument::fromJson(answer).object().value(QLatin1String("schema")).toString().toUtf8();
    auto codec = core::compilePayloadCodec(served);
    QVERIFY2(codec, codec ? "" : qPrintable(codec.error().message()));
    QByteArray frame;
    QVERIFY(codec.value()->encodeFramed(m_schemaId, Good, frame).ok());
    QCOMPARE(frame.left(5),
             QByteArray(1, '\0') + QByteArray::fromHex(QByteArray::number(m_schemaId, 16).rightJustified(8, '0')));
    QCOMPARE(bytes->toPlainText(), ui::SchemaSection::frameHex(frame));
    const QStringList lines = bytes->toPlainText().split(QLatin1Char('\n'));
    QCOMPARE(lines.value(0), QStringLiteral("magic byte  00"));
    QVERIFY2(lines.value(1).startsWith(
                 QStringLiteral("schema id   %1").arg(QString::fromLatin1(frame.mid(1, 4).toHex(' ')))),
             qPrintable(lines.value(1)));
    QVERIFY(lines.value(1).endsWith(QStringLiteral("(%1)").arg(m_schemaId)));

    auto *title = child<QLabel>("schemaTitle_value");
    QVERIFY2(title->text().contains(QStringLiteral("%1-value v1 (id %2)").arg(m_topic).arg(m_schemaId)),
             qPrintable(title->text()));
    QVERIFY(child<QPlainTextEdit>("schemaText_value")->toPlainText().contains(QLatin1String("com.example.rows")));

    // Typed: the bytes follow the row.
    const QByteArray other = R"({"id":"o-2","items":[],"placed":5,"note":"x"})";
    valueEditor()->selectAll();
    QTest::keyClicks(valueEditor(), QString::fromUtf8(other));
    frame.clear();
    QVERIFY(codec.value()->encodeFramed(m_schemaId, other, frame).ok());
    QCOMPARE(bytes->toPlainText(), ui::SchemaSection::frameHex(frame));
}

void TestRegistryRows::skeletonGivesARowThatFits()
{
    core::Batch rows;
    core::Message empty;
    empty.value = core::Payload(QByteArray(), core::Encoding::Json);
    rows.append(empty);
    openTypedDocument(m_topic, rows);
    QTRY_VERIFY(!m_window->rowChecker()->isChecking());
    QVERIFY(marked(0)); // an empty value is not an Order
    selectRow(0);
    child<QAbstractButton>("insertSkeleton_value")->click();
    QCOMPARE(m_window->model()->rowCount(), 1);
    const QByteArray skeleton = m_window->model()->batch().value(0).toByteArray();
    QVERIFY(skeleton.contains("\"items\""));
    QVERIFY(!marked(0));
    QVERIFY(!m_window->rowChecker()->firstMismatch());
    QVERIFY(!child<QPlainTextEdit>("schemaBytes_value")->toPlainText().isEmpty());
    QVERIFY(child<QPlainTextEdit>("schemaBytes_value")->toPlainText().startsWith(QLatin1String("magic byte  00")));
    // One undo step takes it back.
    QVERIFY(m_window->model()->undo());
    QVERIFY(m_window->model()->batch().value(0).isEmpty());
    QVERIFY(marked(0));
}

void TestRegistryRows::unknownSubjectIsSaidAndMarksNothing()
{
    core::Batch rows;
    rows.append(jsonRow("\"not an order\""));
    const QString topic = test::freshName("nosubject");
    openTypedDocument(topic, rows);
    const SchemaContext::Part &value = m_window->schemaContext()->part(PayloadPart::Value);
    QCOMPARE(value.state, SchemaContext::State::Error);
    QVERIFY2(value.error.contains(topic + QStringLiteral("-value")), qPrintable(value.error));
    QVERIFY(!marked(0));
    QVERIFY(!m_window->rowChecker()->firstMismatch());
    selectRow(0);
    auto *title = child<QLabel>("schemaTitle_value");
    QVERIFY(title->isVisible());
    QVERIFY2(title->text().contains(topic + QStringLiteral("-value")), qPrintable(title->text()));
}

QTEST_MAIN(TestRegistryRows)
#include "tst_registry_rows.moc"

// The Generate dialog with a typed value: "Value: random values from its schema" shows only for a part that has a
// schema, its preview and its rows fit the schema, the row's own fields (placeholders expanded) win, and the same
// seed gives the same rows. No registry: the codec is compiled from a local schema.

#include "MainWindowFixture.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/SchemaFill.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/schema/SchemaContext.h"

#include <QDialogButtonBox>
#include <QTimer>

#include <QApplication>
#include <QCheckBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTest>

using namespace kbatch;

namespace {

const char schema[] = R"({"type": "record", "name": "Order", "fields": [
  {"name": "id", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line",
    "fields": [{"name": "sku", "type": "string"}, {"name": "n", "type": "long"}]}}},
  {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}}
]})";

} // namespace

class TestGenerateFill : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void fillsTheValueFromItsSchema();
    void theWindowOffersTheDocumentsSchema();
};

void TestGenerateFill::fillsTheValueFromItsSchema()
{
    core::ResolvedSchema resolved;
    resolved.schema.text = schema;
    resolved.schema.id = 1;
    const auto codec = core::AvroCodec::compile(resolved);
    QVERIFY(codec.ok());

    core::Message row;
    row.key = core::Payload("k-{{seq}}");
    row.value = core::Payload(R"({"id": "o-{{seq}}"})", core::Encoding::Json);
    ui::GenerateDialog dialog(row);
    auto *fillKey = dialog.findChild<QCheckBox *>(QStringLiteral("generateFillKey"));
    auto *fillValue = dialog.findChild<QCheckBox *>(QStringLiteral("generateFillValue"));
    QVERIFY(fillKey && fillValue);
    dialog.show();
    QVERIFY(!fillValue->isVisible()); // no schema: nothing to offer
    dialog.setSchemaFill(core::schemaFill(nullptr, *codec));
    QVERIFY(fillValue->isVisible());
    QVERIFY(!fillKey->isVisible()); // the key is sent as bytes
    QVERIFY(!fillValue->isChecked());
    dialog.setSeed(5);
    dialog.setCount(30);
    QVERIFY2(dialog.previewText().contains(QLatin1String("{\"id\": \"o-1\"}")), qPrintable(dialog.previewText()));

    fillValue->setChecked(true);
    const QString preview = dialog.previewText();
    QVERIFY2(preview.contains(QLatin1String("\"id\":\"o-1\",\"qty\":")), qPrintable(preview));
    QVERIFY(dialog.fill().value && !dialog.fill().key);

    const auto rows = ui::GenerateDialog::generate(row, dialog.count(), dialog.seed(), dialog.fill());
    QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error().message()));
    QCOMPARE(rows->size(), 30);
    const auto again = ui::GenerateDialog::generate(row, dialog.count(), dialog.seed(), dialog.fill());
    QVERIFY(again.ok());
    for (qsizetype i = 0; i < rows->size(); ++i) {
        const QByteArray value = *rows->at(i).value.bytes;
        QByteArray encoded;
        const core::Status fits = (*codec)->encode(value, encoded);
        QVERIFY2(fits.ok(), qPrintable(fits.ok() ? QString() : fits.error().message()));
        QCOMPARE(QJsonDocument::fromJson(value).object().value(QLatin1String("id")).toString(),
                 QStringLiteral("o-%1").arg(i + 1));
        QCOMPARE(*rows->at(i).key.bytes, QByteArray("k-") + QByteArray::number(i + 1));
        QCOMPARE(*again->at(i).value.bytes, value);
    }
    // The preview is the first of those rows.
    QVERIFY2(dialog.previewText().contains(QString::fromUtf8(*rows->at(0).value.bytes)),
             qPrintable(dialog.previewText()));

    // A value that is plain text cannot carry fields over a record: said in the dialog, no rows.
    core::Message text = row;
    text.value = core::Payload("plain");
    QVERIFY(!ui::GenerateDialog::generate(text, 3, 1, dialog.fill()).ok());
}

// Edit > Generate in the window: the value typed by the document's schema (SchemaContext) is offered, and the rows
// inserted fit it.
void TestGenerateFill::theWindowOffersTheDocumentsSchema()
{
    core::ResolvedSchema resolved;
    resolved.schema.text = schema;
    resolved.schema.id = 9;
    const auto codec = core::AvroCodec::compile(resolved);
    QVERIFY(codec.ok());
    newWindow();
    newEmptyBatch();
    core::ResolvedCodec typed;
    typed.schema = resolved.schema;
    typed.codec = *codec;
    m_window->schemaContext()->setCodec(core::PayloadPart::Value, typed);
    core::Batch rows;
    core::Message row;
    row.value = core::Payload(R"({"id": "w-{{seq}}"})", core::Encoding::Json);
    rows.append(row);
    m_window->model()->appendBatch(rows, QStringLiteral("row"));
    m_window->view()->selectRow(0);
    bool offered = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<ui::GenerateDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        auto *fillValue = dialog->findChild<QCheckBox *>(QStringLiteral("generateFillValue"));
        offered = fillValue && fillValue->isVisibleTo(dialog);
        dialog->setCount(4);
        if (fillValue)
            fillValue->setChecked(true);
        dialog->accept();
    });
    action("actionGenerate")->trigger();
    QVERIFY(offered);
    QCOMPARE(m_window->model()->rowCount(), 5);
    for (int i = 1; i <= 4; ++i) {
        const QByteArray value = m_window->model()->batch().value(i).toByteArray();
        QByteArray encoded;
        QVERIFY2((*codec)->encode(value, encoded).ok(), value.constData());
        QCOMPARE(QJsonDocument::fromJson(value).object().value(QLatin1String("id")).toString(),
                 QStringLiteral("w-%1").arg(i));
    }
}

QTEST_MAIN(TestGenerateFill)
#include "tst_generatefill.moc"

// Editing rows in the real window: undo and redo, spreadsheet and JSON Lines paste, the detail editor, generated rows,
// find and the state filter.

#include "MainWindowFixture.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/kafka/KafkaVersion.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "tests/integration/KcatReader.h"
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/connections/CreateTopicButton.h"
#include "ui/connections/PeekModel.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/TemplateLibrary.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/LogPanel.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace kbatch;
using ui::BatchTableModel;

class TestEditing : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void undoRedoOfEditAndPaste();
    void tsvPasteFromSpreadsheet();
    void detailEditorEditsAreUndoable();
    void detailEditorKeepsHeaderBytes();
    void generateRowsIsOneUndoStep();
    void findSelectsTheNextMatch();
    void stateFilterHidesOtherRowsAndMapsActions();
};

void TestEditing::undoRedoOfEditAndPaste()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("edited")));
    QCOMPARE(model->batch().value(0), QByteArrayView("edited"));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->batch().value(0), QByteArrayView(""));
    m_window->action(QStringLiteral("actionRedo"))->trigger();
    QCOMPARE(model->batch().value(0), QByteArrayView("edited"));

    QApplication::clipboard()->setText(QStringLiteral("a\tone\nb\ttwo\n"));
    m_window->view()->setFocus();
    m_window->view()->selectRow(0);
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->batch().key(1), QByteArrayView("a"));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->rowCount(), 1);
    m_window->action(QStringLiteral("actionRedo"))->trigger();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->batch().value(2), QByteArrayView("two"));
    QVERIFY(m_window->isWindowModified());
}

void TestEditing::tsvPasteFromSpreadsheet()
{
    newWindow();
    newEmptyBatch();
    // As a spreadsheet puts it on the clipboard: a header row, a quoted cell with a tab and a line break, an empty
    // unquoted key (null) and a quoted empty one.
    QApplication::clipboard()->setText(QStringLiteral("key\tvalue\tpartition\n"
                                                      "k1\t\"multi\nline\twith tab\"\t2\n"
                                                      "\tno key\t\n"
                                                      "\"\"\tempty key\t\n"));
    m_window->view()->setFocus();
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    BatchTableModel *model = m_window->model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->batch().value(0), QByteArrayView("multi\nline\twith tab"));
    QCOMPARE(model->batch().partition(0), std::optional<std::int32_t>(2));
    QVERIFY(model->batch().keyIsNull(1));
    QVERIFY(!model->batch().keyIsNull(2));
    QCOMPARE(model->batch().key(2).size(), 0);
    QCOMPARE(model->undoStack()->count(), 1); // one paste, one undo step

    // And back out as TSV: the same rows come in again.
    m_window->view()->selectAll();
    m_window->action(QStringLiteral("actionCopy"))->trigger();
    const QString copied = QApplication::clipboard()->text();
    m_window->view()->clearSelection();
    m_window->view()->setCurrentIndex(model->index(2, 0));
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(model->rowCount(), 6);
    for (int r = 0; r < 3; ++r)
        QCOMPARE(model->batch().at(r + 3), model->batch().at(r));
    QVERIFY(copied.startsWith(QLatin1String("key\tvalue")));

    // As JSON Lines too: "Copy as JSON Lines" pastes back the same rows (null key, partition included).
    m_window->view()->selectAll();
    m_window->action(QStringLiteral("actionCopyJsonLines"))->trigger();
    QVERIFY(QApplication::clipboard()->text().startsWith(QLatin1Char('{')));
    m_window->view()->clearSelection();
    m_window->view()->setCurrentIndex(model->index(5, 0));
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(model->rowCount(), 12);
    for (int r = 0; r < 6; ++r)
        QCOMPARE(model->batch().at(r + 6), model->batch().at(r));

    // A bad JSON line is an error that names the clipboard line, and the batch stays as it was.
    QApplication::clipboard()->setText(QStringLiteral("{\"value\":\"ok\"}\n{\"value\": nope}\n"));
    ui::MessageBox::clearLast();
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(model->rowCount(), 12);
    QTRY_VERIFY2(ui::MessageBox::lastError().contains(QLatin1String("clipboard:2")),
                 qPrintable(ui::MessageBox::lastError()));
}

void TestEditing::detailEditorEditsAreUndoable()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    m_window->view()->selectRow(0);
    auto *encoding = child<QComboBox>("valueEncoding");
    encoding->setCurrentIndex(1); // JSON
    auto *edit = child<QPlainTextEdit>("valueEdit");
    edit->setPlainText(QStringLiteral("{\"b\": 1, \"a\": [true, null]}"));
    QCOMPARE(model->batch().value(0), QByteArrayView("{\"b\":1,\"a\":[true,null]}")); // compact, order kept
    QCOMPARE(model->batch().valueEncoding(0), core::Encoding::Json);
    edit->setPlainText(QStringLiteral("{\"b\": "));
    QVERIFY(child<QLabel>("valueInfo")->text().contains(QLatin1String("line 1")));
    QCOMPARE(model->batch().value(0), QByteArrayView("{\"b\": ")); // invalid JSON is kept as typed (tst_editor)
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->batch().value(0), QByteArrayView(""));
    QCOMPARE(edit->toPlainText(), QString());
}

void TestEditing::detailEditorKeepsHeaderBytes()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    core::Message m;
    m.key = core::Payload(QByteArray("k"));
    m.value = core::Payload(QByteArray("v"));
    const core::Header binary{QByteArray("bin"), core::Payload(QByteArray("\x00\xff\x10", 3), core::Encoding::Base64)};
    const core::Header json{QByteArray("json"), core::Payload(QByteArray(R"({"a":1})"), core::Encoding::Json)};
    const core::Header notUtf8{QByteArray("latin1"), core::Payload(QByteArray("caf\xe9"), core::Encoding::Text)};
    const core::Header nullValue{QByteArray("gone"), core::Payload()};
    m.headers = {binary, json, notUtf8, nullValue};
    model->setMessage(0, m, QStringLiteral("set row"), false);
    m_window->view()->selectRow(0);
    auto *headers = child<QTableWidget>("headersTable");
    QCOMPARE(headers->rowCount(), 4);
    QCOMPARE(headers->item(0, 1)->text(), QStringLiteral("AP8Q")); // binary bytes shown as base64

    // Editing another field of the row must give back every header exactly: bytes, encoding, null.
    QTest::keyClicks(child<QPlainTextEdit>("keyEdit"), QStringLiteral("2"));
    QCOMPARE(model->batch().key(0), QByteArrayView("2k")); // typed at the start of the field
    QCOMPARE(model->batch().headers(0), m.headers);

    // A base64 cell takes base64 back; a text cell takes the typed text.
    headers->item(0, 1)->setText(QStringLiteral("AQID"));
    QCOMPARE(model->batch().headers(0).at(0).value.bytes, std::optional<QByteArray>(QByteArray("\x01\x02\x03", 3)));
    headers->item(1, 1)->setText(QStringLiteral("plain"));
    QCOMPARE(model->batch().headers(0).at(1).value.bytes, std::optional<QByteArray>("plain"));
    QCOMPARE(model->batch().headers(0).at(2), notUtf8);
    QCOMPARE(model->batch().headers(0).at(3), nullValue);
}

void TestEditing::generateRowsIsOneUndoStep()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QVERIFY(model->setData(model->index(0, BatchTableModel::Key), QStringLiteral("user-{{seq}}")));
    QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("id {{uuid}}")));

    // The dialog previews what it will insert, and the same seed gives the same rows.
    ui::GenerateDialog dialog(model->batch().at(0), m_window);
    dialog.setCount(3);
    dialog.setSeed(42);
    const QString preview = dialog.previewText();
    QCOMPARE(preview.count(QLatin1String("user-")), 3);
    QVERIFY(!preview.contains(QLatin1String("{{")));
    const auto again = ui::GenerateDialog::generate(model->batch().at(0), 3, 42);
    QVERIFY(again.ok());

    const int before = model->undoStack()->count();
    QVERIFY(m_window->generateFromRow(0, 3, 42));
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(model->undoStack()->count(), before + 1);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(model->batch().at(i + 1), again->at(i));
    QVERIFY(model->batch().key(1) != model->batch().key(2));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->rowCount(), 1);
    m_window->action(QStringLiteral("actionRedo"))->trigger();
    QCOMPARE(model->rowCount(), 4);

    // An unknown placeholder is named, and nothing is inserted.
    QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("{{nosuch}}")));
    QVERIFY(!m_window->generateFromRow(0, 2, 1));
    QCOMPARE(model->rowCount(), 4);
    QVERIFY(ui::MessageBox::lastError().contains(QLatin1String("nosuch")));
}

void TestEditing::findSelectsTheNextMatch()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    for (int i = 0; i < 4; ++i) {
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
        QVERIFY(model->setData(model->index(i, BatchTableModel::Value),
                               i % 2 ? QStringLiteral("needle") : QStringLiteral("hay")));
    }
    m_window->view()->setCurrentIndex(model->index(0, 0));
    m_window->action(QStringLiteral("actionFind"))->trigger();
    auto *find = child<QLineEdit>("findEdit");
    QVERIFY(find->isVisible());
    QTest::keyClicks(find, QStringLiteral("needle"));
    QTest::keyClick(find, Qt::Key_Return);
    QCOMPARE(m_window->view()->currentIndex().row(), 1);
    QTest::keyClick(find, Qt::Key_Return);
    QCOMPARE(m_window->view()->currentIndex().row(), 3);
    QTest::keyClick(find, Qt::Key_Escape);
    QVERIFY(!find->isVisible());
}

void TestEditing::stateFilterHidesOtherRowsAndMapsActions()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    ui::BatchView *view = m_window->view();
    for (int i = 0; i < 4; ++i) {
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
        QVERIFY(model->setData(model->index(i, BatchTableModel::Value), QStringLiteral("row %1").arg(i)));
    }
    auto result = [](int row, core::DeliveryStatus status) {
        core::DeliveryResult r;
        r.row = row;
        r.status = status;
        r.partition = 0;
        r.offset = row;
        return r;
    };
    model->applyResults({result(0, core::DeliveryStatus::Delivered), result(1, core::DeliveryStatus::Failed),
                         result(2, core::DeliveryStatus::Delivered)},
                        {});
    model->flushResultChanges();

    auto *filter = child<QComboBox>("stateFilter");
    QVERIFY(filter);
    QCOMPARE(filter->count(), int(ui::StateFilterModel::FilterCount));
    filter->setCurrentIndex(ui::StateFilterModel::Delivered);
    QCOMPARE(view->model()->rowCount(), 2);
    QCOMPARE(model->rowCount(), 4); // the batch itself is untouched

    // The second visible row is batch row 2: selection, detail panel and copy all mean that row.
    view->setFocus();
    view->selectRow(1);
    QCOMPARE(view->selectedRowList(), (QList<qsizetype>{2}));
    QCOMPARE(view->currentRowIndex(), 2);
    QCOMPARE(m_window->detailPanel()->row(), 2);
    m_window->action(QStringLiteral("actionCopyJsonLines"))->trigger();
    QVERIFY2(QApplication::clipboard()->text().contains(QLatin1String("row 2")),
             qPrintable(QApplication::clipboard()->text()));
    QVERIFY(!QApplication::clipboard()->text().contains(QLatin1String("row 1")));

    // Editing through the filtered view edits the right row.
    QVERIFY(view->model()->setData(view->model()->index(0, BatchTableModel::Key), QStringLiteral("edited")));
    QCOMPARE(model->batch().key(0), QByteArrayView("edited"));

    filter->setCurrentIndex(ui::StateFilterModel::Failed);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    m_window->action(QStringLiteral("actionSelectFailed"))->trigger();
    QCOMPARE(view->selectedRowList(), (QList<qsizetype>{1}));
    filter->setCurrentIndex(ui::StateFilterModel::All);
    QCOMPARE(view->model()->rowCount(), 4);
    QCOMPARE(view->selectedRowList(), (QList<qsizetype>{1})); // the selection followed its row
    filter->setCurrentIndex(ui::StateFilterModel::Pending);
    QCOMPARE(view->model()->rowCount(), 2); // row 3, never sent, and row 0, edited since
}

QTEST_MAIN(TestEditing)
#include "tst_editing.moc"

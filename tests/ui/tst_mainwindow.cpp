// The real MainWindow, driven offscreen by objectName: compose, send to the in-process sandbox, read back with kcat,
// undo/redo, paste, drop, save and reopen, resend failed. Questions are answered through MessageBox's seam.

#include "UiTestSupport.h"
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
using ui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void firstStartOpensSampleTemplate();
    void composeSendAndReadBackWithKcat();
    void detailEditorKeepsHeaderBytes();
    void undoRedoOfEditAndPaste();
    void tsvPasteFromSpreadsheet();
    void detailEditorEditsAreUndoable();
    void importByDrop();
    void saveCloseReopenKeepsBytes();
    void dirtyMarkerAndConfirmationBeforeLosingEdits();
    void resendFailedResendsOnlyNotWrittenRows();
    void generateRowsIsOneUndoStep();
    void generatorRowIsExpandedAtSend();
    void profileDialogKeepsPasswordInSecretStoreOnly();
    void profileDialogStoresOAuthTokenAndTestsWithStoredSecrets();
    void sendUsesTheProfilesConnectTimeout();
    void unreadableSecretIsShownAtOnce();
    void aboutNamesTheVersionsInUse();
    void aboutShowsTheLicences_data();
    void aboutShowsTheLicences();
    void closingMidBatchRecordsEveryOutcome();
    void shortcutsAreSetAndShown_data();
    void shortcutsAreSetAndShown();
    void findSelectsTheNextMatch();
    void dockLayoutAndPaletteAreRestored();
    void logPanelShowsKbatchMessagesByLevel();
    void templateLibraryStartsWithSamplesAndOpens();
    void missingSandboxTopicCanBeCreated();
    void stateFilterHidesOtherRowsAndMapsActions();

private:
    MainWindow *newWindow(bool sample = false);
    template <typename T> T *child(const char *name)
    {
        T *w = m_window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }
    void newEmptyBatch();
    QString cell(int row, int column) const
    {
        return m_window->model()->data(m_window->model()->index(row, column)).toString();
    }
    void setTopic(const QString &topic);
    bool waitForSendToFinish();

    QTemporaryDir m_config;
    QTemporaryDir m_files;
    MainWindow *m_window = nullptr;
    QList<QAbstractItemModelTester *> m_testers;
    core::MemorySecretStore *m_secrets = nullptr;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
}

void TestMainWindow::init()
{
    test::resetSettings();
}

void TestMainWindow::cleanup()
{
    qDeleteAll(m_testers);
    m_testers.clear();
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
    delete m_secrets;
    m_secrets = nullptr;
}

MainWindow *TestMainWindow::newWindow(bool sample)
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = sample;
    delete m_secrets;
    m_secrets = new core::MemorySecretStore;
    options.secretStore = m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    // Every model the window shows, under the tester for the whole test.
    m_testers << new QAbstractItemModelTester(m_window->model(), QAbstractItemModelTester::FailureReportingMode::QtTest)
              << new QAbstractItemModelTester(m_window->connectionsPanel()->topicModel(),
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    return m_window;
}

void TestMainWindow::newEmptyBatch()
{
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 0);
}

void TestMainWindow::setTopic(const QString &topic)
{
    auto *combo = child<QComboBox>("topicCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), topic);
}

bool TestMainWindow::waitForSendToFinish()
{
    return QTest::qWaitFor([this] { return !m_window->sendController()->isBusy(); }, 60000);
}

void TestMainWindow::firstStartOpensSampleTemplate()
{
    newWindow(true);
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(child<QComboBox>("topicCombo")->currentText(), QStringLiteral("orders"));
    QCOMPARE(child<QComboBox>("profileCombo")->currentText(), QStringLiteral("Local sandbox"));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->action(QStringLiteral("actionSend"))->isEnabled());
}

void TestMainWindow::composeSendAndReadBackWithKcat()
{
    newWindow();
    newEmptyBatch();
    auto *view = m_window->view();
    BatchTableModel *model = m_window->model();
    view->setFocus();
    for (int i = 0; i < 3; ++i)
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(model->setData(model->index(0, BatchTableModel::Key), QStringLiteral("order-1")));
    QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("first")));
    QVERIFY(model->setData(model->index(2, BatchTableModel::Key), QStringLiteral("order-3")));
    QVERIFY(model->setData(model->index(2, BatchTableModel::Value), QStringLiteral("third")));

    // Row 1: a header, through the detail editor.
    view->selectRow(0);
    QTest::mouseClick(child<QToolButton>("addHeaderButton"), Qt::LeftButton);
    auto *headers = child<QTableWidget>("headersTable");
    QCOMPARE(headers->rowCount(), 1);
    headers->item(0, 0)->setText(QStringLiteral("trace-id"));
    headers->item(0, 1)->setText(QStringLiteral("abc"));
    QCOMPARE(model->batch().headers(0).size(), 1);
    QCOMPARE(model->batch().headers(0).first().name, QByteArray("trace-id"));

    // Row 2: a null key (not empty), value typed in the detail editor.
    view->selectRow(1);
    QTest::mouseClick(child<QCheckBox>("keyNull"), Qt::LeftButton);
    QVERIFY(model->batch().keyIsNull(1));
    QTest::keyClicks(child<QPlainTextEdit>("valueEdit"), QStringLiteral("second"));
    QCOMPARE(model->batch().value(1), QByteArrayView("second"));
    QCOMPARE(cell(1, BatchTableModel::Key), QStringLiteral("null"));

    const QString topic = QStringLiteral("ui-compose");
    setTopic(topic);
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QVERIFY(waitForSendToFinish());
    for (int row = 0; row < 3; ++row) {
        QTRY_COMPARE(cell(row, BatchTableModel::Status), QStringLiteral("delivered"));
        QVERIFY2(cell(row, BatchTableModel::Offset).contains(QLatin1String(" / ")), qPrintable(cell(row, 7)));
    }
    QVERIFY(child<QLabel>("statusSummary")->text().contains(QLatin1String("3 / 3 delivered")));

    const QString bootstrap = m_window->sendController()->sandboxBootstrap();
    QVERIFY(!bootstrap.isEmpty());
    const auto records = test::kcatReadAll(bootstrap, topic);
    QCOMPARE(records.size(), 3);
    QMap<QString, test::KcatRecord> byValue;
    for (const auto &r : records)
        byValue.insert(QString::fromUtf8(r.value.value_or(QByteArray())), r);
    QCOMPARE(byValue.value(QStringLiteral("first")).key, std::optional<QByteArray>("order-1"));
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.size(), 1);
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.first().first, QByteArray("trace-id"));
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.first().second, std::optional<QByteArray>("abc"));
    QCOMPARE(byValue.value(QStringLiteral("second")).key, std::nullopt);
    QCOMPARE(byValue.value(QStringLiteral("third")).key, std::optional<QByteArray>("order-3"));

    // The topic tree refreshes after the send and shows the topic with its partitions.
    QTRY_VERIFY(m_window->connectionsPanel()->topicNames().contains(topic));

    // Peek reads the three messages back; copying them into the batch is one undo step.
    ui::PeekPanel *peek = m_window->peekPanel();
    m_testers << new QAbstractItemModelTester(peek->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    peek->setTopic(topic);
    QTest::mouseClick(peek->findChild<QPushButton *>(QStringLiteral("peekButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(peek->model()->rowCount(), 3, 15000);
    peek->view()->selectAll();
    QTest::mouseClick(peek->findChild<QPushButton *>(QStringLiteral("peekCopyButton")), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 6);
    QList<QByteArray> copiedValues;
    for (int r = 3; r < 6; ++r)
        copiedValues << model->batch().value(r).toByteArray();
    std::sort(copiedValues.begin(), copiedValues.end());
    QCOMPARE(copiedValues, (QList<QByteArray>{"first", "second", "third"}));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->rowCount(), 3);
}

void TestMainWindow::undoRedoOfEditAndPaste()
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

void TestMainWindow::tsvPasteFromSpreadsheet()
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

void TestMainWindow::detailEditorEditsAreUndoable()
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

void TestMainWindow::importByDrop()
{
    newWindow();
    newEmptyBatch();
    const QString path = m_files.filePath(QStringLiteral("drop.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":null,\"value\":{\"json\":{\"x\":1}}}\n");
    file.close();

    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(path)});
    QWidget *target = m_window->view()->viewport();
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    QVERIFY(m_window->model()->batch().keyIsNull(1));
    QCOMPARE(m_window->model()->undoStack()->count(), 1);
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 0);
    delete mime;
}

void TestMainWindow::saveCloseReopenKeepsBytes()
{
    const QString original = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const QString first = m_files.filePath(QStringLiteral("first.kbatch.json"));
    const QString second = m_files.filePath(QStringLiteral("second.kbatch.json"));

    newWindow();
    ui::FileDialog::setNextFileName(original);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    ui::FileDialog::setNextFileName(first);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();
    QVERIFY(QFile::exists(first));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().startsWith(QLatin1String("first.kbatch.json")));
    QVERIFY(m_window->close());
    delete m_window;
    m_window = nullptr;

    newWindow();
    QVERIFY(m_window->document()->recentFiles().contains(first));
    ui::FileDialog::setNextFileName(first);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    ui::FileDialog::setNextFileName(second);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();

    QFile a(first), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly));
    QVERIFY(b.open(QIODevice::ReadOnly));
    const QByteArray firstBytes = a.readAll();
    QCOMPARE(b.readAll(), firstBytes);
    // And the same bytes core writes for the original: the window added or lost nothing.
    auto tpl = core::loadTemplate(original);
    QVERIFY(tpl.ok());
    QCOMPARE(firstBytes, core::serializeTemplate(tpl.value()));
}

void TestMainWindow::dirtyMarkerAndConfirmationBeforeLosingEdits()
{
    newWindow();
    newEmptyBatch();
    QVERIFY(!m_window->isWindowModified());
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().contains(QLatin1String("[*]")));
    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_window->close());
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("unsaved changes")));
    QCOMPARE(m_window->model()->rowCount(), 1);
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 0);
    QVERIFY(!m_window->isWindowModified());
}

void TestMainWindow::resendFailedResendsOnlyNotWrittenRows()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    for (int i = 0; i < 3; ++i) {
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
        QVERIFY(model->setData(model->index(i, BatchTableModel::Value), QStringLiteral("row %1").arg(i)));
    }
    // Row 1 goes to a partition the topic does not have: it fails and is not written.
    QVERIFY(model->setData(model->index(1, BatchTableModel::Partition), QStringLiteral("99")));
    const QString topic = QStringLiteral("ui-resend");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(1, BatchTableModel::Status), QStringLiteral("failed"));
    QCOMPARE(cell(0, BatchTableModel::Status), QStringLiteral("delivered"));
    QCOMPARE(cell(2, BatchTableModel::Status), QStringLiteral("delivered"));
    const QString offset0 = cell(0, BatchTableModel::Offset);

    // Pretend row 2 timed out after it was sent: possibly written, resent only when the user says so.
    core::DeliveryResult possibly;
    possibly.row = 2;
    possibly.status = core::DeliveryStatus::PossiblyWritten;
    possibly.persisted = core::Persisted::PossiblyPersisted;
    model->applyResults({possibly}, {});
    model->flushResultChanges();

    ui::MessageBox::setNextAnswer(QMessageBox::No);
    m_window->action(QStringLiteral("actionResendFailed"))->trigger();
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("1 row")));
    QCOMPARE(m_window->sendController()->stats().total, 1); // the failed row only
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(1, BatchTableModel::Status), QStringLiteral("failed"));
    QCOMPARE(cell(0, BatchTableModel::Offset), offset0);
    QCOMPARE(cell(2, BatchTableModel::Status), QStringLiteral("possibly written"));
    // Only the two rows of the first send are in the topic: neither the delivered nor the possibly written row
    // went again.
    QCOMPARE(test::kcatReadAll(m_window->sendController()->sandboxBootstrap(), topic).size(), 2);

    // Rows are picked by state: the failed and the possibly written one.
    m_window->action(QStringLiteral("actionSelectFailed"))->trigger();
    QCOMPARE(m_window->view()->selectedRowList(), (QList<qsizetype>{1, 2}));
    m_window->action(QStringLiteral("actionSelectDelivered"))->trigger();
    QCOMPARE(m_window->view()->selectedRowList(), (QList<qsizetype>{0}));

    // Results export as the CLI's report lines, one per sent row.
    const QString report = m_files.filePath(QStringLiteral("results.jsonl"));
    ui::FileDialog::setNextFileName(report);
    m_window->action(QStringLiteral("actionExportResults"))->trigger();
    QFile exported(report);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exported.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].contains("\"status\":\"delivered\""));
    QVERIFY(lines[1].contains("\"status\":\"failed\""));
    QVERIFY(lines[2].contains("\"status\":\"possibly_written\""));
    // With what the CLI's report has: the stored timestamp, and the error's code and name, not -1, 0 and "".
    const QJsonObject delivered = QJsonDocument::fromJson(lines[0]).object();
    QVERIFY2(delivered.value(QStringLiteral("timestamp")).toDouble() > 1.6e12, lines[0].constData());
    const QJsonObject failed = QJsonDocument::fromJson(lines[1]).object();
    const QJsonObject error = failed.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("name")).toString(), QStringLiteral("_UNKNOWN_PARTITION"));
    QVERIFY2(error.value(QStringLiteral("code")).toInt() != 0, lines[1].constData());
    QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QLatin1String("partition 99")),
             lines[1].constData());

    // Answering Cancel sends nothing.
    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    m_window->action(QStringLiteral("actionResendFailed"))->trigger();
    QVERIFY(!m_window->sendController()->isBusy());
}

void TestMainWindow::generateRowsIsOneUndoStep()
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

void TestMainWindow::generatorRowIsExpandedAtSend()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    core::Message generator;
    generator.key = core::Payload(QByteArray("g-{{seq}}"));
    generator.value = core::Payload(QByteArray("v"));
    generator.generate = core::GenerateSpec{10, 7};
    core::Batch rows;
    rows.append(generator);
    model->appendBatch(rows, QStringLiteral("generator"));
    const QString topic = QStringLiteral("ui-generated");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(0, BatchTableModel::Status), QStringLiteral("delivered"));
    QCOMPARE(m_window->sendController()->stats().total, 10);
    const auto records = test::kcatReadAll(m_window->sendController()->sandboxBootstrap(), topic);
    QCOMPARE(records.size(), 10);
    for (const auto &r : records)
        QVERIFY(r.key && r.key->startsWith("g-") && !r.key->contains("{{"));
}

void TestMainWindow::detailEditorKeepsHeaderBytes()
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

void TestMainWindow::profileDialogKeepsPasswordInSecretStoreOnly()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    QVERIFY(dialog->isVisible());
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("staging"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("broker.example:9094"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_ssl")));
    auto *mechanism = dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism"));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("SCRAM-SHA-512")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    const QString password = QStringLiteral("s3cret-Pa55");
    QTest::keyClicks(field("profilePassword"), password);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QVERIFY2(!dialog->statusText().contains(QLatin1String("could not")), qPrintable(dialog->statusText()));

    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("staging/sasl-password")), password.toUtf8());
    QVERIFY(field("profilePassword")->text().isEmpty()); // not kept in the form either
    // The profile is offered in the toolbar, and nothing in the settings holds the password.
    QVERIFY(child<QComboBox>("profileCombo")->findText(QStringLiteral("staging")) >= 0);
    QSettings settings;
    settings.sync();
    QFile ini(settings.fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray stored = ini.readAll();
    QVERIFY(stored.contains("broker.example"));
    QVERIFY(!stored.contains(password.toUtf8()));
    const QStringList keys = settings.allKeys();
    for (const QString &key : keys)
        QVERIFY2(!settings.value(key).toString().contains(password), qPrintable(key));

    // The send path reads the password back from the store for the connection properties.
    m_window->sendController()->prefetchSecrets(QStringLiteral("staging"));
    QTRY_VERIFY(m_window->sendController()->connection(QStringLiteral("staging")).ok());
    const auto props = m_window->sendController()->connection(QStringLiteral("staging")).value();
    QVERIFY(props.contains({QStringLiteral("sasl.password"), password}));

    // Test Connection reaches a cluster (the sandbox, as a plain profile) and says so.
    QVERIFY(m_window->sendController()->connection(ui::SendController::sandboxProfileName()).ok());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("plain"));
    QTest::keyClicks(field("profileBootstrap"), m_window->sendController()->sandboxBootstrap());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected")),
                              qPrintable(dialog->statusText()), 15000);
    dialog->close();
}

void TestMainWindow::profileDialogStoresOAuthTokenAndTestsWithStoredSecrets()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    auto labelFor = [dialog](const char *name) {
        auto *form = dialog->findChild<QFormLayout *>();
        return qobject_cast<QLabel *>(form->labelForField(dialog->findChild<QWidget *>(QLatin1String(name))));
    };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("oauth"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("broker.example:9094"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_ssl")));
    auto *mechanism = dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism"));
    QCOMPARE(labelFor("profilePassword")->text(), QStringLiteral("Password"));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("OAUTHBEARER")));
    QCOMPARE(labelFor("profilePassword")->text(), QStringLiteral("OAuth token"));
    const QString token = QStringLiteral("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.");
    QTest::keyClicks(field("profilePassword"), token);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    // Stored as the OAuth token (which the connection hands to librdkafka), not as a SASL password.
    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("oauth/oauth-token")), token.toUtf8());
    QVERIFY(!m_secrets->contents().contains(QStringLiteral("oauth/sasl-password")));
    m_window->sendController()->prefetchSecrets(QStringLiteral("oauth"));
    QTRY_VERIFY(m_window->sendController()->connection(QStringLiteral("oauth")).ok());
    const auto props = m_window->sendController()->connection(QStringLiteral("oauth")).value();
    QVERIFY(props.contains({QStringLiteral("kbatch.sasl.oauthbearer.token"), token}));

    // Test Connection on a saved SASL profile with the password field left empty uses the stored password,
    // instead of failing with "no SASL password stored".
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("scram"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_plaintext")));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("SCRAM-SHA-512")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    QTest::keyClicks(field("profilePassword"), QStringLiteral("pw-1"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("scram/sasl-password")), QByteArray("pw-1"));
    QVERIFY(field("profilePassword")->text().isEmpty());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    // Port 9 refuses: the test gets as far as connecting, which needs the password.
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Profile 'scram': ")),
                              qPrintable(dialog->statusText()), 20000);
    QVERIFY2(!dialog->statusText().contains(QLatin1String("no SASL password stored")),
             qPrintable(dialog->statusText()));
    dialog->close();
}

void TestMainWindow::sendUsesTheProfilesConnectTimeout()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("nobody-home"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    dialog->findChild<QSpinBox *>(QStringLiteral("profileConnectTimeout"))->setValue(2);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    dialog->close();
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("nobody-home")));
    setTopic(QStringLiteral("orders"));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QString error;
    connect(m_window->sendController(), &ui::SendController::finished, this,
            [&error](const core::JobSummary &s) { error = s.error; });
    ui::MessageBox::setNextAnswer(QMessageBox::Ok);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QTRY_VERIFY2_WITH_TIMEOUT(!error.isEmpty(), qPrintable(ui::MessageBox::lastError()), 30000);
    // The job gave up after the profile's 2 s, not the default 10 s, and says so.
    QVERIFY2(error.contains(QLatin1String("within 2000 ms")), qPrintable(error));
}

void TestMainWindow::unreadableSecretIsShownAtOnce()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("locked"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_plaintext")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    QTest::keyClicks(field("profilePassword"), QStringLiteral("pw"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_VERIFY(m_secrets->contents().contains(QStringLiteral("locked/sasl-password")));
    dialog->close();
    // The keychain now refuses (as a locked one does): choosing the profile says so in the status bar at once.
    m_secrets->setBehaviour(core::MemorySecretStore::Behaviour::Fail);
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("locked")));
    QTRY_VERIFY2(child<QLabel>("statusSummary")->text().contains(QLatin1String("could not be read from the keychain")),
                 qPrintable(child<QLabel>("statusSummary")->text()));
}

void TestMainWindow::aboutNamesTheVersionsInUse()
{
    newWindow();
    QAction *about = m_window->action(QStringLiteral("actionAbout"));
    QVERIFY(about);
    QVERIFY(!about->associatedObjects().isEmpty()); // in the Help menu
    about->trigger();
    auto *dialog = m_window->findChild<ui::AboutDialog *>(QStringLiteral("aboutDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    const QString text = dialog->findChild<QLabel *>(QStringLiteral("aboutText"))->text();
    QVERIFY2(text.contains(QStringLiteral(KBATCH_VERSION)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("librdkafka ") + core::librdkafkaVersion()), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())), qPrintable(text));
    // What a bug report needs about librdkafka: how it is linked and what it was built with.
    QVERIFY2(text.contains(core::librdkafkaLinkage().toHtmlEscaped()), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("sasl_scram")), qPrintable(text));
    dialog->close();
}

void TestMainWindow::aboutShowsTheLicences_data()
{
    QTest::addColumn<QString>("component");
    QTest::addColumn<QStringList>("phrases"); // each must be in the text shown
    QTest::newRow("KBatch") << QStringLiteral("KBatch")
                            << QStringList{QStringLiteral("Apache License"), QStringLiteral("Version 2.0")};
    QStringList rdkafka{QStringLiteral("librdkafka"), QStringLiteral("Redistribution and use")};
    if (core::librdkafkaLinkage().startsWith(QLatin1String("bundled")))
        rdkafka << QStringLiteral("Magnus Edenhill") << QStringLiteral("LICENSE.cjson") << QStringLiteral("LICENSE.lz4")
                << QStringLiteral("LICENSE.snappy");
    QTest::newRow("librdkafka") << QStringLiteral("librdkafka") << rdkafka;
    QTest::newRow("Qt") << QStringLiteral("Qt")
                        << QStringList{QStringLiteral("GNU LESSER GENERAL PUBLIC LICENSE"),
                                       QStringLiteral("Version 3")};
    QTest::newRow("GPL") << QStringLiteral("GNU GPL 3.0")
                         << QStringList{QStringLiteral("GNU GENERAL PUBLIC LICENSE"), QStringLiteral("Version 3")};
    QTest::newRow("QtKeychain") << QStringLiteral("QtKeychain")
                                << QStringList{QStringLiteral("qtkeychain"), QStringLiteral("Redistribution and use")};
}

void TestMainWindow::aboutShowsTheLicences()
{
    QFETCH(QString, component);
    QFETCH(QStringList, phrases);
    newWindow();
    ui::AboutDialog *dialog = m_window->openAboutDialog();
    QVERIFY(dialog->showLicence(component));
    const QString text = dialog->shownLicenceText();
    for (const QString &phrase : std::as_const(phrases))
        QVERIFY2(text.contains(phrase), qPrintable(component + QStringLiteral(": no '") + phrase + u'\''));
    QVERIFY(!dialog->showLicence(QStringLiteral("no such component")));
    dialog->close();
}

void TestMainWindow::closingMidBatchRecordsEveryOutcome()
{
    // M9 for the window: closed while a batch is being sent, it cancels, every row gets its final outcome before
    // the window goes, the close ends within 10 s, and what the table says was delivered is what kcat reads.
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    core::Batch rows;
    for (int i = 0; i < 3000; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray::number(i));
        m.value = core::Payload("close-" + QByteArray::number(i));
        rows.append(m);
    }
    model->appendBatch(rows, QStringLiteral("rows"));
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.rateLimit = 300; // ten seconds of sending: the close comes in the middle
    m_window->sendBar()->setSettings(settings);
    const QString topic = QStringLiteral("ui-close");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->sendController()->stats().delivered >= 100, 15000);

    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    QElapsedTimer closing;
    closing.start();
    QVERIFY(m_window->close());
    QVERIFY2(closing.elapsed() < 10000, qPrintable(QString::number(closing.elapsed())));
    QVERIFY(!m_window->sendController()->isBusy());

    qsizetype delivered = 0, possibly = 0, cancelled = 0;
    for (qsizetype r = 0; r < model->results().size(); ++r) {
        const auto &res = model->results().at(r);
        QVERIFY2(res.sent() && core::isFinal(res.status()), qPrintable(QString::number(r)));
        delivered += res.status() == core::DeliveryStatus::Delivered;
        possibly += res.status() == core::DeliveryStatus::PossiblyWritten;
        cancelled += res.status() == core::DeliveryStatus::Cancelled;
    }
    QVERIFY(delivered >= 100);
    QVERIFY2(cancelled > 0, "the close came mid-batch: the unsent rows end cancelled");
    const auto inTopic = test::kcatReadAll(m_window->sendController()->sandboxBootstrap(), topic).size();
    QVERIFY2(inTopic >= delivered && inTopic <= delivered + possibly,
             qPrintable(QStringLiteral("%1 in the topic, %2 delivered, %3 possibly written")
                            .arg(inTopic)
                            .arg(delivered)
                            .arg(possibly)));
}

void TestMainWindow::shortcutsAreSetAndShown_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QKeySequence>("shortcut");
    QTest::newRow("send") << "actionSend" << QKeySequence(Qt::CTRL | Qt::Key_Return);
    QTest::newRow("new row") << "actionAddRow" << QKeySequence(Qt::CTRL | Qt::Key_N);
    QTest::newRow("duplicate") << "actionDuplicate" << QKeySequence(Qt::CTRL | Qt::Key_D);
    QTest::newRow("delete") << "actionDelete" << QKeySequence(QKeySequence::Delete);
    QTest::newRow("undo") << "actionUndo" << QKeySequence(QKeySequence::Undo);
    QTest::newRow("redo") << "actionRedo" << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);
    QTest::newRow("find") << "actionFind" << QKeySequence(QKeySequence::Find);
    QTest::newRow("save") << "actionSave" << QKeySequence(QKeySequence::Save);
    QTest::newRow("refresh") << "actionRefresh" << QKeySequence(Qt::Key_F5);
}

void TestMainWindow::shortcutsAreSetAndShown()
{
    QFETCH(QString, action);
    QFETCH(QKeySequence, shortcut);
    newWindow();
    QAction *a = m_window->action(action);
    QVERIFY(a);
    QCOMPARE(a->shortcut(), shortcut);
    if (action != QLatin1String("actionUndo") && action != QLatin1String("actionRedo")) // tooltips come from the stack
        QVERIFY2(a->toolTip().contains(shortcut.toString(QKeySequence::NativeText)), qPrintable(a->toolTip()));
}

void TestMainWindow::findSelectsTheNextMatch()
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

void TestMainWindow::dockLayoutAndPaletteAreRestored()
{
    newWindow();
    auto *detail = child<QDockWidget>("messageDock");
    QVERIFY(detail->isVisible());
    detail->close();
    m_window->action(QStringLiteral("actionDarkPalette"))->trigger();
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    QVERIFY(m_window->close());
    delete m_window;
    m_window = nullptr;

    newWindow();
    QVERIFY(!child<QDockWidget>("messageDock")->isVisible());
    QVERIFY(child<QDockWidget>("connectionsDock")->isVisible());
    QVERIFY(m_window->action(QStringLiteral("actionDarkPalette"))->isChecked());
    m_window->action(QStringLiteral("actionDarkPalette"))->trigger(); // back to light for the other tests
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 128);
}

void TestMainWindow::logPanelShowsKbatchMessagesByLevel()
{
    newWindow();
    auto *log = child<ui::LogPanel>("logPanel");
    QLoggingCategory category("kbatch.test");
    QLoggingCategory other("elsewhere");
    QTest::ignoreMessage(QtWarningMsg, "broker down");
    qCWarning(category) << "broker down";
    QTest::ignoreMessage(QtWarningMsg, "not ours");
    qCWarning(other) << "not ours";
    QTRY_VERIFY(log->text().contains(QLatin1String("kbatch.test  broker down")));
    QVERIFY(!log->text().contains(QLatin1String("not ours")));
    child<QComboBox>("logLevel")->setCurrentIndex(3); // errors only
    QVERIFY(!log->text().contains(QLatin1String("broker down")));
}

void TestMainWindow::templateLibraryStartsWithSamplesAndOpens()
{
    const QString folder = m_files.filePath(QStringLiteral("library"));
    QSettings().setValue(QStringLiteral("templateFolder"), folder);
    newWindow();
    auto *library = child<ui::TemplateLibrary>("templateLibrary");
    QCOMPARE(library->folder(), folder);
    QCOMPARE(library->files().size(), 3); // the samples, copied on first use
    auto *list = child<QListWidget>("templateList");
    const auto items = list->findItems(QStringLiteral("orders-smoke"), Qt::MatchExactly);
    QCOMPARE(items.size(), 1);
    emit list->itemActivated(items.first());
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(m_window->document()->filePath(), folder + QStringLiteral("/orders-smoke.kbatch.json"));

    // A template saved into the folder shows up in the library.
    QFile::copy(folder + QStringLiteral("/orders-smoke.kbatch.json"), folder + QStringLiteral("/copy.kbatch.json"));
    QTRY_COMPARE(library->files().size(), 4);
}

void TestMainWindow::missingSandboxTopicCanBeCreated()
{
    QVERIFY(test::addOtherProfile()); // to see that the offer is for the sandbox only
    newWindow();
    newEmptyBatch();
    auto *button = child<QToolButton>("createTopicButton");
    QVERIFY(button);
    const QString topic = QStringLiteral("ui-created-topic");
    setTopic(topic);
    QTRY_VERIFY(button->isVisible());
    QVERIFY(button->toolTip().contains(topic));

    // Cancelling the partition question creates nothing.
    ui::CreateTopicButton::setNextPartitionCount(0);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(button->isVisible());
    QVERIFY(!m_window->connectionsPanel()->topicNames().contains(topic));

    ui::CreateTopicButton::setNextPartitionCount(5);
    QTest::mouseClick(button, Qt::LeftButton);
    ui::ConnectionsPanel *connections = m_window->connectionsPanel();
    QTRY_VERIFY_WITH_TIMEOUT(connections->topicNames().contains(topic), 15000);
    QTRY_VERIFY(!button->isVisible());
    QStandardItem *created = nullptr;
    for (int r = 0; r < connections->topicModel()->rowCount(); ++r)
        if (connections->topicModel()->item(r)->data(Qt::UserRole).toString() == topic)
            created = connections->topicModel()->item(r);
    QVERIFY(created);
    QCOMPARE(created->rowCount(), 5); // one child per partition

    // A name Kafka refuses is not offered; the topic field turns to the failed colour and its tooltip says why.
    auto *topicCombo = child<QComboBox>("topicCombo");
    const QColor normalText = topicCombo->lineEdit()->palette().color(QPalette::Text);
    setTopic(QStringLiteral("ui topic!"));
    QTRY_VERIFY(!button->isVisible());
    QCOMPARE(topicCombo->toolTip(), QStringLiteral("'ui topic!' has a space at position 3; Kafka topic names allow "
                                                   "only ASCII letters, digits, '.', '_' and '-'"));
    QVERIFY(topicCombo->lineEdit()->palette().color(QPalette::Text) != normalText);

    // Another missing topic is offered again; for a real cluster's profile, never.
    setTopic(QStringLiteral("ui-other-topic"));
    QCOMPARE(topicCombo->lineEdit()->palette().color(QPalette::Text), normalText);
    QVERIFY(!topicCombo->toolTip().contains(QLatin1String("Kafka topic names")));
    QTRY_VERIFY(button->isVisible());
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("staging")));
    QCOMPARE(profiles->currentText(), QStringLiteral("staging"));
    QTRY_VERIFY(!button->isVisible());
}

void TestMainWindow::stateFilterHidesOtherRowsAndMapsActions()
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

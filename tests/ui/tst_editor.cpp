// The row editor through the real MainWindow (issue 14): what the detail panel and the table show and keep.

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCalendarWidget>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

class TestEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void timestampEditorStoresTheTypedDate_data();
    void timestampEditorStoresTheTypedDate();
    void timestampCalendarPicksTheDay();
    void hexKeyDisplayKeepsTheTableText();
    void statusTooltipIsNotMojibake();
    void copyAsTsvKeepsEveryRow_data();
    void copyAsTsvKeepsEveryRow();
    void invalidJsonIsKeptMarkedAndNotSent();
    void invalidJsonTypedInTheTableIsKept();
    void prettyKeepsKeyOrderAndNumbers();
    void headerBytesThatAreNotUtf8AreShownAsBase64_data();
    void headerBytesThatAreNotUtf8AreShownAsBase64();

private:
    MainWindow *newWindow(bool sample = false);
    template <typename T> T *child(const char *name)
    {
        T *w = m_window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }
    QString cell(int row, int column, int role = Qt::DisplayRole) const
    {
        return m_window->model()->data(m_window->model()->index(row, column), role).toString();
    }

    QTemporaryDir m_config;
    MainWindow *m_window = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
    core::MemorySecretStore m_secrets;
};

void TestEditor::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
}

void TestEditor::init()
{
    test::resetSettings();
}

void TestEditor::cleanup()
{
    delete m_tester;
    m_tester = nullptr;
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
}

MainWindow *TestEditor::newWindow(bool sample)
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = sample;
    options.secretStore = &m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    m_tester = new QAbstractItemModelTester(m_window->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    if (sample && !QTest::qWaitFor([this] { return m_window->model()->rowCount() == 4; }))
        qWarning("the sample batch did not open");
    return m_window;
}

void TestEditor::timestampEditorStoresTheTypedDate_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<qint64>("expected"); // ms since the epoch, for the editor's zone (TZ, set in main())
    // UTC+1 in winter, UTC+2 in summer (Europe/Berlin).
    QTest::newRow("January, milliseconds") << QStringLiteral("2025-01-02 03:04:05.678") << qint64(1735783445678);
    QTest::newRow("summer time") << QStringLiteral("2024-07-15 23:59:59.001") << qint64(1721080799001);
    QTest::newRow("leap day, zero ms") << QStringLiteral("2024-02-29 12:00:00.000") << qint64(1709204400000);
    QTest::newRow("before the epoch's zone change")
        << QStringLiteral("1999-12-31 00:00:00.999") << qint64(946594800999);
}

void TestEditor::timestampEditorStoresTheTypedDate()
{
    QFETCH(QString, typed);
    QFETCH(qint64, expected);
    newWindow();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    m_window->view()->selectRow(0);
    QTest::mouseClick(child<QCheckBox>("timestampAuto"), Qt::LeftButton);
    auto *edit = child<QLineEdit>("timestampEdit");
    QVERIFY(edit->isEnabled());
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, typed);
    QTest::keyClick(edit, Qt::Key_Enter);
    QCOMPARE(m_window->model()->batch().timestamp(0), std::optional<std::int64_t>(expected));
    // And shown back as typed when the row is selected again.
    m_window->view()->clearSelection();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    m_window->view()->selectRow(0);
    QCOMPARE(edit->text(), typed);
}

void TestEditor::timestampCalendarPicksTheDay()
{
    newWindow();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    m_window->view()->selectRow(0);
    QTest::mouseClick(child<QCheckBox>("timestampAuto"), Qt::LeftButton);
    auto *edit = child<QLineEdit>("timestampEdit");
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("2025-01-02 03:04:05.678"));
    QTest::mouseClick(child<QToolButton>("timestampPick"), Qt::LeftButton);
    auto *calendar = child<QCalendarWidget>("timestampCalendar");
    QVERIFY(calendar && calendar->isVisible());
    QCOMPARE(calendar->selectedDate(), QDate(2025, 1, 2));
    emit calendar->clicked(QDate(2024, 7, 15)); // summer time: the same wall-clock time, another offset
    QVERIFY(!calendar->isVisible());
    QCOMPARE(edit->text(), QStringLiteral("2024-07-15 03:04:05.678"));
    QCOMPARE(m_window->model()->batch().timestamp(0), std::optional<std::int64_t>(1721005445678));

    // Text that is no date-time is said to be so, and the row keeps its value.
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("2025-13-01 00:00:00.000"));
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(child<QLabel>("timestampProblem")->isVisibleTo(m_window));
    QVERIFY(child<QLabel>("timestampProblem")->text().contains(QLatin1String("2024-07-15 03:04:05.678")));
    QCOMPARE(m_window->model()->batch().timestamp(0), std::optional<std::int64_t>(1721005445678));
    // ISO 8601 with an offset, and ms since the epoch, are taken as well.
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("2025-01-02T02:04:05.678Z"));
    QCOMPARE(m_window->model()->batch().timestamp(0), std::optional<std::int64_t>(1735783445678));
    QVERIFY(!child<QLabel>("timestampProblem")->isVisibleTo(m_window));
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("1709204400000"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_window->model()->batch().timestamp(0), std::optional<std::int64_t>(1709204400000));
    QCOMPARE(edit->text(), QStringLiteral("2024-02-29 12:00:00.000"));
}

void TestEditor::hexKeyDisplayKeepsTheTableText()
{
    newWindow(true);
    m_window->view()->selectRow(0); // key "order-1", text
    auto *encoding = child<QComboBox>("keyEncoding");
    encoding->setCurrentIndex(3); // Hex
    QCOMPARE(child<QPlainTextEdit>("keyEdit")->toPlainText(), QStringLiteral("6f 72 64 65 72 2d 31"));
    QCOMPARE(cell(0, BatchTableModel::Key), QStringLiteral("order-1"));
    QCOMPARE(m_window->model()->batch().keyEncoding(0), core::Encoding::Text);
    // Typed in hex: still text while the bytes are text; binary (shown as base64) once they are not.
    auto *edit = child<QPlainTextEdit>("keyEdit");
    edit->setPlainText(QStringLiteral("6f 6b"));
    QCOMPARE(cell(0, BatchTableModel::Key), QStringLiteral("ok"));
    QCOMPARE(m_window->model()->batch().keyEncoding(0), core::Encoding::Text);
    edit->setPlainText(QStringLiteral("00 ff"));
    QCOMPARE(m_window->model()->batch().key(0), QByteArrayView("\x00\xff", 2));
    QCOMPARE(cell(0, BatchTableModel::Key), QStringLiteral("AP8="));
    // A JSON value shown in hex stays JSON.
    child<QComboBox>("valueEncoding")->setCurrentIndex(3);
    QCOMPARE(m_window->model()->batch().valueEncoding(0), core::Encoding::Json);
    QVERIFY(cell(0, BatchTableModel::Value).startsWith(QLatin1String("{\"id\":1,")));
}

void TestEditor::statusTooltipIsNotMojibake()
{
    newWindow(true);
    core::DeliveryResult failed;
    failed.row = 0;
    failed.status = core::DeliveryStatus::Failed;
    failed.persisted = core::Persisted::NotPersisted;
    failed.errorName = QStringLiteral("MSG_SIZE_TOO_LARGE");
    failed.errorText = QStringLiteral("Message too large");
    m_window->model()->applyResults({failed}, {});
    m_window->model()->flushResultChanges();
    const QString tip = m_window->view()->model()->index(0, BatchTableModel::Status).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.startsWith(QStringLiteral("failed \u2014 not persisted")), qPrintable(tip));
}

void TestEditor::copyAsTsvKeepsEveryRow_data()
{
    QTest::addColumn<QString>("templateName");
    QTest::newRow("orders smoke (a binary key)") << QStringLiteral("orders-smoke.kbatch.json");
    QTest::newRow("binary and nulls (NUL, null, empty)") << QStringLiteral("binary-and-nulls.kbatch.json");
}

void TestEditor::copyAsTsvKeepsEveryRow()
{
    QFETCH(QString, templateName);
    newWindow();
    ui::FileDialog::setNextFileName(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/") + templateName);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    BatchTableModel *model = m_window->model();
    QTRY_COMPARE(model->rowCount(), 4);
    const core::Batch before = model->batch();
    m_window->view()->setFocus();
    m_window->view()->selectAll();
    m_window->action(QStringLiteral("actionCopy"))->trigger();
    const QString copied = QApplication::clipboard()->text();
    QVERIFY(!copied.contains(QChar(0))); // a NUL ends the text for most programs that read the clipboard
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QCOMPARE(model->rowCount(), 0);
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(model->rowCount(), 4);
    for (int r = 0; r < 4; ++r) {
        QCOMPARE(model->batch().keyIsNull(r), before.keyIsNull(r));
        QCOMPARE(model->batch().key(r), before.key(r));
        QCOMPARE(model->batch().valueIsNull(r), before.valueIsNull(r));
        QCOMPARE(model->batch().value(r), before.value(r));
        QCOMPARE(model->batch().headers(r).size(), before.headers(r).size());
        for (qsizetype h = 0; h < before.headers(r).size(); ++h) {
            QCOMPARE(model->batch().headers(r)[h].name, before.headers(r)[h].name);
            QCOMPARE(model->batch().headers(r)[h].value.bytes, before.headers(r)[h].value.bytes);
        }
        QCOMPARE(model->batch().partition(r), before.partition(r));
        QCOMPARE(model->batch().timestamp(r), before.timestamp(r));
    }
}

void TestEditor::invalidJsonIsKeptMarkedAndNotSent()
{
    newWindow();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    BatchTableModel *model = m_window->model();
    m_window->view()->selectRow(0);
    child<QComboBox>("valueEncoding")->setCurrentIndex(1); // JSON
    auto *edit = child<QPlainTextEdit>("valueEdit");
    edit->setFocus();
    edit->selectAll();
    const QString typed = QStringLiteral("{\"id\": 7,\n \"tags\": [\"a\", \"b\",]}");
    QTest::keyClicks(edit, typed.section(QLatin1Char('\n'), 0, 0));
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::keyClicks(edit, typed.section(QLatin1Char('\n'), 1));
    // The editor says why, where and at which path, and underlines the place.
    const QString info = child<QLabel>("valueInfo")->text();
    QVERIFY2(info.contains(QLatin1String("line 2, column 20, $.tags: trailing comma before ']'")), qPrintable(info));
    const QTextBlock second = edit->document()->findBlockByNumber(1);
    bool underlined = false;
    for (const QTextLayout::FormatRange &r : second.layout()->formats())
        underlined = underlined || r.format.underlineStyle() == QTextCharFormat::WaveUnderline;
    QVERIFY(underlined);

    // Leaving the row keeps the text: the row holds it, marked, with the reason in the tooltip.
    m_window->view()->selectRow(1);
    QCOMPARE(model->batch().value(0), QByteArrayView(typed.toUtf8()));
    QCOMPARE(model->batch().valueEncoding(0), core::Encoding::Json);
    const QModelIndex value = model->index(0, BatchTableModel::Value);
    QVERIFY(!value.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY2(value.data(Qt::ToolTipRole).toString().startsWith(QLatin1String("Not valid JSON at line 2, column 20")),
             qPrintable(value.data(Qt::ToolTipRole).toString()));
    QVERIFY(!model->headerData(0, Qt::Vertical, Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model->headerData(1, Qt::Vertical, Qt::DecorationRole).value<QIcon>().isNull());
    // Back on the row, the editor shows what was typed, and why it is not JSON.
    m_window->view()->selectRow(0);
    QCOMPARE(edit->toPlainText(), typed);
    QVERIFY(child<QLabel>("valueInfo")->text().contains(QLatin1String("$.tags")));

    // Send refuses, naming the row; nothing is marked as sent.
    ui::MessageBox::clearLast();
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY2(
        ui::MessageBox::lastError().startsWith(QLatin1String("Row 1: the value is not valid JSON (line 2, column 20")),
        qPrintable(ui::MessageBox::lastError()));
    QVERIFY(!m_window->sendController()->isBusy());
    QVERIFY(!model->results().at(1).sent());

    // Fixed, it is JSON again: compact, unmarked, sendable.
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("{\"id\": 7, \"tags\": [\"a\", \"b\"]}"));
    QCOMPARE(model->batch().value(0), QByteArrayView("{\"id\":7,\"tags\":[\"a\",\"b\"]}"));
    QVERIFY(value.data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(model->checkJson().ok());
}

void TestEditor::invalidJsonTypedInTheTableIsKept()
{
    newWindow(true); // row 1's value is JSON
    BatchTableModel *model = m_window->model();
    QCOMPARE(model->batch().valueEncoding(0), core::Encoding::Json);
    auto *view = m_window->view();
    view->setFocus();
    view->setCurrentIndex(view->model()->index(0, BatchTableModel::Value));
    QTest::keyClick(view, Qt::Key_F2);
    auto *cellEditor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(cellEditor);
    cellEditor->selectAll();
    QTest::keyClicks(cellEditor, QStringLiteral("{\"z\": 1.50, \"a\": }"));
    QTest::keyClick(cellEditor, Qt::Key_Return);
    // The delegate commits on the next turn of the event loop.
    QTRY_COMPARE(model->batch().value(0), QByteArrayView("{\"z\": 1.50, \"a\": }"));
    QCOMPARE(model->batch().valueEncoding(0), core::Encoding::Json); // not quietly turned into text
    QVERIFY(!model->checkJson({0}).ok());
    QVERIFY(model->checkJson({1, 2, 3}).ok());

    // Valid JSON typed in the table is kept compact, keys in order and numbers as written.
    view->setCurrentIndex(view->model()->index(0, BatchTableModel::Value));
    QTest::keyClick(view, Qt::Key_F2);
    cellEditor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(cellEditor);
    cellEditor->selectAll();
    QTest::keyClicks(cellEditor, QStringLiteral("{\"z\": 1.50, \"a\": 1e2}"));
    QTest::keyClick(cellEditor, Qt::Key_Return);
    QTRY_COMPARE(model->batch().value(0), QByteArrayView("{\"z\":1.50,\"a\":1e2}"));
    QVERIFY(model->checkJson().ok());
}

void TestEditor::prettyKeepsKeyOrderAndNumbers()
{
    newWindow(true);
    m_window->view()->selectRow(1); // {"id":2,"customer":"c-7","total":120}
    auto *edit = child<QPlainTextEdit>("valueEdit");
    edit->setPlainText(QStringLiteral("{\"z\":1.50,\"a\":[1E+2,{}]}"));
    QTest::mouseClick(child<QToolButton>("valuePretty"), Qt::LeftButton);
    QCOMPARE(edit->toPlainText(), QStringLiteral("{\n  \"z\": 1.50,\n  \"a\": [\n    1E+2,\n    {}\n  ]\n}"));
    QCOMPARE(m_window->model()->batch().value(1), QByteArrayView("{\"z\":1.50,\"a\":[1E+2,{}]}"));
}

void TestEditor::headerBytesThatAreNotUtf8AreShownAsBase64_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::newRow("text") << QByteArray("gr\xc3\xbc\xc3\x9f") << QStringLiteral("grüß");
    QTest::newRow("cut short at the end") << QByteArray("caf\xe9") << QStringLiteral("Y2Fm6Q==");
    QTest::newRow("cut short inside") << QByteArray("\xe6\x97x") << QStringLiteral("5pd4");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QStringLiteral("7aCA");
}

// The same UTF-8 rule as core's (core::isValidUtf8): a QStringDecoder took a sequence cut short at the end for text.
void TestEditor::headerBytesThatAreNotUtf8AreShownAsBase64()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, shown);
    newWindow();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    core::Message m = m_window->model()->batch().at(0);
    m.headers = {{QByteArray("h"), core::Payload(bytes, core::Encoding::Text)}};
    m_window->model()->setMessage(0, m, QStringLiteral("set headers"));
    m_window->view()->selectRow(0);
    auto *headers = child<QTableWidget>("headersTable");
    QCOMPARE(headers->item(0, 1)->text(), shown);
    // Untouched, it keeps its bytes and its form when another field changes.
    QTest::keyClicks(child<QPlainTextEdit>("keyEdit"), QStringLiteral("k"));
    QCOMPARE(m_window->model()->batch().headers(0), m.headers);
}

int main(int argc, char **argv)
{
    // The timestamp editor shows and takes local time: tests run in one fixed zone with summer time.
    qputenv("TZ", "Europe/Berlin");
    QApplication app(argc, argv);
    TestEditor test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_editor.moc"

// Labels that state a fact about the batch say what is true now, through the real MainWindow: the row count in the
// status bar follows inserts, imports, deletes and the state filter; a send's figures give way to the rows' own
// outcomes once the batch changes; the detail editor's "Row N" follows its row through moves and inserts.

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/documents/DocumentController.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

class TestStatusBar : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void rowCountFollowsTheBatch();
    void sendFiguresGiveWayToTheRowsOutcomes();
    void detailTitleFollowsItsRow();

private:
    void newWindow();
    void addRows(int count);
    QString summary() const { return label("statusSummary")->toolTip(); }
    QString rowCount() const { return label("rowCountLabel")->text(); }
    QLabel *label(const char *name) const { return m_window->findChild<QLabel *>(QLatin1String(name)); }

    QTemporaryDir m_config;
    QTemporaryDir m_files;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore *m_secrets = nullptr;
};

void TestStatusBar::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
}

void TestStatusBar::init()
{
    test::resetSettings();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestStatusBar::cleanup()
{
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
    delete m_secrets;
    m_secrets = nullptr;
}

void TestStatusBar::newWindow()
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    m_secrets = new core::MemorySecretStore;
    options.secretStore = m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
}

void TestStatusBar::addRows(int count)
{
    core::Batch rows;
    for (int i = 0; i < count; ++i) {
        core::Message m;
        m.value = core::Payload("row-" + QByteArray::number(i));
        rows.append(m);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("rows"));
}

void TestStatusBar::rowCountFollowsTheBatch()
{
    newWindow();
    QVERIFY(label("rowCountLabel"));
    QCOMPARE(rowCount(), QStringLiteral("0 row(s)"));
    // Opened: the count comes from the rows, not from what the status bar said while the file was read.
    m_window->document()->openFile(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"));
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(rowCount(), QStringLiteral("4 row(s)"));
    QVERIFY2(!summary().contains(QLatin1String("row")), qPrintable(summary()));

    // Imported: a file read on a worker thread, appended when done.
    const QString path = m_files.filePath(QStringLiteral("two.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":\"b\",\"value\":\"2\"}\n");
    file.close();
    m_window->document()->importFiles({path});
    QTRY_COMPARE(m_window->model()->rowCount(), 6);
    QCOMPARE(rowCount(), QStringLiteral("6 row(s)"));

    m_window->view()->setFocus();
    m_window->view()->selectSourceRow(0);
    m_window->action(QStringLiteral("actionDelete"))->trigger();
    QCOMPARE(rowCount(), QStringLiteral("5 row(s)"));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(rowCount(), QStringLiteral("6 row(s)"));

    // Filtered: how many of them the table shows.
    auto *filter = m_window->findChild<QComboBox *>(QStringLiteral("stateFilter"));
    filter->setCurrentIndex(ui::StateFilterModel::Delivered);
    QCOMPARE(rowCount(), QStringLiteral("0 of 6 row(s) shown"));
    filter->setCurrentIndex(ui::StateFilterModel::All);
    QCOMPARE(rowCount(), QStringLiteral("6 row(s)"));

    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QCOMPARE(rowCount(), QStringLiteral("0 row(s)"));
}

void TestStatusBar::sendFiguresGiveWayToTheRowsOutcomes()
{
    newWindow();
    addRows(4);
    auto *combo = m_window->findChild<QComboBox *>(QStringLiteral("topicCombo"));
    QTest::keyClicks(combo->lineEdit(), QStringLiteral("status-figures"));
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(QTest::qWaitFor([this] { return !m_window->sendController()->isBusy(); }, 30000));
    QTRY_VERIFY2(summary().startsWith(QLatin1String("4 / 4 delivered")), qPrintable(summary()));

    // A row added: five rows, one of them not sent.
    m_window->view()->setFocus();
    m_window->view()->setCurrentSourceIndex(m_window->model()->index(3, BatchTableModel::Key));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QTRY_VERIFY2(summary().startsWith(QLatin1String("4 / 5 delivered")), qPrintable(summary()));
    QVERIFY2(summary().endsWith(QLatin1String("1 not sent")), qPrintable(summary()));

    // A delivered row deleted, another edited (its outcome is no longer its own).
    m_window->view()->selectSourceRow(0);
    m_window->action(QStringLiteral("actionDelete"))->trigger();
    QTRY_VERIFY2(summary().startsWith(QLatin1String("3 / 4 delivered")), qPrintable(summary()));
    QVERIFY(m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Value), QStringLiteral("new")));
    QTRY_VERIFY2(summary().startsWith(QLatin1String("2 / 4 delivered")), qPrintable(summary()));
    QVERIFY2(summary().endsWith(QLatin1String("2 not sent")), qPrintable(summary()));

    // Another batch: nothing of it was sent.
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QTRY_COMPARE(summary(), QStringLiteral("Ready"));
}

void TestStatusBar::detailTitleFollowsItsRow()
{
    newWindow();
    addRows(4);
    ui::BatchView *view = m_window->view();
    view->setFocus();
    view->selectSourceRow(2);
    view->setCurrentSourceIndex(m_window->model()->index(2, BatchTableModel::Key));
    auto *title = m_window->detailPanel()->findChild<QLabel *>(QStringLiteral("detailTitle"));
    QCOMPARE(title->text(), QStringLiteral("Row 3"));

    m_window->action(QStringLiteral("actionMoveUp"))->trigger();
    QCOMPARE(title->text(), QStringLiteral("Row 2"));
    QCOMPARE(m_window->detailPanel()->row(), 1);

    // A row moved past it, and one inserted above it: the panel still shows row-2 under its new number.
    m_window->model()->moveRowTo(3, 0);
    QCOMPARE(title->text(), QStringLiteral("Row 3"));
    core::Batch one;
    one.append(core::Message{});
    m_window->model()->insertBatch(0, one, QStringLiteral("insert"));
    QCOMPARE(title->text(), QStringLiteral("Row 4"));
    QCOMPARE(m_window->model()->batch().value(m_window->detailPanel()->row()), QByteArrayView("row-2"));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(title->text(), QStringLiteral("Row 3"));
}

QTEST_MAIN(TestStatusBar)
#include "tst_statusbar.moc"

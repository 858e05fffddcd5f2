// Labels that state a fact about the batch say what is true now, through the real MainWindow: the row count in the
// status bar follows inserts, imports, deletes and the state filter; a send's figures give way to the rows' own
// outcomes once the batch changes; the detail editor's "Row N" follows its row through moves and inserts.

#include "MainWindowFixture.h"
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
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;

class TestStatusBar : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(Locale::EnglishUS); }
    void cleanup() { cleanupTest(); }
    void rowCountFollowsTheBatch();
    void sendFiguresGiveWayToTheRowsOutcomes();
    void detailTitleFollowsItsRow();

private:
    QString rowCount() const { return child<QLabel>("rowCountLabel")->text(); }
};

void TestStatusBar::rowCountFollowsTheBatch()
{
    newWindow();
    QVERIFY(child<QLabel>("rowCountLabel"));
    QCOMPARE(rowCount(), QStringLiteral("0 row(s)"));
    // Opened: the count comes from the rows, not from what the status bar said while the file was read.
    m_window->document()->openFile(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"));
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(rowCount(), QStringLiteral("4 row(s)"));
    QVERIFY2(!statusSummary().contains(QLatin1String("row")), qPrintable(statusSummary()));

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
    auto *filter = child<QComboBox>("stateFilter");
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
    appendRows(4, "row");
    setTopic(QStringLiteral("status-figures"));
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_VERIFY2(statusSummary().startsWith(QLatin1String("4 / 4 delivered")), qPrintable(statusSummary()));

    // A row added: five rows, one of them not sent.
    m_window->view()->setFocus();
    m_window->view()->setCurrentSourceIndex(m_window->model()->index(3, BatchTableModel::Key));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QTRY_VERIFY2(statusSummary().startsWith(QLatin1String("4 / 5 delivered")), qPrintable(statusSummary()));
    QVERIFY2(statusSummary().endsWith(QLatin1String("1 not sent")), qPrintable(statusSummary()));

    // A delivered row deleted, another edited (its outcome is no longer its own).
    m_window->view()->selectSourceRow(0);
    m_window->action(QStringLiteral("actionDelete"))->trigger();
    QTRY_VERIFY2(statusSummary().startsWith(QLatin1String("3 / 4 delivered")), qPrintable(statusSummary()));
    QVERIFY(m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Value), QStringLiteral("new")));
    QTRY_VERIFY2(statusSummary().startsWith(QLatin1String("2 / 4 delivered")), qPrintable(statusSummary()));
    QVERIFY2(statusSummary().endsWith(QLatin1String("2 not sent")), qPrintable(statusSummary()));

    // Another batch: nothing of it was sent.
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QTRY_COMPARE(statusSummary(), QStringLiteral("Ready"));
}

void TestStatusBar::detailTitleFollowsItsRow()
{
    newWindow();
    appendRows(4, "row");
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

// The batch table through the real MainWindow: an empty filter result is not an empty batch, New and Add Row give
// the keyboard to the new row (typing never ends up in the toolbar), and Tab goes from the table to the row's editor.

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/documents/DocumentModel.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

class TestBatchView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void emptyFilterResultIsNotAnEmptyBatch();
    void newRowTakesTheKeyboard();
    void tabGoesFromTheTableToTheRowsEditor();

private:
    void newWindow();
    template <typename T> T *child(const char *name) { return m_window->findChild<T *>(QLatin1String(name)); }

    QTemporaryDir m_config;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore *m_secrets = nullptr;
};

void TestBatchView::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
}

void TestBatchView::init()
{
    test::resetSettings();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestBatchView::cleanup()
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

void TestBatchView::newWindow()
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    m_secrets = new core::MemorySecretStore;
    options.secretStore = m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    QApplication::setActiveWindow(m_window);
    QVERIFY(QTest::qWaitForWindowActive(m_window));
}

void TestBatchView::emptyFilterResultIsNotAnEmptyBatch()
{
    newWindow();
    auto *empty = child<QLabel>("emptyStateLabel");
    auto *noMatch = child<QWidget>("noMatchState");
    QVERIFY(empty && noMatch);
    QVERIFY(empty->isVisible());
    QVERIFY(!noMatch->isVisible());

    core::Batch rows;
    for (int i = 0; i < 200'000; ++i) {
        core::Message m;
        m.value = core::Payload(QByteArray::number(i));
        rows.append(m);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("rows"));
    QVERIFY(!empty->isVisible());

    // Nothing was sent: no row is delivered. The table says the filter hides them, not that there are none.
    auto *filter = child<QComboBox>("stateFilter");
    filter->setCurrentIndex(ui::StateFilterModel::Delivered);
    QCOMPARE(m_window->view()->model()->rowCount(), 0);
    QVERIFY(!empty->isVisible());
    QVERIFY(noMatch->isVisible());
    const QString text = child<QLabel>("noMatchLabel")->text();
    QVERIFY2(text.startsWith(QStringLiteral("No row matches the filter “Delivered”")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("200,000")), qPrintable(text));

    // The way back: all rows again, and the filter box says so.
    QTest::mouseClick(child<QPushButton>("showAllRowsButton"), Qt::LeftButton);
    QCOMPARE(m_window->view()->model()->rowCount(), 200'000);
    QCOMPARE(filter->currentIndex(), int(ui::StateFilterModel::All));
    QVERIFY(!noMatch->isVisible());

    // Filtered and then emptied: an empty batch again.
    filter->setCurrentIndex(ui::StateFilterModel::Failed);
    QVERIFY(noMatch->isVisible());
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QVERIFY(empty->isVisible());
    QVERIFY(!noMatch->isVisible());
}

void TestBatchView::newRowTakesTheKeyboard()
{
    newWindow();
    m_window->documentModel()->setTopic(QStringLiteral("orders"));
    m_window->findChild<QComboBox *>(QStringLiteral("topicCombo"))->setFocus(); // where typing once ended up
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QVERIFY(m_window->view()->hasFocus());
    m_window->documentModel()->setTopic(QStringLiteral("orders"));

    // Ctrl+N, then typing: the key, Tab, the value, Enter.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
    BatchTableModel *model = m_window->model();
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(QApplication::focusWidget());
    QVERIFY2(m_window->view()->isAncestorOf(QApplication::focusWidget()),
             qPrintable(QApplication::focusWidget()->objectName()));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("typed-key"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("typed-value"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(model->batch().key(0), QByteArrayView("typed-key"));
    QTRY_COMPARE(model->batch().value(0), QByteArrayView("typed-value"));   // Return commits on the next turn
    QCOMPARE(m_window->documentModel()->topic(), QStringLiteral("orders")); // nothing typed went there

    // A second row, under the current one, the same way.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(model->rowCount(), 2);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("second"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(model->batch().key(1), QByteArrayView("second"));
}

void TestBatchView::tabGoesFromTheTableToTheRowsEditor()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape); // no editing: the table itself has the focus
    QVERIFY(m_window->view()->hasFocus());
    QTest::keyClick(m_window->view(), Qt::Key_Tab);
    QWidget *focused = QApplication::focusWidget();
    QVERIFY(focused);
    QVERIFY2(m_window->detailPanel()->isAncestorOf(focused),
             qPrintable(QStringLiteral("Tab went to %1 (%2)")
                            .arg(focused->objectName(), QString::fromLatin1(focused->metaObject()->className()))));
    QTest::keyClick(focused, Qt::Key_Backtab);
    QVERIFY(m_window->view()->hasFocus());
}

QTEST_MAIN(TestBatchView)
#include "tst_batchview.moc"

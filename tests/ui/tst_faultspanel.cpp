// The "Sandbox faults" panel (issue 6): the real MainWindow offscreen, faults set through the panel's widgets on the
// in-process sandbox, rows sent with the Send action, outcomes read from the table and (for deliveries) with kcat.

#include "UiTestSupport.h"
#include "core/model/ProducerSettings.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "tests/integration/KcatReader.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/connections/SandboxFaultsPanel.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

class TestFaultsPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void panelIsForTheSandboxOnly();
    void retriableProduceErrorsAreRetried();
    void nonRetriableProduceErrorFailsTheRows();
    void brokerDownTimesTheRowsOut();
    void lateProduceResponsesArePossiblyWritten();

private:
    void newWindow();
    void addRows(int count, const QString &topic);
    void injectErrors(const QString &api, int count, const QString &error);
    void click(const char *name);
    bool sendAndWait();
    QString cell(int row, int column) const
    {
        return m_window->model()->data(m_window->model()->index(row, column)).toString();
    }
    template <typename T> T *child(const char *name) const { return m_window->findChild<T *>(QLatin1String(name)); }

    QTemporaryDir m_config;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore m_secrets;
};

void TestFaultsPanel::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
    QCoreApplication::setApplicationName(QStringLiteral("kbatch-faults-test"));
}

void TestFaultsPanel::init()
{
    test::resetSettings();
}

void TestFaultsPanel::cleanup()
{
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window; // and with it the sandbox and its faults: every test starts from a healthy cluster
        m_window = nullptr;
    }
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
}

void TestFaultsPanel::newWindow()
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    options.secretStore = &m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    auto *dock = child<QDockWidget>("faultsDock");
    QVERIFY(dock);
    QVERIFY(!dock->isVisible()); // on demand, from the View menu
    dock->toggleViewAction()->trigger();
    QVERIFY(dock->isVisible());
}

void TestFaultsPanel::addRows(int count, const QString &topic)
{
    BatchTableModel *model = m_window->model();
    for (int i = 0; i < count; ++i) {
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
        QVERIFY(model->setData(model->index(i, BatchTableModel::Key), QStringLiteral("k%1").arg(i)));
        QVERIFY(model->setData(model->index(i, BatchTableModel::Value), QStringLiteral("row %1").arg(i)));
    }
    auto *combo = child<QComboBox>("topicCombo");
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), topic);
}

void TestFaultsPanel::click(const char *name)
{
    auto *button = child<QPushButton>(name);
    QVERIFY2(button, name);
    QVERIFY2(button->isEnabled(), name);
    QTest::mouseClick(button, Qt::LeftButton);
}

void TestFaultsPanel::injectErrors(const QString &api, int count, const QString &error)
{
    child<QComboBox>("faultApi")->setCurrentText(api);
    QCOMPARE(child<QComboBox>("faultApi")->currentText(), api);
    child<QSpinBox>("faultCount")->setValue(count);
    child<QComboBox>("faultError")->setCurrentText(error);
    click("faultInject");
    const QString status = child<QLabel>("faultStatus")->text();
    QVERIFY2(status.contains(error) && status.contains(QLocale().toString(count)), qPrintable(status));
}

bool TestFaultsPanel::sendAndWait()
{
    m_window->action(QStringLiteral("actionSend"))->trigger();
    if (!m_window->sendController()->isBusy())
        return false;
    return QTest::qWaitFor([this] { return !m_window->sendController()->isBusy(); }, 60000);
}

void TestFaultsPanel::panelIsForTheSandboxOnly()
{
    QVERIFY(test::addOtherProfile());
    newWindow();
    auto *profile = child<QComboBox>("profileCombo");
    auto *inject = child<QPushButton>("faultInject");
    auto *note = child<QLabel>("faultsUnavailable");
    QCOMPARE(profile->currentText(), ui::ConnectionService::sandboxProfileName());
    QVERIFY(inject->isEnabled());
    QVERIFY(!note->isVisible());
    profile->setCurrentText(QStringLiteral("staging"));
    QVERIFY(!inject->isEnabled());
    QVERIFY(note->isVisible());
    profile->setCurrentText(ui::ConnectionService::sandboxProfileName());
    QVERIFY(inject->isEnabled());

    // A name that is not a Kafka error is refused, not passed on.
    child<QComboBox>("faultError")->setCurrentText(QStringLiteral("NO_SUCH_ERROR"));
    click("faultInject");
    QVERIFY(child<QLabel>("faultStatus")->text().contains(QLatin1String("Unknown Kafka error name")));
}

void TestFaultsPanel::retriableProduceErrorsAreRetried()
{
    newWindow();
    const QString topic = QStringLiteral("faults-retriable");
    addRows(3, topic);
    injectErrors(QStringLiteral("produce"), 3, QStringLiteral("NOT_LEADER_FOR_PARTITION"));
    QVERIFY(sendAndWait());
    for (int row = 0; row < 3; ++row)
        QTRY_COMPARE(cell(row, BatchTableModel::Status), QStringLiteral("delivered"));
    // Retried, not duplicated (idempotence is on by default).
    QCOMPARE(test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size(), 3);
}

void TestFaultsPanel::nonRetriableProduceErrorFailsTheRows()
{
    newWindow();
    addRows(3, QStringLiteral("faults-permanent"));
    // More errors than the producer can use up: every produce request fails, however the rows are batched.
    injectErrors(QStringLiteral("produce"), 1000, QStringLiteral("TOPIC_AUTHORIZATION_FAILED"));
    QVERIFY(sendAndWait());
    for (int row = 0; row < 3; ++row) {
        QTRY_COMPARE(cell(row, BatchTableModel::Status), QStringLiteral("failed"));
        QVERIFY2(cell(row, BatchTableModel::ErrorText).contains(QLatin1String("TOPIC_AUTHORIZATION_FAILED")),
                 qPrintable(cell(row, BatchTableModel::ErrorText)));
    }
    // Cleared, the same rows go through.
    click("faultClear");
    QVERIFY(sendAndWait());
    for (int row = 0; row < 3; ++row)
        QTRY_COMPARE(cell(row, BatchTableModel::Status), QStringLiteral("delivered"));
}

void TestFaultsPanel::brokerDownTimesTheRowsOut()
{
    newWindow();
    const QString topic = QStringLiteral("faults-down");
    // About 10 s for the batch at 4 rows a second, so that the broker goes down in the middle even on a loaded
    // machine (12 rows, 3 s, were all delivered before the click once, under a load of 10).
    constexpr int Rows = 40;
    addRows(Rows, topic);
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.messageTimeoutMs = 2000; // short, so the test is quick
    settings.rateLimit = 4;
    m_window->sendBar()->setSettings(settings);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(m_window->sendController()->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(cell(0, BatchTableModel::Status), QStringLiteral("delivered"), 20000);
    child<QSpinBox>("faultBroker")->setValue(1);
    click("faultBrokerDown");
    QVERIFY(child<QLabel>("faultStatus")->text().contains(QLatin1String("down")));
    QVERIFY(QTest::qWaitFor([this] { return !m_window->sendController()->isBusy(); }, 60000));

    // Exactly one outcome per row: delivered before the outage, or timed out after message.timeout.ms.
    int delivered = 0, timedOut = 0, possibly = 0;
    for (int row = 0; row < Rows; ++row) {
        const QString status = cell(row, BatchTableModel::Status);
        if (status == QLatin1String("delivered")) {
            ++delivered;
            continue;
        }
        QVERIFY2(status == QLatin1String("failed") || status == QLatin1String("possibly written"),
                 qPrintable(QStringLiteral("row %1: %2").arg(row).arg(status)));
        QVERIFY2(cell(row, BatchTableModel::ErrorText).contains(QLatin1String("message.timeout.ms")),
                 qPrintable(cell(row, BatchTableModel::ErrorText)));
        ++timedOut;
        possibly += status == QLatin1String("possibly written");
    }
    QVERIFY(delivered >= 1);
    QVERIFY(timedOut >= 1);

    click("faultBrokerUp");
    QVERIFY(child<QLabel>("faultStatus")->text().contains(QLatin1String("up")));
    // What the topic holds agrees: every delivered row, and of the rest at most the possibly written ones.
    const qsizetype inTopic = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size();
    QVERIFY2(inTopic >= delivered && inTopic <= delivered + possibly,
             qPrintable(QStringLiteral("%1 in the topic, %2 delivered, %3 possibly written")
                            .arg(inTopic)
                            .arg(delivered)
                            .arg(possibly)));
}

void TestFaultsPanel::lateProduceResponsesArePossiblyWritten()
{
    // "Or answer late": the broker writes the rows but answers after message.timeout.ms, so they are shown as
    // possibly written (never "not sent"), and they are in the topic.
    newWindow();
    const QString topic = QStringLiteral("faults-late");
    constexpr int Rows = 4;
    addRows(Rows, topic);
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.messageTimeoutMs = 1500;
    m_window->sendBar()->setSettings(settings);
    child<QSpinBox>("faultBroker")->setValue(1);
    child<QComboBox>("faultApi")->setCurrentText(QStringLiteral("produce"));
    child<QSpinBox>("faultCount")->setValue(2);
    child<QSpinBox>("faultDelayMs")->setValue(4000);
    click("faultDelay");
    const QString status = child<QLabel>("faultStatus")->text();
    QVERIFY2(status.contains(QLatin1String("late")) && status.contains(QLatin1String("produce")), qPrintable(status));
    QVERIFY(sendAndWait());
    int possibly = 0;
    for (int row = 0; row < Rows; ++row) {
        const QString rowStatus = cell(row, BatchTableModel::Status);
        QVERIFY2(rowStatus == QLatin1String("possibly written") || rowStatus == QLatin1String("delivered"),
                 qPrintable(QStringLiteral("row %1: %2").arg(row).arg(rowStatus)));
        possibly += rowStatus == QLatin1String("possibly written");
    }
    QVERIFY(possibly >= 1);
    // The broker did write them: once the late answers are out, the topic holds every row.
    QTRY_COMPARE_WITH_TIMEOUT(test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size(),
                              qsizetype(Rows), 15000);
}

QTEST_MAIN(TestFaultsPanel)
#include "tst_faultspanel.moc"

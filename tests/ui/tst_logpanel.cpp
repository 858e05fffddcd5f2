// The Log panel of the real window.

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
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace kbatch;

class TestLogPanel : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void logPanelShowsKbatchMessagesByLevel();
    void firstSendIsLoggedAtDebugWithTimes();
    void twoPanelsAtOnce();
    void linesSayTheirProfile();
};

void TestLogPanel::logPanelShowsKbatchMessagesByLevel()
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

void TestLogPanel::firstSendIsLoggedAtDebugWithTimes()
{
    // The panel was empty on a first send even at Debug: our modules log only warnings unless told otherwise, and
    // nothing told them. Choosing Debug now widens them; every line has its time and level.
    newWindow();
    newEmptyBatch();
    auto *log = child<ui::LogPanel>("logPanel");
    child<QComboBox>("logLevel")->setCurrentIndex(0); // debug and above
    action("actionAddRow")->trigger();
    QVERIFY(
        m_window->model()->setData(m_window->model()->index(0, ui::BatchTableModel::Value), QStringLiteral("logged")));
    setTopic(QStringLiteral("log-first-send"));
    action("actionSend")->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_VERIFY2(log->text().contains(QLatin1String("producer setting")), qPrintable(log->text()));
    const QStringList lines = log->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    static const QRegularExpression timed(
        QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  \\[Local sandbox\\]  (debug|info |warn |error)  kbatch\\."));
    for (const QString &line : lines)
        QVERIFY2(timed.match(line).hasMatch(), qPrintable(line));

    // Back at Warnings, the info lines of the next send are not logged at all.
    child<QComboBox>("logLevel")->setCurrentIndex(2);
    QVERIFY(!log->text().contains(QLatin1String("producer setting")));
    action("actionSend")->trigger();
    QVERIFY(waitForSendToFinish());
    child<QComboBox>("logLevel")->setCurrentIndex(0);
    QCOMPARE(log->text().count(QLatin1String("producer setting client.id")), 1);
}

void TestLogPanel::twoPanelsAtOnce()
{
    // Two windows overlap (a restore, a test): the second panel must not install the handler and the category
    // filter again, where each became its own "previous" and called itself until the stack ran out.
    newWindow();
    {
        ui::LogPanel second;
        QLoggingCategory category("kbatch.test");
        QTest::ignoreMessage(QtWarningMsg, "while two panels live");
        qCWarning(category) << "while two panels live";
        QTRY_VERIFY(second.text().contains(QLatin1String("while two panels live")));
    }
    QLoggingCategory category("kbatch.test");
    QTest::ignoreMessage(QtWarningMsg, "after the second went");
    qCWarning(category) << "after the second went";
    QCoreApplication::processEvents();
}

// Every line says which profile's work it is (the chosen one, or the running send's), and "This profile only" hides
// the other profiles' lines.
void TestLogPanel::linesSayTheirProfile()
{
    newWindow();
    core::ConnectionProfile other;
    other.name = QStringLiteral("staging");
    other.bootstrapServers = QStringLiteral("broker.invalid:9092");
    QVERIFY(m_window->connectionService()->profiles()->save(other).ok());
    auto *log = child<ui::LogPanel>("logPanel");
    QLoggingCategory category("kbatch.test");
    QTest::ignoreMessage(QtWarningMsg, "on the sandbox");
    qCWarning(category) << "on the sandbox";
    QTRY_VERIFY(log->text().contains(QLatin1String("[Local sandbox]  warn   kbatch.test  on the sandbox")));

    auto *combo = child<QComboBox>("profileCombo");
    m_window->sendBar()->setProfiles({ui::ConnectionService::sandboxProfileName(), QStringLiteral("staging")},
                                     ui::ConnectionService::sandboxProfileName());
    combo->setCurrentText(QStringLiteral("staging"));
    QCOMPARE(m_window->sendBar()->profile(), QStringLiteral("staging"));
    QTest::ignoreMessage(QtWarningMsg, "on staging");
    qCWarning(category) << "on staging";
    QTRY_VERIFY(log->text().contains(QLatin1String("[staging]  warn   kbatch.test  on staging")));

    child<QCheckBox>("logProfileOnly")->setChecked(true);
    QVERIFY(log->text().contains(QLatin1String("on staging")));
    QVERIFY(!log->text().contains(QLatin1String("on the sandbox")));
    combo->setCurrentText(ui::ConnectionService::sandboxProfileName());
    QTRY_VERIFY(log->text().contains(QLatin1String("on the sandbox")));
    QVERIFY(!log->text().contains(QLatin1String("on staging")));
}

QTEST_MAIN(TestLogPanel)
#include "tst_logpanel.moc"

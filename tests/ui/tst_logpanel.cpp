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

QTEST_MAIN(TestLogPanel)
#include "tst_logpanel.moc"

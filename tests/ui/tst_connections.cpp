// The Connections dock of the real window: the topic tree and the offer to create a missing sandbox topic.

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

class TestConnections : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void missingSandboxTopicCanBeCreated();
};

void TestConnections::missingSandboxTopicCanBeCreated()
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

QTEST_MAIN(TestConnections)
#include "tst_connections.moc"

// The Connections dock of the real window: the topic tree follows the chosen profile (and never shows an answer
// meant for another), one client per refresh, nothing waited for when the window closes, the sandbox's address,
// the offer to create a missing sandbox topic, and Peek starting on the send bar's topic.

#include "MainWindowFixture.h"
#include "core/kafka/Metadata.h"
#include "core/kafka/SandboxCluster.h"
#include "tests/integration/KcatReader.h"
#include "ui/MainWindow.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/connections/CreateTopicButton.h"
#include "ui/connections/PeekModel.h"
#include "ui/connections/PeekPanel.h"
#include "ui/sending/SendController.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QStandardItemModel>
#include <QTcpServer>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>

using namespace kbatch;

class TestConnections : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { initTest(); }
    void cleanup();
    void missingSandboxTopicCanBeCreated();
    void choosingAProfileShowsItsTopics();
    void anAnswerForAnotherProfileNeverLands();
    void aRefreshUsesOneClient();
    void closingDoesNotWaitForARefresh();
    void sandboxAddressIsShownAndCopyable();
    void peekStartsOnTheSendBarsTopic_data();
    void peekStartsOnTheSendBarsTopic();

private:
    void chooseProfile(const QString &name);
    QStringList sortedTopics() const
    {
        QStringList names = m_window->connectionsPanel()->topicNames();
        names.sort();
        return names;
    }

    std::unique_ptr<core::SandboxCluster> m_other; // a second cluster, for the profile "other"
};

void TestConnections::initTestCase()
{
    initFixture();
    auto other = core::SandboxCluster::start();
    QVERIFY2(other.ok(), qPrintable(other.ok() ? QString() : other.error().message()));
    m_other = std::move(other.value());
    QVERIFY(m_other->createTopic(QStringLiteral("other-a"), 1).ok());
    QVERIFY(m_other->createTopic(QStringLiteral("other-b"), 2).ok());
}

void TestConnections::cleanup()
{
    cleanupTest();
    // Every test's pooled work is over before the next starts (and before the clusters it may talk to go).
    QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
}

void TestConnections::chooseProfile(const QString &name)
{
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(name));
    QCOMPARE(profiles->currentText(), name);
}

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

void TestConnections::choosingAProfileShowsItsTopics()
{
    // The tree kept the last cluster's topics until the next send: now choosing a profile empties it, says it is
    // loading, and fills it with that profile's topics.
    QVERIFY(test::addOtherProfile(QStringLiteral("other"), m_other->bootstrapServers()));
    newWindow();
    ui::ConnectionsPanel *connections = m_window->connectionsPanel();
    QVERIFY(m_window->connectionService()->createSandboxTopic(QStringLiteral("mine"), 2).ok());
    action("actionRefresh")->trigger();
    QTRY_COMPARE(sortedTopics(), QStringList{QStringLiteral("mine")});

    chooseProfile(QStringLiteral("other"));
    QCOMPARE(connections->topicModel()->rowCount(), 0);
    QCOMPARE(connections->stateText(), QStringLiteral("Loading the topics of 'other'…"));
    QTRY_COMPARE(sortedTopics(), (QStringList{QStringLiteral("other-a"), QStringLiteral("other-b")}));
    QVERIFY2(connections->stateText().startsWith(QLatin1String("2 topic")), qPrintable(connections->stateText()));
    // The send bar offers this cluster's topics, not the last one's.
    auto *topics = child<QComboBox>("topicCombo");
    QCOMPARE(topics->findText(QStringLiteral("mine")), -1);
    QVERIFY(topics->findText(QStringLiteral("other-a")) >= 0);

    // From the Connections dock's own list too, and back.
    auto *list = child<QListWidget>("profileList");
    list->setCurrentItem(list->findItems(ui::ConnectionService::sandboxProfileName(), Qt::MatchExactly).first());
    QCOMPARE(child<QComboBox>("profileCombo")->currentText(), ui::ConnectionService::sandboxProfileName());
    QVERIFY(!connections->topicNames().contains(QStringLiteral("other-a")));
    QTRY_COMPARE(sortedTopics(), QStringList{QStringLiteral("mine")});
}

void TestConnections::anAnswerForAnotherProfileNeverLands()
{
    // A slow refresh of the sandbox is still running when the user picks "other": whatever it still brings back (its
    // topics, or that it was cancelled) is not shown in "other"'s tree.
    QVERIFY(test::addOtherProfile(QStringLiteral("other"), m_other->bootstrapServers()));
    newWindow();
    ui::ConnectionsPanel *connections = m_window->connectionsPanel();
    QVERIFY(m_window->connectionService()->createSandboxTopic(QStringLiteral("slow-topic"), 1).ok());
    QTRY_VERIFY(!connections->isRefreshing());
    auto sandbox = m_window->connectionService()->sandbox();
    QVERIFY(sandbox.ok());
    QVERIFY(sandbox.value()->setBrokerRtt(1, 1500).ok());
    action("actionRefresh")->trigger();
    QVERIFY(connections->isRefreshing());
    chooseProfile(QStringLiteral("other"));
    QTRY_COMPARE(sortedTopics(), (QStringList{QStringLiteral("other-a"), QStringLiteral("other-b")}));
    // Every pooled query has ended and its answer, if any, has been delivered.
    QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
    QTest::qWait(50);
    QCOMPARE(sortedTopics(), (QStringList{QStringLiteral("other-a"), QStringLiteral("other-b")}));
    QVERIFY2(connections->stateText().startsWith(QLatin1String("2 topic")), qPrintable(connections->stateText()));
    QVERIFY(sandbox.value()->setBrokerRtt(1, 0).ok());
}

void TestConnections::aRefreshUsesOneClient()
{
    // The tree's end offsets were read with a new client per topic: a refresh of 12 topics opened 13 clients. Now one
    // client reads the topics and every end offset: the sandbox sees the ApiVersions requests of one client (what
    // a single metadata query costs, measured first), and one ListOffsets request.
    newWindow();
    ui::ConnectionsPanel *connections = m_window->connectionsPanel();
    for (int t = 0; t < 12; ++t)
        QVERIFY(m_window->connectionService()->createSandboxTopic(QStringLiteral("one-client-%1").arg(t), 3).ok());
    QVERIFY(test::kcatProduce(m_window->connectionService()->sandboxBootstrap(), QStringLiteral("one-client-4"),
                              "a\nb\nc\n", {QStringLiteral("-p"), QStringLiteral("1")}));
    QTRY_VERIFY(!connections->isRefreshing());
    auto sandbox = m_window->connectionService()->sandbox();
    QVERIFY(sandbox.ok());
    sandbox.value()->startRequestTracking();
    const core::Properties connection{{QStringLiteral("bootstrap.servers"), connections->sandboxAddress()}};
    QVERIFY(core::fetchMetadata(connection, 10000).ok());
    const int oneClient = sandbox.value()->requestCount(QStringLiteral("api-versions"));
    QVERIFY(oneClient > 0);
    sandbox.value()->startRequestTracking();
    action("actionRefresh")->trigger();
    QTRY_VERIFY(!connections->isRefreshing());
    QCOMPARE(connections->topicNames().size(), 12);
    const int refresh = sandbox.value()->requestCount(QStringLiteral("api-versions"));
    QVERIFY2(refresh <= oneClient,
             qPrintable(QStringLiteral("%1 ApiVersions requests, one client sends %2").arg(refresh).arg(oneClient)));
    QCOMPARE(sandbox.value()->requestCount(QStringLiteral("list-offsets")), 1); // one round, one broker
    // And the offsets are right: three messages in partition 1 of one-client-4, nothing anywhere else.
    for (int r = 0; r < connections->topicModel()->rowCount(); ++r) {
        const QStandardItem *topic = connections->topicModel()->item(r);
        const bool filled = topic->data(Qt::UserRole).toString() == QLatin1String("one-client-4");
        QCOMPARE(connections->topicModel()->item(r, 1)->text(), filled ? QStringLiteral("3") : QStringLiteral("0"));
        QCOMPARE(topic->rowCount(), 3);
        QCOMPARE(topic->child(1, 1)->text(), filled ? QStringLiteral("3") : QStringLiteral("0"));
    }
}

void TestConnections::closingDoesNotWaitForARefresh()
{
    // A cluster that accepts connections and never answers: the refresh waits for it when the window closes. The
    // window used to wait up to 15 s for pooled work; now closing waits for nothing, and the refresh, cancelled,
    // ends by itself within moments.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QVERIFY(test::addOtherProfile(QStringLiteral("silent"), QStringLiteral("127.0.0.1:%1").arg(silent.serverPort())));
    newWindow();
    chooseProfile(QStringLiteral("silent"));
    QVERIFY(m_window->connectionsPanel()->isRefreshing());
    QTest::qWait(300); // connected, and waiting for the broker's first answer
    QElapsedTimer clock;
    clock.start();
    closeWindow();
    const qint64 closing = clock.elapsed();
    QVERIFY2(closing < 2000, qPrintable(QStringLiteral("closing took %1 ms").arg(closing)));
    QVERIFY2(QThreadPool::globalInstance()->waitForDone(2000), "the cancelled refresh is still running");
}

void TestConnections::sandboxAddressIsShownAndCopyable()
{
    // Nothing said where the sandbox listens: kcat needed `ss` to find it. The Connections dock shows it once the
    // sandbox runs, copyable, and both profile lists say it in the sandbox's tooltip.
    QVERIFY(test::addOtherProfile(QStringLiteral("other"), m_other->bootstrapServers()));
    newWindow();
    auto *address = child<QLineEdit>("sandboxAddress");
    QVERIFY(address);
    QTRY_VERIFY(address->isVisible());
    const QString bootstrap = m_window->connectionService()->sandboxBootstrap();
    QVERIFY(bootstrap.startsWith(QLatin1String("127.0.0.1:")));
    QCOMPARE(address->text(), bootstrap);
    QCOMPARE(m_window->connectionsPanel()->sandboxAddress(), bootstrap);
    QVERIFY(address->isReadOnly());
    QApplication::clipboard()->clear();
    QTest::mouseClick(child<QToolButton>("sandboxAddressCopy"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), bootstrap);
    // What kcat gets from it is the sandbox: its metadata lists the sandbox's topic.
    QVERIFY(m_window->connectionService()->createSandboxTopic(QStringLiteral("seen-by-kcat"), 1).ok());
    QVERIFY(test::kcatReadAll(QApplication::clipboard()->text(), QStringLiteral("seen-by-kcat")).isEmpty());

    auto *list = child<QListWidget>("profileList");
    const auto sandboxItem = list->findItems(ui::ConnectionService::sandboxProfileName(), Qt::MatchExactly);
    QCOMPARE(sandboxItem.size(), 1);
    QVERIFY2(sandboxItem.first()->toolTip().contains(bootstrap), qPrintable(sandboxItem.first()->toolTip()));
    auto *profiles = child<QComboBox>("profileCombo");
    QVERIFY2(profiles->toolTip().contains(bootstrap), qPrintable(profiles->toolTip()));
    const int sandboxIndex = profiles->findText(ui::ConnectionService::sandboxProfileName());
    QVERIFY(profiles->itemData(sandboxIndex, Qt::ToolTipRole).toString().contains(bootstrap));
    // Another profile chosen: the sandbox still runs, and still says where.
    chooseProfile(QStringLiteral("other"));
    QVERIFY(address->isVisible());
    QVERIFY(!profiles->toolTip().contains(bootstrap));
    QVERIFY(profiles->itemData(sandboxIndex, Qt::ToolTipRole).toString().contains(bootstrap));
}

void TestConnections::peekStartsOnTheSendBarsTopic_data()
{
    QTest::addColumn<bool>("fromTheShortcut"); // else from the View menu's Peek entry
    QTest::newRow("Peek at Topic") << true;
    QTest::newRow("View > Peek") << false;
}

void TestConnections::peekStartsOnTheSendBarsTopic()
{
    QFETCH(bool, fromTheShortcut);
    newWindow();
    const QString topic = QStringLiteral("peek-start");
    QVERIFY(m_window->connectionService()->createSandboxTopic(topic, 1).ok());
    QVERIFY(test::kcatProduce(m_window->connectionService()->sandboxBootstrap(), topic, "one\ntwo\n"));
    setTopic(topic);
    auto *dock = child<QDockWidget>("peekDock");
    QVERIFY(!dock->isVisible());
    ui::PeekPanel *peek = m_window->peekPanel();
    watchModel(peek->model());
    if (fromTheShortcut) {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTest::keySequence(m_window, QKeySequence(Qt::CTRL | Qt::Key_K));
        QVERIFY(dock->isVisible());
        QCOMPARE(peek->topic(), topic);
        QTRY_COMPARE_WITH_TIMEOUT(peek->model()->rowCount(), 2, 15000); // and it reads at once
    } else {
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
        QCOMPARE(peek->topic(), topic);
    }
}

QTEST_MAIN(TestConnections)
#include "tst_connections.moc"

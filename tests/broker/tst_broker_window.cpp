// The window on Kafka 4 with the profile a kbatch-cli user made: SCRAM-SHA-512 over SASL_SSL, the password in the
// system keychain (profiles are shared between the two programs). The real MainWindow, offscreen and with the real
// keychain store, tests the connection from the Profiles dialog and sends a batch; kcat reads it back over the admin
// listener. Runs inside run-with-keychain.sh: a private D-Bus session, an unlocked gnome-keyring and a throwaway HOME.

#include "BrokerEnv.h"
#include "core/profiles/ProfileStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace kbatch;
using namespace kbatch::test;

class TestBrokerWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void testConnectionAndSendWithAKeychainProfile();

private:
    BrokerEnv m_env;
    const QString m_profile = QStringLiteral("kafka4-scram512");
};

void TestBrokerWindow::initTestCase()
{
    QVERIFY2(QDir::homePath().startsWith(QDir::tempPath()), "run me through run-with-keychain.sh (throwaway HOME)");
    QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    auto env = BrokerEnv::load();
    QVERIFY2(env, "the broker fixture is not up");
    m_env = *env;
    core::setApplicationIdentity(); // the programs' own settings (under the throwaway HOME), shared with kbatch-cli

    QProcess set;
    set.start(QStringLiteral(KBATCH_CLI),
              {QStringLiteral("profile"), QStringLiteral("set"), m_profile, QStringLiteral("--bootstrap"),
               m_env.saslSsl, QStringLiteral("--security-protocol"), QStringLiteral("sasl_ssl"),
               QStringLiteral("--sasl-mechanism"), QStringLiteral("SCRAM-SHA-512"), QStringLiteral("--username"),
               QStringLiteral("alice"), QStringLiteral("--ca-file"), m_env.ca, QStringLiteral("--password-stdin")});
    QVERIFY(set.waitForStarted(10000));
    set.write("alice-secret\n");
    set.closeWriteChannel();
    QVERIFY(set.waitForFinished(60000));
    QVERIFY2(set.exitCode() == 0, set.readAllStandardError().constData());
}

void TestBrokerWindow::testConnectionAndSendWithAKeychainProfile()
{
    ui::MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    options.offerRestore = false;
    options.profile = m_profile; // as `kbatch --profile NAME`; secretStore left null: the system keychain
    auto window = std::make_unique<ui::MainWindow>(options);
    window->show();
    auto *profiles = window->findChild<QComboBox *>(QStringLiteral("profileCombo"));
    QVERIFY(profiles);
    QCOMPARE(profiles->currentText(), m_profile);

    // Test Connection, with the password field left empty: the stored password, read from the keychain.
    ui::ProfilesDialog *dialog = window->openProfilesDialog();
    dialog->selectProfile(m_profile);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText() == QStringLiteral("Connected to %1.").arg(m_env.saslSsl),
                              qPrintable(dialog->statusText()), 20000);
    dialog->close();

    // Send a batch to "orders" (alice may write it).
    window->action(QStringLiteral("actionNewTemplate"))->trigger();
    const QByteArray tag = "window-" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    constexpr int Rows = 30;
    core::Batch rows;
    for (int i = 0; i < Rows; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("k-") + QByteArray::number(i));
        m.value = core::Payload(tag + ':' + QByteArray::number(i));
        rows.append(m);
    }
    window->model()->appendBatch(rows, QStringLiteral("rows"));
    auto *topic = window->findChild<QComboBox *>(QStringLiteral("topicCombo"));
    QVERIFY(topic);
    topic->lineEdit()->clear();
    QTest::keyClicks(topic->lineEdit(), QStringLiteral("orders"));
    QTRY_VERIFY(window->action(QStringLiteral("actionSend"))->isEnabled());
    window->action(QStringLiteral("actionSend"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window->sendController()->isBusy(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window->sendController()->isBusy(), 60000);
    QCOMPARE(window->sendController()->stats().delivered, Rows);

    QSet<QByteArray> found;
    for (const KcatRecord &r : kcatReadAll(m_env.plaintext, QStringLiteral("orders")))
        if (r.value && r.value->startsWith(QByteArray(tag + ':')))
            found.insert(*r.value);
    QCOMPARE(found.size(), Rows);

    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    window->close();
}

QTEST_MAIN(TestBrokerWindow)
#include "tst_broker_window.moc"

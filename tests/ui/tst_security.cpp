// The trust model in the window (docs/security.md), driven through the real MainWindow: the send bar's properties
// (which a template fills and saves) take only delivery settings, the window shows where each setting of a send
// comes from, and a keychain that waits for its user is given the time and never called "not stored".

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/sending/EffectiveSettingsDialog.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTest>

using namespace kbatch;
using ui::MainWindow;

class TestSecurity : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void sendBarRefusesConnectionProperties();
    void effectiveSettingsNameTheirOrigin();
    void waitingKeychainIsGivenTimeAndNeverCalledNotStored();

private:
    void newWindow();
    template <typename T> T *child(const char *name) const
    {
        T *w = m_window->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }

    QTemporaryDir m_config;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore *m_secrets = nullptr;
};

void TestSecurity::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
    QCoreApplication::setApplicationName(QStringLiteral("kbatch-security-test"));
}

void TestSecurity::init()
{
    test::resetSettings();
    ui::MessageBox::clearLast();
}

void TestSecurity::cleanup()
{
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
    delete m_secrets;
    m_secrets = nullptr;
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
}

void TestSecurity::newWindow()
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = true;
    m_secrets = new core::MemorySecretStore;
    options.secretStore = m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    QTRY_VERIFY(m_window->model()->rowCount() > 0);
}

void TestSecurity::sendBarRefusesConnectionProperties()
{
    // The send bar edits the template's settings: what it takes, a template file could carry. A listener stands in
    // for the attacker's host.
    QTcpServer attacker;
    QVERIFY(attacker.listen(QHostAddress::LocalHost, 0));
    newWindow();
    auto *properties = child<QPlainTextEdit>("propertiesEdit");
    auto *problem = child<QLabel>("propertiesProblem");
    properties->setPlainText(QStringLiteral("linger.ms=5\nbootstrap.servers=127.0.0.1:%1").arg(attacker.serverPort()));
    QVERIFY(!problem->isHidden());
    QVERIFY2(problem->text().startsWith(QLatin1String("line 2: property \"bootstrap.servers\" is not allowed in a "
                                                      "template")),
             qPrintable(problem->text()));

    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY2(ui::MessageBox::lastError().contains(QLatin1String("bootstrap.servers")),
             qPrintable(ui::MessageBox::lastError()));
    QVERIFY(!m_window->sendController()->isBusy());
    QTest::qWait(200);
    QVERIFY(!attacker.hasPendingConnections());
    // No row was marked as sent.
    for (int r = 0; r < m_window->model()->rowCount(); ++r)
        QVERIFY(!m_window->model()->results().at(r).sent());

    // A line without '=' is said too, rather than silently dropped.
    properties->setPlainText(QStringLiteral("linger.ms 5"));
    QVERIFY2(problem->text().contains(QLatin1String("expected name=value")), qPrintable(problem->text()));
    properties->setPlainText(QStringLiteral("linger.ms=5"));
    QVERIFY(problem->isHidden());
}

void TestSecurity::effectiveSettingsNameTheirOrigin()
{
    newWindow();
    auto *compression = child<QComboBox>("compressionCombo");
    compression->setCurrentIndex(compression->findData(QStringLiteral("zstd")));
    child<QPlainTextEdit>("propertiesEdit")->setPlainText(QStringLiteral("retries=7"));
    m_window->action(QStringLiteral("actionEffectiveSettings"))->trigger();
    auto *dialog = m_window->findChild<ui::EffectiveSettingsDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("effectiveSettingsTable"));
    QHash<QString, QPair<QString, QString>> rows; // name -> value, origin
    for (int r = 0; r < table->rowCount(); ++r)
        rows.insert(table->item(r, 0)->text(), {table->item(r, 1)->text(), table->item(r, 2)->text()});
    QCOMPARE(rows.value(QStringLiteral("bootstrap.servers")).second, QStringLiteral("profile"));
    QCOMPARE(rows.value(QStringLiteral("compression.codec")),
             qMakePair(QStringLiteral("zstd"), QStringLiteral("template")));
    QCOMPARE(rows.value(QStringLiteral("retries")), qMakePair(QStringLiteral("7"), QStringLiteral("template")));
    QCOMPARE(rows.value(QStringLiteral("acks")), qMakePair(QStringLiteral("all"), QStringLiteral("default")));
    QCOMPARE(rows.value(QStringLiteral("enable.idempotence")).second, QStringLiteral("default"));

    // A profile with a password: the dialog shows that one is set, never the secret itself.
    QVERIFY(test::addOtherProfile(QStringLiteral("staging")));
    {
        QSettings settings;
        core::ProfileStore store(&settings);
        auto p = store.find(QStringLiteral("staging")).value();
        p.securityProtocol = core::SecurityProtocol::SaslSsl;
        p.saslMechanism = core::SaslMechanism::ScramSha512;
        p.username = QStringLiteral("alice");
        QVERIFY(store.save(p, p.name).ok());
    }
    const auto preview = m_window->sendController()->previewSettings(
        QStringLiteral("staging"), QStringLiteral("orders"), core::ProducerSettings());
    QVERIFY2(preview.ok(), qPrintable(preview.ok() ? QString() : preview.error().message()));
    bool sawPassword = false;
    for (const core::EffectiveSetting &s : preview.value()) {
        if (s.name == QLatin1String("sasl.password")) {
            sawPassword = true;
            QCOMPARE(s.value, QStringLiteral("(secret)"));
            QCOMPARE(core::toString(s.origin), core::toString(core::SettingOrigin::Profile));
        }
    }
    QVERIFY(sawPassword);
}

void TestSecurity::waitingKeychainIsGivenTimeAndNeverCalledNotStored()
{
    // gnome-keyring creating its first keyring asks its user for a password before it answers. The window once
    // gave up after 5 s, said "no keychain is available, used for this session only", and the password had been
    // stored after all.
    newWindow();
    m_secrets->setNoticeAfter(std::chrono::milliseconds(100));
    m_secrets->setAnswerDelay(std::chrono::milliseconds(1500));
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    QSignalSpy sessionOnly(dialog, &ui::ProfilesDialog::sessionSecret);
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("slow"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("broker.invalid:9094"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_ssl")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    QTest::keyClicks(field("profilePassword"), QStringLiteral("typed-while-waiting"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_VERIFY2(dialog->statusText().startsWith(QLatin1String("Waiting for the keychain to store the SASL password of "
                                                               "'slow'")),
                 qPrintable(dialog->statusText()));
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().contains(QLatin1String("is in the keychain")),
                              qPrintable(dialog->statusText()), 10000);
    QCOMPARE(sessionOnly.size(), 0);
    QCOMPARE(m_secrets->contents().value(QStringLiteral("slow/sasl-password")), QByteArray("typed-while-waiting"));
    dialog->close();
}

QTEST_MAIN(TestSecurity)
#include "tst_security.moc"

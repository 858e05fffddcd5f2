// The Connection Profiles dialog of the real window: secrets go to the keychain only, OAuth tokens, Test Connection
// (failing fast where waiting cannot help, its message never over the fields), a keychain that refuses, unsaved edits
// asked about before they are left, and file choosers for the certificate files.

#include "MainWindowFixture.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "ui/MainWindow.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>

using namespace kbatch;

class TestProfilesDialog : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void profileDialogKeepsPasswordInSecretStoreOnly();
    void profileDialogStoresOAuthTokenAndTestsWithStoredSecrets();
    void unreadableSecretIsShownAtOnce();
    void unsavedEditsAreAskedAboutBeforeLeaving_data();
    void unsavedEditsAreAskedAboutBeforeLeaving();
    void certificateFilesHaveAFileChooser_data();
    void certificateFilesHaveAFileChooser();
    void testConnectionFailsFastWhereWaitingCannotHelp_data();
    void testConnectionFailsFastWhereWaitingCannotHelp();
    void longStatusNeverCoversTheFields();
    void registryKeyPassphraseIsKeptAndHandedOn();

private:
    ui::ProfilesDialog *openDialog(const QString &select);
    template <typename T> T *field(const char *name) const { return m_dialog->findChild<T *>(QLatin1String(name)); }
    void click(const char *name) { QTest::mouseClick(field<QAbstractButton>(name), Qt::LeftButton); }
    core::ConnectionProfile stored(const QString &name) const
    {
        QSettings settings;
        return core::ProfileStore(&settings).find(name).value_or(core::ConnectionProfile());
    }

    ui::ProfilesDialog *m_dialog = nullptr;
};

ui::ProfilesDialog *TestProfilesDialog::openDialog(const QString &select)
{
    m_dialog = m_window->openProfilesDialog();
    m_dialog->selectProfile(select);
    return m_dialog;
}

void TestProfilesDialog::profileDialogKeepsPasswordInSecretStoreOnly()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    QVERIFY(dialog->isVisible());
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("staging"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("broker.example:9094"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_ssl")));
    auto *mechanism = dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism"));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("SCRAM-SHA-512")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    const QString password = QStringLiteral("s3cret-Pa55");
    QTest::keyClicks(field("profilePassword"), password);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QVERIFY2(!dialog->statusText().contains(QLatin1String("could not")), qPrintable(dialog->statusText()));

    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("staging/sasl-password")), password.toUtf8());
    QVERIFY(field("profilePassword")->text().isEmpty()); // not kept in the form either
    // The profile is offered in the toolbar, and nothing in the settings holds the password.
    QVERIFY(child<QComboBox>("profileCombo")->findText(QStringLiteral("staging")) >= 0);
    QSettings settings;
    settings.sync();
    QFile ini(settings.fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray stored = ini.readAll();
    QVERIFY(stored.contains("broker.example"));
    QVERIFY(!stored.contains(password.toUtf8()));
    const QStringList keys = settings.allKeys();
    for (const QString &key : keys)
        QVERIFY2(!settings.value(key).toString().contains(password), qPrintable(key));

    // The send path reads the password back from the store for the connection properties.
    m_window->connectionService()->prefetchSecrets(QStringLiteral("staging"));
    QTRY_VERIFY(m_window->connectionService()->connection(QStringLiteral("staging")).ok());
    const auto props = m_window->connectionService()->connection(QStringLiteral("staging")).value();
    QVERIFY(props.contains({QStringLiteral("sasl.password"), password}));

    // Test Connection reaches a cluster (the sandbox, as a plain profile) and says so.
    QVERIFY(m_window->connectionService()->connection(ui::ConnectionService::sandboxProfileName()).ok());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("plain"));
    QTest::keyClicks(field("profileBootstrap"), m_window->connectionService()->sandboxBootstrap());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected")),
                              qPrintable(dialog->statusText()), 15000);
    ui::MessageBox::setNextAnswer(QMessageBox::Discard); // "plain" was only tested, not saved
    dialog->close();
}

void TestProfilesDialog::profileDialogStoresOAuthTokenAndTestsWithStoredSecrets()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    auto labelFor = [dialog](const char *name) {
        auto *form = dialog->findChild<QFormLayout *>(QStringLiteral("profileForm")); // the cluster's tab
        return qobject_cast<QLabel *>(form->labelForField(dialog->findChild<QWidget *>(QLatin1String(name))));
    };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("oauth"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("broker.example:9094"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_ssl")));
    auto *mechanism = dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism"));
    QCOMPARE(labelFor("profilePassword")->text(), QStringLiteral("Password"));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("OAUTHBEARER")));
    QCOMPARE(labelFor("profilePassword")->text(), QStringLiteral("OAuth token"));
    const QString token = QStringLiteral("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.");
    QTest::keyClicks(field("profilePassword"), token);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    // Stored as the OAuth token (which the connection hands to librdkafka), not as a SASL password.
    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("oauth/oauth-token")), token.toUtf8());
    QVERIFY(!m_secrets->contents().contains(QStringLiteral("oauth/sasl-password")));
    m_window->connectionService()->prefetchSecrets(QStringLiteral("oauth"));
    QTRY_VERIFY(m_window->connectionService()->connection(QStringLiteral("oauth")).ok());
    const auto props = m_window->connectionService()->connection(QStringLiteral("oauth")).value();
    QVERIFY(props.contains({QStringLiteral("kbatch.sasl.oauthbearer.token"), token}));

    // Test Connection on a saved SASL profile with the password field left empty uses the stored password,
    // instead of failing with "no SASL password stored".
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("scram"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_plaintext")));
    mechanism->setCurrentIndex(mechanism->findText(QStringLiteral("SCRAM-SHA-512")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    QTest::keyClicks(field("profilePassword"), QStringLiteral("pw-1"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_COMPARE(m_secrets->contents().value(QStringLiteral("scram/sasl-password")), QByteArray("pw-1"));
    QVERIFY(field("profilePassword")->text().isEmpty());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    // Port 9 refuses: the test gets as far as connecting, which needs the password.
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Profile 'scram': ")),
                              qPrintable(dialog->statusText()), 20000);
    QVERIFY2(!dialog->statusText().contains(QLatin1String("no SASL password stored")),
             qPrintable(dialog->statusText()));
    dialog->close();
}

void TestProfilesDialog::unreadableSecretIsShownAtOnce()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("locked"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    auto *security = dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity"));
    security->setCurrentIndex(security->findText(QStringLiteral("sasl_plaintext")));
    QTest::keyClicks(field("profileUsername"), QStringLiteral("alice"));
    QTest::keyClicks(field("profilePassword"), QStringLiteral("pw"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_VERIFY(m_secrets->contents().contains(QStringLiteral("locked/sasl-password")));
    dialog->close();
    // The keychain now refuses (as a locked one does): choosing the profile says so in the status bar at once.
    m_secrets->setBehaviour(core::MemorySecretStore::Behaviour::Fail);
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("locked")));
    QTRY_VERIFY2(child<QLabel>("statusSummary")->text().contains(QLatin1String("could not be read from the keychain")),
                 qPrintable(child<QLabel>("statusSummary")->text()));
}

void TestProfilesDialog::unsavedEditsAreAskedAboutBeforeLeaving_data()
{
    QTest::addColumn<QString>("leave"); // "other profile", "new" or "close"
    QTest::addColumn<int>("answer");    // to "Save them before going on?"
    QTest::addColumn<bool>("edited");   // false: nothing to ask about
    for (const char *leave : {"other profile", "new", "close"}) {
        QTest::addRow("%s, cancel", leave) << QString::fromLatin1(leave) << int(QMessageBox::Cancel) << true;
        QTest::addRow("%s, discard", leave) << QString::fromLatin1(leave) << int(QMessageBox::Discard) << true;
        QTest::addRow("%s, save", leave) << QString::fromLatin1(leave) << int(QMessageBox::Save) << true;
        QTest::addRow("%s, unedited", leave) << QString::fromLatin1(leave) << int(QMessageBox::NoButton) << false;
    }
}

void TestProfilesDialog::unsavedEditsAreAskedAboutBeforeLeaving()
{
    QFETCH(QString, leave);
    QFETCH(int, answer);
    QFETCH(bool, edited);
    QVERIFY(test::addOtherProfile(QStringLiteral("staging"), QStringLiteral("old.example:9092")));
    QVERIFY(test::addOtherProfile(QStringLiteral("other"), QStringLiteral("other.example:9092")));
    newWindow();
    openDialog(QStringLiteral("staging"));
    auto *bootstrap = field<QLineEdit>("profileBootstrap");
    QCOMPARE(bootstrap->text(), QStringLiteral("old.example:9092"));
    if (edited) {
        bootstrap->clear();
        QTest::keyClicks(bootstrap, QStringLiteral("new.example:9092"));
    }
    QVERIFY(m_dialog->hasUnsavedEdits() == edited);

    ui::MessageBox::clearLast();
    ui::MessageBox::setNextAnswer(QMessageBox::StandardButton(answer));
    auto *list = field<QListWidget>("profilesList");
    if (leave == QLatin1String("other profile"))
        list->setCurrentItem(list->findItems(QStringLiteral("other"), Qt::MatchExactly).first());
    else if (leave == QLatin1String("new"))
        click("profileNew");
    else
        m_dialog->close();

    const bool asked = !ui::MessageBox::lastQuestion().isEmpty();
    QTRY_VERIFY(asked || !ui::MessageBox::lastQuestion().isEmpty() || !edited);
    QCOMPARE(!ui::MessageBox::lastQuestion().isEmpty(), edited);
    if (edited)
        QVERIFY2(ui::MessageBox::lastQuestion().contains(QLatin1String("\"staging\" has unsaved changes")),
                 qPrintable(ui::MessageBox::lastQuestion()));
    const bool stays = answer == QMessageBox::Cancel;
    // Where the dialog went: nowhere on Cancel, else where the user asked.
    if (leave == QLatin1String("close")) {
        QCOMPARE(m_dialog->isVisible(), stays);
    } else if (stays) {
        QCOMPARE(bootstrap->text(), QStringLiteral("new.example:9092")); // the edits are still there
        QCOMPARE(list->currentItem() ? list->currentItem()->text() : QString(), QStringLiteral("staging"));
    } else {
        const QString expected = leave == QLatin1String("new") ? QString() : QStringLiteral("other.example:9092");
        QTRY_COMPARE(bootstrap->text(), expected);
    }
    // What is stored: the edit only when the answer was Save.
    QCOMPARE(stored(QStringLiteral("staging")).bootstrapServers,
             answer == QMessageBox::Save ? QStringLiteral("new.example:9092") : QStringLiteral("old.example:9092"));
    if (m_dialog->isVisible()) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_dialog->close();
    }
}

void TestProfilesDialog::certificateFilesHaveAFileChooser_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("CA") << QStringLiteral("profileCaFile");
    QTest::newRow("certificate") << QStringLiteral("profileCertFile");
    QTest::newRow("key") << QStringLiteral("profileKeyFile");
}

void TestProfilesDialog::certificateFilesHaveAFileChooser()
{
    QFETCH(QString, name);
    newWindow();
    openDialog(ui::ConnectionService::sandboxProfileName());
    click("profileNew");
    auto *line = m_dialog->findChild<QLineEdit *>(name);
    auto *browse = m_dialog->findChild<QToolButton *>(name + QStringLiteral("Browse"));
    QVERIFY(line);
    QVERIFY(browse);
    QVERIFY(!browse->isEnabled()); // plaintext: no TLS files
    auto *security = field<QComboBox>("profileSecurity");
    security->setCurrentIndex(security->findText(QStringLiteral("ssl")));
    QVERIFY(browse->isEnabled());
    QVERIFY(browse->isVisible());

    const QString chosen = m_files.filePath(QStringLiteral("certs/chosen.pem"));
    ui::FileDialog::setNextFileName(chosen);
    QTest::mouseClick(browse, Qt::LeftButton);
    QCOMPARE(line->text(), chosen);
    ui::FileDialog::setNextFileName(QString()); // cancelled: the field keeps its file
    QTest::mouseClick(browse, Qt::LeftButton);
    QCOMPARE(line->text(), chosen);
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_dialog->close();
}

void TestProfilesDialog::testConnectionFailsFastWhereWaitingCannotHelp_data()
{
    QTest::addColumn<QString>("bootstrap"); // "tls": a loopback server that answers TLS with plain text
    QTest::addColumn<QString>("reason");
    QTest::newRow("unresolvable name") << QStringLiteral("kbatch-test-nohost.invalid:9092")
                                       << QStringLiteral("Failed to resolve");
    QTest::newRow("TLS handshake fails") << QStringLiteral("tls") << QStringLiteral("SSL");
    QTcpServer closed; // a loopback port that refuses: taken, then given back
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    QTest::newRow("refused") << QStringLiteral("127.0.0.1:%1").arg(port) << QStringLiteral("Connection refused");
}

void TestProfilesDialog::testConnectionFailsFastWhereWaitingCannotHelp()
{
    // librdkafka's metadata call waits for a broker for its whole timeout, even after the name failed to resolve
    // "after 1ms": the test waited 10 s to say so. It stops at the first answer that waiting cannot change.
    QFETCH(QString, bootstrap);
    QFETCH(QString, reason);
    QTcpServer notTls; // answers a TLS client hello with an HTTP error, as a plaintext port behind a proxy would
    if (bootstrap == QLatin1String("tls")) {
        QVERIFY(notTls.listen(QHostAddress::LocalHost));
        connect(&notTls, &QTcpServer::newConnection, &notTls, [&notTls] {
            while (QTcpSocket *socket = notTls.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                });
            }
        });
        bootstrap = QStringLiteral("127.0.0.1:%1").arg(notTls.serverPort());
    }
    newWindow();
    openDialog(ui::ConnectionService::sandboxProfileName());
    click("profileNew");
    QTest::keyClicks(field<QLineEdit>("profileName"), QStringLiteral("unreachable"));
    QTest::keyClicks(field<QLineEdit>("profileBootstrap"), bootstrap);
    if (notTls.isListening()) {
        auto *security = field<QComboBox>("profileSecurity");
        security->setCurrentIndex(security->findText(QStringLiteral("ssl")));
    }
    QCOMPARE(field<QSpinBox>("profileConnectTimeout")->value(), 10); // the default
    QElapsedTimer clock;
    clock.start();
    click("profileTest");
    QTRY_VERIFY2_WITH_TIMEOUT(m_dialog->statusText().startsWith(QLatin1String("Profile 'unreachable': ")),
                              qPrintable(m_dialog->statusText()), 20000);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QStringLiteral("%1 ms").arg(clock.elapsed())));
    QVERIFY2(m_dialog->statusText().contains(reason), qPrintable(m_dialog->statusText()));
    QVERIFY2(m_dialog->statusText().contains(bootstrap), qPrintable(m_dialog->statusText()));
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_dialog->close();
}

void TestProfilesDialog::longStatusNeverCoversTheFields()
{
    // A long error (every bootstrap address and librdkafka's reason) gets a row of its own, scrolled beyond four
    // lines, at the dialog's size and when the dialog is made smaller: never over the Properties box or the buttons.
    newWindow();
    openDialog(ui::ConnectionService::sandboxProfileName());
    click("profileNew");
    QStringList hosts;
    for (int i = 0; i < 14; ++i)
        hosts << QStringLiteral("kbatch-broker-%1.nohost.invalid:9092").arg(i);
    QTest::keyClicks(field<QLineEdit>("profileName"), QStringLiteral("long"));
    QTest::keyClicks(field<QLineEdit>("profileBootstrap"), hosts.join(QLatin1Char(',')));
    click("profileTest");
    QTRY_VERIFY2_WITH_TIMEOUT(m_dialog->statusText().startsWith(QLatin1String("Profile 'long': ")),
                              qPrintable(m_dialog->statusText()), 20000);
    QVERIFY(m_dialog->statusText().size() > 300);
    auto *status = field<QLabel>("profileStatus");
    auto *area = field<QScrollArea>("profileStatusArea"); // where the status is shown, scrolled
    const QWidget *shown = area ? static_cast<QWidget *>(area) : status;
    const auto inDialog = [this](const QWidget *w) { return QRect(w->mapTo(m_dialog, QPoint(0, 0)), w->size()); };
    for (const QSize size : {m_dialog->size(), m_dialog->minimumSizeHint()}) {
        m_dialog->resize(size);
        QCoreApplication::processEvents();
        for (const char *neighbour : {"profileProperties", "profileSave", "profileTest"}) {
            QVERIFY2(!inDialog(shown).intersects(inDialog(field<QWidget>(neighbour))),
                     qPrintable(QStringLiteral("the status is over %1 at %2x%3")
                                    .arg(QLatin1String(neighbour))
                                    .arg(m_dialog->width())
                                    .arg(m_dialog->height())));
        }
        // All of the text can be read: the label is as tall as its wrapped text (scrolled when needed).
        QVERIFY2(status->height() >= status->heightForWidth(status->width()),
                 qPrintable(
                     QStringLiteral("%1 of %2 px").arg(status->height()).arg(status->heightForWidth(status->width()))));
    }
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_dialog->close();
}

// The registry tab's Key passphrase: refused without a client key (it would never be used), else stored in the
// secret store only, and handed to the registry client by the path the window's sends and peeks take.
void TestProfilesDialog::registryKeyPassphraseIsKeptAndHandedOn()
{
    newWindow();
    openDialog(ui::ConnectionService::sandboxProfileName());
    QVERIFY(!field<QLineEdit>("profileRegistryKeyPassphrase")->isEnabled()); // the sandbox has no settings
    click("profileNew");
    QTest::keyClicks(field<QLineEdit>("profileName"), QStringLiteral("reg-key"));
    QTest::keyClicks(field<QLineEdit>("profileBootstrap"), QStringLiteral("broker.example:9092"));
    field<QTabWidget>("profileTabs")->setCurrentIndex(1);
    QTest::keyClicks(field<QLineEdit>("profileRegistryUrl"), QStringLiteral("https://registry.invalid:8081"));
    auto *passphrase = field<QLineEdit>("profileRegistryKeyPassphrase");
    QVERIFY(passphrase->isEnabled());
    QCOMPARE(passphrase->echoMode(), QLineEdit::Password);
    const QString secret = QStringLiteral("reg-key-pass-4d1f");
    QTest::keyClicks(passphrase, secret);
    QVERIFY(m_dialog->hasUnsavedEdits());
    click("profileSave");
    QVERIFY2(m_dialog->statusText().contains(QLatin1String("Schema Registry: a registry key passphrase goes with a "
                                                           "registry client key")),
             qPrintable(m_dialog->statusText()));
    QVERIFY(m_secrets->contents().isEmpty());
    QVERIFY(stored(QStringLiteral("reg-key")).name.isEmpty()); // nothing saved, the form kept
    QCOMPARE(passphrase->text(), secret);

    QTest::keyClicks(field<QLineEdit>("profileRegistryCertFile"), QStringLiteral("/certs/registry-client.pem"));
    QTest::keyClicks(field<QLineEdit>("profileRegistryKeyFile"), QStringLiteral("/certs/registry-client.key"));
    click("profileSave");
    QTRY_VERIFY2(m_dialog->statusText().contains(QLatin1String("the registry key passphrase is in the keychain")),
                 qPrintable(m_dialog->statusText()));
    QCOMPARE(m_secrets->contents().value(QStringLiteral("reg-key/registry-key-passphrase")), secret.toUtf8());
    QCOMPARE(m_secrets->contents().size(), 1); // neither the cluster's key passphrase nor anything else
    QVERIFY(field<QLineEdit>("profileRegistryKeyPassphrase")->text().isEmpty());
    QCOMPARE(stored(QStringLiteral("reg-key")).registry.keyFile, QStringLiteral("/certs/registry-client.key"));
    QSettings settings;
    for (const QString &key : settings.allKeys())
        QVERIFY2(!settings.value(key).toString().contains(secret), qPrintable(key));

    QObject context;
    std::optional<core::Result<core::RegistrySettings>> read;
    m_window->connectionService()->readRegistrySettings(
        QStringLiteral("reg-key"), &context, [&read](const core::Result<core::RegistrySettings> &r) { read = r; });
    QTRY_VERIFY(read.has_value());
    QVERIFY2(read->ok(), qPrintable(read->ok() ? QString() : read->error().text));
    QCOMPARE(read->value().clientKeyFile, QStringLiteral("/certs/registry-client.key"));
    QCOMPARE(read->value().clientKeyPassphrase, secret.toUtf8());
    m_dialog->close();
}

QTEST_MAIN(TestProfilesDialog)
#include "tst_profilesdialog.moc"

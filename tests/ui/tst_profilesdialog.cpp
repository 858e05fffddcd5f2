// The Connection Profiles dialog of the real window: secrets go to the keychain only, OAuth tokens, Test Connection,
// and a keychain that refuses.

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
};

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
    m_window->sendController()->prefetchSecrets(QStringLiteral("staging"));
    QTRY_VERIFY(m_window->sendController()->connection(QStringLiteral("staging")).ok());
    const auto props = m_window->sendController()->connection(QStringLiteral("staging")).value();
    QVERIFY(props.contains({QStringLiteral("sasl.password"), password}));

    // Test Connection reaches a cluster (the sandbox, as a plain profile) and says so.
    QVERIFY(m_window->sendController()->connection(ui::SendController::sandboxProfileName()).ok());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("plain"));
    QTest::keyClicks(field("profileBootstrap"), m_window->sendController()->sandboxBootstrap());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected")),
                              qPrintable(dialog->statusText()), 15000);
    dialog->close();
}

void TestProfilesDialog::profileDialogStoresOAuthTokenAndTestsWithStoredSecrets()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    auto labelFor = [dialog](const char *name) {
        auto *form = dialog->findChild<QFormLayout *>();
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
    m_window->sendController()->prefetchSecrets(QStringLiteral("oauth"));
    QTRY_VERIFY(m_window->sendController()->connection(QStringLiteral("oauth")).ok());
    const auto props = m_window->sendController()->connection(QStringLiteral("oauth")).value();
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

QTEST_MAIN(TestProfilesDialog)
#include "tst_profilesdialog.moc"

// The Profiles dialog's registry tab with an encrypted client key (made here with openssl from the fixture's key,
// which the test CA signed), against the registry proxy's mTLS listener: the masked "Key passphrase" field beside the
// client key; Test Connection's registry line says OK with the right passphrase, and with a wrong or no passphrase
// one line naming the key file and saying which, never the passphrase; Save puts the passphrase in the secret store
// only, and a later Test Connection with the field left empty uses the stored one.

#include "../ui/MainWindowFixture.h"
#include "RegistryEnv.h"
#include "tests/broker/BrokerEnv.h"
#include "ui/connections/ProfilesDialog.h"

#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace kbatch;
using namespace kbatch::test;

namespace {
const QString Passphrase = QStringLiteral("kbatch-dialog-key-5e2b");
} // namespace

class TestRegistryKeyPassphraseWindow : public QObject, public MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void testConnectionSaysWhatIsWrongWithThePassphrase_data();
    void testConnectionSaysWhatIsWrongWithThePassphrase();
    void savedPassphraseGoesToTheKeychainAndIsUsed();

private:
    ui::ProfilesDialog *newProfileInDialog(const QString &name, const QString &passphrase);
    static QLineEdit *field(ui::ProfilesDialog *dialog, const char *name)
    {
        return dialog->findChild<QLineEdit *>(QLatin1String(name));
    }

    RegistryEnv m_registry;
    BrokerEnv m_broker;
    QTemporaryDir m_dir;
    QString m_key;
};

void TestRegistryKeyPassphraseWindow::initTestCase()
{
    initFixture();
    auto registry = RegistryEnv::load();
    QVERIFY2(registry, "the registry fixture is not up");
    m_registry = *registry;
    auto broker = BrokerEnv::load();
    QVERIFY2(broker, "the broker fixture is not up");
    m_broker = *broker;
    QVERIFY(m_dir.isValid());
    m_key = m_dir.filePath(QStringLiteral("registry-client.key"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-v2"),
                   QStringLiteral("aes-256-cbc"), QStringLiteral("-in"), m_registry.clientKey, QStringLiteral("-out"),
                   m_key, QStringLiteral("-passout"), QStringLiteral("pass:") + Passphrase});
    QVERIFY(openssl.waitForFinished(30000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    QFile key(m_key);
    QVERIFY(key.open(QIODevice::ReadOnly));
    QVERIFY(key.readAll().contains("BEGIN ENCRYPTED PRIVATE KEY"));
}

// A new profile typed into the dialog: the real broker, and on the registry tab the mTLS listener with the test CA,
// the client certificate and the encrypted key. Not saved.
ui::ProfilesDialog *TestRegistryKeyPassphraseWindow::newProfileInDialog(const QString &name, const QString &passphrase)
{
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field(dialog, "profileName"), name);
    QTest::keyClicks(field(dialog, "profileBootstrap"), m_broker.plaintext);
    dialog->findChild<QTabWidget *>(QStringLiteral("profileTabs"))->setCurrentIndex(1);
    QTest::keyClicks(field(dialog, "profileRegistryUrl"), m_registry.mtls);
    QTest::keyClicks(field(dialog, "profileRegistryCaFile"), m_registry.ca);
    QTest::keyClicks(field(dialog, "profileRegistryCertFile"), m_registry.clientCert);
    QTest::keyClicks(field(dialog, "profileRegistryKeyFile"), m_key);
    if (!passphrase.isEmpty())
        QTest::keyClicks(field(dialog, "profileRegistryKeyPassphrase"), passphrase);
    return dialog;
}

void TestRegistryKeyPassphraseWindow::testConnectionSaysWhatIsWrongWithThePassphrase_data()
{
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<QString>("expected");
    QTest::newRow("right") << Passphrase << QStringLiteral("Schema Registry OK at");
    QTest::newRow("wrong") << QStringLiteral("not-it-91c3")
                           << QStringLiteral("registry client key '%1': the passphrase is wrong");
    QTest::newRow("none") << QString() << QStringLiteral("registry client key '%1': the passphrase is missing");
}

void TestRegistryKeyPassphraseWindow::testConnectionSaysWhatIsWrongWithThePassphrase()
{
    QFETCH(QString, passphrase);
    QFETCH(QString, expected);
    if (expected.contains(QLatin1String("%1")))
        expected = expected.arg(m_key);
    newWindow();
    ui::ProfilesDialog *dialog = newProfileInDialog(QStringLiteral("mtls"), passphrase);
    QLineEdit *passphraseField = field(dialog, "profileRegistryKeyPassphrase");
    QVERIFY(passphraseField->isEnabled());
    QCOMPARE(passphraseField->echoMode(), QLineEdit::Password); // masked, like the cluster's
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->registryStatusText().contains(expected), 20000);
    const QString line = dialog->registryStatusText();
    QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(line));
    QVERIFY2(!line.contains(Passphrase), qPrintable(line));
    if (!passphrase.isEmpty())
        QVERIFY2(!line.contains(passphrase), qPrintable(line));
    // A test stores nothing.
    QVERIFY(m_secrets->contents().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected to")), 20000);
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    dialog->close();
}

void TestRegistryKeyPassphraseWindow::savedPassphraseGoesToTheKeychainAndIsUsed()
{
    newWindow();
    ui::ProfilesDialog *dialog = newProfileInDialog(QStringLiteral("mtls-saved"), Passphrase);
    QVERIFY(dialog->hasUnsavedEdits());
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    QTRY_VERIFY2(dialog->statusText().contains(QLatin1String("registry key passphrase is in the keychain")),
                 qPrintable(dialog->statusText()));
    QVERIFY(!dialog->hasUnsavedEdits());
    QVERIFY(field(dialog, "profileRegistryKeyPassphrase")->text().isEmpty()); // cleared: "unchanged"
    QCOMPARE(m_secrets->contents().value(QStringLiteral("mtls-saved/registry-key-passphrase")), Passphrase.toUtf8());
    QVERIFY(!m_secrets->contents().contains(QStringLiteral("mtls-saved/key-passphrase"))); // not the cluster's
    for (const QString &key : QSettings().allKeys())
        QVERIFY2(!QSettings().value(key).toString().contains(Passphrase), qPrintable(key));

    // The field left empty: Test Connection reads the stored passphrase, and the key opens.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileTest")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->registryStatusText().contains(QLatin1String("Schema Registry OK at")), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected to")), 20000);

    // Deleting the profile deletes its passphrase too.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileDelete")), Qt::LeftButton);
    QTRY_VERIFY(!m_secrets->contents().contains(QStringLiteral("mtls-saved/registry-key-passphrase")));
    dialog->close();
}

QTEST_MAIN(TestRegistryKeyPassphraseWindow)
#include "tst_registry_keypass_window.moc"

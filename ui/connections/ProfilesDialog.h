#pragma once

#include "core/kafka/CancelFlag.h"
#include "core/profiles/ConnectionProfile.h"
#include "core/profiles/Secrets.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTabWidget;

namespace kbatch::core {
class ProfileStore;
class RegistryClient;
class SecretStore;
} // namespace kbatch::core

namespace kbatch::ui {

// Edits connection profiles. Everything but secrets goes to the ProfileStore (settings); passwords and key
// passphrases go to the SecretStore (the OS keychain) and never to settings. When no keychain is available the
// user is told so plainly, and the secret is kept for this session only (sessionSecret()), never in a file.
// Leaving a profile with unsaved edits (choosing another one, New, closing) asks Save, Discard or Cancel first.
// The Schema Registry beside the cluster has a tab of its own (URL, user, password or bearer token in the keychain,
// TLS files), checked by the same core rules as `kbatch-cli profile set --registry...`; Test Connection checks the
// cluster and the registry separately and reports each on its own line.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    ProfilesDialog(core::ProfileStore *profiles, core::SecretStore *secrets, QWidget *parent = nullptr);
    ~ProfilesDialog() override;

    void selectProfile(const QString &name);
    QString statusText() const;
    QString registryStatusText() const; // the registry's line of Test Connection; empty when not tested
    // The form differs from the profile it shows (a secret typed counts too).
    bool hasUnsavedEdits() const;

    void reject() override; // Close, Esc and the window's close button: asks first when there are unsaved edits

signals:
    void profilesChanged();
    // A secret the keychain could not take, handed to the session (kept in memory until the app quits).
    void sessionSecret(const QString &profile, int kind, const QByteArray &secret);

private:
    void reload(const QString &select);
    void showProfile(const core::ConnectionProfile &profile);
    core::ConnectionProfile collect() const;
    void save();
    void removeCurrent();
    void testConnection();
    void setStatus(const QString &text, bool error);
    void setRegistryStatus(const QString &text, bool error);
    void testRegistry(const core::ConnectionProfile &profile, const core::ResolvedSecrets &secrets);
    QWidget *makeRegistryTab();
    void updateEnabled();
    // Asks what to do with unsaved edits; true when it is fine to leave them (saved or discarded).
    bool maybeLeave();
    QWidget *withBrowseButton(QLineEdit *field, const QString &caption);
    // The secret the "Password" field holds: the SASL password, or the token with OAUTHBEARER.
    core::SecretKind passwordKind() const;
    void runConnectionTest(const core::ConnectionProfile &profile, const core::ResolvedSecrets &secrets);

    core::ProfileStore *m_profiles;
    core::SecretStore *m_secrets;
    QString m_editing;                              // name of the profile in the form ("" for a new one)
    core::ConnectionProfile m_shown;                // the form as showProfile() filled it, to tell unsaved edits
    std::shared_ptr<core::CancelFlag> m_testCancel; // the connection test in flight's
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_bootstrap;
    QComboBox *m_security;
    QComboBox *m_mechanism;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLabel *m_passwordLabel = nullptr;
    QLabel *m_usernameLabel = nullptr;
    QLineEdit *m_caFile;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLineEdit *m_keyPassphrase;
    QSpinBox *m_connectTimeout;
    QCheckBox *m_skipVerify;
    QPlainTextEdit *m_properties;
    QTabWidget *m_tabs;
    QLineEdit *m_registryUrl;
    QLineEdit *m_registryUser;
    QLineEdit *m_registryPassword;      // keychain; empty: unchanged
    QLineEdit *m_registryToken;         // keychain; empty: unchanged
    QLineEdit *m_registryKeyPassphrase; // keychain; empty: unchanged
    QLineEdit *m_registryCa;
    QLineEdit *m_registryCert;
    QLineEdit *m_registryKey;
    QLabel *m_registryStatus;
    core::RegistryClient *m_registryTest = nullptr; // the registry test in flight's client
    QLabel *m_status;
    QScrollArea *m_statusArea;
    QPushButton *m_delete;
};

} // namespace kbatch::ui

#pragma once

#include "ConnectionProfile.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

class QSettings;

namespace kbatch::core {

// The organisation and application names (QCoreApplication) under which kbatch and kbatch-cli keep their settings
// ($XDG_CONFIG_HOME/KBatch/kbatch.conf) and data: the same for both, so a profile made in one is found by the other.
// Call right after creating the application object, before any QSettings. It also makes the settings file private
// (secureSettingsFile()).
void setApplicationIdentity();

// The settings file holds no secret, but it does name hosts, users and certificate files, and the index of secrets
// in the keychain: it is created 0600 in a 0700 folder, and tightened to that if it is found more open. Qt keeps an
// existing file's permissions when it rewrites it. Returns the file's path. Errors are logged, not fatal.
QString secureSettingsFile();

// Connection profiles kept in QSettings (the application's settings, or an INI file in tests). Holds no secrets:
// save() refuses secret-looking properties, and passwords go to a SecretStore instead.
//
// The built-in "Local sandbox" profile is always listed first; it cannot be removed or renamed, and only its
// connectTimeoutMs and properties are stored (its bootstrap servers are decided when the sandbox starts).
//
// Not thread-safe: use one instance from one thread (normally the UI thread; the CLI's main thread).
class ProfileStore
{
public:
    explicit ProfileStore(QSettings *settings);    // not owned; must outlive the store
    explicit ProfileStore(const QString &iniFile); // owns a QSettings on that INI file
    ~ProfileStore();
    ProfileStore(const ProfileStore &) = delete;
    ProfileStore &operator=(const ProfileStore &) = delete;

    // The sandbox first, then the others by name (case-insensitive). Entries that cannot be read (an unknown
    // protocol written by hand, say) are left out with a warning in the log.
    QList<ConnectionProfile> list() const;
    std::optional<ConnectionProfile> find(const QString &name) const;

    // Creates or updates. `previousName` empty: a new profile, whose name must not be taken (compared
    // case-insensitively); equal to profile.name: update in place (or create); different: rename. Renaming does not
    // move secrets: the caller reads them under the old name, writes them under the new one and deletes the old.
    // Errors: validateProfile()'s (Error::field names the member), "name" when taken or when renaming the sandbox,
    // a settings file that cannot be written.
    Status save(const ConnectionProfile &profile, const QString &previousName = QString());

    // Errors: unknown name, the sandbox. The caller also deletes the profile's secrets (SecretStore::deleteSecrets).
    Status remove(const QString &name);

private:
    std::optional<ConnectionProfile> read(const QString &group, const QString &name) const;
    QStringList storedNames() const;
    Status sync();

    std::unique_ptr<QSettings> m_owned;
    QSettings *m_settings;
};

} // namespace kbatch::core

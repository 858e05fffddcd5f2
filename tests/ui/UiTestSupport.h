#pragma once

// Shared set-up of the widgets tests: a reset configuration in a temporary folder for every test.

#include "core/profiles/ProfileStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace kbatch::test {

// Call from initTestCase(): settings and standard paths go to a temporary folder, never the user's.
inline void isolateSettings(const QTemporaryDir &dir)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("KBatchTest"));
    QCoreApplication::setApplicationName(QStringLiteral("kbatch-ui-test"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
}

// Call from init(): each test starts from an empty configuration, and no autosaved batch of an earlier (crashed)
// run is offered for restore.
inline void resetSettings()
{
    QSettings settings;
    settings.clear();
    settings.sync();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave"))
        .removeRecursively();
}

// Saves a plain profile besides the built-in sandbox (to see that something is for the sandbox only). Call before
// the window is made.
inline bool addOtherProfile(const QString &name = QStringLiteral("staging"),
                            const QString &bootstrap = QStringLiteral("broker.invalid:9094"))
{
    QSettings settings;
    core::ProfileStore store(&settings);
    core::ConnectionProfile other;
    other.name = name;
    other.bootstrapServers = bootstrap;
    return store.save(other).ok();
}

} // namespace kbatch::test

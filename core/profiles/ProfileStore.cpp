#include "ProfileStore.h"

#include "ProfilesLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace kbatch::core {

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("KBatch"));
    QCoreApplication::setApplicationName(QStringLiteral("kbatch"));
    secureSettingsFile();
}

QString secureSettingsFile()
{
    QString path = QSettings().fileName();
    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    const QByteArray file = QFile::encodeName(path);
    // The folder is ours (".../KBatch"); its parent (~/.config) is the user's and is left alone.
    if (!QDir().mkpath(info.absolutePath()))
        qCWarning(lcProfiles) << "cannot create" << info.absolutePath();
    struct stat st = {};
    if (::stat(dir.constData(), &st) == 0 && (st.st_mode & 077) != 0 && ::chmod(dir.constData(), 0700) != 0)
        qCWarning(lcProfiles) << "cannot make" << info.absolutePath() << "private:" << qt_error_string(errno);
    const int fd = ::open(file.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        qCWarning(lcProfiles) << "cannot open" << path << ":" << qt_error_string(errno);
        return path;
    }
    if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0 && ::fchmod(fd, 0600) != 0)
        qCWarning(lcProfiles) << "cannot make" << path << "private:" << qt_error_string(errno);
    ::close(fd);
    return path;
}

namespace {

const QString ProfilesGroup = QStringLiteral("profiles");
const QString SandboxGroup = QStringLiteral("sandbox");

Error nameError(const QString &text)
{
    Error e(text);
    e.field = QStringLiteral("name");
    return e;
}

void writeProperties(QSettings &s, const Properties &properties)
{
    s.remove(QStringLiteral("properties"));
    s.beginWriteArray(QStringLiteral("properties"), int(properties.size()));
    for (int i = 0; i < properties.size(); ++i) {
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), properties[i].first);
        s.setValue(QStringLiteral("value"), properties[i].second);
    }
    s.endArray();
}

Properties readProperties(QSettings &s)
{
    Properties out;
    const int n = s.beginReadArray(QStringLiteral("properties"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        out.append({s.value(QStringLiteral("name")).toString(), s.value(QStringLiteral("value")).toString()});
    }
    s.endArray();
    return out;
}

} // namespace

ProfileStore::ProfileStore(QSettings *settings) : m_settings(settings) {}

ProfileStore::ProfileStore(const QString &iniFile)
    : m_owned(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)), m_settings(m_owned.get())
{}

ProfileStore::~ProfileStore() = default;

QStringList ProfileStore::storedNames() const
{
    m_settings->beginGroup(ProfilesGroup);
    QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    return names;
}

std::optional<ConnectionProfile> ProfileStore::read(const QString &group, const QString &name) const
{
    QSettings &s = *m_settings;
    ConnectionProfile p = group == SandboxGroup ? sandboxProfile() : ConnectionProfile();
    s.beginGroup(group);
    if (!p.isSandbox) {
        p.name = name;
        p.bootstrapServers = s.value(QStringLiteral("bootstrapServers")).toString();
        const auto protocol = securityProtocolFromString(
            s.value(QStringLiteral("securityProtocol"), toString(SecurityProtocol::Plaintext)).toString());
        const auto mechanism = saslMechanismFromString(
            s.value(QStringLiteral("saslMechanism"), toString(SaslMechanism::Plain)).toString());
        if (!protocol || !mechanism) {
            qCWarning(lcProfiles) << "profile" << name << "has an unknown security protocol or SASL mechanism; skipped";
            s.endGroup();
            return std::nullopt;
        }
        p.securityProtocol = *protocol;
        p.saslMechanism = *mechanism;
        p.username = s.value(QStringLiteral("username")).toString();
        p.caFile = s.value(QStringLiteral("caFile")).toString();
        p.certFile = s.value(QStringLiteral("certFile")).toString();
        p.keyFile = s.value(QStringLiteral("keyFile")).toString();
        p.skipCertificateVerification = s.value(QStringLiteral("skipCertificateVerification"), false).toBool();
        p.registry.url = s.value(QStringLiteral("registryUrl")).toString();
        p.registry.username = s.value(QStringLiteral("registryUsername")).toString();
        p.registry.caFile = s.value(QStringLiteral("registryCaFile")).toString();
        p.registry.certFile = s.value(QStringLiteral("registryCertFile")).toString();
        p.registry.keyFile = s.value(QStringLiteral("registryKeyFile")).toString();
    }
    p.connectTimeoutMs = s.value(QStringLiteral("connectTimeoutMs"), p.connectTimeoutMs).toInt();
    p.properties = readProperties(s);
    s.endGroup();
    return p;
}

QList<ConnectionProfile> ProfileStore::list() const
{
    QList<ConnectionProfile> out;
    out.append(*read(SandboxGroup, sandboxProfileName()));
    QStringList names = storedNames();
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const int c = a.compare(b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    for (const QString &name : names) {
        if (auto p = read(ProfilesGroup + QLatin1Char('/') + name, name))
            out.append(*p);
    }
    return out;
}

std::optional<ConnectionProfile> ProfileStore::find(const QString &name) const
{
    if (name == sandboxProfileName())
        return read(SandboxGroup, name);
    if (name.isEmpty() || !storedNames().contains(name))
        return std::nullopt;
    return read(ProfilesGroup + QLatin1Char('/') + name, name);
}

Status ProfileStore::save(const ConnectionProfile &profile, const QString &previousName)
{
    if (!previousName.isEmpty() && previousName != profile.name &&
        (previousName == sandboxProfileName() || profile.isSandbox))
        return nameError(QStringLiteral("the built-in sandbox profile cannot be renamed"));
    Status valid = validateProfile(profile);
    if (!valid.ok())
        return valid;

    QSettings &s = *m_settings;
    if (profile.isSandbox) {
        s.beginGroup(SandboxGroup);
        s.setValue(QStringLiteral("connectTimeoutMs"), profile.connectTimeoutMs);
        writeProperties(s, profile.properties);
        s.endGroup();
        return sync();
    }

    const QStringList names = storedNames();
    if (!previousName.isEmpty() && previousName != profile.name && !names.contains(previousName))
        return nameError(QStringLiteral("no profile named '%1' to rename").arg(previousName));
    for (const QString &existing : names) {
        if (existing == previousName)
            continue;
        if (existing.compare(profile.name, Qt::CaseInsensitive) == 0)
            return nameError(QStringLiteral("a profile named '%1' already exists").arg(existing));
    }

    // Drop the old entry first: with a case-insensitive settings backend (Windows), renaming "prod" to "Prod" would
    // otherwise remove what was just written.
    if (!previousName.isEmpty() && previousName != profile.name)
        s.remove(ProfilesGroup + QLatin1Char('/') + previousName);
    const QString group = ProfilesGroup + QLatin1Char('/') + profile.name;
    s.remove(group); // no stale keys from an earlier version of the profile
    s.beginGroup(group);
    s.setValue(QStringLiteral("bootstrapServers"), profile.bootstrapServers.trimmed());
    s.setValue(QStringLiteral("securityProtocol"), toString(profile.securityProtocol));
    s.setValue(QStringLiteral("saslMechanism"), toString(profile.saslMechanism));
    s.setValue(QStringLiteral("username"), profile.username);
    s.setValue(QStringLiteral("caFile"), profile.caFile);
    s.setValue(QStringLiteral("certFile"), profile.certFile);
    s.setValue(QStringLiteral("keyFile"), profile.keyFile);
    s.setValue(QStringLiteral("skipCertificateVerification"), profile.skipCertificateVerification);
    s.setValue(QStringLiteral("connectTimeoutMs"), profile.connectTimeoutMs);
    // Only when set: profiles without a registry keep the same settings file as before.
    const std::pair<const char *, const QString *> registry[] = {{"registryUrl", &profile.registry.url},
                                                                 {"registryUsername", &profile.registry.username},
                                                                 {"registryCaFile", &profile.registry.caFile},
                                                                 {"registryCertFile", &profile.registry.certFile},
                                                                 {"registryKeyFile", &profile.registry.keyFile}};
    for (const auto &[key, value] : registry) {
        if (!value->isEmpty())
            s.setValue(QLatin1String(key), *value);
    }
    writeProperties(s, profile.properties);
    s.endGroup();
    return sync();
}

Status ProfileStore::remove(const QString &name)
{
    if (name == sandboxProfileName())
        return nameError(QStringLiteral("the built-in sandbox profile cannot be removed"));
    if (name.isEmpty() || !storedNames().contains(name))
        return nameError(QStringLiteral("no profile named '%1'").arg(name));
    m_settings->remove(ProfilesGroup + QLatin1Char('/') + name);
    return sync();
}

Status ProfileStore::sync()
{
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return Error(QStringLiteral("cannot write the settings file %1").arg(m_settings->fileName()));
    return Ok{};
}

} // namespace kbatch::core

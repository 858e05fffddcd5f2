#include "RegistryProfile.h"

#include "core/model/Printable.h"

#include <QUrl>

namespace kbatch::core {

namespace {

Status registryError(const char *field, const QString &text)
{
    Error e(text);
    e.field = QLatin1String(field);
    return e;
}

} // namespace

Status validateRegistryProfile(const RegistryProfile &r)
{
    if (!r.isSet()) {
        if (!r.username.isEmpty() || !r.caFile.isEmpty() || !r.certFile.isEmpty() || !r.keyFile.isEmpty())
            return registryError("registryUrl", QStringLiteral("registry settings without a registry URL"));
        return Ok{};
    }
    const QUrl url(r.url, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || url.host().isEmpty())
        return registryError("registryUrl",
                             QStringLiteral("%1 is not an http:// or https:// URL with a host").arg(quotedName(r.url)));
    if (!url.userInfo().isEmpty())
        return registryError("registryUrl", QStringLiteral("the registry URL holds a user or password: give the user "
                                                           "as the registry user and the password to the keychain"));
    if (url.hasQuery() || url.hasFragment())
        return registryError("registryUrl", QStringLiteral("the registry URL is the API's base: no ?query or #part"));
    if (r.certFile.isEmpty() != r.keyFile.isEmpty())
        return registryError(r.certFile.isEmpty() ? "registryCertFile" : "registryKeyFile",
                             QStringLiteral("a registry client certificate needs both a certificate file and a key "
                                            "file"));
    return Ok{};
}

RegistrySettings registrySettings(const RegistryProfile &registry, const ResolvedSecrets &secrets)
{
    RegistrySettings s;
    s.url = QUrl(registry.url);
    s.username = registry.username;
    s.caFile = registry.caFile;
    s.clientCertificateFile = registry.certFile;
    s.clientKeyFile = registry.keyFile;
    if (!registry.username.isEmpty())
        s.password = secrets.registryPassword.value_or(QByteArray());
    else
        s.bearerToken = secrets.registryToken.value_or(QByteArray());
    if (!registry.keyFile.isEmpty())
        s.clientKeyPassphrase = secrets.registryKeyPassphrase.value_or(QByteArray());
    return s;
}

Status checkRegistrySecret(const RegistryProfile &registry, SecretKind kind)
{
    if (kind != SecretKind::RegistryPassword && kind != SecretKind::RegistryToken &&
        kind != SecretKind::RegistryKeyPassphrase)
        return Ok{};
    if (!registry.isSet())
        return registryError("registryUrl",
                             QStringLiteral("a registry %1 without a registry URL: give the URL too")
                                 .arg(kind == SecretKind::RegistryPassword ? QStringLiteral("password")
                                      : kind == SecretKind::RegistryToken  ? QStringLiteral("token")
                                                                           : QStringLiteral("key passphrase")));
    if (kind == SecretKind::RegistryKeyPassphrase && registry.keyFile.isEmpty())
        return registryError("registryKeyFile", QStringLiteral("a registry key passphrase goes with a registry client "
                                                               "key: give the key file too"));
    if (kind == SecretKind::RegistryPassword && registry.username.isEmpty())
        return registryError("registryUsername", QStringLiteral("a registry password needs a registry user (without a "
                                                                "user, give a bearer token instead)"));
    if (kind == SecretKind::RegistryToken && !registry.username.isEmpty())
        return registryError("registryUsername", QStringLiteral("a registry bearer token is used only without a "
                                                                "registry user (with a user, give its password)"));
    return Ok{};
}

} // namespace kbatch::core

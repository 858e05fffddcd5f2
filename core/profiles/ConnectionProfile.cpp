#include "ConnectionProfile.h"

#include <QHostAddress>

namespace kbatch::core {

namespace {

Error fieldError(const QString &field, const QString &text)
{
    Error e(text);
    e.field = field;
    return e;
}

bool isHostNameChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') || c == QLatin1Char('.') ||
           c == QLatin1Char('_');
}

bool validHostPort(QStringView entry)
{
    const qsizetype colon = entry.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    const QStringView host = entry.first(colon);
    bool ok = false;
    const int port = entry.sliced(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535 || entry.sliced(colon + 1).startsWith(QLatin1Char('+')))
        return false;
    if (host.startsWith(QLatin1Char('['))) {
        if (!host.endsWith(QLatin1Char(']')))
            return false;
        QHostAddress address;
        return address.setAddress(host.sliced(1, host.size() - 2).toString()) &&
               address.protocol() == QAbstractSocket::IPv6Protocol;
    }
    if (host.startsWith(QLatin1Char('-')) || host.startsWith(QLatin1Char('.')))
        return false;
    for (const QChar c : host) {
        if (!isHostNameChar(c))
            return false;
    }
    return true;
}

} // namespace

QString toString(SecurityProtocol protocol)
{
    switch (protocol) {
    case SecurityProtocol::Plaintext:
        return QStringLiteral("plaintext");
    case SecurityProtocol::Ssl:
        return QStringLiteral("ssl");
    case SecurityProtocol::SaslPlaintext:
        return QStringLiteral("sasl_plaintext");
    case SecurityProtocol::SaslSsl:
        return QStringLiteral("sasl_ssl");
    }
    return QString();
}

std::optional<SecurityProtocol> securityProtocolFromString(const QString &text)
{
    for (auto p : {SecurityProtocol::Plaintext, SecurityProtocol::Ssl, SecurityProtocol::SaslPlaintext,
                   SecurityProtocol::SaslSsl}) {
        if (text.compare(toString(p), Qt::CaseInsensitive) == 0)
            return p;
    }
    return std::nullopt;
}

QString toString(SaslMechanism mechanism)
{
    switch (mechanism) {
    case SaslMechanism::Plain:
        return QStringLiteral("PLAIN");
    case SaslMechanism::ScramSha256:
        return QStringLiteral("SCRAM-SHA-256");
    case SaslMechanism::ScramSha512:
        return QStringLiteral("SCRAM-SHA-512");
    case SaslMechanism::OAuthBearer:
        return QStringLiteral("OAUTHBEARER");
    }
    return QString();
}

std::optional<SaslMechanism> saslMechanismFromString(const QString &text)
{
    for (auto m :
         {SaslMechanism::Plain, SaslMechanism::ScramSha256, SaslMechanism::ScramSha512, SaslMechanism::OAuthBearer}) {
        if (text.compare(toString(m), Qt::CaseInsensitive) == 0)
            return m;
    }
    return std::nullopt;
}

bool usesSasl(SecurityProtocol protocol)
{
    return protocol == SecurityProtocol::SaslPlaintext || protocol == SecurityProtocol::SaslSsl;
}

bool usesTls(SecurityProtocol protocol)
{
    return protocol == SecurityProtocol::Ssl || protocol == SecurityProtocol::SaslSsl;
}

QString sandboxProfileName()
{
    return QStringLiteral("Local sandbox");
}

ConnectionProfile sandboxProfile()
{
    ConnectionProfile p;
    p.name = sandboxProfileName();
    p.isSandbox = true;
    return p;
}

Status validateBootstrapServers(const QString &servers)
{
    const QString example = QStringLiteral("expected host:port[,host:port], e.g. broker1:9092,broker2:9092");
    if (servers.trimmed().isEmpty())
        return fieldError(QStringLiteral("bootstrapServers"), QStringLiteral("required: ") + example);
    const QStringList entries = servers.split(QLatin1Char(','));
    for (const QString &entry : entries) {
        const QString e = entry.trimmed();
        if (e.isEmpty())
            return fieldError(QStringLiteral("bootstrapServers"),
                              QStringLiteral("empty entry in '%1': ").arg(servers) + example);
        if (!validHostPort(e))
            return fieldError(QStringLiteral("bootstrapServers"),
                              QStringLiteral("'%1' is not host:port (port 1-65535); ").arg(e) + example);
    }
    return Ok{};
}

Status validateProfile(const ConnectionProfile &p)
{
    const QString name = QStringLiteral("name");
    if (p.name.trimmed().isEmpty())
        return fieldError(name, QStringLiteral("a profile needs a name"));
    if (p.name != p.name.trimmed())
        return fieldError(name, QStringLiteral("'%1' starts or ends with spaces").arg(p.name));
    if (p.name.size() > 100)
        return fieldError(name, QStringLiteral("at most 100 characters"));
    for (const QChar c : p.name) {
        // '/' and '\' would nest groups in the settings file and break the keychain key "<profile>/<kind>".
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.category() == QChar::Other_Control)
            return fieldError(name, QStringLiteral("'%1' contains '/', '\\' or a control character").arg(p.name));
    }
    if (p.isSandbox) {
        if (p.name != sandboxProfileName())
            return fieldError(name, QStringLiteral("the built-in sandbox profile cannot be renamed"));
        if (p.securityProtocol != SecurityProtocol::Plaintext)
            return fieldError(QStringLiteral("securityProtocol"),
                              QStringLiteral("the local sandbox speaks plaintext only"));
    } else {
        if (p.name.compare(sandboxProfileName(), Qt::CaseInsensitive) == 0)
            return fieldError(name, QStringLiteral("'%1' is reserved for the built-in sandbox profile").arg(p.name));
        Status servers = validateBootstrapServers(p.bootstrapServers);
        if (!servers.ok())
            return servers;
    }
    // The enums can hold other values through a cast (from a number in a settings file, say).
    if (toString(p.securityProtocol).isEmpty())
        return fieldError(QStringLiteral("securityProtocol"),
                          QStringLiteral("unknown; expected plaintext, ssl, sasl_plaintext or sasl_ssl"));
    if (toString(p.saslMechanism).isEmpty())
        return fieldError(QStringLiteral("saslMechanism"),
                          QStringLiteral("unknown; expected PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER"));
    if (usesSasl(p.securityProtocol) && p.saslMechanism != SaslMechanism::OAuthBearer && p.username.isEmpty())
        return fieldError(QStringLiteral("username"),
                          QStringLiteral("required for SASL %1").arg(toString(p.saslMechanism)));
    if (p.certFile.isEmpty() != p.keyFile.isEmpty())
        return fieldError(p.certFile.isEmpty() ? QStringLiteral("certFile") : QStringLiteral("keyFile"),
                          QStringLiteral("a client certificate needs both a certificate file and a key file"));
    if (p.connectTimeoutMs < 1000 || p.connectTimeoutMs > 3600000)
        return fieldError(QStringLiteral("connectTimeoutMs"),
                          QStringLiteral("%1 is out of range: 1000 to 3600000 ms").arg(p.connectTimeoutMs));
    if (auto registry = validateRegistryProfile(p.registry); !registry)
        return registry;
    for (const Property &prop : p.properties) {
        if (prop.first.trimmed().isEmpty())
            return fieldError(QStringLiteral("properties"), QStringLiteral("a property without a name"));
        if (isSecretProperty(prop.first))
            return fieldError(QStringLiteral("properties"),
                              QStringLiteral("'%1' holds a secret; profiles never store secrets: enter it as the "
                                             "profile's password, key passphrase or token, which go to the system "
                                             "keychain")
                                  .arg(prop.first));
    }
    return Ok{};
}

} // namespace kbatch::core

#include "Commands.h"

#include "CliSupport.h"
#include "core/profiles/KeychainSecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/RegistryProfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

namespace kbatch::cli {

namespace {

// The same settings file as the desktop app (QSettings with organisation and application "kbatch").
QSettings &appSettings()
{
    static QSettings settings;
    return settings;
}

QJsonObject toJson(const core::ConnectionProfile &p)
{
    QJsonObject props;
    for (const auto &[name, value] : p.properties)
        props.insert(name, value);
    return {{QStringLiteral("name"), p.name},
            {QStringLiteral("bootstrap"), p.bootstrapServers},
            {QStringLiteral("securityProtocol"), core::toString(p.securityProtocol)},
            {QStringLiteral("saslMechanism"), core::toString(p.saslMechanism)},
            {QStringLiteral("username"), p.username},
            {QStringLiteral("caFile"), p.caFile},
            {QStringLiteral("certFile"), p.certFile},
            {QStringLiteral("keyFile"), p.keyFile},
            {QStringLiteral("skipCertificateVerification"), p.skipCertificateVerification},
            {QStringLiteral("connectTimeoutMs"), p.connectTimeoutMs},
            {QStringLiteral("properties"), props},
            {QStringLiteral("registry"), p.registry.isSet()
                                             ? QJsonValue(QJsonObject{{QStringLiteral("url"), p.registry.url},
                                                                      {QStringLiteral("username"), p.registry.username},
                                                                      {QStringLiteral("caFile"), p.registry.caFile},
                                                                      {QStringLiteral("certFile"), p.registry.certFile},
                                                                      {QStringLiteral("keyFile"), p.registry.keyFile}})
                                             : QJsonValue()},
            {QStringLiteral("sandbox"), p.isSandbox}};
}

int listProfiles(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List connection profiles (no secrets are shown)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow, QStringLiteral("profile list")))
        return code;
    core::ProfileStore store(&appSettings());
    QJsonArray all;
    for (const core::ConnectionProfile &p : store.list()) {
        if (parser.isSet(json)) {
            all.append(toJson(p));
            continue;
        }
        out() << p.name.leftJustified(24) << ' '
              << (p.isSandbox ? QStringLiteral("(built in, runs inside kbatch)") : p.bootstrapServers) << "  "
              << core::toString(p.securityProtocol);
        if (core::usesSasl(p.securityProtocol))
            out() << ' ' << core::toString(p.saslMechanism) << " user " << p.username;
        if (p.registry.isSet())
            out() << "  registry " << p.registry.url;
        out() << Qt::endl;
    }
    if (parser.isSet(json))
        out() << QJsonDocument(all).toJson(QJsonDocument::Compact) << Qt::endl;
    return ExitOk;
}

int setProfile(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Create or change a connection profile. Options not given keep their current value.\n"
        "Secrets are read from standard input (first line) and stored in the system keychain, never in a file:\n"
        "  printf '%s\\n' \"$PASSWORD\" | kbatch-cli profile set staging --password-stdin"));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The profile's name."));
    const QCommandLineOption bootstrap(QStringLiteral("bootstrap"), QStringLiteral("host:port[,host:port...]"),
                                       QStringLiteral("LIST"));
    const QCommandLineOption protocol(QStringLiteral("security-protocol"),
                                      QStringLiteral("plaintext, ssl, sasl_plaintext or sasl_ssl."),
                                      QStringLiteral("P"));
    const QCommandLineOption mechanism(QStringLiteral("sasl-mechanism"),
                                       QStringLiteral("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER."),
                                       QStringLiteral("M"));
    const QCommandLineOption username(QStringLiteral("username"), QStringLiteral("SASL user name."),
                                      QStringLiteral("U"));
    const QCommandLineOption passwordStdin(QStringLiteral("password-stdin"),
                                           QStringLiteral("Read the SASL password (or OAuth token with OAUTHBEARER) "
                                                          "from standard input into the keychain."));
    const QCommandLineOption passphraseStdin(QStringLiteral("key-passphrase-stdin"),
                                             QStringLiteral("Read the TLS key passphrase from standard input into the "
                                                            "keychain."));
    const QCommandLineOption caFile(QStringLiteral("ca-file"), QStringLiteral("CA certificate (PEM)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption certFile(QStringLiteral("cert-file"), QStringLiteral("Client certificate (PEM)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption keyFile(QStringLiteral("key-file"), QStringLiteral("Client private key (PEM)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption skipVerify(QStringLiteral("skip-certificate-verification"),
                                        QStringLiteral("Do NOT verify the broker's certificate (insecure; shown in "
                                                       "the profile)."));
    const QCommandLineOption verifyCerts(QStringLiteral("verify-certificates"),
                                         QStringLiteral("Verify the broker's certificate (the default)."));
    const QCommandLineOption timeout(QStringLiteral("connect-timeout"), QStringLiteral("Connect timeout in ms."),
                                     QStringLiteral("MS"));
    const QCommandLineOption prop(QStringLiteral("X"),
                                  QStringLiteral("A librdkafka property (repeatable; replaces "
                                                 "the profile's extra properties)."),
                                  QStringLiteral("prop=value"));
    // The Schema Registry beside the cluster (issue 15): its own URL, user, TLS files and secrets.
    const QCommandLineOption registry(QStringLiteral("registry"),
                                      QStringLiteral("Schema Registry URL, the API's base (empty: no registry)."),
                                      QStringLiteral("URL"));
    const QCommandLineOption registryUser(QStringLiteral("registry-user"),
                                          QStringLiteral("Schema Registry user (HTTP basic authentication)."),
                                          QStringLiteral("U"));
    const QCommandLineOption registryPasswordStdin(
        QStringLiteral("registry-password-stdin"),
        QStringLiteral("Read the Schema Registry password from standard input into the keychain."));
    const QCommandLineOption registryTokenStdin(
        QStringLiteral("registry-token-stdin"),
        QStringLiteral("Read a Schema Registry bearer token (used without --registry-user) from standard input into "
                       "the keychain."));
    const QCommandLineOption registryCa(QStringLiteral("registry-ca-file"),
                                        QStringLiteral("CA certificate (PEM) for the registry."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption registryCert(QStringLiteral("registry-cert-file"),
                                          QStringLiteral("Client certificate (PEM) for the registry."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption registryKey(QStringLiteral("registry-key-file"),
                                         QStringLiteral("Client private key (PEM) for the registry; if it is "
                                                        "encrypted, give its passphrase with "
                                                        "--registry-key-passphrase-stdin."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption registryPassphraseStdin(
        QStringLiteral("registry-key-passphrase-stdin"),
        QStringLiteral("Read the registry client key's passphrase from standard input into the keychain."));
    parser.addOptions({bootstrap,
                       protocol,
                       mechanism,
                       username,
                       passwordStdin,
                       passphraseStdin,
                       caFile,
                       certFile,
                       keyFile,
                       skipVerify,
                       verifyCerts,
                       timeout,
                       prop,
                       registry,
                       registryUser,
                       registryPasswordStdin,
                       registryTokenStdin,
                       registryCa,
                       registryCert,
                       registryKey,
                       registryPassphraseStdin});
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow, QStringLiteral("profile set")))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("profile set takes one NAME (see 'kbatch-cli profile set --help')"));
    const int secretsGiven = int(parser.isSet(passwordStdin)) + int(parser.isSet(passphraseStdin)) +
                             int(parser.isSet(registryPasswordStdin)) + int(parser.isSet(registryTokenStdin)) +
                             int(parser.isSet(registryPassphraseStdin));
    if (secretsGiven > 1)
        return fail(QStringLiteral("standard input holds one secret: give one of --password-stdin, "
                                   "--key-passphrase-stdin, --registry-password-stdin, --registry-token-stdin, "
                                   "--registry-key-passphrase-stdin per call"));
    if (parser.isSet(skipVerify) && parser.isSet(verifyCerts))
        return fail(QStringLiteral("--skip-certificate-verification and --verify-certificates exclude each other"));

    const QString name = parser.positionalArguments().constFirst();
    core::ProfileStore store(&appSettings());
    const std::optional<core::ConnectionProfile> existing = store.find(name);
    core::ConnectionProfile p = existing.value_or(core::ConnectionProfile());
    if (p.isSandbox)
        return fail(QStringLiteral("'%1' is built in and cannot be changed").arg(name));
    p.name = name;
    if (parser.isSet(bootstrap))
        p.bootstrapServers = parser.value(bootstrap);
    if (parser.isSet(protocol)) {
        const auto v = core::securityProtocolFromString(parser.value(protocol));
        if (!v)
            return fail(QStringLiteral("--security-protocol: '%1' is not plaintext, ssl, sasl_plaintext or sasl_ssl")
                            .arg(parser.value(protocol)));
        p.securityProtocol = *v;
    }
    if (parser.isSet(mechanism)) {
        const auto v = core::saslMechanismFromString(parser.value(mechanism));
        if (!v)
            return fail(QStringLiteral("--sasl-mechanism: '%1' is not PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or "
                                       "OAUTHBEARER")
                            .arg(parser.value(mechanism)));
        p.saslMechanism = *v;
    }
    if (parser.isSet(username))
        p.username = parser.value(username);
    if (parser.isSet(caFile))
        p.caFile = parser.value(caFile);
    if (parser.isSet(certFile))
        p.certFile = parser.value(certFile);
    if (parser.isSet(keyFile))
        p.keyFile = parser.value(keyFile);
    if (parser.isSet(skipVerify))
        p.skipCertificateVerification = true;
    if (parser.isSet(verifyCerts))
        p.skipCertificateVerification = false;
    if (parser.isSet(timeout)) {
        bool ok = false;
        p.connectTimeoutMs = parser.value(timeout).toInt(&ok);
        if (!ok)
            return fail(QStringLiteral("--connect-timeout: '%1' is not a number").arg(parser.value(timeout)));
    }
    if (parser.isSet(registry))
        p.registry.url = parser.value(registry).trimmed();
    if (parser.isSet(registryUser))
        p.registry.username = parser.value(registryUser);
    if (parser.isSet(registryCa))
        p.registry.caFile = parser.value(registryCa);
    if (parser.isSet(registryCert))
        p.registry.certFile = parser.value(registryCert);
    if (parser.isSet(registryKey))
        p.registry.keyFile = parser.value(registryKey);
    if (parser.isSet(registry) && p.registry.url.isEmpty())
        p.registry = core::RegistryProfile(); // --registry '' removes the registry and its settings
    if (parser.isSet(prop)) {
        p.properties.clear();
        for (const QString &x : parser.values(prop)) {
            const qsizetype eq = x.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return fail(QStringLiteral("-X takes property=value, got '%1'").arg(x));
            p.properties.append({x.left(eq).trimmed(), x.mid(eq + 1)});
        }
    }

    // The secret first: if the keychain refuses it, the profile is not half-saved.
    if (secretsGiven == 1) {
        const core::SecretKind kind = parser.isSet(passphraseStdin)           ? core::SecretKind::KeyPassphrase
                                      : parser.isSet(registryPasswordStdin)   ? core::SecretKind::RegistryPassword
                                      : parser.isSet(registryTokenStdin)      ? core::SecretKind::RegistryToken
                                      : parser.isSet(registryPassphraseStdin) ? core::SecretKind::RegistryKeyPassphrase
                                      : p.saslMechanism == core::SaslMechanism::OAuthBearer
                                          ? core::SecretKind::OAuthToken
                                          : core::SecretKind::SaslPassword;
        // The rule is core's (the profile dialog keeps it too); said here in the options' names.
        if (const core::Status usable = core::checkRegistrySecret(p.registry, kind); !usable.ok()) {
            if (usable.error().field == QLatin1String("registryUrl"))
                return fail(QStringLiteral("profile '%1' has no registry: give --registry URL too").arg(name));
            if (kind == core::SecretKind::RegistryKeyPassphrase)
                return fail(QStringLiteral("profile '%1' has no registry client key: give --registry-key-file (and "
                                           "--registry-cert-file) too")
                                .arg(name));
            if (kind == core::SecretKind::RegistryPassword)
                return fail(QStringLiteral("--registry-password-stdin needs --registry-user (without a user, give a "
                                           "bearer token with --registry-token-stdin)"));
            return fail(QStringLiteral("--registry-token-stdin is used only without --registry-user (with a user, "
                                       "give its password with --registry-password-stdin)"));
        }
        auto secret = readSecret(core::describe(kind));
        if (!secret)
            return fail(secret.error());
        if (auto valid = core::validateProfile(p); !valid)
            return fail(valid.error());
        core::KeychainSecretStore secrets(&appSettings());
        const core::SecretResult r =
            core::waitForSecretJob(secrets, secrets.writeSecret(name, kind, *secret), sayKeychainIsWaiting);
        secret->fill('\0');
        if (!r.ok())
            return fail(QStringLiteral("profile '%1': the %2 was not stored: %3 (nothing was written to disk)")
                            .arg(name, core::describe(kind), r.message));
    }
    // An existing profile is changed in place (saving it as new would find its own name taken).
    if (auto saved = store.save(p, existing ? name : QString()); !saved)
        return fail(saved.error());
    err() << "kbatch-cli: profile '" << name << "' saved" << Qt::endl;
    return ExitOk;
}

int removeProfile(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Remove a profile and its secrets from the keychain."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The profile's name."));
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow, QStringLiteral("profile remove")))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("profile remove takes one NAME"));
    const QString name = parser.positionalArguments().constFirst();
    core::ProfileStore store(&appSettings());
    const auto existing = store.find(name);
    if (!existing)
        return fail(QStringLiteral("no profile named '%1' (see 'kbatch-cli profile list')").arg(name));
    if (existing->isSandbox)
        return fail(QStringLiteral("'%1' is built in and cannot be removed").arg(name));
    core::KeychainSecretStore secrets(&appSettings());
    const core::SecretResult r = core::waitForSecretJob(secrets, secrets.deleteSecrets(name), sayKeychainIsWaiting);
    if (!r.ok())
        return fail(QStringLiteral("profile '%1' kept: its secrets could not be removed from the keychain: %2")
                        .arg(name, r.message));
    if (auto removed = store.remove(name); !removed)
        return fail(removed.error());
    err() << "kbatch-cli: profile '" << name << "' and its secrets removed" << Qt::endl;
    return ExitOk;
}

} // namespace

int runProfile(const QStringList &arguments)
{
    const QString action = arguments.value(1);
    const QStringList rest = arguments.mid(1); // the action acts as the subcommand name for its parser
    if (action == QLatin1String("list"))
        return listProfiles(rest);
    if (action == QLatin1String("set"))
        return setProfile(rest);
    if (action == QLatin1String("remove"))
        return removeProfile(rest);
    if (action == QLatin1String("--help") || action == QLatin1String("-h")) {
        out() << "Usage: kbatch-cli profile list|set|remove [options]\n\n"
                 "Manage connection profiles, shared with the kbatch app. Secrets (SASL passwords, OAuth tokens, TLS "
                 "key passphrases, the registry's password, token and key passphrase) go to the system keychain "
                 "through the Secret Service, never to a file.\n"
                 "  kbatch-cli profile list [--json]\n"
                 "  kbatch-cli profile set NAME [--bootstrap LIST] [--security-protocol P] [--sasl-mechanism M]\n"
                 "                          [--username U] [--password-stdin] [--registry URL]\n"
                 "                          [--registry-user U] [--registry-password-stdin] ... (see profile set "
                 "--help)\n"
                 "  kbatch-cli profile remove NAME\n";
        out().flush();
        return ExitOk;
    }
    return fail(
        QStringLiteral("profile takes list, set or remove, not '%1' (see 'kbatch-cli profile --help')").arg(action));
}

} // namespace kbatch::cli

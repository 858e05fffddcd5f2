#include "SchemaSend.h"

#include "CliSupport.h"
#include "core/model/Printable.h"
#include "core/profiles/KeychainSecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/RegistryProfile.h"
#include "core/schema/RegistryWait.h"

#include <QSettings>

namespace kbatch::cli {

namespace {

core::Status applyPart(const QCommandLineParser &parser, const QCommandLineOption &kind,
                       const QCommandLineOption &subject, const QCommandLineOption &version,
                       core::SerializerSettings &settings)
{
    const QString optionPrefix = QStringLiteral("--") + kind.names().constFirst();
    if (parser.isSet(kind)) {
        const QString text = parser.value(kind);
        const auto k = core::payloadKindFromString(text);
        if (!k || (*k != core::PayloadKind::Bytes && *k != core::PayloadKind::Avro))
            return core::Error(QStringLiteral("%1 is not bytes or avro").arg(core::quotedName(text)), {}, 0, 0,
                               optionPrefix);
        settings.kind = *k;
    }
    if (parser.isSet(subject)) {
        const QString text = parser.value(subject);
        if (text.isEmpty() || core::hasUnprintable(text) || text == QLatin1String(".") || text == QLatin1String(".."))
            return core::Error(QStringLiteral("expected a subject name without control characters"), {}, 0, 0,
                               QStringLiteral("--") + subject.names().constFirst());
        settings.subject = text;
    }
    if (parser.isSet(version)) {
        auto v = core::VersionSelector::parse(parser.value(version));
        if (!v)
            return core::Error(v.error().text, {}, 0, 0, QStringLiteral("--") + version.names().constFirst());
        settings.version = *v;
    }
    return core::Ok{};
}

// The registry's settings: the command line's, else the profile's with its secrets.
core::Result<core::RegistrySettings> registryFor(const QCommandLineParser &parser, const SchemaSendOptions &options,
                                                 const ConnectionOptions &connection)
{
    const bool typedPassword = parser.isSet(options.registryPasswordStdin);
    const bool typedToken = parser.isSet(options.registryTokenStdin);
    if (typedPassword && typedToken)
        return core::Error(QStringLiteral("give --registry-password-stdin or --registry-token-stdin, not both"));
    if ((typedPassword || typedToken) && parser.isSet(connection.passwordStdin))
        return core::Error(QStringLiteral("standard input holds one secret: --password-stdin and --registry-*-stdin "
                                          "exclude each other"));
    core::RegistryProfile registry;
    core::ResolvedSecrets secrets;
    QString profileName;
    if (parser.isSet(options.registry)) {
        registry.url = parser.value(options.registry).trimmed();
        registry.username = parser.value(options.registryUser);
    } else if (parser.isSet(connection.profile)) {
        profileName = parser.value(connection.profile);
        QSettings settings; // shared with the kbatch app
        core::ProfileStore store(&settings);
        const auto profile = store.find(profileName);
        if (!profile || !profile->registry.isSet())
            return core::Error(QStringLiteral("profile '%1' names no Schema Registry: give --registry URL, or set one "
                                              "with 'kbatch-cli profile set %1 --registry URL'")
                                   .arg(profileName));
        registry = profile->registry;
        if (parser.isSet(options.registryUser))
            registry.username = parser.value(options.registryUser);
        if (!typedPassword && !typedToken) {
            core::KeychainSecretStore keychain(&settings);
            if (auto read = core::resolveSecretsBlocking(keychain, profileName, core::registrySecretsNeeded(*profile),
                                                         secrets, sayKeychainIsWaiting);
                !read)
                return read.error();
        }
    } else {
        return core::Error(QStringLiteral("the template sends Avro: give --registry URL, or a --profile with a "
                                          "Schema Registry"));
    }
    if (auto valid = core::validateRegistryProfile(registry); !valid)
        return core::Error(valid.error().text, {}, 0, 0, QStringLiteral("--registry"));
    if (typedPassword && registry.username.isEmpty())
        return core::Error(QStringLiteral("--registry-password-stdin needs --registry-user (without a user, give a "
                                          "bearer token with --registry-token-stdin)"));
    if (typedPassword || typedToken) {
        auto secret =
            readSecret(typedPassword ? QStringLiteral("registry password") : QStringLiteral("registry token"));
        if (!secret)
            return secret.error();
        (typedPassword ? secrets.registryPassword : secrets.registryToken) = std::move(secret.value());
        if (typedToken)
            registry.username.clear(); // a token stands for the user
    }
    return core::registrySettings(registry, secrets);
}

} // namespace

core::Status applySchemaOverrides(const QCommandLineParser &parser, const SchemaSendOptions &options,
                                  core::Serialization &serialization)
{
    if (auto s = applyPart(parser, options.keyKind, options.keySubject, options.keyVersion, serialization.key); !s)
        return s;
    if (auto s = applyPart(parser, options.valueKind, options.valueSubject, options.valueVersion, serialization.value);
        !s)
        return s;
    // Registering is a write to the user's registry with the user's credentials: more than sending the messages,
    // which is all a template may do on its own.
    for (const auto *part : {&serialization.key, &serialization.value}) {
        if (part->usesRegistry() && part->autoRegister && !parser.isSet(options.allowRegister))
            return core::Error(QStringLiteral("the template asks to register its %1 schema in the registry "
                                              "(autoRegister); allow it with --allow-register")
                                   .arg(part == &serialization.key ? QStringLiteral("key") : QStringLiteral("value")),
                               {}, 0, 0,
                               QStringLiteral("serialization.%1.autoRegister")
                                   .arg(part == &serialization.key ? QStringLiteral("key") : QStringLiteral("value")));
    }
    return core::Ok{};
}

core::Result<ResolvedSendCodecs> resolveSendCodecs(const QCommandLineParser &parser, const SchemaSendOptions &options,
                                                   const ConnectionOptions &connection,
                                                   const core::Serialization &serialization, const QString &topic)
{
    auto settings = registryFor(parser, options, connection);
    if (!settings)
        return settings.error();
    core::RegistryClient client(std::move(settings.value()));
    core::SchemaResolver resolver(client);
    ResolvedSendCodecs out;
    for (const core::PayloadPart part : {core::PayloadPart::Key, core::PayloadPart::Value}) {
        const bool isKey = part == core::PayloadPart::Key;
        const core::SerializerSettings &s = isKey ? serialization.key : serialization.value;
        if (!s.usesRegistry())
            continue;
        auto resolved = core::resolveBlocking(resolver, s, topic, part, s.recordName);
        if (!resolved)
            return core::Error(QStringLiteral("%1: %2").arg(isKey ? QStringLiteral("key") : QStringLiteral("value"),
                                                            resolved.error().text));
        (isKey ? out.codecs.key : out.codecs.value) = std::move(resolved.value());
    }
    out.registryRequests = client.requestCount();
    return out;
}

void addSchemaIds(QByteArray &line, const core::SendCodecs &codecs)
{
    if (!codecs.any() || !line.endsWith('}'))
        return;
    line.chop(1);
    if (codecs.key) {
        line.append(",\"keySchemaId\":");
        line.append(QByteArray::number(codecs.key->schema.id));
    }
    if (codecs.value) {
        line.append(",\"schemaId\":");
        line.append(QByteArray::number(codecs.value->schema.id));
    }
    line.append('}');
}

} // namespace kbatch::cli

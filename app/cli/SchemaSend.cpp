#include "SchemaSend.h"

#include "CliSupport.h"
#include "core/model/Printable.h"
#include "core/profiles/KeychainSecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/RegistryProfile.h"
#include "core/schema/ProtobufCodec.h"
#include "core/schema/RegistryWait.h"

#include <QFileInfo>

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
        if (!k)
            return core::Error(
                QStringLiteral("%1 is not bytes, avro, protobuf or jsonSchema").arg(core::quotedName(text)), {}, 0, 0,
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
        // A password or token typed on standard input replaces the stored one; the client key's passphrase still
        // comes from the keychain.
        QList<core::SecretNeed> needs = core::registrySecretsNeeded(*profile);
        if (typedPassword || typedToken)
            needs.removeIf([](const core::SecretNeed &n) { return n.kind != core::SecretKind::RegistryKeyPassphrase; });
        if (!needs.isEmpty()) {
            core::KeychainSecretStore keychain(&settings);
            if (auto read = core::resolveSecretsBlocking(keychain, profileName, needs, secrets, sayKeychainIsWaiting);
                !read)
                return read.error();
        }
    } else {
        return core::Error(QStringLiteral("the template sends its payloads through a Schema Registry: give "
                                          "--registry URL, or a --profile with a Schema Registry"));
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

// --key-proto, --value-descriptor-set and the like: files from the command line replace the template's.
core::Status applyProtobufPart(const QCommandLineParser &parser, const SchemaSendOptions &options, bool isKey,
                               core::SerializerSettings &settings)
{
    const QCommandLineOption &kind = isKey ? options.keyKind : options.valueKind;
    const QCommandLineOption &type = isKey ? options.keyMessageType : options.valueMessageType;
    const QCommandLineOption &proto = isKey ? options.keyProto : options.valueProto;
    const QCommandLineOption &set = isKey ? options.keyDescriptorSet : options.valueDescriptorSet;
    const auto name = [](const QCommandLineOption &o) -> QString {
        return QStringLiteral("--") + o.names().constFirst();
    };
    if (parser.isSet(proto) && parser.isSet(set))
        return core::Error(QStringLiteral("give %1 or %2, not both").arg(name(proto), name(set)));
    if (parser.isSet(proto) || parser.isSet(set)) {
        if (parser.isSet(kind) && settings.kind != core::PayloadKind::Protobuf)
            return core::Error(
                QStringLiteral("%1 needs %2 protobuf").arg(name(parser.isSet(proto) ? proto : set), name(kind)));
        settings.kind = core::PayloadKind::Protobuf;
        settings.schemaText.clear(); // the files are the schema: nothing is registered or looked up
        settings.autoRegister = false;
        settings.protoPaths.clear();
        settings.descriptorSet.clear();
        for (const QString &file : parser.values(proto))
            settings.protoPaths.append(QFileInfo(file).absoluteFilePath());
        if (parser.isSet(set))
            settings.descriptorSet = QFileInfo(parser.value(set)).absoluteFilePath();
    }
    if (parser.isSet(type)) {
        if (settings.kind != core::PayloadKind::Protobuf)
            return core::Error(QStringLiteral("%1 is for Protobuf, and the %2 is not sent as Protobuf")
                                   .arg(name(type), QLatin1String(isKey ? "key" : "value")));
        settings.messageType = parser.value(type);
    }
    if (settings.kind == core::PayloadKind::Protobuf && !settings.protoPaths.isEmpty()) {
        for (const QString &dir : parser.values(options.protoPath))
            settings.protoPaths.append(QFileInfo(dir).absoluteFilePath());
    }
    return core::Ok{};
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
    if (auto s = applyProtobufPart(parser, options, true, serialization.key); !s)
        return s;
    if (auto s = applyProtobufPart(parser, options, false, serialization.value); !s)
        return s;
    // Registering is a write to the user's registry with the user's credentials: more than sending the messages,
    // which is all a template may do on its own.
    for (const auto *part : {&serialization.key, &serialization.value}) {
        if (part->usesRegistry() && !part->sendsUnframed() && part->autoRegister &&
            !parser.isSet(options.allowRegister))
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
                                                   const core::Serialization &serialization, const QString &topic,
                                                   const QString &templateDir)
{
    ResolvedSendCodecs out;
    bool needsRegistry = false;
    for (const bool isKey : {true, false}) {
        const core::SerializerSettings &s = isKey ? serialization.key : serialization.value;
        needsRegistry = needsRegistry || (s.usesRegistry() && !s.sendsUnframed());
        if (!s.sendsUnframed())
            continue;
        auto resolved = core::resolveUnframed(s, templateDir);
        if (!resolved)
            return core::Error(QStringLiteral("%1: %2").arg(isKey ? QStringLiteral("key") : QStringLiteral("value"),
                                                            resolved.error().message()));
        (isKey ? out.codecs.key : out.codecs.value) = std::move(resolved.value());
    }
    if (!needsRegistry)
        return out;
    auto settings = registryFor(parser, options, connection);
    if (!settings)
        return settings.error();
    core::RegistryClient client(std::move(settings.value()));
    core::SchemaResolver resolver(client);
    for (const core::PayloadPart part : {core::PayloadPart::Key, core::PayloadPart::Value}) {
        const bool isKey = part == core::PayloadPart::Key;
        const core::SerializerSettings &s = isKey ? serialization.key : serialization.value;
        if (!s.usesRegistry() || s.sendsUnframed())
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
    if (codecs.key && codecs.key->framed) {
        line.append(",\"keySchemaId\":");
        line.append(QByteArray::number(codecs.key->schema.id));
    }
    if (codecs.value && codecs.value->framed) {
        line.append(",\"schemaId\":");
        line.append(QByteArray::number(codecs.value->schema.id));
    }
    line.append('}');
}

} // namespace kbatch::cli

#pragma once

#include "Connection.h"
#include "core/model/SerializerSettings.h"
#include "core/schema/RowSerializer.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace kbatch::cli {

// kbatch-cli send's Schema Registry options (issue 15): where the registry is when the profile does not say, its
// secrets from standard input, and overrides of the template's serialization per part, like -X for the producer.
struct SchemaSendOptions
{
    QCommandLineOption registry{QStringLiteral("registry"),
                                QStringLiteral("Schema Registry URL (the API's base), instead of the profile's."),
                                QStringLiteral("URL")};
    QCommandLineOption registryUser{QStringLiteral("registry-user"),
                                    QStringLiteral("Schema Registry user (HTTP basic authentication)."),
                                    QStringLiteral("U")};
    QCommandLineOption registryPasswordStdin{
        QStringLiteral("registry-password-stdin"),
        QStringLiteral("Read the Schema Registry password from standard input instead of the keychain.")};
    QCommandLineOption registryTokenStdin{
        QStringLiteral("registry-token-stdin"),
        QStringLiteral("Read a Schema Registry bearer token from standard input instead of the keychain.")};
    QCommandLineOption keyKind{
        QStringLiteral("key-kind"),
        QStringLiteral("Send keys as bytes, avro, protobuf or jsonSchema (overrides the template)."),
        QStringLiteral("KIND")};
    QCommandLineOption valueKind{
        QStringLiteral("value-kind"),
        QStringLiteral("Send values as bytes, avro, protobuf or jsonSchema (overrides the template)."),
        QStringLiteral("KIND")};
    QCommandLineOption keySubject{QStringLiteral("key-subject"),
                                  QStringLiteral("The keys' subject, instead of the strategy's."),
                                  QStringLiteral("SUBJECT")};
    QCommandLineOption valueSubject{QStringLiteral("value-subject"),
                                    QStringLiteral("The values' subject, instead of the strategy's."),
                                    QStringLiteral("SUBJECT")};
    QCommandLineOption keyVersion{QStringLiteral("key-version"),
                                  QStringLiteral("The keys' schema: latest, a version number or id:N."),
                                  QStringLiteral("V")};
    QCommandLineOption valueVersion{QStringLiteral("value-version"),
                                    QStringLiteral("The values' schema: latest, a version number or id:N."),
                                    QStringLiteral("V")};

    // A template is untrusted: that it may register its schemas in the user's registry is the user's decision.
    QCommandLineOption allowRegister{
        QStringLiteral("allow-register"),
        QStringLiteral("Let the template's autoRegister register its schemas in the registry (refused otherwise).")};

    // Protobuf (issue 16): the message type, and .proto files or a descriptor set to send without a registry.
    QCommandLineOption keyMessageType{QStringLiteral("key-message-type"),
                                      QStringLiteral("The keys' Protobuf message type (full name; default: the "
                                                     "schema's first message)."),
                                      QStringLiteral("NAME")};
    QCommandLineOption valueMessageType{QStringLiteral("value-message-type"),
                                        QStringLiteral("The values' Protobuf message type (full name; default: the "
                                                       "schema's first message)."),
                                        QStringLiteral("NAME")};
    QCommandLineOption keyProto{QStringLiteral("key-proto"),
                                QStringLiteral("Send keys as Protobuf from this .proto file, unframed, without a "
                                               "registry (repeatable; the first holds the type)."),
                                QStringLiteral("FILE")};
    QCommandLineOption valueProto{QStringLiteral("value-proto"),
                                  QStringLiteral("Send values as Protobuf from this .proto file, unframed, without a "
                                                 "registry (repeatable; the first holds the type)."),
                                  QStringLiteral("FILE")};
    QCommandLineOption protoPath{QStringLiteral("proto-path"),
                                 QStringLiteral("An import directory for --key-proto and --value-proto (repeatable)."),
                                 QStringLiteral("DIR")};
    QCommandLineOption keyDescriptorSet{QStringLiteral("key-descriptor-set"),
                                        QStringLiteral("Send keys as Protobuf from this descriptor set (protoc "
                                                       "--descriptor_set_out), unframed, without a registry."),
                                        QStringLiteral("FILE")};
    QCommandLineOption valueDescriptorSet{QStringLiteral("value-descriptor-set"),
                                          QStringLiteral("Send values as Protobuf from this descriptor set (protoc "
                                                         "--descriptor_set_out), unframed, without a registry."),
                                          QStringLiteral("FILE")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({registry, registryUser, registryPasswordStdin, registryTokenStdin, keyKind, valueKind,
                           keySubject, valueSubject, keyVersion, valueVersion, allowRegister});
        parser.addOptions(
            {keyMessageType, valueMessageType, keyProto, valueProto, protoPath, keyDescriptorSet, valueDescriptorSet});
    }
};

// Applies the command line's overrides to `serialization`. Errors: an unknown kind or version selector, a subject
// with control characters, a part with autoRegister on without --allow-register, .proto files or a descriptor set for
// a part that is not Protobuf, both for one part. Paths given on the command line are made absolute here (a
// template's stay relative to the template).
core::Status applySchemaOverrides(const QCommandLineParser &parser, const SchemaSendOptions &options,
                                  core::Serialization &serialization);

// What a send through a registry found out: the codecs, and how many requests the registry saw.
struct ResolvedSendCodecs
{
    core::SendCodecs codecs;
    qint64 registryRequests = 0;
};

// Resolves the key's and the value's codec once, blocking: the registry from --registry (with --registry-user and a
// secret from standard input) or else from the --profile (its secrets from the keychain). A Protobuf part from .proto
// files or a descriptor set is compiled here, paths relative to `templateDir`, and needs no registry. Errors name
// the part and say what failed: no registry given, unreachable, 401, unknown subject, a schema that does not
// compile (a missing import, an unknown message type), 409 on auto-register.
core::Result<ResolvedSendCodecs> resolveSendCodecs(const QCommandLineParser &parser, const SchemaSendOptions &options,
                                                   const ConnectionOptions &connection,
                                                   const core::Serialization &serialization, const QString &topic,
                                                   const QString &templateDir);

// Appends ,"keySchemaId":N and ,"schemaId":N (the value's) inside a --report line's closing brace.
void addSchemaIds(QByteArray &line, const core::SendCodecs &codecs);

} // namespace kbatch::cli

#pragma once

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"
#include "core/model/PropertyPolicy.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace kbatch::cli {

// --bootstrap LIST | --profile NAME, and --connect-timeout, shared by send and topics.
struct ConnectionOptions
{
    QCommandLineOption bootstrap{QStringLiteral("bootstrap"),
                                 QStringLiteral("Bootstrap servers, host:port[,host:port...] (plaintext)."),
                                 QStringLiteral("LIST")};
    QCommandLineOption profile{QStringLiteral("profile"),
                               QStringLiteral("Connection profile (see 'kbatch-cli profile list'); secrets come from "
                                              "the system keychain."),
                               QStringLiteral("NAME")};
    QCommandLineOption connectTimeout{QStringLiteral("connect-timeout"),
                                      QStringLiteral("How long to wait for the cluster, in ms (default 10000)."),
                                      QStringLiteral("MS"), QStringLiteral("10000")};
    QCommandLineOption passwordStdin{
        QStringLiteral("password-stdin"),
        QStringLiteral("Read the SASL password (OAuth token with OAUTHBEARER) from standard input (prompted without "
                       "echo on a terminal) instead of the keychain; with --bootstrap it becomes sasl.password, "
                       "beside -X security.protocol=..., -X sasl.mechanisms=..., -X sasl.username=...")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({bootstrap, profile, connectTimeout, passwordStdin});
    }
};

struct ResolvedConnection
{
    core::Properties properties;
    core::SettingOrigin origin = core::SettingOrigin::Profile; // CommandLine for --bootstrap
    int connectTimeoutMs = 10000;
    QString description; // what to name in messages: the bootstrap list or "profile 'x'"
};

// Turns the options into librdkafka connection properties (reading a profile and its secrets when asked).
core::Result<ResolvedConnection> resolveConnection(const QCommandLineParser &parser, const ConnectionOptions &options);

} // namespace kbatch::cli

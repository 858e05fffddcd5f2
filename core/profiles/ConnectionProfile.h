#pragma once

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace kbatch::core {

enum class SecurityProtocol : std::uint8_t { Plaintext, Ssl, SaslPlaintext, SaslSsl };
enum class SaslMechanism : std::uint8_t { Plain, ScramSha256, ScramSha512, OAuthBearer };

// librdkafka's spelling: "plaintext", "ssl", "sasl_plaintext", "sasl_ssl".
QString toString(SecurityProtocol protocol);
std::optional<SecurityProtocol> securityProtocolFromString(const QString &text); // case-insensitive
// "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER".
QString toString(SaslMechanism mechanism);
std::optional<SaslMechanism> saslMechanismFromString(const QString &text); // case-insensitive
bool usesSasl(SecurityProtocol protocol);
bool usesTls(SecurityProtocol protocol);

// A Schema Registry beside the cluster: where and how to authenticate. Holds no secret: the password (HTTP basic,
// with `username`) and the bearer token (without) live in the SecretStore like the SASL password.
struct RegistryProfile
{
    QString url;      // the API's base: "https://registry:8081", "http://127.0.0.1:8080/apis/ccompat/v7"; empty: none
    QString username; // HTTP basic authentication (Confluent Cloud: the API key)
    QString caFile;   // PEM certificates trusted besides the system's
    QString certFile; // PEM client certificate, for mutual TLS
    QString keyFile;  // its PEM key (not encrypted)

    bool isSet() const { return !url.isEmpty(); }
    friend bool operator==(const RegistryProfile &, const RegistryProfile &) = default;
};

// Where and how to connect. Holds NO secret: passwords, key passphrases and tokens live in a SecretStore, keyed by
// the profile's name. A plain value type, usable on any thread.
struct ConnectionProfile
{
    QString name;
    QString bootstrapServers; // "host:port[,host:port]"; for the sandbox, filled in when the sandbox starts
    SecurityProtocol securityProtocol = SecurityProtocol::Plaintext;
    SaslMechanism saslMechanism = SaslMechanism::Plain; // used only with a sasl_* protocol
    QString username;                                   // SASL user (OAUTHBEARER: the unsecured JWT principal)
    QString caFile;
    QString certFile;
    QString keyFile;
    bool skipCertificateVerification = false;
    int connectTimeoutMs = 10000; // socket.connection.setup.timeout.ms, 1000..3600000
    Properties properties;        // further librdkafka properties; never secret ones
    bool isSandbox = false;       // the built-in "Local sandbox" profile
    RegistryProfile registry;     // optional

    friend bool operator==(const ConnectionProfile &, const ConnectionProfile &) = default;
};

// The name of the built-in sandbox profile, reserved.
QString sandboxProfileName();
// The built-in "Local sandbox": plaintext, bootstrap left empty for the embedded cluster to fill in.
ConnectionProfile sandboxProfile();

// Checks one profile on its own (uniqueness is ProfileStore's business). Errors set Error::field to the member's
// name ("name", "bootstrapServers", "username", "certFile", "keyFile", "connectTimeoutMs", "properties") and say
// what to do in Error::text.
Status validateProfile(const ConnectionProfile &profile);

// Checks a registry's settings: an http or https URL with a host, no user or password in it (the user goes in
// `username`, the password in the keychain), no query or fragment; a certificate needs its key. Error::field is
// "registryUrl", "registryCertFile" or "registryKeyFile". An unset registry (no URL) with other fields set is an error
// on "registryUrl".
Status validateRegistryProfile(const RegistryProfile &registry);

// Checks "host:port[,host:port]": host a DNS name, IPv4 address or [IPv6] address; port 1..65535.
Status validateBootstrapServers(const QString &servers);

} // namespace kbatch::core

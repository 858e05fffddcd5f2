#pragma once

#include "ConnectionProfile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// The secrets a profile may need; each is stored in the keychain under "<profile>/<toString(kind)>".
enum class SecretKind : std::uint8_t {
    SaslPassword,
    KeyPassphrase,
    OAuthToken,
    RegistryPassword,
    RegistryToken,
    RegistryKeyPassphrase, // the registry's TLS client key's, as KeyPassphrase is the cluster's
};

// "sasl-password", "key-passphrase", "oauth-token", "registry-password", "registry-token", "registry-key-passphrase"
QString toString(SecretKind kind);
// "SASL password", "key passphrase", "OAuth token", "registry password", "registry token", "registry key passphrase"
// (for messages)
QString describe(SecretKind kind);
std::optional<SecretKind> secretKindFromString(const QString &text);

// The secrets of one profile, read from a SecretStore just before connecting. Keep instances short-lived and never
// log them.
struct ResolvedSecrets
{
    std::optional<QByteArray> saslPassword;
    std::optional<QByteArray> keyPassphrase;
    // OAUTHBEARER static token. librdkafka takes it only through rd_kafka_oauthbearer_set_token() (from the
    // oauthbearer token refresh callback), not as a property: the producer code passes it on.
    std::optional<QByteArray> oauthToken;
    // The Schema Registry's (RegistryProfile): HTTP basic password, or bearer token.
    std::optional<QByteArray> registryPassword;
    std::optional<QByteArray> registryToken;
    // The registry's TLS client key's passphrase (RegistrySettings::clientKeyPassphrase).
    std::optional<QByteArray> registryKeyPassphrase;

    std::optional<QByteArray> &operator[](SecretKind kind);
    const std::optional<QByteArray> &operator[](SecretKind kind) const;
};

struct SecretNeed
{
    SecretKind kind;
    bool required; // false: used when present (an unencrypted key has no passphrase)
    friend bool operator==(const SecretNeed &, const SecretNeed &) = default;
};

// Which secrets to read for `profile`: SASL PLAIN/SCRAM -> the password (required); a TLS client key -> its
// passphrase (optional); OAUTHBEARER -> the token (optional: without one, an unsecured JWT names the username).
// The cluster's only: a send that needs no registry never asks the keychain for the registry's secrets.
QList<SecretNeed> secretsNeeded(const ConnectionProfile &profile);
// The registry's: with a username its password (required), without one a bearer token (optional: a registry may
// need no authentication); with a client key its passphrase (optional: an unencrypted key has none). Nothing when
// the profile has no registry.
QList<SecretNeed> registrySecretsNeeded(const ConnectionProfile &profile);

} // namespace kbatch::core

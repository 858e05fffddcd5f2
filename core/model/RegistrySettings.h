#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace kbatch::core {

// Where a Schema Registry is and how to authenticate to it: Confluent's REST API, or a compatible one (Apicurio's
// /apis/ccompat/v7, Karapace, Redpanda). Plain data; the password, token and passphrase are secrets: the profile
// store keeps them in the keychain, and nothing in core/schema logs them or puts them into an error.
struct RegistrySettings
{
    QUrl url;                       // the API's base: "https://registry:8081", ".../apis/ccompat/v7"
    QString username;               // HTTP basic authentication (Confluent Cloud: the API key)
    QByteArray password;            // secret (Confluent Cloud: the API secret)
    QByteArray bearerToken;         // secret; sent as "Authorization: Bearer"; used when there is no username
    QString caFile;                 // PEM certificates trusted besides the system's
    QString clientCertificateFile;  // PEM, for mutual TLS
    QString clientKeyFile;          // PEM (RSA or EC), for mutual TLS
    QByteArray clientKeyPassphrase; // secret; empty when the key is not encrypted
    int timeoutMs = 10000;          // per request: no answer within this is "unreachable"

    friend bool operator==(const RegistrySettings &, const RegistrySettings &) = default;
};

} // namespace kbatch::core

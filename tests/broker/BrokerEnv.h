#pragma once

// The real broker started by `tests/broker/kafka up` (CTest fixture "broker"): its listeners and the files made for
// this run, read from STATE_DIR/listeners.json, and connection properties for each way in.

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"
#include "core/profiles/ConnectionProfile.h"
#include "core/profiles/Secrets.h"
#include "tests/integration/KcatReader.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace kbatch::test {

struct BrokerEnv
{
    QString stateDir;
    QString kafkaVersion;  // of the broker, e.g. "4.4.0"
    QString plaintext;     // User:ANONYMOUS, a super user: setup and verification
    QString saslPlaintext; // SCRAM-SHA-512
    QString saslSsl;       // SCRAM-SHA-512 over TLS
    QString ssl;           // TLS, client certificate requested
    QString sslWrongHost;  // TLS with a certificate for another host name (same CA)
    QString ca, untrustedCa, clientCert, clientKey, clientKeyEncrypted, clientKeyPassphrase;

    // KBATCH_BROKER_STATE from the environment, else the directory CMake compiled in. Fails the calling test
    // (QVERIFY) when the file is missing: a broker that did not come up is an error, never a skip. So does a broker
    // of another Kafka version than the test is meant for: KBATCH_KAFKA_VERSION from the environment (the
    // compatibility run's 3.9.x), else pom.xml's kafka.version.
    static std::optional<BrokerEnv> load();

    core::Properties plaintextConnection() const;
    // protocol: "SASL_PLAINTEXT" or "SASL_SSL" (which trusts `ca`)
    core::Properties scram(const QString &protocol, const QString &user, const QString &password) const;
    // The SSL listener, trusting `caFile`, verification left at librdkafka's default (on).
    core::Properties tls(const QString &caFile, const QString &bootstrap = {}) const;
};

// Connection properties for `profile` built the way the app builds them before connecting: `stored` secrets are
// written to a MemorySecretStore under the profile's name, the secrets the profile needs are read back from it, and
// both go through librdkafkaProperties(). Errors: the store's, and librdkafkaProperties()'s (e.g. no password).
core::Result<core::Properties> connectionFromProfile(const core::ConnectionProfile &profile,
                                                     const QList<QPair<core::SecretKind, QByteArray>> &stored);

// An unsecured JWT (alg "none", no signature) for `subject`, issued a minute ago and expiring `expiresInSeconds`
// from now (negative: already expired), as the broker's OAUTHBEARER listener on saslPlaintext accepts it.
QByteArray unsecuredJwt(const QString &subject, qint64 expiresInSeconds);

// kcat arguments ("-X name=value" pairs) for every property but bootstrap.servers.
QStringList kcatArgs(const core::Properties &connection);

// Reads `topic` as an admin over PLAINTEXT until it holds `expected` records or `deadlineMs` passed (transaction
// markers become visible to read_committed readers a little after the commit returns); returns the last read.
QList<KcatRecord> kcatReadUntil(const BrokerEnv &env, const QString &topic, qsizetype expected, bool readCommitted,
                                int deadlineMs = 15000);

} // namespace kbatch::test

#include "BrokerEnv.h"

#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/MemorySecretStore.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

namespace kbatch::test {

std::optional<BrokerEnv> BrokerEnv::load()
{
    BrokerEnv env;
    env.stateDir = qEnvironmentVariable("KBATCH_BROKER_STATE", QStringLiteral(KBATCH_BROKER_STATE));
    QFile file(env.stateDir + QStringLiteral("/listeners.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("%s: %s; is the broker up? (tests/broker/kafka up %s)", qPrintable(file.fileName()),
                 qPrintable(file.errorString()), qPrintable(env.stateDir));
        return std::nullopt;
    }
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
    const auto s = [&o](const char *name) { return o.value(QLatin1String(name)).toString(); };
    env.plaintext = s("plaintext");
    env.saslPlaintext = s("sasl_plaintext");
    env.saslSsl = s("sasl_ssl");
    env.ssl = s("ssl");
    env.sslWrongHost = s("ssl_wrong_host");
    env.ca = s("ca");
    env.untrustedCa = s("untrusted_ca");
    env.clientCert = s("client_cert");
    env.clientKey = s("client_key");
    env.clientKeyEncrypted = s("client_key_encrypted");
    env.clientKeyPassphrase = s("client_key_passphrase");
    if (env.plaintext.isEmpty() || env.saslSsl.isEmpty() || env.ca.isEmpty()) {
        qWarning("%s is incomplete", qPrintable(file.fileName()));
        return std::nullopt;
    }
    env.kafkaVersion = s("kafka_version");
    const QString expected = qEnvironmentVariable("KBATCH_KAFKA_VERSION", QStringLiteral(KBATCH_KAFKA_VERSION));
    if (env.kafkaVersion != expected) {
        qWarning("the broker in %s runs Kafka %s, this test is meant for Kafka %s", qPrintable(env.stateDir),
                 qPrintable(env.kafkaVersion), qPrintable(expected));
        return std::nullopt;
    }
    qInfo("Kafka %s at %s", qPrintable(env.kafkaVersion), qPrintable(env.plaintext));
    return env;
}

core::Properties BrokerEnv::plaintextConnection() const
{
    return {{QStringLiteral("bootstrap.servers"), plaintext}};
}

core::Properties BrokerEnv::scram(const QString &protocol, const QString &user, const QString &password) const
{
    core::Properties p{
        {QStringLiteral("bootstrap.servers"), protocol == QLatin1String("SASL_SSL") ? saslSsl : saslPlaintext},
        {QStringLiteral("security.protocol"), protocol},
        {QStringLiteral("sasl.mechanism"), QStringLiteral("SCRAM-SHA-512")},
        {QStringLiteral("sasl.username"), user},
        {QStringLiteral("sasl.password"), password},
    };
    if (protocol == QLatin1String("SASL_SSL"))
        p.append({QStringLiteral("ssl.ca.location"), ca});
    return p;
}

core::Properties BrokerEnv::tls(const QString &caFile, const QString &bootstrap) const
{
    return {{QStringLiteral("bootstrap.servers"), bootstrap.isEmpty() ? ssl : bootstrap},
            {QStringLiteral("security.protocol"), QStringLiteral("SSL")},
            {QStringLiteral("ssl.ca.location"), caFile}};
}

core::Result<core::Properties> connectionFromProfile(const core::ConnectionProfile &profile,
                                                     const QList<QPair<core::SecretKind, QByteArray>> &stored)
{
    using namespace kbatch::core;
    MemorySecretStore store;
    // Every job reports once, on a later turn of the event loop.
    const auto finish = [&store](SecretJobId job) -> SecretResult {
        QSignalSpy done(&store, &SecretStore::finished);
        for (int i = 0; i < 50; ++i) {
            for (const QList<QVariant> &args : std::as_const(done))
                if (args.at(0).value<quint64>() == job)
                    return args.at(1).value<SecretResult>();
            done.wait(100);
        }
        SecretResult timedOut;
        timedOut.message = QStringLiteral("the secret store did not answer");
        return timedOut;
    };
    for (const auto &[kind, secret] : stored) {
        const SecretResult written = finish(store.writeSecret(profile.name, kind, secret));
        if (!written.ok())
            return Error(QStringLiteral("storing the %1 failed: %2").arg(describe(kind), written.message));
    }
    ResolvedSecrets secrets;
    for (const SecretNeed &need : secretsNeeded(profile)) {
        const SecretResult read = finish(store.readSecret(profile.name, need.kind));
        if (read.ok())
            secrets[need.kind] = read.secret;
        else if (read.status != SecretResult::Status::NotFound)
            return Error(QStringLiteral("reading the %1 failed: %2").arg(describe(need.kind), read.message));
    }
    return librdkafkaProperties(profile, secrets);
}

QByteArray unsecuredJwt(const QString &subject, qint64 expiresInSeconds)
{
    const auto part = [](const QJsonObject &o) {
        return QJsonDocument(o)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return part({{QStringLiteral("alg"), QStringLiteral("none")}}) + '.' +
           part({{QStringLiteral("sub"), subject},
                 {QStringLiteral("iat"), now - 60},
                 {QStringLiteral("exp"), now + expiresInSeconds}}) +
           '.';
}

QStringList kcatArgs(const core::Properties &connection)
{
    QStringList args;
    for (const core::Property &p : connection) {
        if (p.first == QLatin1String("bootstrap.servers"))
            continue;
        args << QStringLiteral("-X") << p.first + QLatin1Char('=') + p.second;
    }
    return args;
}

QList<KcatRecord> kcatReadUntil(const BrokerEnv &env, const QString &topic, qsizetype expected, bool readCommitted,
                                int deadlineMs)
{
    const QStringList extra{QStringLiteral("-X"), readCommitted ? QStringLiteral("isolation.level=read_committed")
                                                                : QStringLiteral("isolation.level=read_uncommitted")};
    QDeadlineTimer deadline(deadlineMs);
    QList<KcatRecord> records;
    for (;;) {
        records = kcatReadAll(env.plaintext, topic, extra);
        if (records.size() >= expected || deadline.hasExpired())
            return records;
        QTest::qWait(250);
    }
}

} // namespace kbatch::test

#include "ProduceErrors.h"

#include "RdKafkaHandles.h"

#include <QLocale>

namespace kbatch::core {

QString fatalErrorText(const FatalError &fatal, const QString &topic)
{
    const rd_kafka_resp_err_t code = fatal.isSet() ? rd_kafka_resp_err_t(fatal.code) : RD_KAFKA_RESP_ERR__FATAL;
    QString text =
        QStringLiteral("%1 (%2)").arg(fatal.text.isEmpty() ? rdk::errorText(code) : fatal.text, rdk::errorName(code));
    // A broker gives an idempotent producer an id only if the user may write to some topic.
    if (code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
        text += QStringLiteral("; an idempotent producer needs WRITE on the topic (or IDEMPOTENT_WRITE on the "
                               "cluster): check the ACLs for topic '%1', or turn idempotence off")
                    .arg(topic);
    return text;
}

QString explainProduceError(int err, const ProduceFacts &facts)
{
    // Once the producer has a fatal error, produce calls and delivery reports fail with its code.
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && facts.fatal.isSet() && err == facts.fatal.code)
        return QStringLiteral("the producer hit a fatal error: ") + fatalErrorText(facts.fatal, facts.topic);
    switch (rd_kafka_resp_err_t(err)) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
        // Under the producer's own limit, the broker refused it (the topic's max.message.bytes or the broker's
        // message.max.bytes); over it, librdkafka did before sending.
        if (facts.rowBytes <= facts.messageMaxBytes)
            return QStringLiteral("message of %1 bytes was refused by the broker as too large: raise the topic's "
                                  "max.message.bytes (or the broker's message.max.bytes)")
                .arg(facts.rowBytes);
        return QStringLiteral("message of %1 bytes is larger than the producer's message.max.bytes (%2); raise "
                              "message.max.bytes (and the topic's max.message.bytes)")
            .arg(facts.rowBytes)
            .arg(facts.messageMaxBytes);
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
        return QStringLiteral("partition %1 does not exist in topic '%2'")
            .arg(facts.rowPartition.value_or(-1))
            .arg(facts.topic);
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
        return QStringLiteral("not acknowledged within message.timeout.ms (%1 ms)")
            .arg(QLocale::c().toString(facts.messageTimeoutMs));
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        return QStringLiteral("not authorized to write to topic '%1' (TOPIC_AUTHORIZATION_FAILED); check the ACLs "
                              "for this user")
            .arg(facts.topic);
    default:
        return rdk::errorText(rd_kafka_resp_err_t(err));
    }
}

Error explainClientCreation(Error error)
{
    // librdkafka says only "ssl.key.location failed: ... PEM lib" for a key it cannot decrypt.
    if (error.kind == ErrorKind::PrivateKeyUnreadable)
        error.text += QStringLiteral(" (the client's private key could not be read: check that ssl.key.password is the "
                                     "key's passphrase and that ssl.key.location is a PEM key)");
    return error;
}

bool connectionIsHopeless(int clientErrorCode)
{
    switch (rd_kafka_resp_err_t(clientErrorCode)) {
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__SSL:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        return true;
    default:
        return false;
    }
}

} // namespace kbatch::core

#include "ConnectProbe.h"

#include "ProduceErrors.h"
#include "core/model/TopicName.h"

#include <QElapsedTimer>

#include <algorithm>

namespace kbatch::core {

namespace {

constexpr qint64 StepMs = 500; // each metadata request waits at most this long, so the callbacks are served often

bool listsTopic(const rd_kafka_metadata_t &md, const QByteArray &name)
{
    for (int t = 0; t < md.topic_cnt; ++t) {
        if (name == md.topics[t].topic)
            return true;
    }
    return false;
}

} // namespace

ConnectProbe::ConnectProbe(rd_kafka_t *rk, const ClientState &client, const std::atomic<bool> &cancel)
    : m_rk(rk), m_client(client), m_cancel(cancel)
{}

Result<rdk::TopicPtr> ConnectProbe::run(const Options &options)
{
    // Before any request: the sandbox would take a name that every real cluster refuses.
    if (auto named = checkTopicName(options.topic); !named)
        return named.error();
    const QByteArray topicName = options.topic.toUtf8();
    // The handle is made after the existence check: making it asks the cluster for (and may create) the topic. The
    // job then produces through it: by name, every produce call would look the topic up (a lock and a hash lookup
    // per message).
    rdk::TopicPtr topic;
    QElapsedTimer waited;
    waited.start();
    const auto left = [&] { return std::max<qint64>(1, options.timeoutMs - waited.elapsed()); };
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    bool listFirst = options.topicMustExist;
    while (!cancelled()) {
        const int step = int(std::min(StepMs, left()));
        const rd_kafka_metadata_t *raw = nullptr;
        if (listFirst) {
            err = rd_kafka_metadata(m_rk, 1, nullptr, &raw, step);
            rd_kafka_poll(m_rk, 0); // serve the error callback
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const rdk::MetadataPtr all(raw);
                if (!listsTopic(*all, topicName))
                    return Error(QStringLiteral("topic '%1' does not exist at %2 and allow.auto.create.topics is "
                                                "false; create it first")
                                     .arg(options.topic, options.bootstrap),
                                 {}, 0, 0, QStringLiteral("topic"));
                listFirst = false;
            }
        }
        if (!listFirst) {
            if (!topic) {
                topic.reset(rd_kafka_topic_new(m_rk, topicName.constData(), nullptr));
                if (!topic)
                    return Error(QStringLiteral("invalid topic name '%1': %2")
                                     .arg(options.topic, rdk::errorText(rd_kafka_last_error())),
                                 {}, 0, 0, QStringLiteral("topic"));
            }
            err = rd_kafka_metadata(m_rk, 0, topic.get(), &raw, int(std::min(StepMs, left())));
            rd_kafka_poll(m_rk, 0);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const rdk::MetadataPtr md(raw);
                if (md->topic_cnt < 1)
                    break;
                const auto topicErr = md->topics[0].err;
                if (topicErr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
                    return Error(QStringLiteral("topic '%1' does not exist at %2 and was not created automatically "
                                                "(allow.auto.create.topics is off or the cluster does not auto-create "
                                                "topics); create it first")
                                     .arg(options.topic, options.bootstrap),
                                 {}, 0, 0, QStringLiteral("topic"));
                if (topicErr == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
                    return Error(QStringLiteral("not authorized to access topic '%1' at %2 "
                                                "(TOPIC_AUTHORIZATION_FAILED); check the ACLs for this user")
                                     .arg(options.topic, options.bootstrap),
                                 {}, 0, 0, QStringLiteral("topic"));
                if (topicErr == RD_KAFKA_RESP_ERR_NO_ERROR && md->topics[0].partition_cnt > 0) {
                    if (options.idempotentWithoutTransaction)
                        requestProducerIdNow(topic.get(), int(left()));
                    return topic;
                }
                // LEADER_NOT_AVAILABLE while a topic is being created: ask again.
            }
        }
        // Whichever request was made: a refused login or TLS handshake will not get better by waiting.
        if (connectionIsHopeless(m_client.lastErrorCode) || m_client.fatal || waited.elapsed() >= options.timeoutMs)
            break;
    }
    if (cancelled())
        return Error(QStringLiteral("cancelled before the cluster answered"));
    const QString reason = m_client.lastError.isEmpty() ? rdk::errorText(err) : m_client.lastError;
    return Error(QStringLiteral("cannot connect to %1 within %2 ms: %3")
                     .arg(options.bootstrap.isEmpty() ? QStringLiteral("(no bootstrap.servers)") : options.bootstrap)
                     .arg(options.timeoutMs)
                     .arg(reason),
                 {}, 0, 0, QStringLiteral("bootstrap.servers"));
}

void ConnectProbe::requestProducerIdNow(rd_kafka_topic_t *topic, int timeoutMs)
{
    // Since librdkafka 2.10 the bootstrap connection makes way for the brokers the metadata names as soon as it has
    // answered; the idempotent producer, which asks for its producer id when metadata arrives, then finds no broker
    // up and waits for its timer: up to 500 ms (1 s seen on Kafka 4.4) before the first row leaves, on every job.
    // Metadata received over a broker that is up lets it ask at once. (A transactional producer gets its id from
    // init_transactions(), which does not wait like this.)
    char value[8] = "";
    size_t size = sizeof value;
    if (rd_kafka_conf_get(rd_kafka_conf(m_rk), "enable.idempotence", value, &size) != RD_KAFKA_CONF_OK ||
        qstrcmp(value, "true") != 0)
        return;
    const rd_kafka_metadata_t *raw = nullptr;
    if (rd_kafka_metadata(m_rk, 0, topic, &raw, std::min(timeoutMs, 2000)) == RD_KAFKA_RESP_ERR_NO_ERROR)
        rd_kafka_metadata_destroy(raw);
    rd_kafka_poll(m_rk, 0);
}

} // namespace kbatch::core

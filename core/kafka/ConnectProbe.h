#pragma once

#include "RdKafkaHandles.h"

#include <QString>

#include <atomic>

namespace kbatch::core {

// What the client's error callback reported. Lives on the producer thread: rd_kafka_poll() serves the callback there.
struct ClientState
{
    int lastErrorCode = 0; // authentication, TLS, transport (rd_kafka_resp_err_t)
    QString lastError;
    bool fatal = false; // the producer has a fatal error
    QString fatalText;
};

// Before a job's first row: waits until the cluster answers for the job's topic, or says why it will not. Asks for
// the topic's metadata in short steps, so that a refused login or a failed TLS handshake (reported by the error
// callback meanwhile) ends the wait at once instead of at the deadline. With allow.auto.create.topics=false it first
// lists the cluster's topics, because asking for the topic by name may create it anyway (the sandbox does) and the
// user said not to. Internal to core/kafka; producer thread only.
class ConnectProbe
{
public:
    struct Options
    {
        QString topic;
        QString bootstrap; // as librdkafka got it, for the error text
        qint64 timeoutMs = 10000;
        bool topicMustExist = false; // allow.auto.create.topics=false
        // Not a transactional producer: when idempotent, have it ask for its producer id right away (see the .cpp).
        bool idempotentWithoutTransaction = false;
    };

    // `client` is updated by the client's callbacks while the probe polls; `cancel` is the job's.
    ConnectProbe(rd_kafka_t *rk, const ClientState &client, const std::atomic<bool> &cancel);

    // The topic handle to produce through, or why not: the name is invalid, the topic does not exist (or may not
    // be created), it may not be used, or the cluster did not answer in time (with the client's last error).
    Result<rdk::TopicPtr> run(const Options &options);

private:
    void requestProducerIdNow(rd_kafka_topic_t *topic, int timeoutMs);
    bool cancelled() const { return m_cancel.load(std::memory_order_relaxed); }

    rd_kafka_t *m_rk;
    const ClientState &m_client;
    const std::atomic<bool> &m_cancel;
};

} // namespace kbatch::core

#pragma once

#include "JobRows.h"
#include "Producer.h"
#include "ProducerConfig.h"
#include "RdKafkaHandles.h"

#include <QElapsedTimer>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace kbatch::core {

// The body of the producer thread for one job. Internal to core/kafka.
class ProducerWorker
{
public:
    ProducerWorker(Producer *owner, PublishJob job, std::shared_ptr<std::atomic<bool>> cancel,
                   std::shared_ptr<Producer::Flow> flow);
    void run();

private:
    Status configure(rd_kafka_conf_t *conf);
    Status connect();
    void requestProducerIdNow(int timeoutMs); // see the .cpp: saves up to a second on every idempotent job
    Status beginTransaction();
    void produceAll();
    bool produceRow(qsizetype i); // false: stop producing
    bool takeMoreRows();          // from the job's feed; false when no more will come
    void appendRows(Batch piece);
    void noteFeedFailed(); // the feed ended with a mistake: its error becomes the job's
    void drain();
    void finishTransaction();
    struct CommitOutcome
    {
        bool committed = false;
        bool unknown = false; // the commit may or may not have taken
        QString text;         // why it did not commit, or why its outcome is unknown
    };
    CommitOutcome commitTransaction(); // retries with a backoff until m_transactionTimeoutMs
    void finish();

    // The row's final outcome: counted and reported (held, in atomic mode). `releasable`: librdkafka no longer
    // holds the row's value, so its piece may be released once every row of it has its outcome.
    void record(DeliveryResult result, bool releasable = true);
    void report(DeliveryResult result);             // counts and queues it for the owner
    bool markFinal(qsizetype row, bool releasable); // false (and a warning) if the row had its outcome already
    void flush(bool force);
    void failUnreported(DeliveryStatus status, const QString &reason, int code, const QString &name);
    void failTheRest(); // every row without an outcome, as the job ended (fatal, cancelled, or not sent)
    // Waits while the owner has not handled MaxUnhandledResults of the results posted to it.
    void waitForOwner();
    bool cancelled() const { return m_cancel->load(std::memory_order_relaxed); }
    bool stopping() const { return cancelled() || m_fatal; }
    void purgeOnce();
    void poll(int timeoutMs);
    qint64 wallClockMs(); // the wall clock, read once per poll
    QString describe(rd_kafka_resp_err_t err, qsizetype row) const;

    static void onDelivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);

    Producer *m_owner;
    PublishJob m_job;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<Producer::Flow> m_flow;
    JobRows m_rows; // declared before m_rk: librdkafka reads the values in place, so they must outlive the client
    rdk::KafkaPtr m_rk;
    rdk::TopicPtr m_topic; // made by connect(), produced through; after m_rk: released before the client
    bool m_atomic = false;

    std::vector<DeliveryResult> m_held; // atomic mode: results held until the transaction ends
    DeliveryResults m_pending;          // ready to post
    qsizetype m_produced = 0;
    qsizetype m_attempted = 0; // rows handed to produceRow(); the ones after were never in librdkafka
    qsizetype m_acknowledged = 0;
    qsizetype m_outstanding = 0; // produced, no delivery report yet
    bool m_purged = false;
    bool m_overduePurged = false;
    qint64 m_lastProduceMs = 0;
    bool m_fatal = false;
    QString m_fatalText;
    QString m_transactionalId;
    int m_transactionTimeoutMs = 30000; // bound on each transaction API call (min of 30 s and transaction.timeout.ms)
    qint64 m_messageTimeoutMs = 0;      // message.timeout.ms as librdkafka got it (a -X value included)
    ProducerConfig m_config;            // what librdkafka got, and where each setting came from
    // A property as librdkafka got it (buildProducerConfig() decides which value wins).
    QString effectiveProperty(const QString &name, const QString &fallback = {}) const;
    QString m_lastClientError; // from the error callback: authentication, TLS, transport
    rd_kafka_resp_err_t m_lastClientErrorCode = RD_KAFKA_RESP_ERR_NO_ERROR;
    JobSummary m_summary;
    QElapsedTimer m_clock;
    qint64 m_lastFlushMs = 0;
    qint64 m_wallClockMs = -1;
    std::int64_t m_startMs = 0; // the wall clock when the job started: create times travel relative to it
};

} // namespace kbatch::core

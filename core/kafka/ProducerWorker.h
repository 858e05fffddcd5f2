#pragma once

#include "ConnectProbe.h"
#include "JobRows.h"
#include "ProduceErrors.h"
#include "Producer.h"
#include "ProducerConfig.h"
#include "RdKafkaHandles.h"
#include "ResultOutbox.h"
#include "Transaction.h"

#include <QElapsedTimer>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

namespace kbatch::core {

// The body of the producer thread for one job: configure, connect, produce, drain, end the transaction, and report
// every row's outcome once. What has a life of its own lives elsewhere: the configuration (ProducerConfig), the wait
// for the cluster (ConnectProbe), one produce call (ProduceCall), what a delivery report means (DeliveryClassifier)
// and says (ProduceErrors), the transaction (Transaction) and the hand-over of results (ResultOutbox).
// Internal to core/kafka.
class ProducerWorker
{
public:
    ProducerWorker(Producer *owner, PublishJob job, std::shared_ptr<std::atomic<bool>> cancel,
                   std::shared_ptr<Producer::Flow> flow);
    void run();

private:
    Status configure(rd_kafka_conf_t *conf);
    Status createClient(rdk::ConfPtr conf);
    Status connect();
    Transaction transaction() const;
    void produceAll();
    bool produceRow(qsizetype job); // false: stop producing
    // The next piece from the job's feed; false when no more will come (or, `sending`, when the job stops).
    bool takeMoreRows(bool sending);
    void appendRows(Batch piece);
    void drain();
    void finishTransaction();
    void finish();

    // The row's final outcome: counted and reported (held, in atomic mode). `releasable`: librdkafka no longer
    // holds the row's value, so its piece may be released once every row of it has its outcome.
    void record(DeliveryResult result, bool releasable = true);
    bool markFinal(qsizetype row, bool releasable); // false (and a warning) if the row had its outcome already
    void flush(bool force);
    void failUnreported(DeliveryStatus status, const QString &reason, int code, const QString &name);
    void failTheRest(); // every row without an outcome, as the job ended (fatal, cancelled, or not sent)
    // Waits while the owner has not handled MaxUnhandledResults of the results posted to it.
    void waitForOwner();
    bool cancelled() const { return m_cancel->load(std::memory_order_relaxed); }
    bool stopping() const { return cancelled() || m_client.fatal; }
    void noteFatal(const QString &text); // the first fatal error's text is the one the job reports
    void purgeOnce();
    void poll(int timeoutMs);
    qint64 wallClockMs(); // the wall clock, read once per poll
    // The create time of a row without a timestamp: the wall clock, read again every CreateTimeEvery messages and
    // after every wait (a poll, rows from the feed), so it is at most that many non-blocking produce calls old (a few
    // microseconds). Read for every message, the clock took a tenth of this thread's time.
    std::int64_t createTimeMs();
    ProduceFacts factsFor(qsizetype row) const; // what an error text about the row needs

    static void onDelivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque);
    static void onError(rd_kafka_t *rk, int err, const char *reason, void *opaque);

    PublishJob m_job;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    JobSummary m_summary;
    ResultOutbox m_outbox; // after m_summary, which it counts into
    JobRows m_rows; // declared before m_rk: librdkafka reads the values in place, so they must outlive the client
    rdk::KafkaPtr m_rk;
    rdk::TopicPtr m_topic; // made by connect(), produced through; after m_rk: released before the client
    bool m_atomic = false;

    std::vector<DeliveryResult> m_held; // atomic mode: results held until the transaction ends
    qsizetype m_produced = 0;
    qsizetype m_attempted = 0; // rows handed to produceRow(); the ones after were never in librdkafka
    qsizetype m_acknowledged = 0;
    qsizetype m_outstanding = 0; // produced, no delivery report yet
    bool m_purged = false;
    bool m_overduePurged = false;
    qint64 m_lastProduceMs = 0;
    ClientState m_client; // the error callback's reports, and the producer's fatal error
    QString m_transactionalId;
    int m_transactionTimeoutMs = 30000; // bound on each transaction API call (min of 30 s and transaction.timeout.ms)
    qint64 m_messageTimeoutMs = 0;      // message.timeout.ms as librdkafka got it (a -X value included)
    qint64 m_messageMaxBytes = 1000000; // message.max.bytes as librdkafka got it
    ProducerConfig m_config;            // what librdkafka got, and where each setting came from
    QElapsedTimer m_clock;
    qint64 m_wallClockMs = -1;
    std::int64_t m_startMs = 0; // the wall clock when the job started: create times travel relative to it
    std::int64_t m_createTimeMs = 0;
    int m_createTimeLeft = 0; // create times before the clock is read again
};

} // namespace kbatch::core

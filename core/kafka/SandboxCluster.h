#pragma once

#include "ThreadPriority.h"
#include "core/model/Error.h"

#include <QString>

#include <memory>

namespace kbatch::core {

// librdkafka's mock cluster: real Kafka protocol on loopback ports, no disk, no security. The "Local sandbox"
// profile and `kbatch-cli sandbox` run one. Runs on librdkafka's own mock thread; these functions may be called
// from any one thread at a time.
//
// Topics that clients ask for (producers and consumers alike, e.g. a send, a peek or kcat -C) are created
// automatically with defaultPartitions() partitions (librdkafka's mock uses 4); createTopic() makes one with a chosen
// count. To keep that with librdkafka 2.6.1 and later, whose mock honours the Metadata request's
// AllowAutoTopicCreation (v4 and later), the sandbox serves Metadata up to v3 only.
class SandboxCluster
{
public:
    ~SandboxCluster();
    SandboxCluster(const SandboxCluster &) = delete;
    SandboxCluster &operator=(const SandboxCluster &) = delete;

    // With ThreadPriority::Background the cluster's threads (and its client's) start on a thread of lowered
    // priority, so they inherit it: the GUI's in-process sandbox must not starve the UI thread.
    static Result<std::unique_ptr<SandboxCluster>> start(int brokers = 1,
                                                         ThreadPriority priority = ThreadPriority::Normal);

    QString bootstrapServers() const; // "127.0.0.1:port,..."
    int brokerCount() const { return m_brokers; }
    static int defaultPartitions() { return 4; }

    Status createTopic(const QString &name, int partitions, int replicationFactor = 1);

    // Fault switches (scenarios M2-M10). Broker ids are 1..brokerCount().
    Status setBrokerDown(int brokerId, bool down);
    Status setBrokerRtt(int brokerId, int rttMs);
    // The next `count` requests of the API get `errorName` (a Kafka error name such as NOT_LEADER_FOR_PARTITION).
    Status pushRequestErrors(const QString &api, int count, const QString &errorName);
    // As above, on one broker and with a delay per error (rd_kafka_mock_broker_push_request_error_rtts).
    Status pushBrokerRequestErrors(int brokerId, const QString &api, int count, const QString &errorName, int rttMs);
    // The next `count` responses of broker `brokerId` to the API come `delayMs` late, without an error: the request
    // is carried out (a produce is written) and only its answer is slow, while the broker's other APIs answer at
    // once, like a broker whose disk or replication holds up produce requests. Responses on a connection leave in
    // order, so the ones behind a delayed response wait for it. Unlike setBrokerRtt(), which slows everything.
    Status delayResponses(int brokerId, const QString &api, int count, int delayMs);
    Status setPartitionLeader(const QString &topic, int partition, int brokerId);
    Status setCoordinator(const QString &type, const QString &key, int brokerId); // type: "transaction" or "group"
    Status clearRequestErrors(const QString &api);

    // Counting requests (for tests and benchmarks: how many connections a query opened, for instance). After
    // startRequestTracking(), requestCount() is how many requests of the API the brokers received since.
    void startRequestTracking();
    int requestCount(const QString &api) const;

    // "produce" -> 0 and so on; -1 when unknown. Known: produce, fetch, list-offsets, metadata, offset-commit,
    // find-coordinator, init-producer-id, add-partitions-to-txn, add-offsets-to-txn, end-txn, join-group, heartbeat,
    // api-versions (each new connection's first request).
    static int apiKey(const QString &name);
    // A Kafka error name to its code; -1 when unknown.
    static int errorCode(const QString &name);

private:
    struct Impl;
    explicit SandboxCluster(std::unique_ptr<Impl> impl, int brokers);
    std::unique_ptr<Impl> d;
    int m_brokers = 1;
};

} // namespace kbatch::core

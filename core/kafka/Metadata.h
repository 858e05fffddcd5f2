#pragma once

#include "CancelFlag.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QList>
#include <QString>

namespace kbatch::core {

struct PartitionInfo
{
    std::int32_t id = 0;
    std::int32_t leader = -1;
    QList<std::int32_t> replicas;
    QString error;               // empty when healthy
    std::int64_t endOffset = -1; // the high watermark, from fetchTopics(); -1 when unknown
};

struct TopicInfo
{
    QString name;
    QList<PartitionInfo> partitions;
    QString error;
};

struct BrokerInfo
{
    std::int32_t id = 0;
    QString host;
    int port = 0;
};

struct ClusterInfo
{
    QList<BrokerInfo> brokers;
    QList<TopicInfo> topics; // sorted by name; internal topics (leading "__") last
};

// Asks the cluster for its brokers and topics. Blocks up to timeoutMs: call it from a worker thread, never the UI
// thread. Gives up early, without waiting out the timeout, when no broker can be reached (every bootstrap address
// failed to resolve or refused), when the TLS handshake or the authentication fails, and within 100 ms of `cancel`
// being set while it waits for a broker. Errors: no connection (names bootstrap.servers and librdkafka's reason),
// "cancelled", a refused property. Any thread.
Result<ClusterInfo> fetchMetadata(const Properties &connection, int timeoutMs, const CancelFlag *cancel = nullptr);

// fetchMetadata() and the end offset of every partition of every topic but the internal ones, over one client and
// one ListOffsets round (what the topic tree shows). Blocks like fetchMetadata(), up to timeoutMs in all. A topic
// whose end offsets could not be read keeps endOffset -1 and says why in its error.
Result<ClusterInfo> fetchTopics(const Properties &connection, int timeoutMs, const CancelFlag *cancel = nullptr);

} // namespace kbatch::core

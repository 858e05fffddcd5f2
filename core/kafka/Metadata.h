#pragma once

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
    QString error; // empty when healthy
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
// thread. Errors: no connection (names bootstrap.servers and the reason), a refused property.
Result<ClusterInfo> fetchMetadata(const Properties &connection, int timeoutMs);

// The high watermark (end offset) of each partition of a topic, for the topic tree. Blocks like fetchMetadata.
Result<QList<std::int64_t>> fetchEndOffsets(const Properties &connection, const QString &topic, int partitions,
                                            int timeoutMs);

} // namespace kbatch::core

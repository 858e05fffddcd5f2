#include "Metadata.h"

#include "ClientConnect.h"
#include "KafkaLog.h"
#include "RdKafkaHandles.h"

#include <QElapsedTimer>
#include <QHash>

#include <algorithm>

namespace kbatch::core {

namespace {

Result<rdk::KafkaPtr> makeClient(const Properties &connection, rdk::ConnectErrors *errors)
{
    rdk::ConfPtr conf(rd_kafka_conf_new());
    rdk::installLogCallback(conf.get());
    rdk::collectConnectErrors(conf.get(), errors);
    Properties props = connection;
    props.append({QStringLiteral("client.id"), QStringLiteral("kbatch-metadata")});
    if (Status s = rdk::applyProperties(conf.get(), props); !s)
        return s.error();
    return rdk::createClient(RD_KAFKA_PRODUCER, std::move(conf));
}

ClusterInfo toClusterInfo(const rd_kafka_metadata_t &md)
{
    ClusterInfo info;
    for (int i = 0; i < md.broker_cnt; ++i)
        info.brokers.append({md.brokers[i].id, QString::fromUtf8(md.brokers[i].host), md.brokers[i].port});
    for (int t = 0; t < md.topic_cnt; ++t) {
        const rd_kafka_metadata_topic_t &mt = md.topics[t];
        TopicInfo topic;
        topic.name = QString::fromUtf8(mt.topic);
        if (mt.err)
            topic.error = rdk::errorText(mt.err);
        for (int p = 0; p < mt.partition_cnt; ++p) {
            const rd_kafka_metadata_partition_t &mp = mt.partitions[p];
            PartitionInfo part;
            part.id = mp.id;
            part.leader = mp.leader;
            for (int r = 0; r < mp.replica_cnt; ++r)
                part.replicas.append(mp.replicas[r]);
            if (mp.err)
                part.error = rdk::errorText(mp.err);
            topic.partitions.append(part);
        }
        std::sort(topic.partitions.begin(), topic.partitions.end(),
                  [](const PartitionInfo &a, const PartitionInfo &b) { return a.id < b.id; });
        info.topics.append(topic);
    }
    std::sort(info.topics.begin(), info.topics.end(), [](const TopicInfo &a, const TopicInfo &b) {
        const bool ai = a.name.startsWith(QLatin1String("__"));
        const bool bi = b.name.startsWith(QLatin1String("__"));
        return ai != bi ? bi : a.name < b.name;
    });
    std::sort(info.brokers.begin(), info.brokers.end(),
              [](const BrokerInfo &a, const BrokerInfo &b) { return a.id < b.id; });
    return info;
}

// Connects, then asks for every topic, on `client`.
Result<ClusterInfo> queryMetadata(rd_kafka_t *rk, rdk::ConnectErrors &errors, const rdk::QueryBounds &bounds)
{
    if (Status connected = rdk::waitUntilConnected(rk, errors, bounds); !connected)
        return connected.error();
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &raw, bounds.remainingMs());
    rdk::MetadataPtr md(raw);
    rd_kafka_poll(rk, 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error(QStringLiteral("cannot connect to %1 within %2 ms: %3")
                         .arg(bounds.bootstrap)
                         .arg(bounds.timeoutMs)
                         .arg(errors.text().isEmpty() ? rdk::errorText(err) : errors.text()),
                     {}, 0, 0, QStringLiteral("bootstrap.servers"));
    return toClusterInfo(*md);
}

// Every listed partition's end offset in one ListOffsets round (one request per leader, not one per partition).
void addEndOffsets(rd_kafka_t *rk, ClusterInfo &info, const rdk::QueryBounds &bounds)
{
    rdk::PartitionListPtr list(rd_kafka_topic_partition_list_new(0));
    for (const TopicInfo &topic : std::as_const(info.topics)) {
        if (topic.name.startsWith(QLatin1String("__")) || !topic.error.isEmpty())
            continue;
        const QByteArray name = topic.name.toUtf8(); // copied by the list
        for (const PartitionInfo &p : topic.partitions)
            rd_kafka_topic_partition_list_add(list.get(), name.constData(), p.id)->offset =
                RD_KAFKA_OFFSET_END; // as a timestamp: "the latest offset"
    }
    if (list->cnt == 0)
        return;
    const rd_kafka_resp_err_t err =
        bounds.cancelled() ? RD_KAFKA_RESP_ERR__FAIL : rd_kafka_offsets_for_times(rk, list.get(), bounds.remainingMs());
    QHash<QString, QHash<std::int32_t, std::int64_t>> ends;
    QHash<QString, QString> problems;
    for (int i = 0; i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &e = list->elems[i];
        const QString topic = QString::fromUtf8(e.topic);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR && e.err == RD_KAFKA_RESP_ERR_NO_ERROR && e.offset >= 0)
            ends[topic][e.partition] = e.offset;
        else if (!problems.contains(topic))
            problems[topic] = bounds.cancelled()
                                  ? QStringLiteral("end offsets not read: cancelled")
                                  : QStringLiteral("cannot read the end offsets: %1")
                                        .arg(rdk::errorText(err != RD_KAFKA_RESP_ERR_NO_ERROR ? err : e.err));
    }
    for (TopicInfo &topic : info.topics) {
        for (PartitionInfo &p : topic.partitions)
            p.endOffset = ends.value(topic.name).value(p.id, -1);
        if (topic.error.isEmpty())
            topic.error = problems.value(topic.name);
    }
}

} // namespace

Result<ClusterInfo> fetchMetadata(const Properties &connection, int timeoutMs, const CancelFlag *cancel)
{
    const rdk::QueryBounds bounds(rdk::propertyValue(connection, QStringLiteral("bootstrap.servers")), timeoutMs,
                                  cancel);
    rdk::ConnectErrors errors(bounds.bootstrap);
    auto client = makeClient(connection, &errors);
    if (!client)
        return client.error();
    return queryMetadata(client->get(), errors, bounds);
}

Result<ClusterInfo> fetchTopics(const Properties &connection, int timeoutMs, const CancelFlag *cancel)
{
    QElapsedTimer clock;
    clock.start();
    const rdk::QueryBounds bounds(rdk::propertyValue(connection, QStringLiteral("bootstrap.servers")), timeoutMs,
                                  cancel);
    rdk::ConnectErrors errors(bounds.bootstrap);
    auto client = makeClient(connection, &errors);
    if (!client)
        return client.error();
    auto info = queryMetadata(client->get(), errors, bounds);
    if (!info)
        return info;
    addEndOffsets(client->get(), info.value(), bounds);
    qsizetype partitions = 0;
    for (const TopicInfo &t : std::as_const(info->topics))
        partitions += t.partitions.size();
    qCInfo(lcKafka).noquote() << QStringLiteral("topics of %1: %2 topics, %3 partitions with end offsets in %4 ms "
                                                "over one client")
                                     .arg(bounds.bootstrap)
                                     .arg(info->topics.size())
                                     .arg(partitions)
                                     .arg(clock.elapsed());
    return info;
}

} // namespace kbatch::core

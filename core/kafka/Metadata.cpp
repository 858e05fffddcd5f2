#include "Metadata.h"

#include "RdKafkaHandles.h"

#include <algorithm>

namespace kbatch::core {

namespace {

struct LastError
{
    QString text;
};

void rememberError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    auto *last = static_cast<LastError *>(opaque);
    last->text = QStringLiteral("%1 (%2)").arg(QString::fromUtf8(reason), rdk::errorName(rd_kafka_resp_err_t(err)));
}

Result<rdk::KafkaPtr> makeClient(const Properties &connection, LastError *last)
{
    rdk::ConfPtr conf(rd_kafka_conf_new());
    rdk::installLogCallback(conf.get());
    rd_kafka_conf_set_error_cb(conf.get(), rememberError);
    rd_kafka_conf_set_opaque(conf.get(), last);
    Properties props = connection;
    props.append({QStringLiteral("client.id"), QStringLiteral("kbatch-metadata")});
    if (Status s = rdk::applyProperties(conf.get(), props); !s)
        return s.error();
    return rdk::createClient(RD_KAFKA_PRODUCER, std::move(conf));
}

} // namespace

Result<ClusterInfo> fetchMetadata(const Properties &connection, int timeoutMs)
{
    LastError last;
    auto client = makeClient(connection, &last);
    if (!client)
        return client.error();
    const rd_kafka_metadata_t *raw = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(client->get(), 1, nullptr, &raw, timeoutMs);
    rd_kafka_poll(client->get(), 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error(QStringLiteral("cannot connect to %1 within %2 ms: %3")
                         .arg(rdk::propertyValue(connection, QStringLiteral("bootstrap.servers")))
                         .arg(timeoutMs)
                         .arg(last.text.isEmpty() ? rdk::errorText(err) : last.text),
                     {}, 0, 0, QStringLiteral("bootstrap.servers"));
    rdk::MetadataPtr md(raw);
    ClusterInfo info;
    for (int i = 0; i < md->broker_cnt; ++i)
        info.brokers.append({md->brokers[i].id, QString::fromUtf8(md->brokers[i].host), md->brokers[i].port});
    for (int t = 0; t < md->topic_cnt; ++t) {
        const rd_kafka_metadata_topic_t &mt = md->topics[t];
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

Result<QList<std::int64_t>> fetchEndOffsets(const Properties &connection, const QString &topic, int partitions,
                                            int timeoutMs)
{
    LastError last;
    auto client = makeClient(connection, &last);
    if (!client)
        return client.error();
    QList<std::int64_t> out;
    const QByteArray name = topic.toUtf8();
    for (int p = 0; p < partitions; ++p) {
        int64_t low = -1;
        int64_t high = -1;
        const auto err = rd_kafka_query_watermark_offsets(client->get(), name.constData(), p, &low, &high, timeoutMs);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return Error(QStringLiteral("cannot read the end offset of %1 partition %2: %3")
                             .arg(topic)
                             .arg(p)
                             .arg(last.text.isEmpty() ? rdk::errorText(err) : last.text));
        out.append(high);
    }
    return out;
}

} // namespace kbatch::core

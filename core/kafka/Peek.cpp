#include "Peek.h"

#include "ClientConnect.h"
#include "RdKafkaHandles.h"

#include <QStringDecoder>
#include <QUuid>

#include <algorithm>
#include <map>

namespace kbatch::core {

namespace {
Payload payloadOf(const void *data, std::size_t size)
{
    if (!data)
        return Payload::null();
    const QByteArray bytes(static_cast<const char *>(data), qsizetype(size));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(bytes);
    return Payload(bytes, decoder.hasError() ? Encoding::Base64 : Encoding::Text);
}
} // namespace

Result<QList<PeekedMessage>> peekTopic(const Properties &connection, const QString &topic, int partition, int count,
                                       int timeoutMs, const CancelFlag *cancel)
{
    if (count <= 0)
        return QList<PeekedMessage>();
    const rdk::QueryBounds bounds(rdk::propertyValue(connection, QStringLiteral("bootstrap.servers")), timeoutMs,
                                  cancel);
    rdk::ConnectErrors errors(bounds.bootstrap);
    auto client = rdk::createReader(connection, QStringLiteral("peek"), &errors);
    if (!client)
        return client.error();
    rd_kafka_t *rk = client->get();
    if (Status connected = rdk::waitUntilConnected(rk, errors, bounds); !connected)
        return connected.error();
    const QByteArray topicName = topic.toUtf8();
    auto remaining = [&] { return bounds.remainingMs(); };

    // Which partitions, from the topic's metadata.
    QList<std::int32_t> partitions;
    {
        rdk::TopicPtr rkt(rd_kafka_topic_new(rk, topicName.constData(), nullptr));
        const rd_kafka_metadata_t *raw = nullptr;
        const auto err = rd_kafka_metadata(rk, 0, rkt.get(), &raw, remaining());
        rdk::MetadataPtr md(raw);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return Error(
                QStringLiteral("cannot read the partitions of topic '%1': %2").arg(topic, rdk::errorText(err)));
        if (md->topic_cnt < 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return Error(QStringLiteral("topic '%1' does not exist").arg(topic));
        for (int i = 0; i < md->topics[0].partition_cnt; ++i)
            partitions.append(md->topics[0].partitions[i].id);
    }
    if (partition >= 0) {
        if (!partitions.contains(partition))
            return Error(QStringLiteral("topic '%1' has no partition %2 (it has %3)")
                             .arg(topic)
                             .arg(partition)
                             .arg(partitions.size()));
        partitions = {partition};
    }

    // From each partition's end, step back `count` (or to its start).
    rdk::PartitionListPtr assignment(rd_kafka_topic_partition_list_new(int(partitions.size())));
    std::map<std::int32_t, std::int64_t> ends;
    for (std::int32_t p : std::as_const(partitions)) {
        std::int64_t lo = 0, hi = 0;
        const auto err = rd_kafka_query_watermark_offsets(rk, topicName.constData(), p, &lo, &hi, remaining());
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return Error(QStringLiteral("cannot read the end offset of '%1' partition %2: %3")
                             .arg(topic)
                             .arg(p)
                             .arg(rdk::errorText(err)));
        if (hi <= lo)
            continue; // empty partition
        ends[p] = hi;
        rd_kafka_topic_partition_list_add(assignment.get(), topicName.constData(), p)->offset =
            std::max(lo, hi - count);
    }
    QList<PeekedMessage> out;
    if (ends.empty()) {
        rd_kafka_consumer_close(rk);
        return out;
    }
    if (const auto err = rd_kafka_assign(rk, assignment.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error(QStringLiteral("cannot read topic '%1': %2").arg(topic, rdk::errorText(err)));

    std::map<std::int32_t, bool> done;
    while (done.size() < ends.size() && !bounds.deadline.hasExpired()) {
        if (bounds.cancelled()) {
            rd_kafka_consumer_close(rk);
            return rdk::cancelledError();
        }
        rdk::MessagePtr m(rd_kafka_consumer_poll(rk, 100));
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            done[m->partition] = true;
            continue;
        }
        if (m->err)
            continue;
        PeekedMessage pm;
        pm.partition = m->partition;
        pm.offset = m->offset;
        rd_kafka_timestamp_type_t type;
        pm.timestamp = rd_kafka_message_timestamp(m.get(), &type);
        pm.message.key = payloadOf(m->key, m->key_len);
        pm.message.value = payloadOf(m->payload, m->len);
        rd_kafka_headers_t *hdrs = nullptr;
        if (rd_kafka_message_headers(m.get(), &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
            for (std::size_t i = 0; i < rd_kafka_header_cnt(hdrs); ++i) {
                const char *name = nullptr;
                const void *val = nullptr;
                std::size_t size = 0;
                if (rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR)
                    pm.message.headers.append({QByteArray(name), payloadOf(val, size)});
            }
        }
        out.append(pm);
        if (m->offset + 1 >= ends[m->partition])
            done[m->partition] = true;
    }
    rd_kafka_consumer_close(rk);

    if (partition < 0 && out.size() > count) {
        // The newest `count` across partitions.
        std::sort(out.begin(), out.end(),
                  [](const PeekedMessage &a, const PeekedMessage &b) { return a.timestamp > b.timestamp; });
        out.resize(count);
    }
    std::sort(out.begin(), out.end(), [](const PeekedMessage &a, const PeekedMessage &b) {
        return a.partition != b.partition ? a.partition < b.partition : a.offset < b.offset;
    });
    return out;
}

} // namespace kbatch::core

#include "ReadBack.h"

#include "RdKafkaHandles.h"

#include <QElapsedTimer>
#include <QUuid>

#include <map>
#include <unordered_map>

namespace kbatch::core {

namespace {

QString describeBytes(QByteArrayView bytes, bool isNull)
{
    if (isNull)
        return QStringLiteral("null");
    QByteArray shown = bytes.first(std::min<qsizetype>(40, bytes.size())).toByteArray();
    return QStringLiteral("%1 bytes \"%2\"%3")
        .arg(bytes.size())
        .arg(QString::fromUtf8(shown.toPercentEncoding(" {}[]:,\"'-_./")))
        .arg(bytes.size() > 40 ? QStringLiteral("…") : QString());
}

QString compare(const Batch &sent, qsizetype row, const rd_kafka_message_t *m)
{
    const bool keyNull = m->key == nullptr;
    const QByteArrayView key(static_cast<const char *>(m->key), keyNull ? 0 : qsizetype(m->key_len));
    if (keyNull != sent.keyIsNull(row) || key != sent.key(row))
        return QStringLiteral("key differs: sent %1, read %2")
            .arg(describeBytes(sent.key(row), sent.keyIsNull(row)), describeBytes(key, keyNull));
    const bool valueNull = m->payload == nullptr;
    const QByteArrayView value(static_cast<const char *>(m->payload), valueNull ? 0 : qsizetype(m->len));
    if (valueNull != sent.valueIsNull(row) || value != sent.value(row))
        return QStringLiteral("value differs: sent %1, read %2")
            .arg(describeBytes(sent.value(row), sent.valueIsNull(row)), describeBytes(value, valueNull));

    const Headers &expected = sent.headers(row);
    rd_kafka_headers_t *hdrs = nullptr;
    const bool hasHeaders = rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs;
    const qsizetype count = hasHeaders ? qsizetype(rd_kafka_header_cnt(hdrs)) : 0;
    if (count != expected.size())
        return QStringLiteral("headers differ: sent %1, read %2").arg(expected.size()).arg(count);
    for (qsizetype i = 0; i < count; ++i) {
        const char *name = nullptr;
        const void *val = nullptr;
        size_t size = 0;
        rd_kafka_header_get_all(hdrs, std::size_t(i), &name, &val, &size);
        const Header &h = expected[i];
        const QByteArrayView v(static_cast<const char *>(val), val ? qsizetype(size) : 0);
        if (QByteArrayView(name) != h.name || (val == nullptr) != h.value.isNull() ||
            (val && v != QByteArrayView(*h.value.bytes)))
            return QStringLiteral("header %1 differs: sent %2=%3, read %4=%5")
                .arg(i)
                .arg(QString::fromUtf8(h.name), describeBytes(h.value.bytes.value_or(QByteArray()), h.value.isNull()),
                     QString::fromUtf8(name), describeBytes(v, val == nullptr));
    }
    if (const auto ts = sent.timestamp(row)) {
        rd_kafka_timestamp_type_t type;
        const std::int64_t got = rd_kafka_message_timestamp(m, &type);
        if (got != *ts)
            return QStringLiteral("timestamp differs: sent %1, read %2").arg(*ts).arg(got);
    }
    return {};
}

} // namespace

Result<VerifyReport> readBack(const Properties &connection, const QString &topic, const Batch &sent,
                              const DeliveryResults &results, int timeoutMs)
{
    VerifyReport report;
    // partition -> offset -> row
    std::map<std::int32_t, std::unordered_map<std::int64_t, qsizetype>> expected;
    for (const DeliveryResult &r : results) {
        if (r.status != DeliveryStatus::Delivered)
            continue;
        ++report.checked;
        expected[r.partition][r.offset] = r.row;
    }
    if (expected.empty())
        return report;

    auto client = rdk::createReader(connection, QStringLiteral("verify"));
    if (!client)
        return client.error();
    rd_kafka_t *rk = client->get();

    const QByteArray topicName = topic.toUtf8();
    rdk::PartitionListPtr assignment(rd_kafka_topic_partition_list_new(int(expected.size())));
    std::map<std::int32_t, std::int64_t> lastWanted;
    for (const auto &[partition, offsets] : expected) {
        std::int64_t lo = INT64_MAX;
        std::int64_t hi = -1;
        for (const auto &[offset, row] : offsets) {
            lo = std::min(lo, offset);
            hi = std::max(hi, offset);
        }
        rd_kafka_topic_partition_list_add(assignment.get(), topicName.constData(), partition)->offset = lo;
        lastWanted[partition] = hi;
    }
    if (const auto err = rd_kafka_assign(rk, assignment.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error(QStringLiteral("cannot read back from topic '%1': %2").arg(topic, rdk::errorText(err)));

    QElapsedTimer clock;
    clock.start();
    std::map<std::int32_t, bool> done;
    QString lastError;
    while (done.size() < expected.size() && clock.elapsed() < timeoutMs) {
        rdk::MessagePtr m(rd_kafka_consumer_poll(rk, 100));
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            if (m->offset > lastWanted[m->partition])
                done[m->partition] = true;
            continue;
        }
        if (m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
            // Retrying until the deadline cannot help, and "not found" for every row would read as lost messages.
            rd_kafka_consumer_close(rk);
            return Error(QStringLiteral("cannot read back from topic '%1': not authorized to read it "
                                        "(TOPIC_AUTHORIZATION_FAILED); verifying needs READ on the topic, which "
                                        "writing does not")
                             .arg(topic));
        }
        if (m->err) {
            lastError = QString::fromUtf8(rd_kafka_message_errstr(m.get()));
            continue;
        }
        auto &offsets = expected[m->partition];
        if (auto it = offsets.find(m->offset); it != offsets.end()) {
            const QString diff = compare(sent, it->second, m.get());
            if (diff.isEmpty())
                ++report.verified;
            else
                report.problems.append({it->second, diff});
            offsets.erase(it);
        }
        if (m->offset >= lastWanted[m->partition])
            done[m->partition] = true;
    }
    rd_kafka_consumer_close(rk);

    for (const auto &[partition, offsets] : expected) {
        for (const auto &[offset, row] : offsets)
            report.problems.append(
                {row, QStringLiteral("not found at partition %1 offset %2%3")
                          .arg(partition)
                          .arg(offset)
                          .arg(lastError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(lastError))});
    }
    std::sort(report.problems.begin(), report.problems.end(),
              [](const VerifyProblem &a, const VerifyProblem &b) { return a.row < b.row; });
    return report;
}

} // namespace kbatch::core

#include "SandboxCluster.h"

#include "RdKafkaHandles.h"
#include "core/model/TopicName.h"

#include <librdkafka/rdkafka_mock.h>

#include <QHash>

#include <optional>
#include <thread>

namespace kbatch::core {

namespace {
constexpr std::int16_t MetadataApiKey = 3;
} // namespace

struct SandboxCluster::Impl
{
    rdk::KafkaPtr rk; // the mock cluster needs a client handle to live in
    rd_kafka_mock_cluster_t *cluster = nullptr;
    // The mock's "host:port,..." string, copied once in start(); the mock's own is never read again, as the mock
    // thread frees it when the cluster is destroyed. See start() for why the copy is made where it is.
    QString bootstrapServers;
};

SandboxCluster::SandboxCluster(std::unique_ptr<Impl> impl, int brokers) : d(std::move(impl)), m_brokers(brokers) {}

SandboxCluster::~SandboxCluster()
{
    if (d && d->cluster)
        rd_kafka_mock_cluster_destroy(d->cluster);
}

Result<std::unique_ptr<SandboxCluster>> SandboxCluster::start(int brokers, ThreadPriority priority)
{
    if (brokers < 1 || brokers > 16)
        return Error(QStringLiteral("the sandbox takes 1 to 16 brokers, not %1").arg(brokers), {}, 0, 0,
                     QStringLiteral("brokers"));
    if (priority != ThreadPriority::Normal) {
        std::optional<Result<std::unique_ptr<SandboxCluster>>> result;
        std::thread starter([&] {
            applyToCurrentThread(priority);
            result.emplace(start(brokers, ThreadPriority::Normal));
        });
        starter.join();
        return std::move(*result);
    }
    rdk::ConfPtr conf(rd_kafka_conf_new());
    rdk::installLogCallback(conf.get());
    if (Status s = rdk::applyProperties(conf.get(), {{QStringLiteral("client.id"), QStringLiteral("kbatch-sandbox")}});
        !s)
        return s.error();
    auto client = rdk::createClient(RD_KAFKA_PRODUCER, std::move(conf));
    if (!client)
        return client.error();
    auto impl = std::make_unique<Impl>();
    impl->rk = std::move(client.value());
    impl->cluster = rd_kafka_mock_cluster_new(impl->rk.get(), brokers);
    if (!impl->cluster)
        return Error(QStringLiteral("cannot start the sandbox cluster (librdkafka's mock cluster)"));
    // Before the first request to the mock thread below, which orders this read before the mock thread's free of the
    // string for ThreadSanitizer too. Read later instead, the order went through the requests of ~SandboxCluster, and
    // ThreadSanitizer lost it whenever the process had started a child with QProcess in between (Qt 6.4 starts it
    // with a vfork-style clone the sanitizer does not intercept; the child runs on the parent's sanitizer state): it
    // reported the free at exit against the main thread's last strlen here before the child was started.
    impl->bootstrapServers = QString::fromUtf8(rd_kafka_mock_cluster_bootstraps(impl->cluster));
    // Topics that any client asks for are created (with defaultPartitions()), as the sandbox has always done: since
    // librdkafka 2.6.1 the mock creates a topic only when a Metadata request (v4 and later) says
    // AllowAutoTopicCreation, which consumers (Peek, kcat -C) never do. Metadata up to v3, which has no such flag,
    // keeps the old behaviour for every client; the mock of librdkafka 2.0.2 served v0-v2.
    if (const auto err = rd_kafka_mock_set_apiversion(impl->cluster, MetadataApiKey, 0, 3);
        err != RD_KAFKA_RESP_ERR_NO_ERROR)
        return Error(QStringLiteral("cannot set up the sandbox cluster: %1").arg(rdk::errorText(err)));
    return std::unique_ptr<SandboxCluster>(new SandboxCluster(std::move(impl), brokers));
}

QString SandboxCluster::bootstrapServers() const
{
    return d->bootstrapServers;
}

static Status fromErr(rd_kafka_resp_err_t err, const QString &what)
{
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return Ok{};
    return Error(QStringLiteral("%1: %2").arg(what, rdk::errorText(err)));
}

Status SandboxCluster::createTopic(const QString &name, int partitions, int replicationFactor)
{
    if (auto named = checkTopicName(name); !named)
        return named;
    if (partitions < 1)
        return Error(QStringLiteral("a topic needs at least one partition"), {}, 0, 0, QStringLiteral("partitions"));
    const QByteArray n = name.toUtf8();
    return fromErr(
        rd_kafka_mock_topic_create(d->cluster, n.constData(), partitions, std::min(replicationFactor, m_brokers)),
        QStringLiteral("cannot create topic '%1'").arg(name));
}

void SandboxCluster::startRequestTracking()
{
    rd_kafka_mock_clear_requests(d->cluster);
    rd_kafka_mock_start_request_tracking(d->cluster);
}

int SandboxCluster::requestCount(const QString &api) const
{
    const int key = apiKey(api);
    std::size_t count = 0;
    rd_kafka_mock_request_t **requests = rd_kafka_mock_get_requests(d->cluster, &count);
    int matching = 0;
    for (std::size_t i = 0; i < count; ++i)
        matching += rd_kafka_mock_request_api_key(requests[i]) == key;
    rd_kafka_mock_request_destroy_array(requests, count);
    return matching;
}

Status SandboxCluster::setBrokerDown(int brokerId, bool down)
{
    const auto err =
        down ? rd_kafka_mock_broker_set_down(d->cluster, brokerId) : rd_kafka_mock_broker_set_up(d->cluster, brokerId);
    return fromErr(err, QStringLiteral("broker %1").arg(brokerId));
}

Status SandboxCluster::setBrokerRtt(int brokerId, int rttMs)
{
    return fromErr(rd_kafka_mock_broker_set_rtt(d->cluster, brokerId, rttMs),
                   QStringLiteral("broker %1").arg(brokerId));
}

Status SandboxCluster::pushRequestErrors(const QString &api, int count, const QString &errorName)
{
    const int key = apiKey(api);
    if (key < 0)
        return Error(QStringLiteral("unknown API '%1'").arg(api));
    const int code = errorCode(errorName);
    if (code < 0)
        return Error(QStringLiteral("unknown Kafka error '%1'").arg(errorName));
    std::vector<rd_kafka_resp_err_t> errors(std::size_t(std::max(count, 0)), rd_kafka_resp_err_t(code));
    rd_kafka_mock_push_request_errors_array(d->cluster, std::int16_t(key), errors.size(), errors.data());
    return Ok{};
}

Status SandboxCluster::pushBrokerRequestErrors(int brokerId, const QString &api, int count, const QString &errorName,
                                               int rttMs)
{
    const int key = apiKey(api);
    if (key < 0)
        return Error(QStringLiteral("unknown API '%1'").arg(api));
    const int code = errorCode(errorName);
    if (code < 0)
        return Error(QStringLiteral("unknown Kafka error '%1'").arg(errorName));
    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int i = 0; i < count && result == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
        result = rd_kafka_mock_broker_push_request_error_rtts(d->cluster, brokerId, std::int16_t(key), 1,
                                                              rd_kafka_resp_err_t(code), rttMs);
    return fromErr(result, QStringLiteral("broker %1").arg(brokerId));
}

Status SandboxCluster::delayResponses(int brokerId, const QString &api, int count, int delayMs)
{
    const int key = apiKey(api);
    if (key < 0)
        return Error(QStringLiteral("unknown API '%1'").arg(api));
    if (count < 1 || delayMs < 0)
        return Error(QStringLiteral("a delay needs a count of at least 1 and milliseconds of at least 0"));
    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int i = 0; i < count && result == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
        result = rd_kafka_mock_broker_push_request_error_rtts(d->cluster, brokerId, std::int16_t(key), 1,
                                                              RD_KAFKA_RESP_ERR_NO_ERROR, delayMs);
    return fromErr(result, QStringLiteral("broker %1").arg(brokerId));
}

Status SandboxCluster::setPartitionLeader(const QString &topic, int partition, int brokerId)
{
    const QByteArray t = topic.toUtf8();
    return fromErr(rd_kafka_mock_partition_set_leader(d->cluster, t.constData(), partition, brokerId),
                   QStringLiteral("partition %1 of '%2'").arg(partition).arg(topic));
}

Status SandboxCluster::setCoordinator(const QString &type, const QString &key, int brokerId)
{
    if (type != QLatin1String("transaction") && type != QLatin1String("group"))
        return Error(QStringLiteral("coordinator type must be 'transaction' or 'group', not '%1'").arg(type));
    const QByteArray t = type.toUtf8();
    const QByteArray k = key.toUtf8();
    return fromErr(rd_kafka_mock_coordinator_set(d->cluster, t.constData(), k.constData(), brokerId),
                   QStringLiteral("coordinator for %1 '%2'").arg(type, key));
}

Status SandboxCluster::clearRequestErrors(const QString &api)
{
    const int key = apiKey(api);
    if (key < 0)
        return Error(QStringLiteral("unknown API '%1'").arg(api));
    rd_kafka_mock_clear_request_errors(d->cluster, std::int16_t(key));
    return Ok{};
}

int SandboxCluster::apiKey(const QString &name)
{
    static const QHash<QString, int> keys = {
        {QStringLiteral("produce"), 0},
        {QStringLiteral("fetch"), 1},
        {QStringLiteral("list-offsets"), 2},
        {QStringLiteral("metadata"), 3},
        {QStringLiteral("offset-commit"), 8},
        {QStringLiteral("find-coordinator"), 10},
        {QStringLiteral("join-group"), 11},
        {QStringLiteral("heartbeat"), 12},
        {QStringLiteral("api-versions"), 18},
        {QStringLiteral("init-producer-id"), 22},
        {QStringLiteral("add-partitions-to-txn"), 24},
        {QStringLiteral("add-offsets-to-txn"), 25},
        {QStringLiteral("end-txn"), 26},
    };
    return keys.value(name.toLower(), -1);
}

int SandboxCluster::errorCode(const QString &name)
{
    static const QHash<QString, int> codes = [] {
        QHash<QString, int> out;
        const rd_kafka_err_desc *descs = nullptr;
        size_t count = 0;
        rd_kafka_get_err_descs(&descs, &count);
        for (size_t i = 0; i < count; ++i) {
            if (descs[i].name)
                out.insert(QString::fromUtf8(descs[i].name), descs[i].code);
        }
        return out;
    }();
    return codes.value(name.toUpper(), -1);
}

} // namespace kbatch::core

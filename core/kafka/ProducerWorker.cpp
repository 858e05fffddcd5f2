#include "ProducerWorker.h"

#include "KafkaLog.h"
#include "core/model/TopicName.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QLocale>

#include <chrono>
#include <ctime>
#include <thread>

namespace kbatch::core {

namespace {

constexpr int PollEvery = 1000;  // produce calls between two non-blocking polls
constexpr int FlushEveryMs = 16; // at most ~60 result batches per second to the owner thread
constexpr int FlushEveryResults = 8192;
constexpr int InflightPurgeAfterMs = 2000; // after a cancel, give in-flight requests this long before purging them
constexpr int OverdueGraceMs = 2000;       // past message.timeout.ms after the last produce, rows still open are purged
constexpr int TransactionTimeoutMs = 30000; // how long transaction API calls may take, unless the job says less
constexpr std::int64_t PlausibleTimestampMs = 946684800000; // 2000-01-01: no broker stamps a message earlier

const char EmptyBytes[1] = {0};

// A message's opaque carries its job row and when it was created, so that its delivery report can say the create
// time the message carries without a table per row: librdkafka's mock cluster (the sandbox) answers every produce
// with a made-up log-append time, which overwrites the create time in the report. 36 bits of row (68 billion rows)
// and 28 bits of milliseconds since the job started (74 hours; later rows fall back to the estimate).
constexpr int OpaqueRowBits = 36;
constexpr std::uint64_t OpaqueRowMask = (std::uint64_t(1) << OpaqueRowBits) - 1;
constexpr std::uint64_t OpaqueNoTime = (std::uint64_t(1) << (64 - OpaqueRowBits)) - 1;

void *packOpaque(qsizetype row, std::int64_t sinceStartMs)
{
    const std::uint64_t t =
        sinceStartMs >= 0 && std::uint64_t(sinceStartMs) < OpaqueNoTime ? std::uint64_t(sinceStartMs) : OpaqueNoTime;
    return reinterpret_cast<void *>(
        static_cast<std::uintptr_t>((t << OpaqueRowBits) | (std::uint64_t(row) & OpaqueRowMask)));
}

qsizetype opaqueRow(const void *opaque)
{
    return qsizetype(reinterpret_cast<std::uintptr_t>(opaque) & OpaqueRowMask);
}

std::optional<std::int64_t> opaqueSinceStartMs(const void *opaque)
{
    const std::uint64_t t = reinterpret_cast<std::uintptr_t>(opaque) >> OpaqueRowBits;
    return t == OpaqueNoTime ? std::nullopt : std::optional<std::int64_t>(std::int64_t(t));
}

std::int64_t realtimeMs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
} // non-null pointer for empty (not null) keys, values and header values

// The producer's fatal error in one line, with what to do where librdkafka's text does not say it.
QString fatalErrorText(rd_kafka_t *rk, const QString &topic, rd_kafka_resp_err_t *code = nullptr)
{
    char buf[512] = {0};
    const rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    if (code)
        *code = orig;
    QString text = QStringLiteral("%1 (%2)").arg(QString::fromUtf8(buf), rdk::errorName(orig));
    // A broker gives an idempotent producer an id only if the user may write to some topic.
    if (orig == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED)
        text += QStringLiteral("; an idempotent producer needs WRITE on the topic (or IDEMPOTENT_WRITE on the "
                               "cluster): check the ACLs for topic '%1', or turn idempotence off")
                    .arg(topic);
    return text;
}

} // namespace

ProducerWorker::ProducerWorker(Producer *owner, PublishJob job, std::shared_ptr<std::atomic<bool>> cancel,
                               std::shared_ptr<Producer::Flow> flow)
    : m_owner(owner), m_job(std::move(job)), m_cancel(std::move(cancel)), m_flow(std::move(flow))
{
    m_atomic = m_job.settings.mode == PublishMode::Atomic;
    appendRows(std::move(m_job.rows));
}

void ProducerWorker::run()
{
    m_clock.start();
    m_startMs = realtimeMs();
    rdk::ConfPtr conf(rd_kafka_conf_new());
    Status status = configure(conf.get());
    if (status.ok()) {
        auto client = rdk::createClient(RD_KAFKA_PRODUCER, std::move(conf));
        if (client.ok()) {
            m_rk = std::move(client.value());
        } else {
            Error error = client.error();
            // librdkafka says only "ssl.key.location failed: ... PEM lib" for a key it cannot decrypt.
            if (error.text.contains(QLatin1String("ssl.key.location failed")))
                error.text +=
                    QStringLiteral(" (the client's private key could not be read: check that ssl.key.password "
                                   "is the key's passphrase and that ssl.key.location is a PEM key)");
            status = error;
        }
    }
    m_summary.configurationFailed = !status.ok();
    if (status.ok()) {
        status = connect();
        if (!status.ok())
            m_summary.connectionFailed = true;
    }
    if (status.ok() && m_atomic)
        status = beginTransaction();
    if (!status.ok()) {
        m_summary.error = status.error().message();
        m_atomic = false; // no transaction is open: report the rows now instead of holding them for its end
        failUnreported(DeliveryStatus::Failed, QStringLiteral("not sent: ") + m_summary.error, RD_KAFKA_RESP_ERR__FAIL,
                       QStringLiteral("NOT_SENT"));
        finish();
        return;
    }
    produceAll();
    drain();
    if (m_atomic)
        finishTransaction();
    finish();
}

Status ProducerWorker::configure(rd_kafka_conf_t *conf)
{
    rdk::installLogCallback(conf);
    rd_kafka_conf_set_dr_msg_cb(conf, &ProducerWorker::onDelivery);
    rd_kafka_conf_set_error_cb(conf, &ProducerWorker::onError);
    rd_kafka_conf_set_opaque(conf, this);

    auto config = buildProducerConfig(m_job);
    if (!config)
        return config.error();
    m_config = std::move(config.value());
    m_transactionalId = m_config.transactionalId;
    // A shorter transaction.timeout.ms bounds the transaction calls too: the coordinator gives up on the transaction
    // by then anyway.
    bool numeric = false;
    const qint64 txnTimeout = m_config.value(QStringLiteral("transaction.timeout.ms")).toLongLong(&numeric);
    m_transactionTimeoutMs =
        numeric && txnTimeout > 0 ? int(std::min<qint64>(txnTimeout, TransactionTimeoutMs)) : TransactionTimeoutMs;
    m_messageTimeoutMs = m_config.messageTimeoutMs;
    m_owner->postSettings(m_config.effective);
    for (const EffectiveSetting &e : std::as_const(m_config.effective))
        qCInfo(lcKafka).noquote() << "producer setting" << e.name << "=" << e.value << "from" << toString(e.origin);
    return rdk::applyProperties(conf, m_config.properties);
}

QString ProducerWorker::effectiveProperty(const QString &name, const QString &fallback) const
{
    return m_config.value(name, fallback);
}

Status ProducerWorker::connect()
{
    // Before any request: the sandbox would take a name that every real cluster refuses.
    if (auto named = checkTopicName(m_job.topic); !named)
        return named;
    // The address librdkafka really uses, a command-line override included: errors must name it.
    const QString bootstrap = effectiveProperty(QStringLiteral("bootstrap.servers"));
    const QByteArray topicName = m_job.topic.toUtf8();
    // m_topic is created after the existence check: creating it asks the cluster for (and may create) the topic.
    // The job then produces through it: by name, every produce call would look the topic up (a lock and a hash
    // lookup per message).

    // Ask in short steps so that an authentication or TLS failure reported by the error callback ends the wait
    // at once instead of at the deadline.
    QElapsedTimer waited;
    waited.start();
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    // With auto-creation off, ask for all topics first: a request naming the topic may create it anyway (the
    // sandbox does), and the user said not to.
    bool mustExist =
        effectiveProperty(QStringLiteral("allow.auto.create.topics")).trimmed().toLower() == QLatin1String("false");
    while (!cancelled()) {
        const rd_kafka_metadata_t *raw = nullptr;
        const int step = int(std::min<qint64>(500, std::max<qint64>(1, m_job.connectTimeoutMs - waited.elapsed())));
        if (mustExist) {
            err = rd_kafka_metadata(m_rk.get(), 1, nullptr, &raw, step);
            poll(0);
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                if (waited.elapsed() >= m_job.connectTimeoutMs)
                    break;
                continue;
            }
            rdk::MetadataPtr all(raw);
            bool found = false;
            for (int t = 0; t < all->topic_cnt && !found; ++t)
                found = topicName == all->topics[t].topic;
            if (!found)
                return Error(QStringLiteral("topic '%1' does not exist at %2 and allow.auto.create.topics is false; "
                                            "create it first")
                                 .arg(m_job.topic, bootstrap),
                             {}, 0, 0, QStringLiteral("topic"));
            mustExist = false;
            raw = nullptr;
        }
        if (!m_topic) {
            m_topic.reset(rd_kafka_topic_new(m_rk.get(), topicName.constData(), nullptr));
            if (!m_topic)
                return Error(QStringLiteral("invalid topic name '%1': %2")
                                 .arg(m_job.topic, rdk::errorText(rd_kafka_last_error())),
                             {}, 0, 0, QStringLiteral("topic"));
        }
        err = rd_kafka_metadata(m_rk.get(), 0, m_topic.get(), &raw, step);
        poll(0); // serve error callbacks
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            rdk::MetadataPtr md(raw);
            if (md->topic_cnt < 1)
                break;
            const auto topicErr = md->topics[0].err;
            if (topicErr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
                return Error(QStringLiteral("topic '%1' does not exist at %2 and was not created automatically "
                                            "(allow.auto.create.topics is off or the cluster does not auto-create "
                                            "topics); create it first")
                                 .arg(m_job.topic, bootstrap),
                             {}, 0, 0, QStringLiteral("topic"));
            if (topicErr == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
                return Error(QStringLiteral("not authorized to access topic '%1' at %2 (TOPIC_AUTHORIZATION_FAILED); "
                                            "check the ACLs for this user")
                                 .arg(m_job.topic, bootstrap),
                             {}, 0, 0, QStringLiteral("topic"));
            if (topicErr == RD_KAFKA_RESP_ERR_NO_ERROR && md->topics[0].partition_cnt > 0) {
                requestProducerIdNow(int(std::max<qint64>(1, m_job.connectTimeoutMs - waited.elapsed())));
                return Ok{};
            }
            // LEADER_NOT_AVAILABLE while a topic is being created: ask again.
        }
        const bool hopeless = m_lastClientErrorCode == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
                              m_lastClientErrorCode == RD_KAFKA_RESP_ERR__SSL ||
                              m_lastClientErrorCode == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED || m_fatal;
        if (hopeless || waited.elapsed() >= m_job.connectTimeoutMs)
            break;
    }
    if (cancelled())
        return Error(QStringLiteral("cancelled before the cluster answered"));
    QString reason = m_lastClientError.isEmpty() ? rdk::errorText(err) : m_lastClientError;
    return Error(QStringLiteral("cannot connect to %1 within %2 ms: %3")
                     .arg(bootstrap.isEmpty() ? QStringLiteral("(no bootstrap.servers)") : bootstrap)
                     .arg(m_job.connectTimeoutMs)
                     .arg(reason),
                 {}, 0, 0, QStringLiteral("bootstrap.servers"));
}

void ProducerWorker::requestProducerIdNow(int timeoutMs)
{
    // Since librdkafka 2.10 the bootstrap connection makes way for the brokers the metadata names as soon as it has
    // answered; the idempotent producer, which asks for its producer id when metadata arrives, then finds no broker
    // up and waits for its timer: up to 500 ms (1 s seen on Kafka 4.4) before the first row leaves, on every job.
    // Metadata received over a broker that is up lets it ask at once. (A transactional producer gets its id from
    // init_transactions(), which does not wait like this.)
    if (m_atomic)
        return;
    char value[8] = "";
    size_t size = sizeof value;
    if (rd_kafka_conf_get(rd_kafka_conf(m_rk.get()), "enable.idempotence", value, &size) != RD_KAFKA_CONF_OK ||
        qstrcmp(value, "true") != 0)
        return;
    const rd_kafka_metadata_t *raw = nullptr;
    if (rd_kafka_metadata(m_rk.get(), 0, m_topic.get(), &raw, std::min(timeoutMs, 2000)) == RD_KAFKA_RESP_ERR_NO_ERROR)
        rd_kafka_metadata_destroy(raw);
    poll(0);
}

Status ProducerWorker::beginTransaction()
{
    rdk::ErrorPtr error(rd_kafka_init_transactions(m_rk.get(), m_transactionTimeoutMs));
    if (!error)
        error.reset(rd_kafka_begin_transaction(m_rk.get()));
    if (error) {
        const QString name = QString::fromUtf8(rd_kafka_error_name(error.get()));
        QString text = QString::fromUtf8(rd_kafka_error_string(error.get()));
        if (rd_kafka_error_code(error.get()) == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
            text = QStringLiteral("not authorized to use transactional id '%1' (TRANSACTIONAL_ID_AUTHORIZATION_FAILED);"
                                  " ask for a WRITE ACL on that transactional id or send in independent mode")
                       .arg(m_transactionalId);
        return Error(QStringLiteral("cannot start the transaction: %1 (%2)").arg(text, name));
    }
    return Ok{};
}

void ProducerWorker::produceAll()
{
    const double rate = m_job.settings.rateLimit;
    const auto start = std::chrono::steady_clock::now();

    for (qsizetype i = 0;; ++i) {
        if (i == m_rows.size() && !takeMoreRows())
            break;
        if (stopping())
            break;
        if (rate > 0) {
            const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                         std::chrono::duration<double>(double(i) / rate));
            while (!stopping()) {
                const auto now = std::chrono::steady_clock::now();
                if (now >= due)
                    break;
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(due - now).count();
                poll(int(std::clamp<long long>(ms, 0, 50)));
                flush(false);
            }
            if (stopping())
                break;
        }
        m_attempted = i + 1;
        if (!produceRow(i))
            break;
        if ((i + 1) % PollEvery == 0) {
            m_lastProduceMs = m_clock.elapsed(); // the clock once per poll, not per message
            poll(0);
            flush(false);
            waitForOwner();
        }
    }
    m_lastProduceMs = m_clock.elapsed();
}

bool ProducerWorker::produceRow(qsizetype job)
{
    const auto [piece, i] = m_rows.locate(job);
    const Batch::SendView row = piece->sendView(i);
    const QByteArrayView key = row.key;
    const QByteArrayView value = row.value;
    const void *keyPtr = row.keyIsNull ? nullptr : (key.isEmpty() ? EmptyBytes : key.data());
    void *valuePtr = row.valueIsNull ? nullptr : const_cast<char *>(value.isEmpty() ? EmptyBytes : value.data());
    const std::int32_t partition = row.partition.value_or(RD_KAFKA_PARTITION_UA);
    // A row without a timestamp gets its create time here, as librdkafka would give it, so that the result can
    // report what the message carries (librdkafka reads the same clock when given 0).
    const std::int64_t timestamp = row.timestamp ? *row.timestamp : realtimeMs();

    rd_kafka_resp_err_t err;
    for (;;) {
        rdk::HeadersPtr headers;
        const Headers &hs = *row.headers;
        if (!hs.isEmpty()) {
            headers.reset(rd_kafka_headers_new(std::size_t(hs.size())));
            for (const Header &h : hs) {
                const char *v =
                    h.value.isNull() ? nullptr : (h.value.bytes->isEmpty() ? EmptyBytes : h.value.bytes->constData());
                rd_kafka_header_add(headers.get(), h.name.constData(), h.name.size(), v,
                                    h.value.isNull() ? 0 : h.value.bytes->size());
            }
        }
        // rd_kafka_produceva: the RD_KAFKA_V_* macros of producev are C casts.
        rd_kafka_vu_t vu[8];
        int n = 0;
        vu[n].vtype = RD_KAFKA_VTYPE_RKT; // made by connect()
        vu[n++].u.rkt = m_topic.get();
        vu[n].vtype = RD_KAFKA_VTYPE_PARTITION;
        vu[n++].u.i32 = partition;
        vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        vu[n++].u.i = 0; // no copy: the piece keeps the value until its delivery report (librdkafka copies keys)
        vu[n].vtype = RD_KAFKA_VTYPE_KEY;
        vu[n].u.mem.ptr = const_cast<void *>(keyPtr);
        vu[n++].u.mem.size = std::size_t(key.size());
        vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
        vu[n].u.mem.ptr = valuePtr;
        vu[n++].u.mem.size = std::size_t(value.size());
        vu[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
        vu[n++].u.i64 = timestamp;
        vu[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
        vu[n++].u.ptr = packOpaque(job, timestamp - m_startMs);
        if (headers) {
            vu[n].vtype = RD_KAFKA_VTYPE_HEADERS;
            vu[n++].u.headers = headers.get();
        }
        rdk::ErrorPtr error(rd_kafka_produceva(m_rk.get(), vu, std::size_t(n)));
        err = error ? rd_kafka_error_code(error.get()) : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            (void)headers.release(); // librdkafka owns them now
            break;
        }
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || stopping())
            break;
        // Back-pressure: let delivery reports free the queue, never block the produce call.
        poll(10);
        flush(false);
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++m_produced;
        ++m_outstanding;
    } else if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        return false; // stopping; the row ends with the others that were never sent
    } else {
        DeliveryResult r;
        r.row = job;
        r.status = DeliveryStatus::Failed;
        r.errorCode = err;
        r.errorName = rdk::errorName(err);
        r.errorText = describe(err, job);
        record(std::move(r));
        if (m_atomic)
            return false; // the transaction is lost anyway: stop sending
    }
    return true;
}

bool ProducerWorker::takeMoreRows()
{
    if (!m_job.feed)
        return false;
    Batch piece;
    while (!stopping()) {
        switch (m_job.feed->take(piece, 5)) {
        case RowFeed::Take::Piece:
            if (!piece.isEmpty()) {
                appendRows(std::move(piece));
                return true;
            }
            break;
        case RowFeed::Take::Later:
            // The reader is behind: serve delivery reports meanwhile.
            poll(0);
            flush(false);
            break;
        case RowFeed::Take::End:
            return false;
        case RowFeed::Take::Failed:
            noteFeedFailed();
            return false;
        }
    }
    return false;
}

void ProducerWorker::appendRows(Batch piece)
{
    Q_ASSERT(!piece.hasGenerator());
    m_summary.payloadBytes += piece.payloadBytes();
    m_rows.append(std::move(piece));
    m_summary.total = m_rows.size();
}

void ProducerWorker::noteFeedFailed()
{
    m_summary.inputFailed = true;
    if (m_summary.error.isEmpty())
        m_summary.error = m_job.feed->error().message();
}

bool ProducerWorker::markFinal(qsizetype row, bool releasable)
{
    if (m_rows.markFinal(row, releasable))
        return true;
    qCWarning(lcKafka) << "dropping a second outcome for row" << row;
    return false;
}

void ProducerWorker::drain()
{
    const qint64 overdueAtMs = m_lastProduceMs + m_messageTimeoutMs + OverdueGraceMs;
    QElapsedTimer sinceStop;
    while (m_outstanding > 0) {
        if (stopping()) {
            if (!sinceStop.isValid())
                sinceStop.start();
            purgeOnce();
            if (sinceStop.elapsed() > InflightPurgeAfterMs)
                rd_kafka_purge(m_rk.get(),
                               RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING);
        }
        if (!stopping() && !m_overduePurged && m_clock.elapsed() > overdueAtMs) {
            // librdkafka lets a request in flight to a dead broker outlive message.timeout.ms; the user was promised
            // an outcome by then. Queued rows fail as timed out, in-flight ones may have been written.
            m_overduePurged = true;
            qCInfo(lcKafka) << m_outstanding << "messages overdue: purging them";
            rd_kafka_purge(m_rk.get(),
                           RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING);
        }
        poll(20);
        flush(false);
    }
}

void ProducerWorker::purgeOnce()
{
    if (m_purged)
        return;
    m_purged = true;
    rd_kafka_purge(m_rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_NON_BLOCKING);
}

void ProducerWorker::finishTransaction()
{
    bool allAcked = !stopping();
    for (const DeliveryResult &r : m_held)
        allAcked = allAcked && r.status == DeliveryStatus::Delivered;
    allAcked = allAcked && qsizetype(m_held.size()) == m_rows.size() && !m_summary.inputFailed;

    QString abortReason;
    QString unknownReason; // the commit request may have reached the coordinator: nobody knows whether it took
    if (allAcked) {
        const CommitOutcome outcome = commitTransaction();
        if (outcome.committed)
            m_summary.committed = true;
        else if (outcome.unknown)
            unknownReason = outcome.text;
        else
            abortReason = QStringLiteral("the commit failed: ") + outcome.text;
    } else if (cancelled()) {
        abortReason = QStringLiteral("cancelled by the user");
    } else if (m_fatal) {
        abortReason = QStringLiteral("fatal producer error: ") + m_fatalText;
    } else if (m_summary.inputFailed) {
        abortReason = QStringLiteral("the input has a mistake: ") + m_summary.error;
    } else {
        abortReason = QStringLiteral("a message of the batch was not delivered");
    }

    // An abort after a commit whose outcome is unknown would only fail ("Conflicting commit_transaction API call is
    // already in progress") and could not undo a commit that took: it is not tried.
    if (!m_summary.committed && unknownReason.isEmpty() && !m_fatal) {
        rdk::ErrorPtr error(rd_kafka_abort_transaction(m_rk.get(), m_transactionTimeoutMs));
        if (error)
            abortReason += QStringLiteral("; the abort request failed too (%1), so the coordinator aborts the "
                                          "transaction when transaction.timeout.ms runs out")
                               .arg(QString::fromUtf8(rd_kafka_error_string(error.get())));
        // Purged messages report now.
        QElapsedTimer t;
        t.start();
        while (m_outstanding > 0 && t.elapsed() < m_transactionTimeoutMs)
            poll(20);
    }

    const bool committed = m_summary.committed;
    const bool unknown = !unknownReason.isEmpty();
    m_atomic = false; // from here on results are final and go straight out
    std::vector<DeliveryResult> held = std::move(m_held);
    m_held.clear();
    for (DeliveryResult &r : held) {
        if (committed || r.status == DeliveryStatus::Cancelled) {
            report(std::move(r)); // final since it was held
            continue;
        }
        if (unknown) {
            // Written to its partition and acknowledged; whether read_committed readers will see it depends on the
            // commit nobody heard back from. Neither delivered nor failed.
            r.status = DeliveryStatus::PossiblyWritten;
            r.persisted = Persisted::PossiblyPersisted;
            r.errorCode = RD_KAFKA_RESP_ERR__TIMED_OUT;
            r.errorName = QStringLiteral("TRANSACTION_OUTCOME_UNKNOWN");
            r.errorText =
                QStringLiteral("the commit may have succeeded; read committed data to check (%1)").arg(unknownReason);
        } else if (r.status == DeliveryStatus::Delivered || r.status == DeliveryStatus::PossiblyWritten) {
            r.status = DeliveryStatus::Failed;
            r.persisted = Persisted::NotPersisted;
            r.errorCode = RD_KAFKA_RESP_ERR__TRANSPORT;
            r.errorName = QStringLiteral("TRANSACTION_ABORTED");
            r.errorText = QStringLiteral("batch not committed: the transaction was aborted (%1)").arg(abortReason);
        }
        report(std::move(r));
    }
    if (unknown) {
        m_summary.commitUnknown = true;
        m_summary.error = QStringLiteral("batch outcome unknown: the commit may have succeeded; read committed data "
                                         "to check (%1)")
                              .arg(unknownReason);
        failUnreported(DeliveryStatus::PossiblyWritten, m_summary.error, RD_KAFKA_RESP_ERR__TIMED_OUT,
                       QStringLiteral("TRANSACTION_OUTCOME_UNKNOWN"));
    } else if (!committed) {
        m_summary.error = QStringLiteral("batch not committed: ") + abortReason;
        failUnreported(cancelled() ? DeliveryStatus::Cancelled : DeliveryStatus::Failed,
                       QStringLiteral("batch not committed: ") + abortReason, RD_KAFKA_RESP_ERR__FAIL,
                       QStringLiteral("TRANSACTION_ABORTED"));
    }
}

ProducerWorker::CommitOutcome ProducerWorker::commitTransaction()
{
    QElapsedTimer t;
    t.start();
    int backoffMs = 100;
    for (;;) {
        const qint64 left = m_transactionTimeoutMs - t.elapsed();
        rdk::ErrorPtr error(rd_kafka_commit_transaction(m_rk.get(), int(std::max<qint64>(left, 1))));
        if (!error)
            return {true, false, {}};
        const QString text = QStringLiteral("%1 (%2)").arg(QString::fromUtf8(rd_kafka_error_string(error.get())),
                                                           QString::fromUtf8(rd_kafka_error_name(error.get())));
        // The transaction failed before it could commit (a produce error, a fenced epoch before EndTxn): abort.
        if (rd_kafka_error_txn_requires_abort(error.get()))
            return {false, false, text};
        const rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
        if (rd_kafka_error_is_fatal(error.get())) {
            m_fatal = true;
            m_fatalText = text;
            // Fenced: another producer took the transactional id, and the coordinator aborted this transaction.
            const bool fenced = code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
                                code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
            return {false, !fenced, text};
        }
        if (rd_kafka_error_is_retriable(error.get()) && t.elapsed() + backoffMs < m_transactionTimeoutMs) {
            qCInfo(lcKafka) << "commit failed, retrying in" << backoffMs << "ms:" << text;
            // Back off so that a coordinator that answers at once with a retriable error is not hammered.
            const QDeadlineTimer wake(backoffMs);
            while (!wake.hasExpired())
                poll(int(std::max<qint64>(1, std::min<qint64>(20, wake.remainingTime()))));
            backoffMs = std::min(backoffMs * 2, 1000);
            continue;
        }
        // Timed out (the EndTxn request may be on its way or processed), or retriable until the deadline: unknown.
        return {false, true, text};
    }
}

void ProducerWorker::finish()
{
    // The error callback may not have been served yet when every row already failed with the fatal error.
    char fatalBuf[8];
    if (!m_fatal && m_rk && rd_kafka_fatal_error(m_rk.get(), fatalBuf, sizeof fatalBuf) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        m_fatal = true;
        m_fatalText = fatalErrorText(m_rk.get(), m_job.topic);
    }
    if (m_fatal) {
        m_summary.fatal = true;
        if (m_summary.error.isEmpty())
            m_summary.error = QStringLiteral("fatal producer error, the job was stopped: ") + m_fatalText;
    }
    failTheRest();
    // The rows still coming get their outcome too, a piece at a time: a feed of generated rows may hold millions,
    // and neither they nor their results are ever all in memory at once.
    if (m_job.feed) {
        Batch piece;
        for (;;) {
            const RowFeed::Take t = m_job.feed->take(piece, 50);
            if (t == RowFeed::Take::Piece) {
                appendRows(std::move(piece));
                failTheRest();
            } else if (t == RowFeed::Take::Failed) {
                noteFeedFailed();
                break;
            } else if (t == RowFeed::Take::End) {
                break;
            }
        }
        m_job.feed->close();
    }
    flush(true);
    m_topic.reset(); // the handle first: rd_kafka_destroy() waits for every topic handle to be released
    m_rk.reset();    // outstanding is 0 here: destroy does not block
    m_summary.elapsedMs = m_clock.elapsed();
    m_owner->postFinished(m_summary);
}

void ProducerWorker::failTheRest()
{
    if (m_fatal) {
        // Named like the rows librdkafka failed with the same error (e.g. CLUSTER_AUTHORIZATION_FAILED).
        char fatalBuf[8];
        rd_kafka_resp_err_t code =
            m_rk ? rd_kafka_fatal_error(m_rk.get(), fatalBuf, sizeof fatalBuf) : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (code == RD_KAFKA_RESP_ERR_NO_ERROR)
            code = RD_KAFKA_RESP_ERR__FATAL;
        failUnreported(DeliveryStatus::Failed,
                       QStringLiteral("not sent: the producer hit a fatal error: ") + m_fatalText, code,
                       rdk::errorName(code));
    } else if (cancelled()) {
        failUnreported(DeliveryStatus::Cancelled, QStringLiteral("cancelled before it was sent"),
                       RD_KAFKA_RESP_ERR__PURGE_QUEUE, QStringLiteral("CANCELLED"));
    } else {
        failUnreported(DeliveryStatus::Failed,
                       QStringLiteral("not sent: ") +
                           (m_summary.error.isEmpty() ? QStringLiteral("the job stopped early") : m_summary.error),
                       RD_KAFKA_RESP_ERR__FAIL, QStringLiteral("NOT_SENT"));
    }
}

void ProducerWorker::waitForOwner()
{
    while (m_flow->unhandled.load(std::memory_order_relaxed) > Producer::MaxUnhandledResults &&
           !m_flow->ownerWaiting.load(std::memory_order_relaxed)) {
        if (m_rk)
            poll(5); // delivery reports keep coming meanwhile
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        flush(false);
    }
}

void ProducerWorker::failUnreported(DeliveryStatus status, const QString &reason, int code, const QString &name)
{
    // Rows with an outcome were reported, or are held for the end of the transaction.
    for (qsizetype i = m_rows.nextOpen(0); i < m_rows.size(); i = m_rows.nextOpen(i + 1)) {
        DeliveryResult r;
        r.row = i;
        r.status = status;
        r.errorCode = code;
        r.errorName = name;
        r.errorText = reason;
        // A row never handed to librdkafka can be released with its outcome; one that was may still be queued there.
        record(std::move(r), i >= m_attempted);
        if (m_pending.size() >= FlushEveryResults) {
            flush(false);
            waitForOwner();
        }
    }
}

void ProducerWorker::record(DeliveryResult result, bool releasable)
{
    if (!markFinal(result.row, releasable))
        return;
    if (m_atomic) {
        m_held.push_back(std::move(result));
        return;
    }
    report(std::move(result));
}

void ProducerWorker::report(DeliveryResult result)
{
    switch (result.status) {
    case DeliveryStatus::Delivered:
        ++m_summary.delivered;
        break;
    case DeliveryStatus::Failed:
        ++m_summary.failed;
        break;
    case DeliveryStatus::PossiblyWritten:
        ++m_summary.possiblyWritten;
        break;
    case DeliveryStatus::Cancelled:
        ++m_summary.cancelled;
        break;
    case DeliveryStatus::Pending:
        break;
    }
    m_pending.append(std::move(result));
}

void ProducerWorker::flush(bool force)
{
    const qint64 now = m_clock.elapsed();
    if (!force && m_pending.size() < FlushEveryResults && now - m_lastFlushMs < FlushEveryMs)
        return;
    m_lastFlushMs = now;
    m_owner->postProgress({m_produced, m_acknowledged});
    if (!m_pending.isEmpty()) {
        m_owner->post(std::move(m_pending));
        m_pending = DeliveryResults();
    }
}

QString ProducerWorker::describe(rd_kafka_resp_err_t err, qsizetype row) const
{
    // Once the producer has a fatal error, produce calls and delivery reports fail with its code.
    char fatalBuf[8];
    if (m_rk && err != RD_KAFKA_RESP_ERR_NO_ERROR && rd_kafka_fatal_error(m_rk.get(), fatalBuf, sizeof fatalBuf) == err)
        return QStringLiteral("the producer hit a fatal error: ") + fatalErrorText(m_rk.get(), m_job.topic);
    const QLocale c = QLocale::c();
    switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE: {
        const auto [piece, i] = m_rows.locate(row);
        const qint64 size = piece->key(i).size() + piece->value(i).size();
        const QString limit = effectiveProperty(QStringLiteral("message.max.bytes"), QStringLiteral("1000000"));
        // Under the producer's own limit, the broker refused it (the topic's max.message.bytes or the broker's
        // message.max.bytes); over it, librdkafka did before sending.
        if (size <= limit.toLongLong())
            return QStringLiteral("message of %1 bytes was refused by the broker as too large: raise the topic's "
                                  "max.message.bytes (or the broker's message.max.bytes)")
                .arg(size);
        return QStringLiteral("message of %1 bytes is larger than the producer's message.max.bytes (%2); raise "
                              "message.max.bytes (and the topic's max.message.bytes)")
            .arg(size)
            .arg(limit);
    }
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION: {
        const auto [piece, i] = m_rows.locate(row);
        return QStringLiteral("partition %1 does not exist in topic '%2'")
            .arg(piece->partition(i).value_or(-1))
            .arg(m_job.topic);
    }
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
        return QStringLiteral("not acknowledged within message.timeout.ms (%1 ms)").arg(c.toString(m_messageTimeoutMs));
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        return QStringLiteral("not authorized to write to topic '%1' (TOPIC_AUTHORIZATION_FAILED); check the ACLs "
                              "for this user")
            .arg(m_job.topic);
    default:
        return rdk::errorText(err);
    }
}

void ProducerWorker::poll(int timeoutMs)
{
    m_wallClockMs = -1; // read again, at most once for the reports this poll serves
    rd_kafka_poll(m_rk.get(), timeoutMs);
}

qint64 ProducerWorker::wallClockMs()
{
    if (m_wallClockMs < 0)
        m_wallClockMs = QDateTime::currentMSecsSinceEpoch();
    return m_wallClockMs;
}

void ProducerWorker::onDelivery(rd_kafka_t *, const rd_kafka_message_t *message, void *opaque)
{
    // Called from rd_kafka_poll() on the producer thread. No exception may cross into C.
    try {
        auto *self = static_cast<ProducerWorker *>(opaque);
        --self->m_outstanding;
        ++self->m_acknowledged;
        const auto row = opaqueRow(message->_private);
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR && !self->m_job.reportDelivered && !self->m_atomic) {
            if (self->markFinal(row, true)) // counted, not reported one by one
                ++self->m_summary.delivered;
            return;
        }
        DeliveryResult r;
        r.row = row;
        r.partition = message->partition;
        r.latencyUs = rd_kafka_message_latency(message);
        rd_kafka_timestamp_type_t tstype;
        r.timestamp = rd_kafka_message_timestamp(message, &tstype);
        if (tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME && r.timestamp < PlausibleTimestampMs) {
            // librdkafka's mock cluster answers every produce with a dummy log-append time (1234): show the
            // message's own create time instead of a date in 1970.
            const auto [piece, i] = self->m_rows.locate(r.row);
            const auto created = opaqueSinceStartMs(message->_private);
            r.timestamp = piece->timestamp(i).value_or(created ? self->m_startMs + *created
                                                               : self->wallClockMs() -
                                                                     std::max<std::int64_t>(r.latencyUs, 0) / 1000);
        }
        const rd_kafka_msg_status_t persisted = rd_kafka_message_status(message);
        r.persisted = persisted == RD_KAFKA_MSG_STATUS_PERSISTED            ? Persisted::Persisted
                      : persisted == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED ? Persisted::PossiblyPersisted
                                                                            : Persisted::NotPersisted;
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            r.status = DeliveryStatus::Delivered;
            r.offset = message->offset;
            if (message->offset < 0) // the broker called a retried batch a duplicate of one it had written
                r.errorText = QStringLiteral("acknowledged as a duplicate of an earlier attempt; offset unknown");
        } else {
            r.errorCode = message->err;
            r.errorName = rdk::errorName(message->err);
            r.errorText = self->describe(message->err, r.row);
            char fatalBuf[8];
            const rd_kafka_resp_err_t fatalErr = rd_kafka_fatal_error(self->m_rk.get(), fatalBuf, sizeof fatalBuf);
            if (fatalErr != RD_KAFKA_RESP_ERR_NO_ERROR &&
                (message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || message->err == RD_KAFKA_RESP_ERR__FATAL ||
                 message->err == fatalErr)) {
                // The row failed because of the producer's fatal error (librdkafka purges its queue, or fails the
                // row with _FATAL or the error itself, and the error callback may come after the last report): the
                // user did not cancel it, and "Local: Fatal error" alone does not say what went wrong.
                rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR__FATAL;
                const QString text = fatalErrorText(self->m_rk.get(), self->m_job.topic, &code);
                if (!self->m_fatal) {
                    self->m_fatal = true;
                    self->m_fatalText = text;
                }
                r.status = DeliveryStatus::Failed;
                r.errorCode = code;
                r.errorName = rdk::errorName(code);
                r.errorText = QStringLiteral("not sent: the producer hit a fatal error: ") + text;
            } else if (self->m_overduePurged && !self->cancelled() &&
                       (message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
                        message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)) {
                // Purged because it was overdue, not because the user cancelled.
                const bool inFlight = message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
                r.status = inFlight ? DeliveryStatus::PossiblyWritten : DeliveryStatus::Failed;
                r.persisted = inFlight ? Persisted::PossiblyPersisted : Persisted::NotPersisted;
                r.errorText =
                    self->describe(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, r.row) +
                    (inFlight ? QStringLiteral("; the broker may have written it: check before resending") : QString());
            } else if (message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE) {
                r.status = DeliveryStatus::Cancelled;
                r.errorText = QStringLiteral("cancelled before it was sent");
            } else if (r.persisted == Persisted::PossiblyPersisted) {
                r.status = DeliveryStatus::PossiblyWritten;
                r.errorText += QStringLiteral("; the broker may have written it: check before resending");
            } else {
                r.status = DeliveryStatus::Failed;
            }
            if (message->err == RD_KAFKA_RESP_ERR__FATAL && !self->m_fatal) {
                char buf[512];
                rd_kafka_fatal_error(self->m_rk.get(), buf, sizeof buf);
                self->m_fatal = true;
                self->m_fatalText = QString::fromUtf8(buf);
            }
        }
        self->record(std::move(r));
    } catch (...) {
        qCCritical(lcKafka) << "exception in the delivery callback";
    }
}

void ProducerWorker::onError(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    try {
        auto *self = static_cast<ProducerWorker *>(opaque);
        const auto code = static_cast<rd_kafka_resp_err_t>(err);
        if (code == RD_KAFKA_RESP_ERR__FATAL) {
            self->m_fatal = true;
            self->m_fatalText = fatalErrorText(rk, self->m_job.topic);
            qCWarning(lcKafka) << "fatal producer error:" << self->m_fatalText;
            return;
        }
        self->m_lastClientErrorCode = code;
        self->m_lastClientError = QString::fromUtf8(reason);
        qCInfo(lcKafka) << "client error:" << rdk::errorName(code) << reason;
    } catch (...) {
        qCCritical(lcKafka) << "exception in the error callback";
    }
}

} // namespace kbatch::core

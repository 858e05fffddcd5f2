#include "ProducerWorker.h"

#include "DeliveryClassifier.h"
#include "KafkaLog.h"
#include "MessageOpaque.h"
#include "ProduceCall.h"

#include <QDateTime>

#include <chrono>
#include <ctime>
#include <thread>

namespace kbatch::core {

namespace {

constexpr int PollEvery = 1000;            // produce calls between two non-blocking polls
constexpr int InflightPurgeAfterMs = 2000; // after a cancel, give in-flight requests this long before purging them
constexpr int OverdueGraceMs = 2000;       // past message.timeout.ms after the last produce, rows still open are purged
constexpr int TransactionTimeoutMs = 30000; // how long transaction API calls may take, unless the job says less
constexpr int CreateTimeEvery = 64;         // produce calls between two readings of the wall clock for create times

std::int64_t realtimeMs()
{
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace

ProducerWorker::ProducerWorker(Producer *owner, PublishJob job, std::shared_ptr<std::atomic<bool>> cancel,
                               std::shared_ptr<Producer::Flow> flow)
    : m_job(std::move(job)), m_cancel(std::move(cancel)), m_outbox(owner, std::move(flow), m_summary)
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
    if (status.ok())
        status = createClient(std::move(conf));
    m_summary.configurationFailed = !status.ok();
    if (status.ok()) {
        status = connect();
        if (!status.ok())
            m_summary.connectionFailed = true;
    }
    if (status.ok() && m_atomic)
        status = transaction().begin();
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
    bool maxNumeric = false;
    const qint64 maxBytes = m_config.value(QStringLiteral("message.max.bytes")).toLongLong(&maxNumeric);
    if (maxNumeric)
        m_messageMaxBytes = maxBytes;
    m_outbox.postSettings(m_config.effective);
    for (const EffectiveSetting &e : std::as_const(m_config.effective))
        qCInfo(lcKafka).noquote() << "producer setting" << e.name << "=" << e.value << "from" << toString(e.origin);
    return rdk::applyProperties(conf, m_config.properties);
}

Status ProducerWorker::createClient(rdk::ConfPtr conf)
{
    auto client = rdk::createClient(RD_KAFKA_PRODUCER, std::move(conf));
    if (!client.ok())
        return explainClientCreation(client.error());
    m_rk = std::move(client.value());
    return Ok{};
}

Status ProducerWorker::connect()
{
    ConnectProbe::Options options;
    options.topic = m_job.topic;
    // The address librdkafka really uses, a command-line override included: errors must name it.
    options.bootstrap = m_config.value(QStringLiteral("bootstrap.servers"));
    options.timeoutMs = m_job.connectTimeoutMs;
    options.topicMustExist =
        m_config.value(QStringLiteral("allow.auto.create.topics")).trimmed().toLower() == QLatin1String("false");
    options.idempotentWithoutTransaction = !m_atomic;
    auto topic = ConnectProbe(m_rk.get(), m_client, *m_cancel).run(options);
    if (!topic)
        return topic.error();
    m_topic = std::move(topic.value());
    return Ok{};
}

void ProducerWorker::produceAll()
{
    const double rate = m_job.settings.rateLimit;
    const auto start = std::chrono::steady_clock::now();

    for (qsizetype i = 0;; ++i) {
        if (i == m_rows.size() && !takeMoreRows(true))
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
        if (i >= MessageOpaque::MaxRows) {
            // A delivery report names its row in the message's opaque, which has room for this many.
            if (m_summary.error.isEmpty())
                m_summary.error = QStringLiteral("a job sends at most %1 rows; send the rest in another job")
                                      .arg(MessageOpaque::MaxRows);
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
    // A row without a timestamp gets its create time here, as librdkafka would give it, so that the result can
    // report what the message carries (librdkafka reads the same clock when given 0).
    const std::int64_t timestamp = row.timestamp ? *row.timestamp : createTimeMs();
    void *opaque = MessageOpaque::pack(job, timestamp - m_startMs);
    rd_kafka_resp_err_t err;
    while ((err = core::produceRow(m_rk.get(), m_topic.get(), row, timestamp, opaque)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL &&
           !stopping()) {
        // Back-pressure: let delivery reports free the queue, never block the produce call.
        ++m_summary.queueFullWaits;
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
        r.errorText = explainProduceError(err, factsFor(job));
        record(std::move(r));
        if (m_atomic)
            return false; // the transaction is lost anyway: stop sending
    }
    return true;
}

bool ProducerWorker::takeMoreRows(bool sending)
{
    if (!m_job.feed)
        return false;
    Batch piece;
    while (!(sending && stopping())) {
        switch (m_job.feed->take(piece, sending ? 5 : 50)) {
        case RowFeed::Take::Piece:
            if (!piece.isEmpty()) {
                appendRows(std::move(piece));
                m_createTimeLeft = 0; // it may have waited for them
                return true;
            }
            break;
        case RowFeed::Take::Later:
            if (sending) { // the reader is behind: serve delivery reports meanwhile
                poll(0);
                flush(false);
            }
            break;
        case RowFeed::Take::End:
            return false;
        case RowFeed::Take::Failed: // the feed's mistake becomes the job's
            m_summary.inputFailed = true;
            if (m_summary.error.isEmpty())
                m_summary.error = m_job.feed->error().message();
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

Transaction ProducerWorker::transaction() const
{
    return Transaction(m_rk.get(), m_transactionTimeoutMs, m_transactionalId);
}

void ProducerWorker::finishTransaction()
{
    bool allAcked = !stopping();
    for (const DeliveryResult &r : m_held)
        allAcked = allAcked && r.status == DeliveryStatus::Delivered;
    allAcked = allAcked && qsizetype(m_held.size()) == m_rows.size() && !m_summary.inputFailed;

    Transaction::End end = Transaction::End::Aborted;
    QString reason; // why it was aborted, or why its outcome is unknown
    if (allAcked) {
        const Transaction::CommitOutcome outcome = transaction().commit([this](int ms) { poll(ms); });
        if (outcome.fatal)
            noteFatal(outcome.text);
        end = outcome.committed ? Transaction::End::Committed
              : outcome.unknown ? Transaction::End::Unknown
                                : Transaction::End::Aborted;
        reason = end == Transaction::End::Aborted ? QStringLiteral("the commit failed: ") + outcome.text : outcome.text;
    } else if (cancelled()) {
        reason = QStringLiteral("cancelled by the user");
    } else if (m_client.fatal) {
        reason = QStringLiteral("fatal producer error: ") + m_client.fatalText;
    } else if (m_summary.inputFailed) {
        reason = QStringLiteral("the input has a mistake: ") + m_summary.error;
    } else {
        reason = QStringLiteral("a message of the batch was not delivered");
    }
    m_summary.committed = end == Transaction::End::Committed;

    // An abort after a commit whose outcome is unknown would only fail ("Conflicting commit_transaction API call is
    // already in progress") and could not undo a commit that took: it is not tried.
    if (end == Transaction::End::Aborted && !m_client.fatal) {
        if (const QString failed = transaction().abort(); !failed.isEmpty())
            reason += QStringLiteral("; ") + failed;
        // Purged messages report now.
        QElapsedTimer t;
        t.start();
        while (m_outstanding > 0 && t.elapsed() < m_transactionTimeoutMs)
            poll(20);
    }

    m_atomic = false; // from here on results are final and go straight out
    std::vector<DeliveryResult> held = std::move(m_held);
    m_held.clear();
    for (DeliveryResult &r : held) {
        Transaction::settle(r, end, reason);
        m_outbox.add(std::move(r)); // final since it was held
    }
    if (end == Transaction::End::Unknown) {
        m_summary.commitUnknown = true;
        m_summary.error = QStringLiteral("batch outcome unknown: the commit may have succeeded; read committed data "
                                         "to check (%1)")
                              .arg(reason);
        failUnreported(DeliveryStatus::PossiblyWritten, m_summary.error, RD_KAFKA_RESP_ERR__TIMED_OUT,
                       QStringLiteral("TRANSACTION_OUTCOME_UNKNOWN"));
    } else if (end == Transaction::End::Aborted) {
        m_summary.error = QStringLiteral("batch not committed: ") + reason;
        failUnreported(cancelled() ? DeliveryStatus::Cancelled : DeliveryStatus::Failed, m_summary.error,
                       RD_KAFKA_RESP_ERR__FAIL, QStringLiteral("TRANSACTION_ABORTED"));
    }
}

void ProducerWorker::finish()
{
    // The error callback may not have been served yet when every row already failed with the fatal error.
    if (const FatalError fatal = rdk::fatalError(m_rk.get()); fatal.isSet())
        noteFatal(fatalErrorText(fatal, m_job.topic));
    if (m_client.fatal) {
        m_summary.fatal = true;
        if (m_summary.error.isEmpty())
            m_summary.error = QStringLiteral("fatal producer error, the job was stopped: ") + m_client.fatalText;
    }
    failTheRest();
    // The rows still coming get their outcome too, a piece at a time: a feed of generated rows may hold millions,
    // and neither they nor their results are ever all in memory at once.
    if (m_job.feed) {
        while (takeMoreRows(false))
            failTheRest();
        m_job.feed->close();
    }
    flush(true);
    m_topic.reset(); // the handle first: rd_kafka_destroy() waits for every topic handle to be released
    m_rk.reset();    // outstanding is 0 here: destroy does not block
    m_summary.elapsedMs = m_clock.elapsed();
    m_outbox.postFinished();
}

void ProducerWorker::failTheRest()
{
    JobEnd end;
    end.fatal = m_client.fatal;
    end.fatalCode = rdk::fatalError(m_rk.get()).code;
    end.fatalText = m_client.fatalText;
    end.cancelled = cancelled();
    end.jobError = m_summary.error;
    const DeliveryVerdict v = classifyUnsent(end);
    failUnreported(v.status, v.errorText, v.errorCode, v.errorName);
}

void ProducerWorker::waitForOwner()
{
    while (m_outbox.ownerIsBehind()) {
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
        if (m_outbox.isFull()) {
            flush(false);
            waitForOwner();
        }
    }
}

void ProducerWorker::record(DeliveryResult result, bool releasable)
{
    if (!markFinal(result.row, releasable))
        return;
    if (m_atomic)
        m_held.push_back(std::move(result));
    else
        m_outbox.add(std::move(result));
}

void ProducerWorker::flush(bool force)
{
    m_outbox.flush(force, m_clock.elapsed(), {m_produced, m_acknowledged});
}

ProduceFacts ProducerWorker::factsFor(qsizetype row) const
{
    ProduceFacts facts;
    facts.topic = m_job.topic;
    facts.messageMaxBytes = m_messageMaxBytes;
    facts.messageTimeoutMs = m_messageTimeoutMs;
    if (row >= 0 && row < m_rows.size() && !m_rows.isFinal(row)) {
        const auto [piece, i] = m_rows.locate(row);
        facts.rowBytes = piece->key(i).size() + piece->value(i).size();
        facts.rowPartition = piece->partition(i);
    }
    // Once the producer has a fatal error, produce calls and delivery reports fail with its code.
    facts.fatal = rdk::fatalError(m_rk.get());
    return facts;
}

void ProducerWorker::noteFatal(const QString &text)
{
    if (m_client.fatal)
        return;
    m_client.fatal = true;
    m_client.fatalText = text;
}

void ProducerWorker::poll(int timeoutMs)
{
    m_wallClockMs = -1;   // read again, at most once for the reports this poll serves
    m_createTimeLeft = 0; // and for the next create time: this may wait
    rd_kafka_poll(m_rk.get(), timeoutMs);
}

std::int64_t ProducerWorker::createTimeMs()
{
    if (m_createTimeLeft-- <= 0) {
        m_createTimeMs = realtimeMs();
        m_createTimeLeft = CreateTimeEvery - 1;
    }
    return m_createTimeMs;
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
        const auto row = MessageOpaque::row(message->_private);
        DeliveryReport report;
        report.err = message->err;
        report.status = Persisted(rd_kafka_message_status(message));
        report.offset = message->offset;
        report.overduePurged = self->m_overduePurged;
        report.transactional = self->m_job.settings.mode == PublishMode::Atomic;
        report.cancelled = self->cancelled();
        // The raw outcome, as the classifier's tests record it (tests/core/kafka/tst_deliveryclassifier.cpp).
        qCDebug(lcKafka, "delivery report: row %lld err %d (%s) status %d offset %lld fatal %d", qlonglong(row),
                int(message->err), rd_kafka_err2name(message->err), int(report.status), qlonglong(message->offset),
                int(rdk::fatalError(self->m_rk.get()).code));
        if (report.err == RD_KAFKA_RESP_ERR_NO_ERROR && !self->m_job.reportDelivered && !self->m_atomic) {
            if (self->markFinal(row, true)) // counted, not reported one by one
                ++self->m_summary.delivered;
            return;
        }
        const DeliveryVerdict verdict = classifyDelivery(report, self->factsFor(row));
        if (verdict.fatal)
            self->noteFatal(verdict.fatalText);
        DeliveryResult r;
        r.row = row;
        r.status = verdict.status;
        r.persisted = verdict.persisted;
        r.partition = message->partition;
        r.offset = verdict.offset;
        r.errorCode = verdict.errorCode;
        r.errorName = verdict.errorName;
        r.errorText = verdict.errorText;
        r.latencyUs = rd_kafka_message_latency(message);
        rd_kafka_timestamp_type_t tstype;
        r.timestamp = rd_kafka_message_timestamp(message, &tstype);
        if (tstype == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME) {
            const auto [piece, i] = self->m_rows.locate(r.row);
            const auto created = MessageOpaque::sinceStartMs(message->_private);
            r.timestamp = shownTimestamp(r.timestamp, true, piece->timestamp(i),
                                         created ? std::optional(self->m_startMs + *created) : std::nullopt,
                                         self->wallClockMs() - std::max<std::int64_t>(r.latencyUs, 0) / 1000);
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
            self->noteFatal(fatalErrorText(rdk::fatalError(rk), self->m_job.topic));
            qCWarning(lcKafka) << "fatal producer error:" << self->m_client.fatalText;
            return;
        }
        self->m_client.lastErrorCode = code;
        self->m_client.lastError = QString::fromUtf8(reason);
        qCInfo(lcKafka) << "client error:" << rdk::errorName(code) << reason;
    } catch (...) {
        qCCritical(lcKafka) << "exception in the error callback";
    }
}

} // namespace kbatch::core

// The producer against the sandbox cluster (in this process), read back by kcat (another process).

#include "KcatReader.h"
#include "core/kafka/Metadata.h"
#include "core/kafka/Peek.h"
#include "core/kafka/Producer.h"
#include "core/kafka/ReadBack.h"
#include "core/kafka/SandboxCluster.h"
#include "tests/common/DeliverySuite.h"
#include "tests/common/Printers.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace kbatch::core;
using kbatch::test::compareWithKcat;
using kbatch::test::kcatReadAll;
using kbatch::test::mixedRows;
using kbatch::test::publishAndWait;
using kbatch::test::PublishRun;

class TestProducer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversEveryRowExactlyOnce();
    void compressionCodecs_data();
    void compressionCodecs();
    void unknownTopicWithAutoCreateOff();
    void illegalTopicNameFailsBeforeSending();
    void messageTooLargeFailsOnlyThatRow();
    void invalidPropertyIsNamed();
    void unreachableClusterFailsWithinTimeout();
    void cancelEndsEveryRow();
    void atomicCommits();
    void atomicAbortsOnAnyFailure();
    void rateLimitIsHonoured();
    void feedRowsFollowTheJobsOwn();
    void feedMistakeStopsTheJobThere();
    void cancelGivesEveryFedRowAnOutcome();
    void atomicJobAbortsOnAFeedMistake();
    void peekAtAMissingTopicCreatesIt();
    void firstRowsDoNotWaitForTheProducerIdTimer();

private:
    PublishJob job(const QString &topic, const Batch &rows) const;
    static PublishRun publish(PublishJob j, const std::function<void(Producer &)> &whileRunning = {});
    static void cancelSoon(Producer &producer); // cancels 300 ms after the first acknowledgement
    // A job cancelled mid-way: every row has exactly one outcome, and kcat finds exactly the delivered ones.
    void checkCancelledMidWay(const PublishRun &run, qsizetype total, const QString &topic) const;

    std::unique_ptr<SandboxCluster> m_sandbox;
};

void TestProducer::initTestCase()
{
    auto sandbox = SandboxCluster::start(3);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().message()));
    m_sandbox = std::move(sandbox.value());
    QVERIFY(m_sandbox->createTopic(QStringLiteral("m1"), 3).ok());
}

PublishJob TestProducer::job(const QString &topic, const Batch &rows) const
{
    PublishJob j;
    j.topic = topic;
    j.rows = rows;
    j.connection = {{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    j.connectTimeoutMs = 5000;
    return j;
}

PublishRun TestProducer::publish(PublishJob j, const std::function<void(Producer &)> &whileRunning)
{
    PublishRun run = publishAndWait(std::move(j), whileRunning);
    if (run.rowsWithoutOneOutcome != 0)
        qWarning("%lld rows without exactly one outcome", qlonglong(run.rowsWithoutOneOutcome));
    return run;
}

void TestProducer::deliversEveryRowExactlyOnce()
{
    const Batch rows = mixedRows(1000, 3);
    PublishRun run = publish(job(QStringLiteral("m1"), rows));
    QCOMPARE(run.summary.total, 1000);
    QCOMPARE(run.summary.delivered, 1000);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.results.size(), 1000);
    QCOMPARE(run.rowsWithoutOneOutcome, 0);
    QVERIFY2(run.signalCount < 100, "results must arrive in coalesced batches, not one signal per message");

    // Rows with an explicit partition landed there; offsets are per partition in send order.
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Delivered);
        QCOMPARE(r.persisted, Persisted::Persisted);
        if (const auto p = rows.partition(r.row))
            QCOMPARE(r.partition, *p);
        QVERIFY(r.latencyUs >= 0);
    }

    // kcat, from another process, sees exactly these bytes at these offsets, in send order per partition.
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("m1"));
    QCOMPARE(records.size(), 1000);
    compareWithKcat(records, rows, run.results);
    if (QTest::currentTestFailed())
        return;

    // Our own read-back agrees.
    auto verified =
        readBack(job(QStringLiteral("m1"), rows).connection, QStringLiteral("m1"), rows, run.results, 30000);
    QVERIFY(verified.ok());
    QCOMPARE(verified->checked, 1000);
    QCOMPARE(verified->verified, 1000);
    QVERIFY(verified->ok());
}

void TestProducer::compressionCodecs_data()
{
    QTest::addColumn<QString>("codec");
    for (const char *c : {"none", "gzip", "snappy", "lz4", "zstd"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestProducer::compressionCodecs()
{
    QFETCH(QString, codec);
    const QString topic = QStringLiteral("codec-") + codec;
    const Batch rows = mixedRows(200, 4);
    PublishJob j = job(topic, rows);
    j.settings.compression = codec;
    PublishRun run = publish(std::move(j));
    QCOMPARE(run.summary.delivered, 200);
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), topic);
    QCOMPARE(records.size(), 200);
    auto verified = readBack(job(topic, rows).connection, topic, rows, run.results, 30000);
    QVERIFY(verified.ok() && verified->ok());
}

void TestProducer::unknownTopicWithAutoCreateOff()
{
    PublishJob j = job(QStringLiteral("does-not-exist"), mixedRows(5, 1));
    j.settings.properties.append({QStringLiteral("allow.auto.create.topics"), QStringLiteral("false")});
    PublishRun run = publish(std::move(j));
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("topic 'does-not-exist' does not exist at 127.0.0.1:")),
             qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 5);
    for (const DeliveryResult &r : run.results)
        QCOMPARE(r.status, DeliveryStatus::Failed);
}

// The GUI's path: the mock cluster would take this name, a real broker would not; every row fails, nothing is sent.
void TestProducer::illegalTopicNameFailsBeforeSending()
{
    PublishRun run = publish(job(QStringLiteral("orders#2"), mixedRows(5, 1)));
    QVERIFY(run.summary.connectionFailed);
    QCOMPARE(run.summary.error, QStringLiteral("topic: 'orders#2' has '#' at position 7; Kafka topic names allow only "
                                               "ASCII letters, digits, '.', '_' and '-'"));
    QCOMPARE(run.summary.failed, 5);
    QCOMPARE(run.results.size(), 5);
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Failed);
        QCOMPARE(r.persisted, Persisted::NotPersisted);
    }
}

void TestProducer::messageTooLargeFailsOnlyThatRow()
{
    Batch rows = mixedRows(10, 1);
    Message big;
    big.value = Payload(QByteArray(2'000'000, 'x'));
    rows.insert(4, big);
    PublishRun run = publish(job(QStringLiteral("big"), rows));
    QCOMPARE(run.summary.delivered, 10);
    QCOMPARE(run.summary.failed, 1);
    for (const DeliveryResult &r : run.results) {
        if (r.row == 4) {
            QCOMPARE(r.status, DeliveryStatus::Failed);
            QCOMPARE(r.errorName, QStringLiteral("MSG_SIZE_TOO_LARGE"));
            QVERIFY2(r.errorText.contains(QLatin1String("message.max.bytes")), qPrintable(r.errorText));
        }
    }
    QCOMPARE(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("big")).size(), 10);
}

void TestProducer::invalidPropertyIsNamed()
{
    PublishJob j = job(QStringLiteral("m1"), mixedRows(3, 1));
    j.overrides.append({QStringLiteral("linger.mss"), QStringLiteral("5")}); // as kbatch-cli -X gives it
    PublishRun run = publish(std::move(j));
    QVERIFY(run.summary.configurationFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("linger.mss")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
}

void TestProducer::unreachableClusterFailsWithinTimeout()
{
    PublishJob j = job(QStringLiteral("m1"), mixedRows(3, 1));
    j.connection = {{QStringLiteral("bootstrap.servers"), QStringLiteral("127.0.0.1:1")}};
    j.connectTimeoutMs = 1500;
    QElapsedTimer t;
    t.start();
    PublishRun run = publish(std::move(j));
    QVERIFY(t.elapsed() < 10000);
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("cannot connect to 127.0.0.1:1")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
}

void TestProducer::cancelEndsEveryRow()
{
    PublishJob j = job(QStringLiteral("cancel"), mixedRows(20000, 1));
    j.settings.rateLimit = 2000; // slow enough to cancel mid-way
    const PublishRun run = publish(std::move(j), cancelSoon);
    checkCancelledMidWay(run, 20000, QStringLiteral("cancel"));
}

void TestProducer::cancelSoon(Producer &producer)
{
    // Mid-way, counted from the first acknowledgement rather than from the start: however long the producer takes to
    // begin (since librdkafka 2.10 an idempotent producer can wait half a second for its producer id, which KBatch
    // avoids but this test must not depend on), "300 ms into the job" could be before anything was sent.
    QSignalSpy progress(&producer, &Producer::progressed);
    QTRY_VERIFY_WITH_TIMEOUT(
        !progress.isEmpty() && progress.constLast().constFirst().value<Producer::Progress>().acknowledged > 0, 10000);
    QTest::qWait(300);
    producer.cancel();
}

void TestProducer::checkCancelledMidWay(const PublishRun &run, qsizetype total, const QString &topic) const
{
    QCOMPARE(run.summary.total, total);
    QVERIFY(run.summary.delivered > 0);
    QVERIFY(run.summary.cancelled > 0);
    QCOMPARE(run.summary.delivered + run.summary.cancelled + run.summary.failed + run.summary.possiblyWritten, total);
    QCOMPARE(run.results.size(), total);
    QSet<qsizetype> seen; // exactly one outcome per row
    for (const DeliveryResult &r : run.results)
        seen.insert(r.row);
    QCOMPARE(seen.size(), total);
    QCOMPARE(qsizetype(kcatReadAll(m_sandbox->bootstrapServers(), topic).size()), run.summary.delivered);
}

void TestProducer::atomicCommits()
{
    PublishJob j = job(QStringLiteral("atomic-ok"), mixedRows(300, 3));
    j.settings.mode = PublishMode::Atomic;
    PublishRun run = publish(std::move(j));
    QVERIFY2(run.summary.committed, qPrintable(run.summary.error));
    QCOMPARE(run.summary.delivered, 300);
    QCOMPARE(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("atomic-ok")).size(), 300);
}

void TestProducer::atomicAbortsOnAnyFailure()
{
    Batch rows = mixedRows(50, 1);
    Message big;
    big.value = Payload(QByteArray(2'000'000, 'x'));
    rows.append(big);
    PublishJob j = job(QStringLiteral("atomic-abort"), rows);
    j.settings.mode = PublishMode::Atomic;
    PublishRun run = publish(std::move(j));
    QVERIFY(!run.summary.committed);
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 51);
    QVERIFY2(run.summary.error.startsWith(QLatin1String("batch not committed")), qPrintable(run.summary.error));
    for (const DeliveryResult &r : run.results) {
        if (r.row == 50)
            QCOMPARE(r.errorName, QStringLiteral("MSG_SIZE_TOO_LARGE"));
        else
            QVERIFY2(r.errorText.startsWith(QLatin1String("batch not committed")), qPrintable(r.errorText));
    }
}

void TestProducer::rateLimitIsHonoured()
{
    PublishJob j = job(QStringLiteral("rate"), mixedRows(50, 1));
    j.settings.rateLimit = 100; // 50 messages at 100/s take about 0.5 s
    QElapsedTimer t;
    t.start();
    PublishRun run = publish(std::move(j));
    QCOMPARE(run.summary.delivered, 50);
    QVERIFY2(t.elapsed() >= 450, qPrintable(QString::number(t.elapsed())));
}

// Rows [from, to) of `rows` as a batch of their own.
static Batch slice(const Batch &rows, qsizetype from, qsizetype to)
{
    Batch out;
    for (qsizetype i = from; i < to; ++i)
        out.append(rows.at(i));
    return out;
}

// Feeds `pieces` from a thread of its own (as kbatch-cli's reader does), then ends the feed with `mistake` if set.
static std::thread feedFrom(std::shared_ptr<RowFeed> feed, QList<Batch> pieces, std::optional<Error> mistake = {})
{
    return std::thread([feed = std::move(feed), pieces = std::move(pieces), mistake] {
        for (const Batch &piece : pieces)
            if (!feed->push(piece))
                return;
        if (mistake)
            feed->fail(*mistake);
        else
            feed->finish();
    });
}

void TestProducer::feedRowsFollowTheJobsOwn()
{
    const Batch rows = mixedRows(1000, 3, "feed");
    PublishJob j = job(QStringLiteral("feed"), slice(rows, 0, 300));
    j.feed = std::make_shared<RowFeed>(1);
    std::thread reader = feedFrom(j.feed, {slice(rows, 300, 600), slice(rows, 600, 900), slice(rows, 900, 1000)});
    PublishRun run = publish(std::move(j));
    reader.join();
    QCOMPARE(run.summary.total, 1000);
    QCOMPARE(run.summary.delivered, 1000);
    QVERIFY(!run.summary.inputFailed);
    QCOMPARE(run.summary.payloadBytes, rows.payloadBytes());
    QCOMPARE(run.results.size(), 1000);
    QSet<qsizetype> seen;
    for (const DeliveryResult &r : run.results)
        seen.insert(r.row);
    QCOMPARE(seen.size(), 1000);
    // kcat sees every row's bytes where the results say, in send order per partition.
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("feed"));
    QCOMPARE(records.size(), 1000);
    compareWithKcat(records, rows, run.results);
}

void TestProducer::feedMistakeStopsTheJobThere()
{
    const Batch rows = mixedRows(300, 1, "mistake");
    PublishJob j = job(QStringLiteral("feed-mistake"), slice(rows, 0, 100));
    j.feed = std::make_shared<RowFeed>();
    const Error mistake(QStringLiteral("must be 0 or greater, found -1"), QStringLiteral("t.kbatch.json"), 205, 30,
                        QStringLiteral("messages[202].partition"));
    std::thread reader = feedFrom(j.feed, {slice(rows, 100, 200)}, mistake);
    PublishRun run = publish(std::move(j));
    reader.join();
    QVERIFY(run.summary.inputFailed);
    QCOMPARE(run.summary.error, mistake.message());
    QCOMPARE(run.summary.total, 200);
    QCOMPARE(run.summary.delivered, 200);
    QCOMPARE(run.results.size(), 200);
    QCOMPARE(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("feed-mistake")).size(), 200);
}

void TestProducer::cancelGivesEveryFedRowAnOutcome()
{
    const Batch rows = mixedRows(6000, 1, "cancel");
    PublishJob j = job(QStringLiteral("feed-cancel"), slice(rows, 0, 1000));
    j.settings.rateLimit = 2000; // slow enough to cancel mid-way, with pieces still to come
    j.feed = std::make_shared<RowFeed>(1);
    QList<Batch> pieces;
    for (qsizetype from = 1000; from < rows.size(); from += 1000)
        pieces.append(slice(rows, from, from + 1000));
    std::thread reader = feedFrom(j.feed, pieces);
    const PublishRun run = publish(std::move(j), cancelSoon);
    reader.join();
    // The job read the feed to its end after the cancel, so the rows still coming have their outcome too.
    checkCancelledMidWay(run, 6000, QStringLiteral("feed-cancel"));
}

void TestProducer::atomicJobAbortsOnAFeedMistake()
{
    const Batch rows = mixedRows(200, 1, "atomic");
    PublishJob j = job(QStringLiteral("feed-atomic"), slice(rows, 0, 100));
    j.settings.mode = PublishMode::Atomic;
    j.feed = std::make_shared<RowFeed>();
    std::thread reader = feedFrom(j.feed, {slice(rows, 100, 200)}, Error(QStringLiteral("expected a value")));
    PublishRun run = publish(std::move(j));
    reader.join();
    QVERIFY(run.summary.inputFailed);
    QVERIFY(!run.summary.committed);
    QCOMPARE(run.summary.error, QStringLiteral("batch not committed: the input has a mistake: expected a value"));
    QCOMPARE(run.summary.delivered, 0);
    QCOMPARE(run.summary.failed, 200);
    for (const DeliveryResult &r : run.results)
        QVERIFY2(r.errorText.startsWith(QLatin1String("batch not committed")), qPrintable(r.errorText));
}

void TestProducer::peekAtAMissingTopicCreatesIt()
{
    // The sandbox creates topics that any client asks for, a reader too (SandboxCluster serves Metadata up to v3):
    // a peek finds an empty topic of 4 partitions, not "does not exist".
    const Properties connection{{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    const auto peeked = peekTopic(connection, QStringLiteral("peeked-first"), -1, 10, 10000);
    QVERIFY2(peeked.ok(), qPrintable(peeked.ok() ? QString() : peeked.error().message()));
    QVERIFY(peeked.value().isEmpty());
    const auto info = fetchMetadata(connection, 10000);
    QVERIFY(info.ok());
    qsizetype partitions = -1;
    for (const TopicInfo &t : info.value().topics)
        if (t.name == QLatin1String("peeked-first"))
            partitions = t.partitions.size();
    QCOMPARE(partitions, qsizetype(SandboxCluster::defaultPartitions()));
}

void TestProducer::firstRowsDoNotWaitForTheProducerIdTimer()
{
    // Since librdkafka 2.10 the bootstrap connection makes way for the brokers the metadata names, and the idempotent
    // producer (KBatch's default) then waited for its 500 ms PID timer before the first row could leave: every
    // job's first rows took half a second (a second seen on Kafka 4.4). ProducerWorker asks for the producer id
    // once a broker is up; the first rows are acknowledged in milliseconds again. Two jobs: a new topic, a known one.
    for (const QString &topic : {QStringLiteral("latency-new"), QStringLiteral("latency-new")}) {
        PublishJob j = job(topic, mixedRows(5, 1));
        QVERIFY(j.settings.idempotence);
        const PublishRun run = publish(std::move(j));
        QCOMPARE(run.summary.delivered, 5);
        qint64 slowest = 0;
        for (const DeliveryResult &r : run.results)
            slowest = std::max<qint64>(slowest, r.latencyUs);
        QVERIFY2(slowest < 400000, qPrintable(QStringLiteral("a first row took %1 ms").arg(slowest / 1000)));
    }
}

QTEST_GUILESS_MAIN(TestProducer)
#include "tst_producer.moc"

// The producer against the sandbox cluster (in this process), read back by kcat (another process).

#include "KcatReader.h"
#include "tests/common/Printers.h"
#include "core/kafka/Producer.h"
#include "core/kafka/ReadBack.h"
#include "core/kafka/SandboxCluster.h"

#include <QSignalSpy>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::kcatReadAll;

class TestProducer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deliversEveryRowExactlyOnce();
    void compressionCodecs_data();
    void compressionCodecs();
    void unknownTopicWithAutoCreateOff();
    void messageTooLargeFailsOnlyThatRow();
    void invalidPropertyIsNamed();
    void unreachableClusterFailsWithinTimeout();
    void cancelEndsEveryRow();
    void atomicCommits();
    void atomicAbortsOnAnyFailure();
    void rateLimitIsHonoured();

private:
    struct Run
    {
        DeliveryResults results;
        JobSummary summary;
        int signalCount = 0;
    };
    Run publish(PublishJob job, std::function<void(Producer &)> whileRunning = {});
    PublishJob job(const QString &topic, const Batch &rows) const;
    static Batch mixedRows(int count, int partitions);

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

TestProducer::Run TestProducer::publish(PublishJob j, std::function<void(Producer &)> whileRunning)
{
    Run run;
    Producer producer;
    connect(&producer, &Producer::deliveriesReported, this, [&run](const DeliveryResults &r) {
        run.results.append(r);
        ++run.signalCount;
    });
    QSignalSpy finished(&producer, &Producer::jobFinished);
    const qsizetype total = j.rows.size();
    const Status started = producer.start(std::move(j));
    if (!started.ok()) {
        qWarning("start failed: %s", qPrintable(started.error().message()));
        return run;
    }
    if (whileRunning)
        whileRunning(producer);
    if (!finished.wait(120000) && finished.isEmpty())
        qWarning("job did not finish");
    if (!finished.isEmpty())
        run.summary = finished.first().first().value<JobSummary>();
    // Exactly one outcome per row, and results were coalesced.
    QList<int> seen(total, 0);
    for (const DeliveryResult &r : run.results)
        if (r.row >= 0 && r.row < total)
            ++seen[r.row];
    for (qsizetype i = 0; i < total; ++i)
        if (seen[i] != 1)
            qWarning("row %lld has %d outcomes", qlonglong(i), seen[i]);
    return run;
}

Batch TestProducer::mixedRows(int count, int partitions)
{
    Batch b;
    for (int i = 0; i < count; ++i) {
        Message m;
        switch (i % 5) {
        case 0: // plain key and text value
            m.key = Payload(QByteArray("key-") + QByteArray::number(i));
            m.value = Payload(QByteArray("value ") + QByteArray::number(i) + " ünïcødé");
            break;
        case 1: // null key
            m.value = Payload(QByteArray("{\"n\":") + QByteArray::number(i) + "}", Encoding::Json);
            break;
        case 2: // tombstone
            m.key = Payload(QByteArray("gone-") + QByteArray::number(i));
            break;
        case 3: { // binary value with every byte, empty key
            QByteArray bin;
            for (int c = 0; c < 256; ++c)
                bin.append(char((c + i) & 0xff));
            m.key = Payload(QByteArray());
            m.value = Payload(bin, Encoding::Base64);
            break;
        }
        case 4: // repeated header names, a null and an empty header value, explicit timestamp
            m.key = Payload(QByteArray("h-") + QByteArray::number(i));
            m.value = Payload(QByteArray());
            m.headers = {{"trace", Payload(QByteArray("a"))}, {"trace", Payload(QByteArray("b"))},
                         {"nothing", Payload()}, {"empty", Payload(QByteArray())}};
            m.timestamp = 1767225600000 + i;
            break;
        }
        if (i % 7 == 0)
            m.partition = i % partitions;
        b.append(m);
    }
    return b;
}

void TestProducer::deliversEveryRowExactlyOnce()
{
    const Batch rows = mixedRows(1000, 3);
    Run run = publish(job(QStringLiteral("m1"), rows));
    QCOMPARE(run.summary.total, 1000);
    QCOMPARE(run.summary.delivered, 1000);
    QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
    QCOMPARE(run.results.size(), 1000);
    QVERIFY2(run.signalCount < 100, "results must arrive in coalesced batches, not one signal per message");

    // Rows with an explicit partition landed there; offsets are per partition in send order.
    QHash<int, qint64> lastOffset;
    for (const DeliveryResult &r : run.results) {
        QCOMPARE(r.status, DeliveryStatus::Delivered);
        QCOMPARE(r.persisted, Persisted::Persisted);
        if (const auto p = rows.partition(r.row))
            QCOMPARE(r.partition, *p);
        QVERIFY(r.latencyUs >= 0);
    }

    // kcat, from another process, sees exactly these bytes at these offsets.
    const auto records = kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("m1"));
    QCOMPARE(records.size(), 1000);
    QHash<QPair<int, qint64>, qsizetype> rowAt;
    for (const DeliveryResult &r : run.results)
        rowAt.insert({r.partition, r.offset}, r.row);
    QHash<int, qsizetype> lastRowInPartition;
    for (const auto &rec : records) {
        const auto it = rowAt.constFind({rec.partition, rec.offset});
        QVERIFY2(it != rowAt.constEnd(), qPrintable(QStringLiteral("unexpected record %1/%2").arg(rec.partition).arg(rec.offset)));
        const qsizetype row = *it;
        QCOMPARE(rec.key.has_value(), !rows.keyIsNull(row));
        if (rec.key)
            QCOMPARE(*rec.key, rows.key(row).toByteArray());
        QCOMPARE(rec.value.has_value(), !rows.valueIsNull(row));
        if (rec.value)
            QCOMPARE(*rec.value, rows.value(row).toByteArray());
        const Headers &hs = rows.headers(row);
        QCOMPARE(rec.headers.size(), hs.size());
        for (qsizetype h = 0; h < hs.size(); ++h) {
            QCOMPARE(rec.headers[h].first, hs[h].name);
            QCOMPARE(rec.headers[h].second.has_value(), !hs[h].value.isNull());
            if (rec.headers[h].second)
                QCOMPARE(*rec.headers[h].second, *hs[h].value.bytes);
        }
        if (const auto ts = rows.timestamp(row))
            QCOMPARE(rec.timestamp, *ts);
        // Per-partition order equals send order.
        QVERIFY(lastRowInPartition.value(rec.partition, -1) < row);
        lastRowInPartition[rec.partition] = row;
    }

    // Our own read-back agrees.
    auto verified = readBack(job(QStringLiteral("m1"), rows).connection, QStringLiteral("m1"), rows, run.results, 30000);
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
    Run run = publish(std::move(j));
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
    Run run = publish(std::move(j));
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("topic 'does-not-exist' does not exist at 127.0.0.1:")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 5);
    for (const DeliveryResult &r : run.results)
        QCOMPARE(r.status, DeliveryStatus::Failed);
}

void TestProducer::messageTooLargeFailsOnlyThatRow()
{
    Batch rows = mixedRows(10, 1);
    Message big;
    big.value = Payload(QByteArray(2'000'000, 'x'));
    rows.insert(4, big);
    Run run = publish(job(QStringLiteral("big"), rows));
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
    j.settings.properties.append({QStringLiteral("linger.mss"), QStringLiteral("5")});
    Run run = publish(std::move(j));
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
    Run run = publish(std::move(j));
    QVERIFY(t.elapsed() < 10000);
    QVERIFY(run.summary.connectionFailed);
    QVERIFY2(run.summary.error.contains(QLatin1String("cannot connect to 127.0.0.1:1")), qPrintable(run.summary.error));
    QCOMPARE(run.summary.failed, 3);
}

void TestProducer::cancelEndsEveryRow()
{
    PublishJob j = job(QStringLiteral("cancel"), mixedRows(20000, 1));
    j.settings.rateLimit = 2000; // slow enough to cancel mid-way
    Run run = publish(std::move(j), [](Producer &p) {
        QTest::qWait(300);
        p.cancel();
    });
    QCOMPARE(run.summary.total, 20000);
    QVERIFY(run.summary.cancelled > 0);
    QVERIFY(run.summary.delivered > 0);
    QCOMPARE(run.summary.delivered + run.summary.cancelled + run.summary.failed + run.summary.possiblyWritten, 20000);
    QCOMPARE(run.results.size(), 20000);
    QCOMPARE(qsizetype(kcatReadAll(m_sandbox->bootstrapServers(), QStringLiteral("cancel")).size()),
             run.summary.delivered);
}

void TestProducer::atomicCommits()
{
    PublishJob j = job(QStringLiteral("atomic-ok"), mixedRows(300, 3));
    j.settings.mode = PublishMode::Atomic;
    Run run = publish(std::move(j));
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
    Run run = publish(std::move(j));
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
    Run run = publish(std::move(j));
    QCOMPARE(run.summary.delivered, 50);
    QVERIFY2(t.elapsed() >= 450, qPrintable(QString::number(t.elapsed())));
}

QTEST_GUILESS_MAIN(TestProducer)
#include "tst_producer.moc"

// Results flow from the producer thread to its owner. An owner slower than the cluster (kbatch-cli writing a report
// line per message, a busy UI) must hold the producer back rather than let results pile up in its event queue: for
// 20 million generated rows that queue used to take 25 bytes a message.

#include "core/kafka/Producer.h"
#include "core/kafka/SandboxCluster.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <memory>

using namespace kbatch::core;

class TestResultFlow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void slowOwnerHoldsTheProducerBack();
    void everyFedRowGetsAnOutcomeWhenTheClusterIsGone();

private:
    std::unique_ptr<SandboxCluster> m_sandbox;
};

static Batch smallRows(int first, int count)
{
    Batch b;
    b.reserve(count, count * 8);
    for (int i = first; i < first + count; ++i) {
        Message m;
        m.value = Payload(QByteArray::number(i));
        b.append(m);
    }
    return b;
}

void TestResultFlow::initTestCase()
{
    auto sandbox = SandboxCluster::start(1);
    QVERIFY2(sandbox.ok(), qPrintable(sandbox.ok() ? QString() : sandbox.error().message()));
    m_sandbox = std::move(sandbox.value());
    QVERIFY(m_sandbox->createTopic(QStringLiteral("flow"), 3).ok());
}

void TestResultFlow::slowOwnerHoldsTheProducerBack()
{
    const int rows = 600000;
    const qint64 queueLimit = 10000; // librdkafka's queue: what may be in flight besides the results
    PublishJob job;
    job.topic = QStringLiteral("flow");
    job.rows = smallRows(0, rows);
    job.connection = {{QStringLiteral("bootstrap.servers"), m_sandbox->bootstrapServers()}};
    job.settings.properties = {{QStringLiteral("queue.buffering.max.messages"), QString::number(queueLimit)}};

    Producer producer;
    qint64 handled = 0;
    qint64 mostQueued = 0;
    bool countedAlike = true;
    bool finished = false;
    JobSummary summary;
    connect(&producer, &Producer::deliveriesReported, this, [&](const DeliveryResults &results) {
        const qint64 queued = producer.unhandledResults(); // this batch and the ones posted after it
        countedAlike = countedAlike && queued >= results.size();
        mostQueued = std::max(mostQueued, queued);
        // An owner that handles 200,000 results a second, about a fifth of what the sandbox acknowledges.
        QThread::usleep(std::uint64_t(results.size()) * 5);
        handled += results.size();
    });
    connect(&producer, &Producer::jobFinished, this, [&](const JobSummary &s) {
        summary = s;
        finished = true;
    });
    QVERIFY(producer.start(std::move(job)).ok());
    QTRY_VERIFY_WITH_TIMEOUT(finished, 120000);
    QCOMPARE(summary.delivered, rows);
    QCOMPARE(handled, rows);
    QVERIFY(countedAlike);
    QCOMPARE(producer.unhandledResults(), 0);
    // Posted but not yet handled by the owner: the bound, plus the reports of what was in flight when the producer
    // stopped for the owner, plus a poll's worth.
    const qint64 bound = Producer::MaxUnhandledResults + queueLimit + 1000 + 8192;
    QVERIFY2(mostQueued <= bound,
             qPrintable(QStringLiteral("%1 results waited for the owner, more than %2").arg(mostQueued).arg(bound)));
}

// A feed of many rows and no cluster: each row still gets exactly one outcome, the pieces arriving after the job gave
// up included, however slowly the owner takes them.
void TestResultFlow::everyFedRowGetsAnOutcomeWhenTheClusterIsGone()
{
    const int pieces = 40;
    const int pieceRows = 10000;
    auto feed = std::make_shared<RowFeed>();
    std::thread reader([feed] {
        for (int p = 0; p < pieces; ++p)
            if (!feed->push(smallRows(p * pieceRows, pieceRows)))
                return;
        feed->finish();
    });
    PublishJob job;
    job.topic = QStringLiteral("flow");
    job.feed = feed;
    job.connection = {{QStringLiteral("bootstrap.servers"), QStringLiteral("127.0.0.1:1")}};
    job.connectTimeoutMs = 500;

    Producer producer;
    std::vector<std::uint8_t> outcomes(std::size_t(pieces * pieceRows), 0);
    bool finished = false;
    JobSummary summary;
    connect(&producer, &Producer::deliveriesReported, this, [&](const DeliveryResults &results) {
        for (const DeliveryResult &r : results)
            if (r.row >= 0 && r.row < qint64(outcomes.size()))
                ++outcomes[std::size_t(r.row)];
        QThread::usleep(std::uint64_t(results.size()) * 2);
    });
    connect(&producer, &Producer::jobFinished, this, [&](const JobSummary &s) {
        summary = s;
        finished = true;
    });
    QVERIFY(producer.start(std::move(job)).ok());
    QTRY_VERIFY_WITH_TIMEOUT(finished, 120000);
    reader.join();
    QVERIFY(summary.connectionFailed);
    QCOMPARE(summary.total, pieces * pieceRows);
    QCOMPARE(summary.failed, pieces * pieceRows);
    QCOMPARE(std::count(outcomes.begin(), outcomes.end(), 1), qsizetype(outcomes.size()));
}

QTEST_GUILESS_MAIN(TestResultFlow)
#include "tst_resultflow.moc"

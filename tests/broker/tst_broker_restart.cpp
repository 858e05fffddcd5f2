// Scenario R3: the broker is killed with SIGKILL and started again in the middle of an idempotent batch. Nothing
// may be duplicated or reordered, every row reported delivered must be in the topic, and a row may be missing only
// if it says it was not delivered. Runs last and alone (RUN_SERIAL): it takes the shared broker down.

#include "BrokerEnv.h"
#include "core/kafka/Producer.h"
#include "tests/common/Printers.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace kbatch::core;
using namespace kbatch::test;

class TestBrokerRestart : public QObject
{
    Q_OBJECT
private slots:
    void killAndRestartMidBatch();
};

void TestBrokerRestart::killAndRestartMidBatch()
{
    const auto env = BrokerEnv::load();
    QVERIFY(env);
    constexpr int Rows = 6000;
    Batch rows;
    for (int i = 0; i < Rows; ++i) {
        Message m;
        m.key = Payload(QByteArray("k-") + QByteArray::number(i % 60));
        m.value = Payload(QByteArray("r3:") + QByteArray::number(i) + ':' + QByteArray(60, 'x'));
        rows.append(m);
    }
    PublishJob job;
    job.topic = QStringLiteral("restart");
    job.rows = rows;
    job.connection = env->plaintextConnection();
    job.settings.rateLimit = 1500;          // four seconds of sending; the broker dies after one
    job.settings.messageTimeoutMs = 120000; // long enough to outlive the restart
    QVERIFY(job.settings.idempotence);      // the default

    Producer producer;
    QList<DeliveryResult> results(Rows);
    QList<int> seen(Rows, 0);
    connect(&producer, &Producer::deliveriesReported, this, [&](const DeliveryResults &rs) {
        for (const DeliveryResult &r : rs) {
            ++seen[r.row];
            results[r.row] = r;
        }
    });
    QSignalSpy finished(&producer, &Producer::jobFinished);
    QProcess restart;
    QSignalSpy restarted(&restart, &QProcess::finished);
    QElapsedTimer clock;
    clock.start();
    qint64 restartStartedMs = -1, restartEndedMs = -1, jobEndedMs = -1;
    connect(&restart, &QProcess::finished, this, [&] { restartEndedMs = clock.elapsed(); });
    connect(&producer, &Producer::jobFinished, this, [&] { jobEndedMs = clock.elapsed(); });
    QTimer::singleShot(1000, this, [&] {
        restartStartedMs = clock.elapsed();
        restart.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        restart.start(QStringLiteral(KBATCH_BROKER_SCRIPT), {QStringLiteral("restart"), env->stateDir});
    });
    QVERIFY(producer.start(std::move(job)).ok());
    // QSignalSpy::wait() waits for the next emission: ask it only when the signal has not come yet.
    QVERIFY(!finished.isEmpty() || finished.wait(180000));
    QVERIFY(!restarted.isEmpty() || restarted.wait(120000));
    QCOMPARE(restart.exitCode(), 0);
    const JobSummary summary = finished.first().first().value<JobSummary>();
    for (int i = 0; i < Rows; ++i)
        QVERIFY2(seen[i] == 1, qPrintable(QStringLiteral("row %1 has %2 outcomes").arg(i).arg(seen[i])));
    QVERIFY2(summary.delivered > 0, qPrintable(summary.error));

    const QList<KcatRecord> records = kcatReadUntil(*env, QStringLiteral("restart"), summary.delivered, false, 30000);
    QHash<int, int> copies;
    QHash<int, int> lastRowInPartition;
    for (const KcatRecord &r : records) {
        const int row = r.value ? r.value->split(':').value(1).toInt() : -1;
        QVERIFY(row >= 0 && row < Rows);
        ++copies[row];
        QVERIFY2(lastRowInPartition.value(r.partition, -1) < row,
                 qPrintable(QStringLiteral("row %1 after row %2 in partition %3")
                                .arg(row)
                                .arg(lastRowInPartition.value(r.partition))
                                .arg(r.partition)));
        lastRowInPartition[r.partition] = row;
    }
    for (auto it = copies.cbegin(); it != copies.cend(); ++it)
        QVERIFY2(it.value() == 1,
                 qPrintable(QStringLiteral("row %1 is in the topic %2 times").arg(it.key()).arg(it.value())));
    qsizetype gaps = 0;
    for (int i = 0; i < Rows; ++i) {
        if (results[i].status == DeliveryStatus::Delivered)
            QVERIFY2(copies.contains(i), qPrintable(QStringLiteral("delivered row %1 is not in the topic").arg(i)));
        else if (!copies.contains(i))
            ++gaps; // not in the topic, and the row says so
        else
            QVERIFY2(results[i].status == DeliveryStatus::PossiblyWritten,
                     qPrintable(QStringLiteral("row %1 is in the topic but says %2: %3")
                                    .arg(i)
                                    .arg(statusText(results[i].status), results[i].errorText)));
    }
    qInfo("delivered %lld, failed %lld, possibly written %lld; %lld rows not in the topic; broker killed at %lld ms, "
          "back at %lld ms; job ended at %lld ms",
          qlonglong(summary.delivered), qlonglong(summary.failed), qlonglong(summary.possiblyWritten), qlonglong(gaps),
          qlonglong(restartStartedMs), qlonglong(restartEndedMs), qlonglong(jobEndedMs));
}

QTEST_GUILESS_MAIN(TestBrokerRestart)
#include "tst_broker_restart.moc"

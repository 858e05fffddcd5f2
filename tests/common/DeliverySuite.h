#pragma once

// What the delivery tests share, whichever cluster they run against (the sandbox in tests/integration, the real
// broker in tests/broker): the mixed rows, running one job to its end, and the byte-for-byte comparison of what
// kcat (another process) read with what was sent. Header-only, like Printers.h, so that any test target can use it
// without another library.

#include "core/kafka/Producer.h"
#include "tests/integration/KcatReader.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSignalSpy>
#include <QTest>

#include <functional>

namespace kbatch::test {

// `count` rows cycling through: key and UTF-8 text value; null key with a JSON value; tombstone (null value);
// empty key with a binary value holding every byte; repeated header names with null and empty header values and an
// explicit timestamp. Every 7th row names a partition (row % partitions).
inline core::Batch mixedRows(int count, int partitions, const QByteArray &tag = {})
{
    using namespace kbatch::core;
    Batch b;
    for (int i = 0; i < count; ++i) {
        Message m;
        const QByteArray n = QByteArray::number(i);
        switch (i % 5) {
        case 0:
            m.key = Payload("key-" + tag + n);
            m.value = Payload("value " + tag + n + " ünïcødé");
            break;
        case 1:
            m.value = Payload("{\"n\":" + n + ",\"tag\":\"" + tag + "\"}", Encoding::Json);
            break;
        case 2:
            m.key = Payload("gone-" + tag + n);
            break;
        case 3: {
            QByteArray bin;
            for (int c = 0; c < 256; ++c)
                bin.append(char((c + i) & 0xff));
            m.key = Payload(QByteArray());
            m.value = Payload(bin + tag, Encoding::Base64);
            break;
        }
        case 4:
            m.key = Payload("h-" + tag + n);
            m.value = Payload(QByteArray());
            m.headers = {{"trace", Payload(QByteArray("a"))},
                         {"trace", Payload(QByteArray("b"))},
                         {"nothing", Payload()},
                         {"empty", Payload(QByteArray())}};
            m.timestamp = 1767225600000 + i;
            break;
        }
        if (i % 7 == 0)
            m.partition = i % partitions;
        b.append(m);
    }
    return b;
}

struct PublishRun
{
    core::DeliveryResults results;
    core::JobSummary summary;
    int signalCount = 0;
    bool finished = false;
    qint64 elapsedMs = 0;
    qsizetype rowsWithoutOneOutcome = 0; // rows that got no outcome or more than one: must be 0
};

// Runs one job to its end on a Producer of its own. `whileRunning` is called once the job started (to cancel it,
// for example). Waits up to `timeoutMs` for jobFinished().
inline PublishRun publishAndWait(core::PublishJob job, const std::function<void(core::Producer &)> &whileRunning = {},
                                 int timeoutMs = 120000)
{
    using namespace kbatch::core;
    PublishRun run;
    Producer producer;
    QObject context;
    QObject::connect(&producer, &Producer::deliveriesReported, &context, [&run](const DeliveryResults &r) {
        run.results.append(r);
        ++run.signalCount;
    });
    QSignalSpy finished(&producer, &Producer::jobFinished);
    const qsizetype total = job.rows.size();
    QElapsedTimer clock;
    clock.start();
    const Status started = producer.start(std::move(job));
    if (!started.ok()) {
        qWarning("start failed: %s", qPrintable(started.error().message()));
        return run;
    }
    if (whileRunning)
        whileRunning(producer);
    if (finished.isEmpty())
        finished.wait(timeoutMs);
    run.elapsedMs = clock.elapsed();
    run.finished = !finished.isEmpty();
    if (run.finished)
        run.summary = finished.first().first().value<JobSummary>();
    else
        qWarning("the job did not finish within %d ms", timeoutMs);
    QList<int> seen(total, 0);
    for (const DeliveryResult &r : run.results)
        if (r.row >= 0 && r.row < total)
            ++seen[r.row];
    for (qsizetype i = 0; i < total; ++i)
        if (seen[i] != 1)
            ++run.rowsWithoutOneOutcome;
    return run;
}

// Every delivered row is in `records` at its partition and offset with the same key, value, headers and (where the
// row set one) timestamp, and per-partition order equals send order. With `exact`, `records` hold nothing else.
// Fails the calling test (check QTest::currentTestFailed() after it).
inline void compareWithKcat(const QList<KcatRecord> &records, const core::Batch &rows,
                            const core::DeliveryResults &results, bool exact = true)
{
    using namespace kbatch::core;
    QHash<QPair<int, qint64>, qsizetype> rowAt;
    for (const DeliveryResult &r : results)
        if (r.status == DeliveryStatus::Delivered)
            rowAt.insert({r.partition, r.offset}, r.row);
    QHash<int, qsizetype> lastRowInPartition;
    qsizetype matched = 0;
    for (const KcatRecord &rec : records) {
        const auto it = rowAt.constFind({rec.partition, rec.offset});
        if (it == rowAt.constEnd()) {
            QVERIFY2(!exact,
                     qPrintable(QStringLiteral("unexpected record at %1/%2").arg(rec.partition).arg(rec.offset)));
            continue;
        }
        ++matched;
        const qsizetype row = *it;
        const QByteArray where = "row " + QByteArray::number(row);
        QVERIFY2(rec.key.has_value() == !rows.keyIsNull(row), where.constData());
        if (rec.key)
            QCOMPARE(*rec.key, rows.key(row).toByteArray());
        QVERIFY2(rec.value.has_value() == !rows.valueIsNull(row), where.constData());
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
        if (const auto p = rows.partition(row))
            QCOMPARE(rec.partition, *p);
        QVERIFY2(lastRowInPartition.value(rec.partition, -1) < row, where.constData());
        lastRowInPartition[rec.partition] = row;
    }
    QCOMPARE(matched, qsizetype(rowAt.size()));
}

} // namespace kbatch::test

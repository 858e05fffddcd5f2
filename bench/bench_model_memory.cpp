// Memory and build time of the batch model with 1,000,000 rows of 100-byte values.
// Run by hand (Release): build/release/bench/bench_model_memory [rows] [value-bytes]
// Prints one line of key=value figures; bench/README.md records the latest.

#include "core/model/Batch.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <unistd.h>

using namespace kbatch::core;

static qint64 residentBytes()
{
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const qsizetype rows = args.size() > 1 ? args[1].toLongLong() : 1'000'000;
    const qsizetype valueBytes = args.size() > 2 ? args[2].toLongLong() : 100;

    const qint64 before = residentBytes();
    QElapsedTimer timer;
    timer.start();
    Batch batch;
    batch.reserve(rows, rows * (valueBytes + 12));
    QByteArray value(valueBytes, 'v');
    for (qsizetype i = 0; i < rows; ++i) {
        Message m;
        m.key = Payload(QByteArray("key-") + QByteArray::number(i));
        // Vary the bytes so nothing can share them.
        const QByteArray n = QByteArray::number(i);
        std::copy(n.begin(), n.end(), value.begin());
        m.value = Payload(value);
        batch.append(m);
    }
    const qint64 buildMs = timer.elapsed();
    const qint64 after = residentBytes();
    const double payload = double(batch.payloadBytes()) / double(rows);
    std::printf("rows=%lld value_bytes=%lld build_ms=%lld model_bytes=%lld rss_delta_bytes=%lld "
                "payload_per_row=%.1f model_per_row=%.1f overhead_per_row=%.1f rss_per_row=%.1f\n",
                qlonglong(rows), qlonglong(valueBytes), qlonglong(buildMs), qlonglong(batch.memoryUsage()),
                qlonglong(after - before), payload, double(batch.memoryUsage()) / double(rows),
                double(batch.memoryUsage()) / double(rows) - payload, double(after - before) / double(rows));
    return 0;
}

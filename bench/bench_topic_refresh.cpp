// The topic tree's refresh (core::fetchTopics(): the topics and every end offset) against the in-process sandbox:
// how long it takes and how many clients it opens (ApiVersions requests, which every new connection starts with,
// counted by the sandbox), and how soon a refresh waiting on a cluster that never answers ends once cancelled (what
// closing the window does). Run by hand; never timed in CI.
//
//   bench_topic_refresh [--topics N] [--partitions N] [--runs N]

#include "core/kafka/Metadata.h"
#include "core/kafka/SandboxCluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpServer>

#include <algorithm>
#include <cstdio>
#include <thread>

using namespace kbatch::core;

namespace {
int option(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int topics = option(args, QStringLiteral("--topics"), 50);
    const int partitions = option(args, QStringLiteral("--partitions"), 4);
    const int runs = option(args, QStringLiteral("--runs"), 9);

    auto sandbox = SandboxCluster::start(1);
    if (!sandbox) {
        std::fprintf(stderr, "%s\n", qPrintable(sandbox.error().message()));
        return 2;
    }
    for (int t = 0; t < topics; ++t)
        (void)sandbox.value()->createTopic(QStringLiteral("bench-%1").arg(t), partitions);
    const Properties connection{{QStringLiteral("bootstrap.servers"), sandbox.value()->bootstrapServers()}};

    QList<qint64> times;
    int apiVersions = 0;
    for (int r = 0; r < runs; ++r) {
        sandbox.value()->startRequestTracking();
        QElapsedTimer clock;
        clock.start();
        const auto info = fetchTopics(connection, 5000);
        times.append(clock.elapsed());
        apiVersions = sandbox.value()->requestCount(QStringLiteral("api-versions"));
        if (!info) {
            std::fprintf(stderr, "%s\n", qPrintable(info.error().message()));
            return 1;
        }
    }
    std::sort(times.begin(), times.end());
    std::printf("refresh of %d topics x %d partitions: median %lld ms (min %lld, max %lld), %d ApiVersions requests "
                "per refresh\n",
                topics, partitions, times.at(times.size() / 2), times.first(), times.last(), apiVersions);

    // A cluster that accepts connections and never answers; the refresh is cancelled 500 ms in.
    QTcpServer silent;
    silent.listen(QHostAddress::LocalHost);
    const Properties nowhere{
        {QStringLiteral("bootstrap.servers"), QStringLiteral("127.0.0.1:%1").arg(silent.serverPort())}};
    CancelFlag cancel{false};
    QElapsedTimer clock;
    clock.start();
    std::thread worker([&] { (void)fetchTopics(nowhere, 5000, &cancel); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const qint64 cancelledAt = clock.elapsed();
    cancel = true;
    worker.join();
    std::printf("a refresh waiting on a silent cluster ends %lld ms after it is cancelled\n",
                clock.elapsed() - cancelledAt);
    return 0;
}

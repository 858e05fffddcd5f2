#include "Commands.h"

#include "CliSupport.h"
#include "core/kafka/SandboxCluster.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <unistd.h>

namespace kbatch::cli {

namespace {

const char FaultHelp[] = R"(
Fault commands, one per line on standard input (for tests and demonstrations):
  broker down ID | broker up ID          take a broker off the network, or bring it back
  rtt ID MS                               add MS milliseconds of latency to every response of broker ID
  errors API COUNT ERROR                  the next COUNT requests of API fail with ERROR
  broker-errors ID API COUNT ERROR MS     the same on one broker, each response delayed by MS
  delay ID API COUNT MS                   the next COUNT responses of broker ID to API come MS late, without an
                                          error: a produce is written, only its answer is slow
  clear API                               forget pending injected errors of API (from "errors"; librdkafka's
                                          mock cannot forget those queued on one broker with "broker-errors"
                                          or "delay")
  leader TOPIC PARTITION ID               move a partition's leader to broker ID
  coordinator transaction|group KEY ID    move a coordinator to broker ID
  topic NAME PARTITIONS                   create a topic
  quit                                    stop the sandbox
  APIs: produce, fetch, list-offsets, metadata, offset-commit, find-coordinator, join-group, heartbeat,
        init-producer-id, add-partitions-to-txn, add-offsets-to-txn, end-txn.
  ERROR: a Kafka error name, e.g. NOT_LEADER_FOR_PARTITION, NOT_ENOUGH_REPLICAS, COORDINATOR_NOT_AVAILABLE.
Each command answers one line on standard output: "ok" or "error: <reason>".
)";

core::Status runFault(core::SandboxCluster &sandbox, const QStringList &w)
{
    auto num = [&](int i, int &outValue) {
        bool ok = false;
        outValue = w.value(i).toInt(&ok);
        return ok;
    };
    int a = 0, b = 0, c = 0;
    const QString cmd = w.value(0);
    if (cmd == QLatin1String("broker") && w.size() == 3 && num(2, a) &&
        (w[1] == QLatin1String("down") || w[1] == QLatin1String("up")))
        return sandbox.setBrokerDown(a, w[1] == QLatin1String("down"));
    if (cmd == QLatin1String("rtt") && w.size() == 3 && num(1, a) && num(2, b))
        return sandbox.setBrokerRtt(a, b);
    if (cmd == QLatin1String("errors") && w.size() == 4 && num(2, a))
        return sandbox.pushRequestErrors(w[1], a, w[3]);
    if (cmd == QLatin1String("broker-errors") && w.size() == 6 && num(1, a) && num(3, b) && num(5, c))
        return sandbox.pushBrokerRequestErrors(a, w[2], b, w[4], c);
    if (cmd == QLatin1String("delay") && w.size() == 5 && num(1, a) && num(3, b) && num(4, c))
        return sandbox.delayResponses(a, w[2], b, c);
    if (cmd == QLatin1String("clear") && w.size() == 2)
        return sandbox.clearRequestErrors(w[1]);
    if (cmd == QLatin1String("leader") && w.size() == 4 && num(2, a) && num(3, b))
        return sandbox.setPartitionLeader(w[1], a, b);
    if (cmd == QLatin1String("coordinator") && w.size() == 4 && num(3, a))
        return sandbox.setCoordinator(w[1], w[2], a);
    if (cmd == QLatin1String("topic") && w.size() == 3 && num(2, a))
        return sandbox.createTopic(w[1], a);
    return core::Error(QStringLiteral("unknown or malformed command '%1' (see kbatch-cli sandbox --help)")
                           .arg(w.join(QLatin1Char(' '))));
}

} // namespace

int runSandbox(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run the sandbox cluster (librdkafka's mock cluster) on loopback until SIGINT or SIGTERM.\n"
                       "The first line on standard output is the bootstrap server list. Topics that clients ask for "
                       "are created with %1 partitions.")
            .arg(core::SandboxCluster::defaultPartitions()) +
        QString::fromLatin1(FaultHelp));
    const QCommandLineOption brokers(QStringLiteral("brokers"), QStringLiteral("Number of brokers (default 3)."),
                                     QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption partitions(QStringLiteral("partitions"),
                                        QStringLiteral("Partitions of each --topic (default 3)."), QStringLiteral("N"),
                                        QStringLiteral("3"));
    const QCommandLineOption topic(QStringLiteral("topic"), QStringLiteral("Create this topic (repeatable)."),
                                   QStringLiteral("NAME"));
    parser.addOptions({brokers, partitions, topic});
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow))
        return code;
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("sandbox takes no arguments, got '%1'")
                        .arg(parser.positionalArguments().join(QLatin1Char(' '))));
    bool ok = false;
    const int brokerCount = parser.value(brokers).toInt(&ok);
    if (!ok)
        return fail(QStringLiteral("--brokers: '%1' is not a number").arg(parser.value(brokers)));
    const int partitionCount = parser.value(partitions).toInt(&ok);
    if (!ok || partitionCount < 1)
        return fail(QStringLiteral("--partitions: '%1' is not a positive number").arg(parser.value(partitions)));

    // Before anything slow: a SIGTERM that arrives while the cluster starts must still stop us cleanly.
    watchTerminationSignals([](int) { QCoreApplication::quit(); });
    auto sandbox = core::SandboxCluster::start(brokerCount);
    if (!sandbox)
        return fail(sandbox.error());
    for (const QString &name : parser.values(topic)) {
        if (auto s = (*sandbox)->createTopic(name, partitionCount); !s)
            return fail(s.error());
    }
    out() << (*sandbox)->bootstrapServers() << Qt::endl;
    err() << "kbatch-cli: sandbox with " << brokerCount << " broker(s) at " << (*sandbox)->bootstrapServers()
          << "; stop with Ctrl+C" << Qt::endl;

    // Fault commands on standard input; end of input is not a reason to stop (CI runs us with no stdin).
    auto *notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, QCoreApplication::instance());
    QByteArray buffer;
    core::SandboxCluster *cluster = sandbox->get();
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&buffer, notifier, cluster] {
        char chunk[4096];
        const auto n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n <= 0) {
            notifier->setEnabled(false);
            return;
        }
        buffer.append(chunk, n);
        qsizetype nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(buffer.left(nl)).trimmed();
            buffer.remove(0, nl + 1);
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            const QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (words.value(0) == QLatin1String("quit")) {
                QCoreApplication::quit();
                return;
            }
            const core::Status s = runFault(*cluster, words);
            out() << (s ? QStringLiteral("ok") : QStringLiteral("error: ") + s.error().message()) << Qt::endl;
        }
    });
    const int exitCode = QCoreApplication::exec();
    // librdkafka's mock-cluster teardown can take seconds, and was seen to spin forever after clients had
    // connected; the sandbox keeps nothing on disk, so leave without it and let the OS close the sockets.
    out().flush();
    err().flush();
    ::_exit(exitCode);
}

} // namespace kbatch::cli

// A sender to kill: publishes COUNT rows in atomic mode with a fixed transactional id and a rate limit, printing
// "acked N" as the broker acknowledges rows and "finished ..." at the end. tst_broker_transactions kills it with
// SIGKILL mid-transaction (scenario R2).
//
//   kbatch_broker_sender BOOTSTRAP TOPIC TRANSACTIONAL_ID COUNT RATE TAG

#include "core/kafka/Producer.h"

#include <QCoreApplication>

#include <cstdio>

using namespace kbatch::core;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 7) {
        std::fprintf(stderr, "usage: kbatch_broker_sender BOOTSTRAP TOPIC TRANSACTIONAL_ID COUNT RATE TAG\n");
        return 2;
    }
    PublishJob job;
    job.topic = args[2];
    job.connection = {{QStringLiteral("bootstrap.servers"), args[1]}};
    job.settings.mode = PublishMode::Atomic;
    job.settings.transactionalId = args[3];
    job.settings.rateLimit = args[5].toDouble();
    const QByteArray tag = args[6].toUtf8();
    const int count = args[4].toInt();
    for (int i = 0; i < count; ++i) {
        Message m;
        m.key = Payload("k-" + QByteArray::number(i));
        m.value = Payload(tag + '-' + QByteArray::number(i));
        job.rows.append(m);
    }

    Producer producer;
    qsizetype lastAcked = -1;
    QObject::connect(&producer, &Producer::progressed, &app, [&lastAcked](const Producer::Progress &p) {
        if (p.acknowledged != lastAcked) {
            lastAcked = p.acknowledged;
            std::printf("acked %lld\n", static_cast<long long>(p.acknowledged));
            std::fflush(stdout);
        }
    });
    int exitCode = 1;
    QObject::connect(&producer, &Producer::jobFinished, &app, [&exitCode](const JobSummary &s) {
        std::printf("finished committed=%d delivered=%lld error=%s\n", s.committed ? 1 : 0,
                    static_cast<long long>(s.delivered), qPrintable(s.error));
        std::fflush(stdout);
        exitCode = s.committed ? 0 : 1;
        QCoreApplication::quit();
    });
    const Status started = producer.start(std::move(job));
    if (!started.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message()));
        return 2;
    }
    app.exec();
    return exitCode;
}

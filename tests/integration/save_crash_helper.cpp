// Helper of tst_savecrash: saves large templates over one file with core::saveTemplate, the function behind the
// GUI's Save and the CLI, until it is killed.
//
//   save_crash_helper loop PATH ROWS   alternately saves template "B" and "A" (see makeTemplate) forever, printing
//                                      "begin N" before and "done N MS" after each save
//   save_crash_helper fsize PATH ROWS LIMIT
//                                      saves "B" with the file size limit (ulimit -f) set to LIMIT bytes, as a full
//                                      disk would stop it, and prints "ok" or "error: <message>"

#include "core/format/TemplateWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>

namespace {
// Big enough that a save takes a while (200,000 rows are about 14 MB), different in every row, so a mix of the two
// versions or a cut-off file cannot be mistaken for either.
kbatch::core::Template makeTemplate(char version, int rows)
{
    kbatch::core::Template t;
    t.name = QStringLiteral("save crash %1").arg(QLatin1Char(version));
    t.topic = QStringLiteral("orders");
    t.messages.reserve(rows);
    for (int i = 0; i < rows; ++i) {
        kbatch::core::Message m;
        m.key = kbatch::core::Payload(QByteArray("key-") + QByteArray::number(i));
        m.value = kbatch::core::Payload(QByteArray("version ") + version + " row " + QByteArray::number(i) +
                                        " padding padding padding");
        t.messages.append(m);
    }
    return t;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: save_crash_helper loop|fsize PATH ROWS [LIMIT]\n");
        return 2;
    }
    const QByteArray mode = argv[1];
    const QString path = QString::fromLocal8Bit(argv[2]);
    const int rows = QByteArray(argv[3]).toInt();
    if (mode == "fsize" && argc == 5) {
        const auto templateB = makeTemplate('B', rows);
        std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG instead of killing the process
        rlimit limit{};
        limit.rlim_cur = limit.rlim_max = rlim_t(QByteArray(argv[4]).toLongLong());
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
            std::perror("setrlimit");
            return 2;
        }
        const auto status = kbatch::core::saveTemplate(templateB, path);
        if (status.ok())
            std::printf("ok\n");
        else
            std::printf("error: %s\n", qPrintable(status.error().message()));
        return 0;
    }
    if (mode != "loop")
        return 2;
    const kbatch::core::Template versions[2] = {makeTemplate('B', rows), makeTemplate('A', rows)};
    for (int n = 0;; ++n) {
        std::printf("begin %d\n", n);
        std::fflush(stdout);
        QElapsedTimer clock;
        clock.start();
        const auto status = kbatch::core::saveTemplate(versions[n % 2], path);
        if (!status.ok()) {
            std::printf("error: %s\n", qPrintable(status.error().message()));
            return 1;
        }
        std::printf("done %d %lld\n", n, clock.elapsed());
        std::fflush(stdout);
    }
}

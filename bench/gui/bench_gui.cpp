// GUI responsiveness benchmark (run by hand, Release build): loads 1,000,000 rows into the real MainWindow
// (offscreen), sends them to an in-process sandbox and prints
//   - rows loaded per second (a template file opened through the window's own worker-thread path),
//   - the worst and p99 UI-thread stall while results arrive, from a 5 ms heartbeat timer,
//   - the time from the last delivery report to the last repaint of the table,
//   - throughput (messages and MB per second).
// Usage: bench_gui [rows]   (QT_QPA_PLATFORM defaults to offscreen)
//
// For bench/compare/run (the side-by-side benchmark against kcat and the bare librdkafka loop):
//   bench_gui --template FILE --bootstrap HOST:PORT [--topic NAME] [--json]
//       opens FILE (its producer settings and topic) instead of the generated rows and sends through a connection
//       profile on HOST:PORT instead of the in-process sandbox; --json adds one JSON line with every figure, the
//       GUI path's time being "rows loaded, Send pressed, until every row shows its result".
//   bench_gui --cold-start
//       prints the time from process start to the first paint of the main window as one JSON line, and exits.

#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/documents/DocumentController.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace kbatch;

namespace {
class PaintWatcher : public QObject
{
public:
    PaintWatcher(const QElapsedTimer &clock, QObject *target) : m_clock(clock), m_target(target) {}
    qint64 lastPaintNs = -1;
    int paintCount = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && watched == m_target) {
            lastPaintNs = m_clock.nsecsElapsed();
            ++paintCount;
        }
        return false;
    }

private:
    const QElapsedTimer &m_clock;
    QObject *m_target;
};

core::Batch makeRows(qsizetype count)
{
    core::Batch b;
    b.reserve(count, count * 110);
    for (qsizetype i = 0; i < count; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("order-") + QByteArray::number(i));
        m.value = core::Payload(QByteArray("{\"id\":") + QByteArray::number(i) +
                                    ",\"customer\":\"c-42\",\"total\":9.5,\"items\":[{\"sku\":\"A-1\",\"qty\":2}]}",
                                core::Encoding::Json);
        b.append(m);
    }
    return b;
}

// Milliseconds since this process started (the kernel's start time of the process, so the figure includes the
// dynamic loader and static initialisers, as a user's cold start does).
double msSinceProcessStart()
{
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    // Field 22 (starttime, clock ticks since boot) comes after the command name in parentheses.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22; ++i)
        rest >> field;
    const double startS = std::stod(field) / double(sysconf(_SC_CLK_TCK));
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - startS) * 1000.0;
}

class FirstPaint : public QObject
{
public:
    explicit FirstPaint(QWidget *window) : m_window(window) {}
    double ms = -1;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (ms < 0 && event->type() == QEvent::Paint && watched->isWidgetType() &&
            static_cast<QWidget *>(watched)->window() == m_window)
            ms = msSinceProcessStart();
        return false;
    }

private:
    QWidget *m_window;
};

QString argValue(const QStringList &args, const QString &name)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : QString();
}
} // namespace

// Runs the event loop the way QApplication::exec() does until `done()` holds (checked every 20 ms) or `timeoutMs`
// passed. Not QTest::qWaitFor: it sleeps 10 ms between event batches, which the 5 ms heartbeat would count as
// UI stalls that the application itself never has.
static bool runEventLoopUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.exit(0);
    });
    QTimer::singleShot(timeoutMs, &loop, [&] { loop.exit(1); });
    check.start();
    return loop.exec() == 0;
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool coldStart = args.contains(QStringLiteral("--cold-start"));
    const bool json = args.contains(QStringLiteral("--json"));
    const QString templateFile = argValue(args, QStringLiteral("--template"));
    const QString bootstrap = argValue(args, QStringLiteral("--bootstrap"));
    const QString topicOverride = argValue(args, QStringLiteral("--topic"));
    qsizetype rows = argc > 1 && !QByteArray(argv[1]).startsWith('-') ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir dir;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("KBatchBench"));

    ui::MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    core::MemorySecretStore secrets;
    if (!bootstrap.isEmpty()) {
        // A plaintext profile on the given cluster, saved where the window reads its profiles.
        QSettings settings;
        core::ProfileStore store(&settings);
        core::ConnectionProfile profile;
        profile.name = QStringLiteral("bench");
        profile.bootstrapServers = bootstrap;
        if (auto s = store.save(profile); !s) {
            std::fprintf(stderr, "could not save the bench profile: %s\n", qPrintable(s.error().message()));
            return 2;
        }
        options.profile = profile.name;
        options.secretStore = &secrets;
    }

    if (coldStart) {
        ui::MainWindow window(options);
        FirstPaint first(&window);
        app.installEventFilter(&first);
        window.resize(1280, 800);
        window.show();
        if (!QTest::qWaitFor([&] { return first.ms >= 0; }, 60000)) {
            std::fprintf(stderr, "the window was never painted\n");
            return 1;
        }
        std::printf("{\"cold_start_ms\":%.1f}\n", first.ms);
        return 0;
    }

    // The file to open: written once, outside the measurement (or given).
    QString path = templateFile;
    if (path.isEmpty()) {
        core::Template tpl;
        tpl.name = QStringLiteral("bench");
        tpl.topic = QStringLiteral("bench");
        tpl.messages = makeRows(rows);
        path = dir.filePath(QStringLiteral("bench.kbatch.json"));
        if (!core::saveTemplate(tpl, path).ok()) {
            std::fprintf(stderr, "could not write %s\n", qPrintable(path));
            return 2;
        }
    } else {
        // The row count of a given file, read before the measurement starts.
        auto t = core::loadTemplate(path);
        if (!t || t->messages.isEmpty()) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
            return 2;
        }
        rows = t->messages.size();
    }

    ui::MainWindow window(options);
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        std::fprintf(stderr, "window not exposed; repaint figures will be missing\n");

    QElapsedTimer clock;
    clock.start();
    // The UI must stay responsive while the file loads on the worker thread: the same 5 ms heartbeat as below.
    std::vector<double> loadStallsMs;
    qint64 lastLoadBeat = -1;
    QTimer loadBeat;
    loadBeat.setTimerType(Qt::PreciseTimer);
    loadBeat.setInterval(5);
    QObject::connect(&loadBeat, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastLoadBeat >= 0)
            loadStallsMs.push_back(std::max(0.0, double(now - lastLoadBeat) / 1e6 - 5.0));
        lastLoadBeat = now;
    });
    loadBeat.start();
    window.document()->openFile(path);
    if (!runEventLoopUntil([&] { return window.model()->rowCount() == rows; }, 600000)) {
        std::fprintf(stderr, "load did not finish\n");
        return 1;
    }
    const double loadSeconds = double(clock.nsecsElapsed()) / 1e9;
    loadBeat.stop();
    std::sort(loadStallsMs.begin(), loadStallsMs.end());
    const double loadWorst = loadStallsMs.empty() ? 0 : loadStallsMs.back();
    if (!topicOverride.isEmpty())
        window.sendBar()->setTopic(topicOverride);

    // The last rows and the status column on screen, so the last results must be repainted. After the view's
    // delayed layout, or scrollTo() has nothing to scroll yet.
    QTest::qWait(100);
    // Through the view's own model: the table shows the batch through a state filter proxy.
    const QAbstractItemModel *shown = window.view()->model();
    window.view()->scrollTo(shown->index(shown->rowCount() - 1, ui::BatchTableModel::Status));
    QTest::qWait(100);
    const int firstVisible = window.view()->rowAt(0);
    // An application-wide filter: the scroll area's own viewport filter would otherwise see paints first.
    PaintWatcher paints(clock, window.view()->viewport());
    app.installEventFilter(&paints);

    // Heartbeat: a 5 ms timer on the UI thread; any gap beyond 5 ms is a stall.
    std::vector<double> stallsMs;
    stallsMs.reserve(200000);
    qint64 lastBeat = -1;
    bool sending = false;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (sending && lastBeat >= 0)
            stallsMs.push_back(std::max(0.0, double(now - lastBeat) / 1e6 - 5.0));
        lastBeat = now;
    });
    qint64 lastReportNs = -1;
    QObject::connect(window.sendController(), &ui::SendController::resultsApplied, &window, [&](qsizetype count) {
        if (count > 0)
            lastReportNs = clock.nsecsElapsed();
    });
    bool finished = false;
    core::JobSummary summary;
    qint64 finishedNs = -1;
    QObject::connect(window.sendController(), &ui::SendController::finished, &window, [&](const core::JobSummary &s) {
        summary = s;
        finished = true;
        sending = false;
        finishedNs = clock.nsecsElapsed();
    });
    heartbeat.start();
    const qint64 sendStart = clock.nsecsElapsed();
    paints.paintCount = 0;
    int flushes = 0;
    qint64 lastFlushNs = -1;
    QObject::connect(window.model(), &ui::BatchTableModel::resultsRepainted, &window, [&] {
        ++flushes;
        lastFlushNs = clock.nsecsElapsed();
    });
    sending = true;
    window.action(QStringLiteral("actionSend"))->trigger();
    if (!runEventLoopUntil([&] { return finished; }, 900000)) {
        std::fprintf(stderr, "send did not finish\n");
        return 1;
    }
    const double sendSeconds = double(clock.nsecsElapsed() - sendStart) / 1e9;
    QTest::qWait(500); // let the last coalesced update paint
    heartbeat.stop();

    std::sort(stallsMs.begin(), stallsMs.end());
    const double worst = stallsMs.empty() ? 0 : stallsMs.back();
    const double p99 = stallsMs.empty() ? 0 : stallsMs[std::size_t(double(stallsMs.size() - 1) * 0.99)];
    const double repaintMs = paints.lastPaintNs > lastReportNs ? double(paints.lastPaintNs - lastReportNs) / 1e6 : -1;
    const auto &stats = window.sendController()->stats();
    std::printf("rows                          %lld\n", qlonglong(rows));
    std::printf("rows loaded per second        %.0f  (%.2f s to open the template in the window)\n",
                double(rows) / loadSeconds, loadSeconds);
    std::printf("UI stall while loading        worst %.1f ms (%zu heartbeats of 5 ms)\n", loadWorst,
                loadStallsMs.size());
    std::printf("delivered / failed            %lld / %lld\n", qlonglong(summary.delivered), qlonglong(summary.failed));
    std::printf("send wall time                %.2f s\n", sendSeconds);
    std::printf("throughput                    %.0f msg/s, %.1f MB/s (producer clock: %lld ms)\n",
                stats.messagesPerSecond, stats.megabytesPerSecond, qlonglong(summary.elapsedMs));
    std::printf("UI stall while sending        worst %.1f ms, p99 %.1f ms (%zu heartbeats of 5 ms)\n", worst, p99,
                stallsMs.size());
    if (repaintMs >= 0)
        std::printf("last report -> last repaint   %.1f ms\n", repaintMs);
    else
        std::printf("last report -> last repaint   0 ms (the rows on screen were final and painted before the last "
                    "report, %.1f ms earlier)\n",
                    double(lastReportNs - paints.lastPaintNs) / 1e6);
    std::printf("rows on screen from           %d\n", firstVisible + 1);
    std::printf("coalesced updates / paints    %d dataChanged, %d table repaints during the send\n", flushes,
                paints.paintCount);
    std::printf("last report -> final update   %.1f ms\n", double(lastFlushNs - lastReportNs) / 1e6);
    std::printf("latency                       p50 %.1f ms, p99 %.1f ms\n", stats.p50Ms, stats.p99Ms);
    if (json) {
        // Send pressed until every row shows its result: the later of the job's end and the last repaint of the
        // table after the last delivery report.
        const qint64 shownNs = std::max(finishedNs, paints.lastPaintNs > lastReportNs ? paints.lastPaintNs : qint64(0));
        std::printf(
            "{\"rows\":%lld,\"load_s\":%.3f,\"delivered\":%lld,\"failed\":%lld,\"send_s\":%.3f,"
            "\"until_shown_s\":%.3f,\"producer_ms\":%lld,\"stall_worst_ms\":%.1f,\"stall_p99_ms\":%.1f,"
            "\"heartbeats\":%zu,\"repaint_after_last_report_ms\":%.1f,\"latency_p50_ms\":%.1f,"
            "\"latency_p99_ms\":%.1f,\"load_stall_worst_ms\":%.1f,\"final_update_after_last_report_ms\":%.1f}\n",
            qlonglong(rows), loadSeconds, qlonglong(summary.delivered), qlonglong(summary.failed), sendSeconds,
            double(shownNs - sendStart) / 1e9, qlonglong(summary.elapsedMs), worst, p99, stallsMs.size(),
            std::max(0.0, repaintMs), stats.p50Ms, stats.p99Ms, loadWorst, double(lastFlushNs - lastReportNs) / 1e6);
        std::fflush(stdout);
    }
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    return summary.delivered == rows ? 0 : 1;
}

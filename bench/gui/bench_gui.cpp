// GUI responsiveness benchmark (run by hand, Release build): loads 1,000,000 rows into the real MainWindow
// (offscreen), sends them to an in-process sandbox and prints
//   - rows loaded per second (a template file opened through the window's own worker-thread path),
//   - the worst and p99 UI-thread stall while results arrive, from a 5 ms heartbeat timer,
//   - the time from the last delivery report to the last repaint of the table,
//   - throughput (messages and MB per second).
// Usage: bench_gui [rows]   (QT_QPA_PLATFORM defaults to offscreen)

#include "core/format/TemplateWriter.h"
#include "ui/BatchTableModel.h"
#include "ui/BatchView.h"
#include "ui/DocumentController.h"
#include "ui/MainWindow.h"
#include "ui/MessageBox.h"
#include "ui/SendBar.h"
#include "ui/SendController.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

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
} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qsizetype rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    QTemporaryDir dir;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("KBatchBench"));

    // The file to open: written once, outside the measurement.
    core::Template tpl;
    tpl.name = QStringLiteral("bench");
    tpl.topic = QStringLiteral("bench");
    tpl.messages = makeRows(rows);
    const QString path = dir.filePath(QStringLiteral("bench.kbatch.json"));
    if (!core::saveTemplate(tpl, path).ok()) {
        std::fprintf(stderr, "could not write %s\n", qPrintable(path));
        return 2;
    }
    tpl = core::Template();

    ui::MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    ui::MainWindow window(options);
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        std::fprintf(stderr, "window not exposed; repaint figures will be missing\n");

    QElapsedTimer clock;
    clock.start();
    window.document()->openFile(path);
    if (!QTest::qWaitFor([&] { return window.model()->rowCount() == rows; }, 600000)) {
        std::fprintf(stderr, "load did not finish\n");
        return 1;
    }
    const double loadSeconds = double(clock.nsecsElapsed()) / 1e9;

    // The last rows and the status column on screen, so the last results must be repainted. After the view's
    // delayed layout, or scrollTo() has nothing to scroll yet.
    QTest::qWait(100);
    window.view()->scrollTo(window.model()->index(int(rows - 1), ui::BatchTableModel::Status));
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
    QObject::connect(window.sendController(), &ui::SendController::finished, &window, [&](const core::JobSummary &s) {
        summary = s;
        finished = true;
        sending = false;
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
    if (!QTest::qWaitFor([&] { return finished; }, 900000)) {
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
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    return summary.delivered == rows ? 0 : 1;
}

// The window fits a 1280x800 screen (issue 3: "right at 1280x800"): its minimum size, which Qt will not shrink
// below, stays within the screen with the sample batch open, after a send has filled the status bar with counts
// and rates, and with the longest texts the toolbar and status bar show.

#include "UiTestSupport.h"

#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QStatusBar>
#include <QTest>

using namespace kbatch;
using ui::MainWindow;

class TestWindowFit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void fitsA1280By800Screen();

private:
    QTemporaryDir m_config;
};

void TestWindowFit::initTestCase()
{
    QVERIFY(m_config.isValid());
    test::isolateSettings(m_config);
    test::resetSettings();
}

void TestWindowFit::fitsA1280By800Screen()
{
    core::MemorySecretStore secrets;
    MainWindow::Options options;
    options.loadSampleOnFirstStart = true;
    options.secretStore = &secrets;
    MainWindow window(options);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.model()->rowCount() > 0);
    const auto check = [&window](const char *when) {
        const QSize min = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(
            min.width() <= 1280 && min.height() <= 800,
            qPrintable(
                QStringLiteral("%1: minimum size %2x%3").arg(QLatin1String(when)).arg(min.width()).arg(min.height())));
    };
    check("sample batch open");

    // A send fills the status bar with counts, rates and latencies.
    bool finished = false;
    connect(window.sendController(), &ui::SendController::finished, this, [&finished] { finished = true; });
    window.action(QStringLiteral("actionSend"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(finished, 30000);
    check("after a send");

    // The longest status text: seven-digit counts in every state.
    ui::SendStats stats;
    stats.total = stats.delivered = 1'000'000;
    stats.failed = stats.possiblyWritten = stats.cancelled = 1'000'000;
    stats.messagesPerSecond = 1'234'567;
    stats.megabytesPerSecond = 123.4;
    stats.p50Ms = 123.4;
    stats.p99Ms = 1234.5;
    emit window.sendController()->statsChanged(stats);
    QCoreApplication::processEvents();
    check("with the longest status text");
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
}

QTEST_MAIN(TestWindowFit)
#include "tst_windowfit.moc"

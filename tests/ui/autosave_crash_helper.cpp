// Helper of tst_autosave: opens the real MainWindow offscreen, edits one row, waits until the autosave file holds the
// edit, prints "ready" and keeps running until the test kills it with SIGKILL (a crash, as far as KBatch can tell).
//
// Usage: autosave_crash_helper SETTINGS_DIR APP_NAME VALUE  (HOME is set by the test, so the data folder is private)

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/documents/AutosaveController.h"

#include <QAction>
#include <QApplication>
#include <QTemporaryDir>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: autosave_crash_helper SETTINGS_DIR APP_NAME VALUE\n");
        return 2;
    }
    QTemporaryDir unused; // isolateSettings() takes a folder; the real one is argv[1]
    kbatch::test::isolateSettings(unused);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromLocal8Bit(argv[1]));
    QCoreApplication::setApplicationName(QString::fromLocal8Bit(argv[2]));

    kbatch::core::MemorySecretStore secrets;
    kbatch::ui::MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    options.offerRestore = false;
    options.secretStore = &secrets;
    kbatch::ui::MainWindow window(options);
    window.show();
    window.autosave()->setDelays(100, 1000);

    QObject::connect(window.autosave(), &kbatch::ui::AutosaveController::autosaved, &app, [](const QString &path) {
        std::printf("ready %s\n", qPrintable(path));
        std::fflush(stdout);
    });
    window.action(QStringLiteral("actionAddRow"))->trigger();
    auto *model = window.model();
    model->setData(model->index(0, kbatch::ui::BatchTableModel::Key), QStringLiteral("crash-key"));
    model->setData(model->index(0, kbatch::ui::BatchTableModel::Value), QString::fromLocal8Bit(argv[3]));
    return app.exec();
}

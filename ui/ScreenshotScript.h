#pragma once

#include <QObject>
#include <QString>

namespace kbatch::ui {

class GenerateDialog;
class MainWindow;
class ProfilesDialog;

// Drives the real window through a scripted send on the sandbox and saves PNGs into a folder, for
// tools/screenshots.sh (`kbatch --screenshot-script DIR`). Quits the application when done.
class ScreenshotScript : public QObject
{
    Q_OBJECT
public:
    ScreenshotScript(MainWindow *window, const QString &directory);
    void start();

private:
    void step();
    void grab(const QString &name);
    // The typed-rows pictures' document, against KBATCH_SCREENSHOT_REGISTRY; false when none is given.
    bool startTypedDocument();

    MainWindow *m_window;
    QString m_dir;
    int m_step = 0;
    ProfilesDialog *m_dialog = nullptr;
    GenerateDialog *m_generate = nullptr;
};

} // namespace kbatch::ui

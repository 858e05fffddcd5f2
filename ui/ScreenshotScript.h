#pragma once

#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace kbatch::core {
struct Template;
}

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
    // Protobuf through the same registry (the second message type of a file that screenshots.sh registered), then
    // Protobuf from .proto files beside a template (written into a temporary folder, no registry).
    void startProtobufRegistryDocument();
    void startProtobufFilesDocument();
    // JSON Schema through the registry (screenshots.sh registered it), with a row that does not fit.
    void startJsonSchemaDocument();
    void setTypedDocument(core::Template tpl, const QString &path);
    // The schema section's pictures of the current document: the window, and the Message editor alone.
    void grabTyped(const QString &window, const QString &editor);

    MainWindow *m_window;
    QString m_dir;
    int m_step = 0;
    ProfilesDialog *m_dialog = nullptr;
    GenerateDialog *m_generate = nullptr;
    std::unique_ptr<QTemporaryDir> m_protoDir;
};

} // namespace kbatch::ui

#include "ui/ScreenshotScript.h"

#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QTimer>

namespace kbatch::ui {

ScreenshotScript::ScreenshotScript(MainWindow *window, const QString &directory)
    : QObject(window), m_window(window), m_dir(directory)
{}

void ScreenshotScript::start()
{
    QDir().mkpath(m_dir);
    connect(m_window->sendController(), &SendController::finished, this, [this] {
        // Let the last coalesced repaint and the topic refresh land before the picture.
        QTimer::singleShot(1500, this, &ScreenshotScript::step);
    });
    QTimer::singleShot(1500, this, &ScreenshotScript::step);
}

void ScreenshotScript::grab(const QString &name)
{
    // The whole screen, so the window's frame and placement show as a user would see them.
    const QPixmap shot = m_window->screen()->grabWindow(0);
    const QPixmap pixmap = shot.isNull() ? m_window->grab() : shot;
    pixmap.save(QDir(m_dir).filePath(name + QStringLiteral(".png")));
}

void ScreenshotScript::step()
{
    const QString suffix = qEnvironmentVariable("KBATCH_SCREENSHOT_SUFFIX");
    switch (m_step++) {
    case 0:
        // The first row selected so the detail editor shows it; the picture waits for the repaint.
        m_window->view()->selectRow(0);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 1:
        grab(QStringLiteral("main-before-send") + suffix);
        m_window->action(QStringLiteral("actionSend"))->trigger();
        break; // continues when the send finishes
    case 2:
        grab(QStringLiteral("main-after-send") + suffix);
        // The row with a binary key, its key shown as hex: the encoding switch at work.
        m_window->view()->selectRow(3);
        if (auto *form = m_window->findChild<QComboBox *>(QStringLiteral("keyEncoding")))
            form->setCurrentIndex(3);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 3:
        grab(QStringLiteral("detail-editor") + suffix);
        m_window->setDarkPalette(true);
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 4: {
        grab(QStringLiteral("dark-palette") + suffix);
        m_window->setDarkPalette(false);
        // A row with placeholders, as a user writes one to generate test data.
        core::Message row;
        row.key = core::Payload(QByteArray("order-{{seq}}"));
        row.value = core::Payload(QByteArray(R"({"id": "{{uuid}}", "customer": "c-{{random.int 1 99}}", )"
                                             R"("status": "{{pick new|paid|shipped}}", "at": "{{now}}"})"));
        auto *dialog = new GenerateDialog(row, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setCount(1000);
        dialog->setSeed(42);
        dialog->open();
        m_generate = dialog;
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    }
    case 5: {
        m_generate->grab().save(
            QDir(m_dir).filePath(QStringLiteral("generate-dialog") + suffix + QStringLiteral(".png")));
        m_generate->close();
        // Peek: the messages the send wrote, read back from the topic.
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("peekDock")))
            dock->show();
        m_window->peekPanel()->setTopic(m_window->sendBar()->topic());
        if (auto *peek = m_window->peekPanel()->findChild<QPushButton *>(QStringLiteral("peekButton")))
            peek->click();
        QTimer::singleShot(3000, this, &ScreenshotScript::step);
        break;
    }
    case 6:
        grab(QStringLiteral("peek-panel") + suffix);
        // Sandbox faults: three produce errors queued, as a user prepares a retry demonstration.
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("faultsDock"))) {
            dock->show();
            dock->raise();
        }
        if (auto *api = m_window->findChild<QComboBox *>(QStringLiteral("faultApi")))
            api->setCurrentText(QStringLiteral("produce"));
        if (auto *count = m_window->findChild<QSpinBox *>(QStringLiteral("faultCount")))
            count->setValue(3);
        if (auto *error = m_window->findChild<QComboBox *>(QStringLiteral("faultError")))
            error->setCurrentText(QStringLiteral("NOT_LEADER_FOR_PARTITION"));
        if (auto *inject = m_window->findChild<QPushButton *>(QStringLiteral("faultInject")))
            inject->click();
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 7:
        grab(QStringLiteral("faults-panel") + suffix);
        for (const char *name : {"peekDock", "faultsDock"})
            if (auto *dock = m_window->findChild<QDockWidget *>(QLatin1String(name)))
                dock->hide();
        m_window->document()->newDocument();
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 8:
        grab(QStringLiteral("empty-state") + suffix);
        m_dialog = m_window->openProfilesDialog();
        // A filled-in form, as a user sets up a secured cluster (not saved: the script leaves no profile behind).
        m_dialog->findChild<QPushButton *>(QStringLiteral("profileNew"))->click();
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileName"))->setText(QStringLiteral("staging"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileBootstrap"))
            ->setText(QStringLiteral("broker-1.staging:9094,broker-2.staging:9094"));
        if (auto *c = m_dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity")))
            c->setCurrentIndex(c->findText(QStringLiteral("sasl_ssl")));
        if (auto *c = m_dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism")))
            c->setCurrentIndex(c->findText(QStringLiteral("SCRAM-SHA-512")));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileUsername"))->setText(QStringLiteral("alice"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profilePassword"))->setText(QStringLiteral("password"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileCaFile"))
            ->setText(QStringLiteral("/etc/ssl/staging-ca.pem"));
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 9:
        m_dialog->grab().save(
            QDir(m_dir).filePath(QStringLiteral("profiles-dialog") + suffix + QStringLiteral(".png")));
        m_dialog->close();
        QTimer::singleShot(100, qApp, &QApplication::quit);
        break;
    default:
        break;
    }
}

} // namespace kbatch::ui

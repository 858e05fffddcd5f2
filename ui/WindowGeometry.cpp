#include "ui/WindowGeometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QWidget>

namespace kbatch::ui::WindowGeometry {

namespace {
const QString PositionKey = QStringLiteral("window/framePosition");
const QString SizeKey = QStringLiteral("window/size");
const QString MaximizedKey = QStringLiteral("window/maximized");
} // namespace

void save(const QWidget *window, QSettings &settings)
{
    // The frame's corner: moving a window that is not shown yet places its frame there (the window manager is asked
    // for north-west gravity), so the window comes back exactly where it was, whatever its title bar.
    const QPoint frameOffset = window->geometry().topLeft() - window->frameGeometry().topLeft();
    const QRect normal = window->normalGeometry();
    settings.setValue(PositionKey, normal.topLeft() - frameOffset);
    settings.setValue(SizeKey, normal.size());
    settings.setValue(MaximizedKey, window->isMaximized());
}

bool restore(QWidget *window, const QSettings &settings)
{
    const QSize size = settings.value(SizeKey).toSize();
    if (!size.isValid() || !settings.contains(PositionKey))
        return false;
    QPoint position = settings.value(PositionKey).toPoint();
    // Somewhere the title bar can be grabbed, or the primary screen.
    if (!QGuiApplication::screenAt(position + QPoint(std::min(size.width() / 2, 100), 8)))
        if (const QScreen *primary = QGuiApplication::primaryScreen())
            position = primary->availableGeometry().topLeft();
    window->resize(size);
    window->move(position);
    if (settings.value(MaximizedKey, false).toBool())
        window->setWindowState(window->windowState() | Qt::WindowMaximized);
    return true;
}

} // namespace kbatch::ui::WindowGeometry

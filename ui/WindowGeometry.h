#pragma once

class QSettings;
class QWidget;

namespace kbatch::ui {

// Where a top-level window was and how big, kept in settings as the top-left corner of its frame, the size of its
// normal (unmaximised) client area and whether it was maximised. Not QWidget::saveGeometry()/restoreGeometry():
// restoreGeometry() assumes a 20-pixel title bar whenever it cannot see the frame (before the window is shown,
// without a window manager, with client-side decorations) and pushed a window at the top of the screen, where a
// window as tall as a 1280x800 screen always is, 20 pixels down at every start.
namespace WindowGeometry {

void save(const QWidget *window, QSettings &settings);
// Call before the window is shown. False when nothing was saved (the caller picks a default size). A window whose
// title bar would be on no screen (a monitor since disconnected) goes to the top-left of the primary screen.
bool restore(QWidget *window, const QSettings &settings);

} // namespace WindowGeometry
} // namespace kbatch::ui

#pragma once

#include <QKeySequence>
#include <QString>

class QAction;
class QWidget;

namespace kbatch::ui {

// A window action: named for tests and menus (owner->findChild), its shortcut shown in its tooltip as well as in
// menus, a themed icon with our bundled fallback, and added to the owner so the shortcut works window-wide.
QAction *makeAction(QWidget *owner, const QString &name, const QString &text, const QKeySequence &shortcut,
                    const QString &icon = {}, const QString &fallback = {});

// Moves an action's shortcut to `widget` and its children only (Del, Ctrl+C, Ctrl+V in a text editor edit text).
void scopeShortcutTo(QAction *action, QWidget *owner, QWidget *widget);

} // namespace kbatch::ui

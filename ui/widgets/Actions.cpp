#include "ui/widgets/Actions.h"

#include "ui/widgets/Theme.h"

#include <QAction>
#include <QWidget>

namespace kbatch::ui {

QAction *makeAction(QWidget *owner, const QString &name, const QString &text, const QKeySequence &shortcut,
                    const QString &icon, const QString &fallback)
{
    auto *a = new QAction(text, owner);
    a->setObjectName(name);
    if (!shortcut.isEmpty()) {
        a->setShortcut(shortcut);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                    shortcut.toString(QKeySequence::NativeText)));
    }
    if (!icon.isEmpty())
        a->setIcon(Theme::icon(icon, fallback));
    owner->addAction(a);
    return a;
}

void scopeShortcutTo(QAction *action, QWidget *owner, QWidget *widget)
{
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    owner->removeAction(action);
    widget->addAction(action);
}

} // namespace kbatch::ui

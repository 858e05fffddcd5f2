#include "ui/widgets/Theme.h"

#include "ui/widgets/InkIconEngine.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>

static void kbatchInitResources()
{
    Q_INIT_RESOURCE(kbatch);
}

namespace kbatch::ui::Theme {

namespace {
// One accent, used for the primary button, focus and selection.
const QColor LightAccent(0x2f, 0x6f, 0xd1);
const QColor DarkAccent(0x4c, 0x8d, 0xf0);
// Fusion outlines check boxes with the window colour darkened, which vanishes on a dark window: "null" and "auto"
// boxes were barely visible in the dark palette. This draws a visible outline over Fusion's own box (item views
// draw their check boxes through the same primitive).
class KBatchStyle : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;

    void drawPrimitive(PrimitiveElement element, const QStyleOption *option, QPainter *painter,
                       const QWidget *widget) const override
    {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        if (element != PE_IndicatorCheckBox || option->palette.color(QPalette::Window).lightness() >= 128)
            return;
        QColor outline = option->palette.color(QPalette::PlaceholderText);
        if (!(option->state & State_Enabled))
            outline = outline.darker(140);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setBrush(Qt::NoBrush);
        painter->setPen(outline);
        painter->drawRect(option->rect.adjusted(0, 0, -1, -1));
        painter->restore();
    }
};
} // namespace

QPalette palette(Mode mode)
{
    QPalette p;
    if (mode == Mode::Light) {
        const QColor window(0xf4, 0xf5, 0xf7), base(0xff, 0xff, 0xff), text(0x1f, 0x23, 0x28);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
        p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf2));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x91, 0x9a));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0xfa, 0xfb, 0xfc));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Light, Qt::white);
        p.setColor(QPalette::Midlight, QColor(0xe9, 0xeb, 0xee));
        p.setColor(QPalette::Mid, QColor(0xd0, 0xd4, 0xda));
        p.setColor(QPalette::Dark, QColor(0xb4, 0xb9, 0xc1));
        p.setColor(QPalette::Shadow, QColor(0x9a, 0xa0, 0xa8));
        p.setColor(QPalette::Highlight, QColor(0xd6, 0xe4, 0xfa));
        p.setColor(QPalette::HighlightedText, text);
        p.setColor(QPalette::Link, LightAccent);
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0xa0, 0xa6, 0xae));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0xa0, 0xa6, 0xae));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0xa0, 0xa6, 0xae));
    } else {
        const QColor window(0x23, 0x25, 0x29), base(0x1b, 0x1d, 0x20), text(0xdd, 0xe1, 0xe6);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, QColor(0x21, 0x23, 0x27));
        p.setColor(QPalette::ToolTipBase, QColor(0x2d, 0x30, 0x35));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x84, 0x8d));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, QColor(0x2c, 0x2f, 0x34));
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Light, QColor(0x3a, 0x3e, 0x44));
        p.setColor(QPalette::Midlight, QColor(0x32, 0x35, 0x3a));
        p.setColor(QPalette::Mid, QColor(0x3c, 0x40, 0x46));
        p.setColor(QPalette::Dark, QColor(0x15, 0x16, 0x18));
        p.setColor(QPalette::Shadow, QColor(0x0c, 0x0d, 0x0e));
        p.setColor(QPalette::Highlight, QColor(0x2b, 0x44, 0x6b));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, DarkAccent);
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6c, 0x72, 0x7a));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6c, 0x72, 0x7a));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6c, 0x72, 0x7a));
    }
    return p;
}

void apply(Mode mode)
{
    QApplication::setStyle(new KBatchStyle(QStyleFactory::create(QStringLiteral("Fusion"))));
    const QPalette p = palette(mode);
    QApplication::setPalette(p);
    const QString accent = accentColor().name();
    const QString border = p.color(QPalette::Mid).name();
    // Only what the palette cannot express: the single accent button, flat dock titles, no double frames.
    qApp->setStyleSheet(
        QStringLiteral(
            "QPushButton#sendButton { background: %1; color: white; border: 1px solid %1; border-radius: 4px;"
            "  padding: 4px 14px; font-weight: 600; }"
            "QPushButton#sendButton:disabled { background: %2; border-color: %2; }"
            "QToolButton#producerSettingsButton { padding: 3px 8px; }"
            "QToolButton#modeIndependent:checked, QToolButton#modeAtomic:checked { background: %4; border: 1px solid "
            "%1;"
            "  border-radius: 3px; }"
            "QToolButton#producerSettingsButton::menu-indicator { image: none; width: 0px; }"
            "QDockWidget::title { padding: 6px 8px; text-align: left; }"
            "QTableView, QTreeView, QListView, QPlainTextEdit { border: 1px solid %2; }"
            "QStatusBar { border-top: 1px solid %2; }"
            "QStatusBar::item { border: none; }"
            "QToolBar { spacing: 6px; padding: 4px 6px; border-bottom: 1px solid %2; }"
            "QLabel#emptyStateLabel { color: %3; font-size: 11pt; }"
            "QLabel#sectionLabel { font-weight: 600; color: %3; }")
            .arg(accent, border, mutedTextColor().name(), p.color(QPalette::Highlight).name()));
}

Mode current()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128 ? Mode::Dark : Mode::Light;
}

QColor accentColor()
{
    return current() == Mode::Dark ? DarkAccent : LightAccent;
}

QColor mutedTextColor()
{
    return current() == Mode::Dark ? QColor(0x8e, 0x95, 0x9e) : QColor(0x6b, 0x72, 0x7b);
}

QColor statusColor(core::DeliveryStatus status)
{
    const bool dark = current() == Mode::Dark;
    switch (status) {
    case core::DeliveryStatus::Delivered:
        return dark ? QColor(0x5f, 0xc9, 0x7e) : QColor(0x1a, 0x7f, 0x37);
    case core::DeliveryStatus::Failed:
        return dark ? QColor(0xf2, 0x72, 0x6f) : QColor(0xc0, 0x24, 0x24);
    case core::DeliveryStatus::PossiblyWritten:
        return dark ? QColor(0xe8, 0xb3, 0x4b) : QColor(0x9a, 0x60, 0x00);
    case core::DeliveryStatus::Cancelled:
        return mutedTextColor();
    case core::DeliveryStatus::Pending:
        return dark ? QColor(0x6d, 0xa7, 0xf5) : QColor(0x2f, 0x6f, 0xd1);
    }
    return mutedTextColor();
}

QIcon statusIcon(core::DeliveryStatus status)
{
    // Cached: data() asks for these for every visible status cell on every repaint.
    static const QIcon icons[] = {
        QIcon(QStringLiteral(":/icons/status-pending.svg")),   QIcon(QStringLiteral(":/icons/status-delivered.svg")),
        QIcon(QStringLiteral(":/icons/status-failed.svg")),    QIcon(QStringLiteral(":/icons/status-possibly.svg")),
        QIcon(QStringLiteral(":/icons/status-cancelled.svg")),
    };
    const auto i = std::size_t(status);
    return i < std::size(icons) ? icons[i] : QIcon();
}

QIcon invalidIcon()
{
    static const QIcon icon(QStringLiteral(":/icons/invalid.svg"));
    return icon;
}

QString statusLabel(core::DeliveryStatus status)
{
    switch (status) {
    case core::DeliveryStatus::Pending:
        return QCoreApplication::translate("Theme", "pending");
    case core::DeliveryStatus::Delivered:
        return QCoreApplication::translate("Theme", "delivered");
    case core::DeliveryStatus::Failed:
        return QCoreApplication::translate("Theme", "failed");
    case core::DeliveryStatus::PossiblyWritten:
        return QCoreApplication::translate("Theme", "possibly written");
    case core::DeliveryStatus::Cancelled:
        return QCoreApplication::translate("Theme", "cancelled");
    }
    return {};
}

QIcon icon(const QString &themeName, const QString &fallback)
{
    return QIcon::fromTheme(themeName,
                            QIcon(new InkIconEngine(QStringLiteral(":/icons/") + fallback + QStringLiteral(".svg"))));
}

QIcon appIcon()
{
    return QIcon(QStringLiteral(":/icons/kbatch.svg"));
}

QFont monospaceFont()
{
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setStyleHint(QFont::Monospace);
    return f;
}

void initResources()
{
    kbatchInitResources();
}

} // namespace kbatch::ui::Theme

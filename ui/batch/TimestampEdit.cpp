#include "ui/batch/TimestampEdit.h"

#include "ui/widgets/Theme.h"

#include <QCalendarWidget>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QTimeZone>
#include <QToolButton>

#include <algorithm>

namespace kbatch::ui {

namespace {
QString zoneName()
{
    const QByteArray id = QTimeZone::systemTimeZoneId();
    return id.isEmpty() ? QDateTime::currentDateTime().timeZoneAbbreviation() : QString::fromUtf8(id);
}
} // namespace

TimestampEdit::TimestampEdit(QWidget *parent) : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("timestampEdit"));
    m_text->setPlaceholderText(QLatin1String(DisplayFormat));
    // Never cut short: the whole date-time stays in view, as in the QDateTimeEdit it replaces.
    m_text->setMinimumWidth(m_text->fontMetrics().horizontalAdvance(QStringLiteral("8888-88-88 88:88:88.888")) + 16);
    m_text->setToolTip(tr("Local time (%1): yyyy-MM-dd HH:mm:ss.zzz. Also takes an ISO 8601 date-time with an "
                          "offset (2025-01-02T03:04:05.678Z) or milliseconds since the epoch.")
                           .arg(zoneName()));
    m_pick = new QToolButton(this);
    m_pick->setObjectName(QStringLiteral("timestampPick"));
    m_pick->setArrowType(Qt::DownArrow);
    m_pick->setToolTip(tr("Pick the day from a calendar (the time of day stays)"));
    row->addWidget(m_text, 1);
    row->addWidget(m_pick);
    // Shown by the owner where there is room for a sentence (a row of its own under the field).
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("timestampProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();

    connect(m_text, &QLineEdit::textEdited, this, [this] { take(false); });
    connect(m_text, &QLineEdit::editingFinished, this, [this] {
        // Done typing: show the value the row holds in the editor's own form (e.g. after ms since the epoch).
        if (take(true))
            m_text->setText(format(m_ms));
    });
    connect(m_pick, &QToolButton::clicked, this, &TimestampEdit::pickDay);
}

std::optional<std::int64_t> TimestampEdit::parse(const QString &text, bool whileTyping)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qlonglong ms = t.toLongLong(&isNumber);
    if (isNumber) // not while typing: the year of a date being typed would pass for a few milliseconds
        return ms >= 0 && !whileTyping ? std::optional<std::int64_t>(ms) : std::nullopt;
    // Local time, with fewer places accepted while typing; then ISO 8601, which carries its own offset.
    for (const char *f : {DisplayFormat, "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"}) {
        const QDateTime dt = QDateTime::fromString(t, QLatin1String(f));
        if (dt.isValid())
            return dt.toMSecsSinceEpoch();
    }
    const QDateTime iso = QDateTime::fromString(t, Qt::ISODateWithMs); // local time without an offset, as above
    if (iso.isValid())
        return iso.toMSecsSinceEpoch();
    return std::nullopt;
}

QString TimestampEdit::format(std::int64_t msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QLatin1String(DisplayFormat));
}

void TimestampEdit::setTimestamp(std::int64_t msSinceEpoch)
{
    m_ms = msSinceEpoch;
    m_text->setText(format(msSinceEpoch));
    showProblem(false, false);
}

bool TimestampEdit::take(bool finished)
{
    const auto ms = parse(m_text->text(), !finished);
    // While typing, text on its way to a date-time is only shown red; the sentence comes when typing stops.
    showProblem(!ms, finished || m_problem->isVisible());
    if (!ms)
        return false;
    if (*ms != m_ms) {
        m_ms = *ms;
        emit edited();
    }
    return true;
}

void TimestampEdit::showProblem(bool invalid, bool explain)
{
    m_problem->setVisible(invalid && explain && isEnabled());
    const QString red = QStringLiteral("color: %1").arg(Theme::statusColor(core::DeliveryStatus::Failed).name());
    m_text->setStyleSheet(invalid ? red : QString());
    if (!invalid)
        return;
    m_problem->setStyleSheet(red);
    m_problem->setText(
        tr("Not a date and time (yyyy-MM-dd HH:mm:ss.zzz, %1 time): the row keeps %2").arg(zoneName(), format(m_ms)));
}

void TimestampEdit::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::EnabledChange && !isEnabled())
        showProblem(false, false);
    QWidget::changeEvent(event);
}

void TimestampEdit::pickDay()
{
    // A popup window, not a menu: QMenu::exec() would run a nested event loop.
    if (!m_calendar) {
        m_calendar = new QCalendarWidget(this);
        m_calendar->setObjectName(QStringLiteral("timestampCalendar"));
        m_calendar->setWindowFlags(Qt::Popup);
        connect(m_calendar, &QCalendarWidget::clicked, this, [this](QDate day) {
            m_calendar->hide();
            const QDateTime current = QDateTime::fromMSecsSinceEpoch(m_ms);
            const QDateTime picked(day, current.time());
            if (!picked.isValid())
                return;
            m_text->setText(format(picked.toMSecsSinceEpoch()));
            take(true);
        });
    }
    m_calendar->setSelectedDate(QDateTime::fromMSecsSinceEpoch(m_ms).date());
    // QCalendarWidget's size hint leaves the sixth week half cut off with Fusion: one more line of room.
    const QSize hint = m_calendar->sizeHint();
    m_calendar->resize(hint.width(), hint.height() + m_calendar->fontMetrics().height());
    // Under the button, or above it where the screen ends (the field sits at the bottom of the window), and never
    // past the screen's sides.
    const QSize size = m_calendar->size();
    QPoint at = m_pick->mapToGlobal(QPoint(m_pick->width() - size.width(), m_pick->height()));
    if (const QScreen *screen = m_pick->screen()) {
        const QRect room = screen->availableGeometry();
        if (at.y() + size.height() > room.bottom())
            at.setY(m_pick->mapToGlobal(QPoint(0, 0)).y() - size.height());
        at.setX(std::clamp(at.x(), room.left(), std::max(room.left(), room.right() - size.width())));
        at.setY(std::max(at.y(), room.top()));
    }
    m_calendar->move(at);
    m_calendar->show();
}

} // namespace kbatch::ui

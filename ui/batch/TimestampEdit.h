#pragma once

#include <QWidget>

#include <cstdint>
#include <optional>

class QCalendarWidget;
class QLabel;
class QLineEdit;
class QToolButton;

namespace kbatch::ui {

// A message timestamp typed as a whole: `yyyy-MM-dd HH:mm:ss.zzz` in the local time zone (the system's, named in
// the tooltip), an ISO 8601 date-time with an offset (`2025-01-02T03:04:05.678Z`), or milliseconds since the epoch;
// a calendar button picks the day. It replaces a QDateTimeEdit, whose typing goes section by section: typed digits
// are dropped unless their section is selected, and a typed separator after a section that filled up jumps past the
// next one, so `2025-01-02 03:04:05.678` typed into it became 2026-01-02 03:xx:04.056.
class TimestampEdit : public QWidget
{
    Q_OBJECT
public:
    static constexpr const char *DisplayFormat = "yyyy-MM-dd HH:mm:ss.zzz";

    explicit TimestampEdit(QWidget *parent = nullptr);

    void setTimestamp(std::int64_t msSinceEpoch);   // shows it; emits nothing
    std::int64_t timestamp() const { return m_ms; } // the last valid value typed or set
    // The typed text as ms since the epoch, or nothing when it is not a date-time this editor takes. `whileTyping`:
    // the text may be a date-time still being typed, so a bare number is not taken (it may be the year).
    static std::optional<std::int64_t> parse(const QString &text, bool whileTyping = false);
    static QString format(std::int64_t msSinceEpoch); // local time, DisplayFormat
    // Why the typed text is not taken, shown while it is not; the owner places it (it is not in this widget's layout).
    QLabel *problemLabel() const { return m_problem; }

signals:
    void edited(); // the user changed the value (only with valid text)

protected:
    void changeEvent(QEvent *event) override;

private:
    bool take(bool finished); // the text's value into the row when valid; false when not
    void showProblem(bool invalid, bool explain);
    void pickDay();

    QLineEdit *m_text;
    QToolButton *m_pick;
    QLabel *m_problem;
    QCalendarWidget *m_calendar = nullptr;
    std::int64_t m_ms = 0;
};

} // namespace kbatch::ui

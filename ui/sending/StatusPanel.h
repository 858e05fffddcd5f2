#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace kbatch::ui {

struct SendStats;

// The status bar's send figures: progress, the four outcomes, rate and latency. Progress lives here and in the rows,
// never in a modal dialog.
class StatusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPanel(QWidget *parent = nullptr);

    void showStats(const SendStats &stats);
    void showMessage(const QString &text); // replaces the figures until the next send

private:
    QLabel *m_summary;
    QLabel *m_rates;
    QProgressBar *m_progress;
};

} // namespace kbatch::ui

#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace kbatch::ui {

class BatchTableModel;
class StateFilterModel;
struct SendStats;

// The status bar: the send's figures (progress, the four outcomes, rate and latency), messages, and the row count.
// Progress lives here and in the rows, never in a modal dialog.
//
// Every figure says what is true now: the row count follows the batch (and the state filter); a send's figures are
// live while it runs and stay after it, until the batch changes; then the outcomes are counted from the rows as they
// are (rows added since show as not sent, deleted ones are gone).
class StatusPanel : public QWidget
{
    Q_OBJECT
public:
    StatusPanel(BatchTableModel *model, StateFilterModel *shown, QWidget *parent = nullptr);

    void showStats(const SendStats &stats);
    // Replaces the figures until the batch changes or the next send; while a send runs, for a few seconds.
    void showMessage(const QString &text);

private:
    void batchChanged();
    void showRowFigures(); // the outcomes of the rows as they are
    void updateRowCount();
    void setSummary(const QString &html, const QString &plain);
    void setPlainSummary(const QString &text);

    BatchTableModel *m_model;
    StateFilterModel *m_shown;
    QLabel *m_summary;
    QLabel *m_rates;
    QProgressBar *m_progress;
    QLabel *m_rowCount;
    bool m_figures = false; // the summary shows outcomes (not a message): they follow the batch
    bool m_running = false;
    QTimer m_recount;     // coalesces batch changes into one count
    QTimer m_messageHold; // a message shown during a send stays this long before the live figures come back
};

} // namespace kbatch::ui

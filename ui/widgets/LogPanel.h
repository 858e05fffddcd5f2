#pragma once

#include <QWidget>

class QComboBox;
class QPlainTextEdit;

namespace kbatch::ui {

// librdkafka's and KBatch's own log lines (the kbatch.* logging categories), filterable by level. Lines are
// captured by a message handler on any thread and handed to the UI thread with a queued call; core never logs
// secrets, so nothing here needs filtering for them.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LogPanel(QWidget *parent = nullptr);
    ~LogPanel() override;

    QString text() const;
    Q_INVOKABLE void appendLine(int level, const QString &line);

private:
    void refilter();

    QComboBox *m_level;
    QPlainTextEdit *m_view;
    QList<QPair<int, QString>> m_lines; // the last lines, all levels, for re-filtering
};

} // namespace kbatch::ui

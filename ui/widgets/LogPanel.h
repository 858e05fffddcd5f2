#pragma once

#include <QWidget>

class QCheckBox;
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
    // The profile whose work the next lines belong to: the running send's, else the chosen one. Each line shows it,
    // and "This profile only" shows the lines of the current one.
    void setProfile(const QString &profile);

private:
    struct Line
    {
        int level;
        QString profile;
        QString text; // as shown: the time, the profile, the level, the module, the message
    };
    void refilter();
    bool shows(const Line &line) const;

    QComboBox *m_level;
    QCheckBox *m_profileOnly;
    QPlainTextEdit *m_view;
    QString m_profile;
    QList<Line> m_lines; // the last lines, all levels and profiles, for re-filtering
};

} // namespace kbatch::ui

#pragma once

#include <QMessageBox>

namespace kbatch::ui {

// Every question the UI asks goes through here, so tests can answer it (KeePassXC's seam): setNextAnswer() makes
// the next question return that button without showing anything.
class MessageBox
{
public:
    // `labels` renames standard buttons (e.g. Open shown as "Restore") without changing what they return.
    static QMessageBox::StandardButton
    question(QWidget *parent, const QString &title, const QString &text, QMessageBox::StandardButtons buttons,
             QMessageBox::StandardButton defaultButton,
             const QList<std::pair<QMessageBox::StandardButton, QString>> &labels = {});
    // Not modal: errors never block the event loop (a running send goes on updating the rows).
    static void error(QWidget *parent, const QString &title, const QString &text);

    static void setNextAnswer(QMessageBox::StandardButton answer);
    static bool hasNextAnswer();
    static QString lastQuestion(); // the text of the last question asked (for tests)
    static QString lastError();    // the text of the last error shown (for tests)
    static void clearLast();       // forgets the last question and error (for tests)

private:
    static inline QMessageBox::StandardButton s_next = QMessageBox::NoButton;
    static inline QString s_lastQuestion;
    static inline QString s_lastError;
};

} // namespace kbatch::ui

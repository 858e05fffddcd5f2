#include "MessageBox.h"

#include <QAbstractButton>

namespace kbatch::ui {

QMessageBox::StandardButton MessageBox::question(QWidget *parent, const QString &title, const QString &text,
                                                 QMessageBox::StandardButtons buttons,
                                                 QMessageBox::StandardButton defaultButton,
                                                 const QList<std::pair<QMessageBox::StandardButton, QString>> &labels)
{
    s_lastQuestion = text;
    if (s_next != QMessageBox::NoButton) {
        const auto answer = s_next;
        s_next = QMessageBox::NoButton;
        return answer;
    }
    QMessageBox box(QMessageBox::Question, title, text, buttons, parent);
    box.setDefaultButton(defaultButton);
    for (const auto &[button, label] : labels)
        if (QAbstractButton *b = box.button(button))
            b->setText(label);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    return QMessageBox::StandardButton(box.exec());
}

void MessageBox::error(QWidget *parent, const QString &title, const QString &text)
{
    s_lastError = text;
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorMessageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse); // errors are copyable
    box->open();
}

void MessageBox::setNextAnswer(QMessageBox::StandardButton answer)
{
    s_next = answer;
}

bool MessageBox::hasNextAnswer()
{
    return s_next != QMessageBox::NoButton;
}

QString MessageBox::lastQuestion()
{
    return s_lastQuestion;
}

QString MessageBox::lastError()
{
    return s_lastError;
}

void MessageBox::clearLast()
{
    s_lastQuestion.clear();
    s_lastError.clear();
}

} // namespace kbatch::ui

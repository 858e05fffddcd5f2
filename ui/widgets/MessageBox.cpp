#include "ui/widgets/MessageBox.h"

#include "core/model/Printable.h"

#include <QAbstractButton>

namespace kbatch::ui {

namespace {
// Messages quote names from files and text from brokers: every line is shown with its control characters escaped,
// and as plain text, never as HTML.
QString safeText(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = core::printable(line);
    return lines.join(QLatin1Char('\n'));
}
} // namespace

QMessageBox::StandardButton MessageBox::question(QWidget *parent, const QString &title, const QString &rawText,
                                                 QMessageBox::StandardButtons buttons,
                                                 QMessageBox::StandardButton defaultButton,
                                                 const QList<std::pair<QMessageBox::StandardButton, QString>> &labels)
{
    const QString text = safeText(rawText);
    s_lastQuestion = text;
    if (s_next != QMessageBox::NoButton) {
        const auto answer = s_next;
        s_next = QMessageBox::NoButton;
        return answer;
    }
    QMessageBox box(QMessageBox::Question, title, text, buttons, parent);
    box.setTextFormat(Qt::PlainText);
    box.setDefaultButton(defaultButton);
    for (const auto &[button, label] : labels)
        if (QAbstractButton *b = box.button(button))
            b->setText(label);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    return QMessageBox::StandardButton(box.exec());
}

void MessageBox::error(QWidget *parent, const QString &title, const QString &rawText)
{
    const QString text = safeText(rawText);
    s_lastError = text;
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box->setTextFormat(Qt::PlainText);
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

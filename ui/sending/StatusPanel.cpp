#include "ui/sending/StatusPanel.h"

#include "ui/sending/SendController.h"
#include "ui/widgets/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

namespace kbatch::ui {

StatusPanel::StatusPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->setSpacing(12);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("statusSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rates = new QLabel(this);
    m_rates->setObjectName(QStringLiteral("statusRates"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setFixedWidth(160);
    m_progress->setMaximumHeight(14);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    // A label's minimum width is its whole text: the counts and rates together would otherwise make the window
    // wider than a 1280-px screen. Let them be cut instead; each tooltip holds its full text.
    m_summary->setMinimumWidth(1);
    m_rates->setMinimumWidth(1);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_rates);
    layout->addWidget(m_progress);
    showMessage(tr("Ready"));
}

void StatusPanel::showStats(const SendStats &s)
{
    const QLocale locale;
    const QString sep = QStringLiteral("  ·  ");
    auto colored = [](const QString &text, core::DeliveryStatus status, qsizetype n) {
        // Colour only adds to the words; a zero count stays plain so the eye goes to what happened.
        return n == 0 ? text
                      : QStringLiteral("<span style=\"color:%1\">%2</span>")
                            .arg(Theme::statusColor(status).name(), text.toHtmlEscaped());
    };
    QString text =
        tr("%1 / %2 delivered").arg(locale.toString(qlonglong(s.delivered)), locale.toString(qlonglong(s.total)));
    text += sep +
            colored(tr("%1 failed").arg(locale.toString(qlonglong(s.failed))), core::DeliveryStatus::Failed, s.failed);
    text += sep + colored(tr("%1 possibly written").arg(locale.toString(qlonglong(s.possiblyWritten))),
                          core::DeliveryStatus::PossiblyWritten, s.possiblyWritten);
    text += sep + tr("%1 cancelled").arg(locale.toString(qlonglong(s.cancelled)));
    m_summary->setTextFormat(Qt::RichText); // the coloured counts
    m_summary->setText(text);
    m_summary->setToolTip(tr("%1 / %2 delivered, %3 failed, %4 possibly written, %5 cancelled")
                              .arg(locale.toString(qlonglong(s.delivered)), locale.toString(qlonglong(s.total)),
                                   locale.toString(qlonglong(s.failed)), locale.toString(qlonglong(s.possiblyWritten)),
                                   locale.toString(qlonglong(s.cancelled))));

    QStringList rates;
    if (s.messagesPerSecond > 0) {
        rates << tr("%1 msg/s").arg(locale.toString(qlonglong(std::llround(s.messagesPerSecond))))
              << tr("%1 MB/s").arg(locale.toString(s.megabytesPerSecond, 'f', s.megabytesPerSecond < 1 ? 2 : 1));
    }
    if (s.p50Ms >= 0)
        rates << tr("p50 %1 ms").arg(locale.toString(s.p50Ms, 'f', 1))
              << tr("p99 %1 ms").arg(locale.toString(s.p99Ms, 'f', 1));
    m_rates->setText(rates.join(sep));
    m_rates->setToolTip(rates.join(sep));

    m_progress->setVisible(s.running || s.done() < s.total);
    m_progress->setMaximum(int(std::min<qsizetype>(s.total, INT_MAX)));
    m_progress->setValue(int(std::min<qsizetype>(s.done(), INT_MAX)));
}

void StatusPanel::showMessage(const QString &text)
{
    // A message is plain text and shown as such. Escaped into an automatic-format label it was shown with its
    // entities (&quot;nothing-here&quot; not found), because escaped text no longer looks like rich text.
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setText(text);
    m_summary->setToolTip(text);
    m_rates->clear();
    m_rates->setToolTip(QString());
    m_progress->setVisible(false);
}

} // namespace kbatch::ui

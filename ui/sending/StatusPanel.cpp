#include "ui/sending/StatusPanel.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/sending/SendFigures.h"
#include "ui/widgets/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <cmath>

namespace kbatch::ui {

namespace {
const QString Separator = QStringLiteral("  ·  ");

// Colour only adds to the words; a zero count stays plain so the eye goes to what happened.
QString colored(const QString &text, core::DeliveryStatus status, qsizetype n)
{
    return n == 0 ? text.toHtmlEscaped()
                  : QStringLiteral("<span style=\"color:%1\">%2</span>")
                        .arg(Theme::statusColor(status).name(), text.toHtmlEscaped());
}

struct Outcomes
{
    qsizetype delivered = 0, failed = 0, possiblyWritten = 0, cancelled = 0, other = 0;
};

// "4 / 5 delivered · 1 failed · 0 possibly written · 0 cancelled" (and "· 2 not sent"), as rich and plain text.
std::pair<QString, QString> describe(const Outcomes &o, qsizetype total, const QString &otherName)
{
    const QLocale locale;
    auto n = [&locale](qsizetype v) { return locale.toString(qlonglong(v)); };
    const QString delivered = StatusPanel::tr("%1 / %2 delivered").arg(n(o.delivered), n(total));
    const QString failed = StatusPanel::tr("%1 failed").arg(n(o.failed));
    const QString possibly = StatusPanel::tr("%1 possibly written").arg(n(o.possiblyWritten));
    const QString cancelled = StatusPanel::tr("%1 cancelled").arg(n(o.cancelled));
    QString html = delivered.toHtmlEscaped() + Separator + colored(failed, core::DeliveryStatus::Failed, o.failed) +
                   Separator + colored(possibly, core::DeliveryStatus::PossiblyWritten, o.possiblyWritten) + Separator +
                   cancelled.toHtmlEscaped();
    QString plain = QStringList{delivered, failed, possibly, cancelled}.join(QStringLiteral(", "));
    if (o.other > 0) {
        const QString other = otherName.arg(n(o.other));
        html += Separator + other.toHtmlEscaped();
        plain += QStringLiteral(", ") + other;
    }
    return {html, plain};
}
} // namespace

StatusPanel::StatusPanel(BatchTableModel *model, StateFilterModel *shown, QWidget *parent)
    : QWidget(parent), m_model(model), m_shown(shown)
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
    m_rowCount = new QLabel(this);
    m_rowCount->setObjectName(QStringLiteral("rowCountLabel"));
    // A label's minimum width is its whole text: the counts and rates together would otherwise make the window
    // wider than a 1280-px screen. Let them be cut instead; each tooltip holds its full text.
    m_summary->setMinimumWidth(1);
    m_rates->setMinimumWidth(1);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_rates);
    layout->addWidget(m_progress);
    layout->addWidget(m_rowCount);

    m_recount.setSingleShot(true);
    m_recount.setInterval(50);
    connect(&m_recount, &QTimer::timeout, this, &StatusPanel::showRowFigures);
    m_messageHold.setSingleShot(true);
    m_messageHold.setInterval(4000);
    for (auto changed : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, changed, this, &StatusPanel::batchChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &StatusPanel::batchChanged);
    // An edit takes back its row's outcome.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.column() < BatchTableModel::Status)
            batchChanged();
    });
    for (auto changed : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_shown, changed, this, &StatusPanel::updateRowCount);
    connect(m_shown, &QAbstractItemModel::modelReset, this, &StatusPanel::updateRowCount);
    connect(m_shown, &QAbstractItemModel::layoutChanged, this, &StatusPanel::updateRowCount);
    showMessage(tr("Ready"));
    updateRowCount();
}

void StatusPanel::setSummary(const QString &html, const QString &plain)
{
    m_summary->setTextFormat(Qt::RichText); // the coloured counts
    m_summary->setText(html);
    m_summary->setToolTip(plain);
}

void StatusPanel::setPlainSummary(const QString &text)
{
    // A message is plain text and shown as such. Escaped into an automatic-format label it was shown with its
    // entities (&quot;nothing-here&quot; not found), because escaped text no longer looks like rich text.
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setText(text);
    m_summary->setToolTip(text);
}

void StatusPanel::showStats(const SendStats &s)
{
    m_running = s.running;
    m_figures = true;
    m_recount.stop();
    const QLocale locale;
    if (!m_messageHold.isActive()) {
        if (s.atomic && s.running && s.done() == 0) {
            // Outcomes come with the commit: until then, how far the transaction got.
            const QString text =
                tr("%1 / %2 acknowledged, not committed yet")
                    .arg(locale.toString(qlonglong(s.acknowledged)), locale.toString(qlonglong(s.total)));
            setPlainSummary(text);
        } else {
            const auto [html, plain] =
                describe({s.delivered, s.failed, s.possiblyWritten, s.cancelled, 0}, s.total, QString());
            setSummary(html, plain);
        }
    }

    QStringList rates;
    if (s.messagesPerSecond > 0) {
        rates << tr("%1 msg/s").arg(locale.toString(qlonglong(std::llround(s.messagesPerSecond))))
              << tr("%1 MB/s").arg(locale.toString(s.megabytesPerSecond, 'f', s.megabytesPerSecond < 1 ? 2 : 1));
    }
    if (s.p50Ms >= 0)
        rates << tr("p50 %1 ms").arg(locale.toString(s.p50Ms, 'f', 1))
              << tr("p99 %1 ms").arg(locale.toString(s.p99Ms, 'f', 1));
    m_rates->setText(rates.join(Separator));
    m_rates->setToolTip(rates.join(Separator));

    const qsizetype done = s.atomic && s.running && s.done() == 0 ? s.acknowledged : s.done();
    m_progress->setVisible(s.running || done < s.total);
    m_progress->setMaximum(int(std::min<qsizetype>(s.total, INT_MAX)));
    m_progress->setValue(int(std::min<qsizetype>(done, INT_MAX)));
}

void StatusPanel::showMessage(const QString &text)
{
    setPlainSummary(text);
    if (m_running) {
        m_messageHold.start(); // the live figures take the summary back after a while
        return;
    }
    m_figures = false;
    m_rates->clear();
    m_rates->setToolTip(QString());
    m_progress->setVisible(false);
}

void StatusPanel::batchChanged()
{
    updateRowCount();
    if (m_figures && !m_running)
        m_recount.start();
}

void StatusPanel::showRowFigures()
{
    Outcomes o;
    const ResultStore &results = m_model->results();
    for (qsizetype r = 0; r < results.size(); ++r) {
        const auto &res = results.at(r);
        if (!res.sent()) {
            ++o.other;
            continue;
        }
        switch (res.status()) {
        case core::DeliveryStatus::Delivered:
            ++o.delivered;
            break;
        case core::DeliveryStatus::Failed:
            ++o.failed;
            break;
        case core::DeliveryStatus::PossiblyWritten:
            ++o.possiblyWritten;
            break;
        case core::DeliveryStatus::Cancelled:
            ++o.cancelled;
            break;
        case core::DeliveryStatus::Pending:
            ++o.other;
            break;
        }
    }
    if (o.other == results.size()) { // nothing sent among the rows there are now
        showMessage(tr("Ready"));
        return;
    }
    const auto [html, plain] = describe(o, results.size(), tr("%1 not sent"));
    setSummary(html, plain);
    m_progress->setVisible(false);
}

void StatusPanel::updateRowCount()
{
    const QLocale locale;
    const int all = m_model->rowCount();
    QString text = tr("%Ln row(s)", nullptr, all);
    if (m_shown->filter() != StateFilterModel::All)
        text = tr("%1 of %Ln row(s) shown", nullptr, all).arg(locale.toString(m_shown->rowCount()));
    m_rowCount->setText(text);
}

} // namespace kbatch::ui

#include "ui/sending/EffectiveSettingsDialog.h"

#include "core/model/Printable.h"
#include "ui/widgets/Theme.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace kbatch::ui {

EffectiveSettingsDialog::EffectiveSettingsDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("effectiveSettingsDialog"));
    setWindowTitle(tr("Effective Producer Settings"));
    auto *layout = new QVBoxLayout(this);
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("effectiveSettingsCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("effectiveSettingsTable"));
    m_table->setHorizontalHeaderLabels({tr("Property"), tr("Value"), tr("From")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    auto *note = new QLabel(tr("A template may set only message and delivery settings; where to connect and how to "
                               "log in come from the profile (or kbatch-cli's command line)."),
                            this);
    note->setWordWrap(true);
    note->setObjectName(QStringLiteral("mutedLabel"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_caption);
    layout->addWidget(m_table, 1);
    layout->addWidget(note);
    layout->addWidget(buttons);
    resize(640, 480);
}

void EffectiveSettingsDialog::show(const core::EffectiveSettings &settings, const QString &caption)
{
    m_caption->setText(caption);
    m_table->setRowCount(int(settings.size()));
    for (int r = 0; r < int(settings.size()); ++r) {
        const core::EffectiveSetting &s = settings[r];
        auto *name = new QTableWidgetItem(s.name);
        name->setFont(Theme::monospaceFont());
        auto *value = new QTableWidgetItem(core::printable(s.value));
        value->setFont(Theme::monospaceFont());
        m_table->setItem(r, 0, name);
        m_table->setItem(r, 1, value);
        m_table->setItem(r, 2, new QTableWidgetItem(core::toString(s.origin)));
    }
    QDialog::show();
    raise();
}

void EffectiveSettingsDialog::showError(const QString &error, const QString &caption)
{
    m_table->setRowCount(0);
    m_caption->setText(caption + QStringLiteral("\n\n") + core::printable(error));
    QDialog::show();
    raise();
}

} // namespace kbatch::ui

#include "ui/batch/FindBar.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"

#include <QKeyEvent>

namespace kbatch::ui {

FindBar::FindBar(BatchTableModel *model, BatchView *view, QWidget *parent)
    : QLineEdit(parent), m_model(model), m_view(view)
{
    setObjectName(QStringLiteral("findEdit"));
    setPlaceholderText(tr("Find in keys and values — Enter for the next match, Esc to close"));
    setClearButtonEnabled(true);
    hide();
    connect(this, &QLineEdit::returnPressed, this, &FindBar::findNext);
}

void FindBar::open()
{
    show();
    setFocus();
    selectAll();
}

bool FindBar::findNext()
{
    const QByteArray needle = text().toUtf8();
    const core::Batch &batch = m_model->batch();
    if (needle.isEmpty() || batch.isEmpty())
        return false;
    // A plain scan of the compact rows: a million rows take a few milliseconds, no index to keep up to date.
    const qsizetype start = m_view->currentRowIndex() + 1;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const qsizetype r = (start + i) % batch.size();
        if (!m_view->showsSourceRow(r))
            continue; // hidden by the state filter
        if (batch.key(r).indexOf(needle) >= 0 || batch.value(r).indexOf(needle) >= 0) {
            const QModelIndex index = m_model->index(int(r), BatchTableModel::Value);
            m_view->setCurrentSourceIndex(index);
            m_view->scrollTo(m_view->currentIndex());
            return true;
        }
    }
    emit notFound(text());
    return false;
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        m_view->setFocus();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

} // namespace kbatch::ui

#include "ui/batch/BatchCommands.h"

#include "ui/batch/BatchTableModel.h"

#include <QCoreApplication>

#include <algorithm>

namespace kbatch::ui {

namespace {
qsizetype firstLockedIn(const BatchTableModel &model, qsizetype first, qsizetype count)
{
    for (qsizetype r = first; r < first + count; ++r)
        if (model.isRowLocked(r))
            return r;
    return -1;
}
} // namespace

InsertRowsCommand::InsertRowsCommand(BatchTableModel *model, qsizetype row, core::Batch rows, const QString &text)
    : BatchCommand(text), m_model(model), m_row(row), m_rows(std::move(rows))
{}

void InsertRowsCommand::redo()
{
    m_model->rawInsert(m_row, m_rows);
}

void InsertRowsCommand::undo()
{
    m_model->rawRemove(m_row, m_rows.size());
}

qsizetype InsertRowsCommand::firstLockedRow(const BatchTableModel &model, bool undoing) const
{
    return undoing ? firstLockedIn(model, m_row, m_rows.size()) : -1;
}

RemoveRowsCommand::RemoveRowsCommand(BatchTableModel *model, QList<qsizetype> rows) : m_model(model)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (qsizetype r : rows) {
        if (!m_ranges.isEmpty() && m_ranges.last().first + m_ranges.last().count == r)
            ++m_ranges.last().count;
        else
            m_ranges.append({r, 1, {}});
    }
    setText(rows.size() == 1
                ? QCoreApplication::translate("BatchCommands", "Delete row")
                : QCoreApplication::translate("BatchCommands", "Delete %n rows", nullptr, int(rows.size())));
}

void RemoveRowsCommand::redo()
{
    // From the end, so the indexes of the ranges still to remove stay valid.
    for (auto it = m_ranges.rbegin(); it != m_ranges.rend(); ++it)
        it->rows = m_model->rawRemove(it->first, it->count);
}

qsizetype RemoveRowsCommand::firstLockedRow(const BatchTableModel &model, bool undoing) const
{
    if (undoing)
        return -1;
    for (const Range &range : m_ranges)
        if (const qsizetype r = firstLockedIn(model, range.first, range.count); r >= 0)
            return r;
    return -1;
}

void RemoveRowsCommand::undo()
{
    for (Range &range : m_ranges) {
        m_model->rawInsert(range.first, range.rows);
        range.rows = core::Batch(); // the model holds them again
    }
}

ReplaceRowCommand::ReplaceRowCommand(BatchTableModel *model, qsizetype row, core::Message before, core::Message after,
                                     const QString &text, bool mergeable)
    : BatchCommand(text), m_model(model), m_row(row), m_before(std::move(before)), m_after(std::move(after)),
      m_mergeable(mergeable)
{}

void ReplaceRowCommand::redo()
{
    m_model->rawReplace(m_row, m_after);
}

void ReplaceRowCommand::undo()
{
    m_model->rawReplace(m_row, m_before);
}

qsizetype ReplaceRowCommand::firstLockedRow(const BatchTableModel &model, bool) const
{
    return model.isRowLocked(m_row) ? m_row : -1;
}

bool ReplaceRowCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const ReplaceRowCommand *>(other);
    if (!o->m_mergeable || o->m_row != m_row || o->text() != text())
        return false;
    m_after = o->m_after;
    return true;
}

MoveRowCommand::MoveRowCommand(BatchTableModel *model, qsizetype from, qsizetype to)
    : BatchCommand(QCoreApplication::translate("BatchCommands", "Move row")), m_model(model), m_from(from), m_to(to)
{}

void MoveRowCommand::redo()
{
    m_model->rawMove(m_from, m_to);
}

void MoveRowCommand::undo()
{
    m_model->rawMove(m_to, m_from);
}

} // namespace kbatch::ui

#pragma once

#include "core/model/Batch.h"

#include <QList>
#include <QUndoCommand>

namespace kbatch::ui {

class BatchTableModel;

// The undo commands behind every edit of the batch. Each keeps exactly what it needs to go both ways; bulk
// commands keep their rows in a core::Batch, which is compact even for an import of a million rows.

// Every command of the batch's undo stack: it can say, before it runs, whether it would remove or overwrite a row
// that a running send still waits on (BatchTableModel::isRowLocked()), so such an undo or redo is refused instead.
class BatchCommand : public QUndoCommand
{
public:
    using QUndoCommand::QUndoCommand;
    // The first row (as numbered before the step) that undo() (`undoing`) or redo() would remove or overwrite and
    // `model` has locked; -1 when none.
    virtual qsizetype firstLockedRow(const BatchTableModel &model, bool undoing) const = 0;
};

class InsertRowsCommand : public BatchCommand
{
public:
    InsertRowsCommand(BatchTableModel *model, qsizetype row, core::Batch rows, const QString &text);
    void redo() override;
    void undo() override;
    qsizetype firstLockedRow(const BatchTableModel &model, bool undoing) const override;

private:
    BatchTableModel *m_model;
    qsizetype m_row;
    core::Batch m_rows;
};

class RemoveRowsCommand : public BatchCommand
{
public:
    RemoveRowsCommand(BatchTableModel *model, QList<qsizetype> rows);
    void redo() override;
    void undo() override;
    qsizetype firstLockedRow(const BatchTableModel &model, bool undoing) const override;

private:
    struct Range
    {
        qsizetype first;
        qsizetype count;
        core::Batch rows;
    };
    BatchTableModel *m_model;
    QList<Range> m_ranges; // ascending, contiguous runs of the removed rows
};

class ReplaceRowCommand : public BatchCommand
{
public:
    ReplaceRowCommand(BatchTableModel *model, qsizetype row, core::Message before, core::Message after,
                      const QString &text, bool mergeable);
    void redo() override;
    void undo() override;
    qsizetype firstLockedRow(const BatchTableModel &model, bool undoing) const override;
    int id() const override { return m_mergeable ? 1 : -1; }
    // Typing in the detail editor produces many small edits of one row: they merge into one undo step.
    bool mergeWith(const QUndoCommand *other) override;

private:
    BatchTableModel *m_model;
    qsizetype m_row;
    core::Message m_before;
    core::Message m_after;
    bool m_mergeable;
};

// Safe while sending: a moved row keeps its id, and with it its results.
class MoveRowCommand : public BatchCommand
{
public:
    MoveRowCommand(BatchTableModel *model, qsizetype from, qsizetype to);
    void redo() override;
    void undo() override;
    qsizetype firstLockedRow(const BatchTableModel &, bool) const override { return -1; }

private:
    BatchTableModel *m_model;
    qsizetype m_from;
    qsizetype m_to;
};

} // namespace kbatch::ui

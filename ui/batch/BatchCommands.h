#pragma once

#include "core/model/Batch.h"

#include <QList>
#include <QUndoCommand>

namespace kbatch::ui {

class BatchTableModel;

// The undo commands behind every edit of the batch. Each keeps exactly what it needs to go both ways; bulk
// commands keep their rows in a core::Batch, which is compact even for an import of a million rows.

class InsertRowsCommand : public QUndoCommand
{
public:
    InsertRowsCommand(BatchTableModel *model, qsizetype row, core::Batch rows, const QString &text);
    void redo() override;
    void undo() override;

private:
    BatchTableModel *m_model;
    qsizetype m_row;
    core::Batch m_rows;
};

class RemoveRowsCommand : public QUndoCommand
{
public:
    RemoveRowsCommand(BatchTableModel *model, QList<qsizetype> rows);
    void redo() override;
    void undo() override;

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

class ReplaceRowCommand : public QUndoCommand
{
public:
    ReplaceRowCommand(BatchTableModel *model, qsizetype row, core::Message before, core::Message after,
                      const QString &text, bool mergeable);
    void redo() override;
    void undo() override;
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

class MoveRowCommand : public QUndoCommand
{
public:
    MoveRowCommand(BatchTableModel *model, qsizetype from, qsizetype to);
    void redo() override;
    void undo() override;

private:
    BatchTableModel *m_model;
    qsizetype m_from;
    qsizetype m_to;
};

} // namespace kbatch::ui

#pragma once

#include "core/model/Batch.h"
#include "core/model/DeliveryResult.h"
#include "core/model/Error.h"
#include "ui/batch/BatchCells.h"
#include "ui/batch/ResultStore.h"
#include "ui/batch/RowIds.h"

#include <QHash>

#include <QAbstractTableModel>
#include <QLocale>
#include <QTimer>

class QUndoStack;

namespace kbatch::core {
class JobSources;
}

namespace kbatch::ui {

// The batch editor's model: a table over core::Batch plus a compact per-row ResultStore.
//
// Speed with 1,000,000 rows: data() builds strings only for the cells a view asks for (visible ones); nothing is
// cached per row. Delivery results arrive as coalesced vectors; they are applied at once but announced with ONE
// dataChanged over the dirty range, on a short timer, so the view repaints at most ~40 times a second.
//
// Every edit is one QUndoCommand on undoStack(). Every row has a stable id (RowIds) and a send names its rows by id,
// so edits may go on while it runs: rows can be added, pasted, imported, generated and moved, and results still find
// their rows. What a send still waits on is locked (isRowLocked()): deleting or changing such a row, an undo or redo
// that would, and replacing the whole batch are refused with a message (editRefused()).
class BatchTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Row numbers live in the vertical header: as a column they would change under every insert without a signal.
    // Schema: the registry schema ids a row went out with ("id 7", "key 3 · value 7"); the view shows it only while
    // the document types its key or value.
    enum Column { Key, Value, Headers, Partition, Timestamp, Status, Offset, Latency, Schema, ErrorText, ColumnCount };
    enum Role {
        StatusRole = Qt::UserRole + 1, // int: core::DeliveryStatus, or -1 when not sent
        // QStringList: shorter forms of a result cell's text, each shorter than the one before, for a cell too narrow
        // for the whole text (ResultDelegate shows the first that fits); empty when there is none.
        ShortTextRole,
    };

    explicit BatchTableModel(QObject *parent = nullptr);
    ~BatchTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    const core::Batch &batch() const { return m_batch; }
    const ResultStore &results() const { return m_results; }
    QUndoStack *undoStack() const { return m_undo; }

    // Replaces everything (open, new); not undoable, and clears the undo history. Refused (false) while sending.
    bool resetBatch(core::Batch batch);

    // Undo and redo of the undo stack, refused (false) when the step would remove or change a locked row.
    bool undo();
    bool redo();

    using RowId = RowIds::Id;
    RowId rowId(qsizetype row) const { return m_ids.at(row); }
    qsizetype rowOfId(RowId id) const { return m_ids.rowOf(id); } // -1 when the row is gone

    // Undoable edits; each pushes one command named by `text` (shown in Edit > Undo).
    void insertBatch(qsizetype row, const core::Batch &rows, const QString &text);
    void appendBatch(const core::Batch &rows, const QString &text) { insertBatch(m_batch.size(), rows, text); }
    void removeRowList(QList<qsizetype> rows);
    void duplicateRowList(QList<qsizetype> rows);
    void moveRowTo(qsizetype from, qsizetype to);
    // `mergeable`: consecutive edits of the same row with the same text become one undo step (typing in an editor).
    void setMessage(qsizetype row, const core::Message &message, const QString &text, bool mergeable = false);

    // A send of `rows` (empty: every row) starts: they show "pending" and stay locked until their outcomes are in.
    void beginSend(const QList<qsizetype> &rows);
    // Results of the running send; `sources` maps its job rows to row ids (core::prepareBatchRows with rowId()).
    void applyJobResults(const core::DeliveryResults &results, const core::JobSources &sources);
    // An atomic send handed its job rows [`fromJobRow`, `toJobRow`) to the producer: they show "in transaction".
    void markInTransaction(const core::JobSources &sources, qint64 fromJobRow, qint64 toJobRow);
    // The schema ids the running send encodes with (0: that part as bytes): its rows' results keep them.
    void setSendSchemaIds(int keyId, int valueId) { m_results.setSendSchemaIds(keyId, valueId); }
    // The send ended (every row has its outcome) or never started (`failed`: its rows go back to "not sent").
    void endSend(bool failed = false);
    bool isSending() const { return m_sending; }
    // A row the running send still waits on: it may be moved, not deleted or changed.
    bool isRowLocked(qsizetype row) const;

    void markPending(const QList<qsizetype> &rows); // empty: every row
    // Results for rows as they are numbered now: `sourceRows` maps a result's row to an editor row (empty: the same
    // index). For tests and tools; a send uses applyJobResults().
    void applyResults(const core::DeliveryResults &results, const QList<qsizetype> &sourceRows);
    void clearResults();
    // Emits the pending coalesced dataChanged now (for tests and the benchmark's final measurement).
    void flushResultChanges();

    QString tsv(const QList<qsizetype> &rows) const;          // copy for spreadsheets (core::rowsToTsv())
    QByteArray jsonLines(const QList<qsizetype> &rows) const; // copy as KBatch JSON Lines

    // A row whose key, value or header value is marked JSON but is not valid JSON (kept so by the editor rather than
    // lost) is shown marked and cannot be sent. The first such row among `rows` (empty: every row) as an error that
    // names it and says why, for Send to refuse with; Ok when there is none.
    core::Status checkJson(const QList<qsizetype> &rows = {}) const;

    // Schema marks: why a row's key or value does not fit its schema (RowChecker in ui/schema sets them), shown like
    // invalid JSON (mark, colour, tooltip) and kept by row id, so they follow the row when rows move. Setting one
    // announces nothing: announceSchemaMarks() repaints a range once, after a run of changes.
    void setSchemaMark(qsizetype row, core::PayloadPart part, const QString &problem); // empty: fits
    QString schemaMark(qsizetype row, core::PayloadPart part) const;
    bool hasSchemaMarks() const { return !m_schemaMarks.isEmpty(); }
    void announceSchemaMarks(qsizetype firstRow, qsizetype lastRow);
    void clearSchemaMarks(); // and repaints every row that had one

    static QString payloadText(QByteArrayView bytes, core::Encoding encoding, int maxChars)
    {
        return BatchCells::payloadText(bytes, encoding, maxChars);
    }

signals:
    void resultsRepainted(qsizetype firstRow, qsizetype lastRow); // after each coalesced dataChanged
    void editRefused(const QString &message);                     // said why, in the user's words
    void sendingChanged(bool sending);

private:
    friend class InsertRowsCommand;
    friend class RemoveRowsCommand;
    friend class ReplaceRowCommand;
    friend class MoveRowCommand;

    void rawInsert(qsizetype row, const core::Batch &rows);
    core::Batch rawRemove(qsizetype row, qsizetype count);
    void rawReplace(qsizetype row, const core::Message &message);
    void rawMove(qsizetype from, qsizetype to);
    void markDirty(qsizetype row);
    bool refuse(const QString &message);
    bool refuseLocked(qsizetype row); // true (and a message) when `row` is locked
    void applyResult(qsizetype row, const core::DeliveryResult &result, qsizetype &first, qsizetype &last);

    core::Batch m_batch;
    RowIds m_ids; // beside m_batch, row for row
    ResultStore m_results;
    BatchCells::SchemaMarks m_schemaMarks; // by row id; only rows that do not fit
    BatchCells m_cells;                    // what each cell shows, from m_batch and m_results
    QHash<RowId, qint64> m_openMessages;   // generator rows of the running send: messages still without an outcome
    QUndoStack *m_undo;
    QTimer m_flushTimer;
    qsizetype m_dirtyFirst = -1;
    qsizetype m_dirtyLast = -1;
    bool m_sending = false;
    QLocale m_locale;
};

} // namespace kbatch::ui

#pragma once

#include "core/model/Batch.h"
#include "core/model/DeliveryResult.h"
#include "core/model/Error.h"
#include "ui/batch/ResultStore.h"

#include <QAbstractTableModel>
#include <QFont>
#include <QLocale>
#include <QTimer>

#include <optional>

class QUndoStack;

namespace kbatch::ui {

// The batch editor's model: a table over core::Batch plus a compact per-row ResultStore.
//
// Speed with 1,000,000 rows: data() builds strings only for the cells a view asks for (visible ones); nothing is
// cached per row. Delivery results arrive as coalesced vectors; they are applied at once but announced with ONE
// dataChanged over the dirty range, on a short timer, so the view repaints at most ~40 times a second.
//
// Every edit is one QUndoCommand on undoStack(). Structural edits are refused while a job runs (setSending), because
// a job's results are mapped back to rows by index.
class BatchTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Row numbers live in the vertical header: as a column they would change under every insert without a signal.
    enum Column { Key, Value, Headers, Partition, Timestamp, Status, Offset, Latency, ErrorText, ColumnCount };
    enum Role { StatusRole = Qt::UserRole + 1 }; // int: core::DeliveryStatus, or -1 when not sent

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

    // Replaces everything (open, new); not undoable, and clears the undo history.
    void resetBatch(core::Batch batch);

    // Undoable edits; each pushes one command named by `text` (shown in Edit > Undo).
    void insertBatch(qsizetype row, const core::Batch &rows, const QString &text);
    void appendBatch(const core::Batch &rows, const QString &text) { insertBatch(m_batch.size(), rows, text); }
    void removeRowList(QList<qsizetype> rows);
    void duplicateRowList(QList<qsizetype> rows);
    void moveRowTo(qsizetype from, qsizetype to);
    // `mergeable`: consecutive edits of the same row with the same text become one undo step (typing in an editor).
    void setMessage(qsizetype row, const core::Message &message, const QString &text, bool mergeable = false);

    // Results.
    void setSending(bool sending);
    bool isSending() const { return m_sending; }
    void markPending(const QList<qsizetype> &rows); // empty: every row
    // `sourceRows` maps job rows to editor rows (empty: the same index).
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

    static QString payloadText(QByteArrayView bytes, core::Encoding encoding, int maxChars);

signals:
    void resultsRepainted(qsizetype firstRow, qsizetype lastRow); // after each coalesced dataChanged
    void structureEditRefused();

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
    bool refuseWhileSending();

    QVariant displayText(int row, int column, bool full) const;
    // Why the Key or Value cell's JSON is not valid JSON; nothing when it is, or is not JSON.
    std::optional<core::Error> jsonError(int row, int column) const;

    core::Batch m_batch;
    ResultStore m_results;
    QUndoStack *m_undo;
    QTimer m_flushTimer;
    qsizetype m_dirtyFirst = -1;
    qsizetype m_dirtyLast = -1;
    bool m_sending = false;
    QFont m_mono;
    QLocale m_locale;
};

} // namespace kbatch::ui

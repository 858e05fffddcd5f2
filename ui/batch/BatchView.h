#pragma once

#include <QTableView>

#include <functional>

class QLabel;

namespace kbatch::ui {
class BatchTableModel;
class ResultDelegate;
class StateFilterModel;
} // namespace kbatch::ui

namespace kbatch::ui {

// The batch table: dense rows, an empty-state hint (an empty batch and a filter that matches no row say different
// things), and files dropped on it become imports.
class BatchView : public QTableView
{
    Q_OBJECT
public:
    explicit BatchView(QWidget *parent = nullptr);
    void setModel(QAbstractItemModel *model) override;
    // Shows `model` through a state filter. Every row number this view takes or returns is a row of `model`.
    void setBatchModel(BatchTableModel *model);
    StateFilterModel *stateFilter() const { return m_filter; }

    QList<qsizetype> selectedRowList() const;                // sorted
    qsizetype currentRowIndex() const;                       // -1 when none
    qsizetype sourceRow(const QModelIndex &viewIndex) const; // -1 when invalid
    bool showsSourceRow(qsizetype row) const;
    void selectSourceRow(qsizetype row);                  // nothing when the filter hides it
    void setCurrentSourceIndex(const QModelIndex &index); // an index of the batch model
    // Takes the keyboard and opens the cell's editor, so that typing goes into it.
    void editSourceIndex(const QModelIndex &index);
    // Selects the rows for which `matches(row)` holds, as contiguous ranges (cheap for a million rows); returns how
    // many. Rows can then be sent, copied or deleted together: filtering by state without hiding rows.
    qsizetype selectRowsWhere(const std::function<bool(qsizetype)> &matches);
    // Puts the selected rows on the clipboard as TSV (core::rowsToTsv()) or KBatch JSON Lines: every row, byte-exact
    // when pasted back.
    void copySelectedRows(bool jsonLines) const;

    // Sizes the columns from their content and the table's width: the result columns as wide as their texts need
    // (their short forms, and the largest offset seen), the error at least readable, the row's own columns sharing
    // the rest. Done on every resize, until the user sizes a column by hand.
    void fitColumns();
    // Shows or hides the Schema result column: shown while the document types its key or value (hidden by default,
    // so a batch of bytes keeps its columns as they were).
    void setSchemaColumnShown(bool shown);
    bool schemaColumnShown() const { return m_schemaShown; }
    // What the cell of a batch model index shows now, before any eliding, and whether that fits whole (for tests).
    QString shownText(const QModelIndex &index) const;
    bool showsWhole(const QModelIndex &index) const;

signals:
    void filesDropped(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmptyState();

    QStyleOptionViewItem cellOption(const QModelIndex &viewIndex) const;

    QLabel *m_empty;
    ResultDelegate *m_results;
    bool m_fitting = false;
    bool m_userSized = false; // a column was sized by hand: leave the sizes alone
    bool m_schemaShown = false;
    QWidget *m_noMatch; // the filter hides every row: says so, with a way back to all of them
    QLabel *m_noMatchText;
    StateFilterModel *m_filter = nullptr;
    BatchTableModel *m_batchModel = nullptr;
};

} // namespace kbatch::ui

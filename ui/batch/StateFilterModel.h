#pragma once

#include <QAbstractProxyModel>
#include <QPersistentModelIndex>
#include <QTimer>

#include <vector>

namespace kbatch::ui {

class BatchTableModel;

// Shows only the rows of a BatchTableModel in one delivery state. Built for a million rows: with the "all" filter
// it is an identity (no per-row work at all, source signals forwarded as they are); with a state filter it keeps a
// sorted vector of the matching source rows, rebuilt when the filter changes and, coalesced on a short timer, when
// results arrive. Rebuilds are layout changes, so the selection and the current row follow their source rows.
class StateFilterModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    enum Filter { All, Pending, Delivered, Failed, PossiblyWritten, Cancelled, FilterCount };
    static QString filterName(Filter filter);

    explicit StateFilterModel(QObject *parent = nullptr);

    void setBatchModel(BatchTableModel *model);
    Filter filter() const { return m_filter; }
    void setFilter(Filter filter);
    bool matches(qsizetype row) const; // a source row
    int sourceRow(int proxyRow) const { return m_filter == All ? proxyRow : m_rows[std::size_t(proxyRow)]; }
    int proxyRow(int row) const; // of a source row; -1 when filtered out
    void flushRebuild();         // the pending coalesced rebuild, now (for tests)

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QItemSelection mapSelectionToSource(const QItemSelection &selection) const override;

signals:
    void filterChanged(kbatch::ui::StateFilterModel::Filter filter);

private:
    void setSourceModel(QAbstractItemModel *model) override;
    std::vector<int> matchingRows() const;
    void beginLayout();
    void endLayout(std::vector<int> rows);
    void onSourceAboutToChange();
    void onSourceChanged();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);

    BatchTableModel *m_model = nullptr;
    Filter m_filter = All;
    std::vector<int> m_rows; // source rows in view order; unused with All
    QModelIndexList m_layoutProxy;
    QList<QPersistentModelIndex> m_layoutSource;
    bool m_inLayout = false;
    QTimer m_rebuildTimer;
};

} // namespace kbatch::ui

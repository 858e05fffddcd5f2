#include "ui/batch/StateFilterModel.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/ResultStore.h"

#include <QItemSelection>

#include <algorithm>

namespace kbatch::ui {

namespace {
constexpr int RebuildDelayMs = 25; // the model's own dataChanged tick
}

QString StateFilterModel::filterName(Filter filter)
{
    switch (filter) {
    case All:
        return tr("All rows");
    case Pending:
        return tr("Pending");
    case Delivered:
        return tr("Delivered");
    case Failed:
        return tr("Failed");
    case PossiblyWritten:
        return tr("Possibly written");
    case Cancelled:
        return tr("Cancelled");
    case FilterCount:
        break;
    }
    return {};
}

StateFilterModel::StateFilterModel(QObject *parent) : QAbstractProxyModel(parent)
{
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(RebuildDelayMs);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &StateFilterModel::flushRebuild);
}

void StateFilterModel::setBatchModel(BatchTableModel *model)
{
    m_model = model;
    setSourceModel(model);
}

void StateFilterModel::setSourceModel(QAbstractItemModel *model)
{
    beginResetModel();
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(model);
    m_rows = matchingRows();
    if (model) {
        // With "all" every source signal is forwarded as it is; with a filter, any structural change becomes a
        // layout change of the proxy, persistent indexes following their source rows.
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                [this](const QModelIndex &, int first, int last) {
                    if (m_filter == All)
                        beginInsertRows({}, first, last);
                    else
                        onSourceAboutToChange();
                });
        connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
            if (m_filter == All)
                endInsertRows();
            else
                onSourceChanged();
        });
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex &, int first, int last) {
                    if (m_filter == All)
                        beginRemoveRows({}, first, last);
                    else
                        onSourceAboutToChange();
                });
        connect(model, &QAbstractItemModel::rowsRemoved, this, [this] {
            if (m_filter == All)
                endRemoveRows();
            else
                onSourceChanged();
        });
        connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this,
                [this](const QModelIndex &, int first, int last, const QModelIndex &, int to) {
                    if (m_filter == All)
                        beginMoveRows({}, first, last, {}, to);
                    else
                        onSourceAboutToChange();
                });
        connect(model, &QAbstractItemModel::rowsMoved, this, [this] {
            if (m_filter == All)
                endMoveRows();
            else
                onSourceChanged();
        });
        connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this, &StateFilterModel::onSourceAboutToChange);
        connect(model, &QAbstractItemModel::layoutChanged, this, &StateFilterModel::onSourceChanged);
        connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            m_rebuildTimer.stop();
            beginResetModel();
        });
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            m_rows = matchingRows();
            endResetModel();
        });
        connect(model, &QAbstractItemModel::dataChanged, this, &StateFilterModel::onDataChanged);
    }
    endResetModel();
}

bool StateFilterModel::matches(qsizetype row) const
{
    const ResultStore::RowResult &r = m_model->results().at(row);
    switch (m_filter) {
    case All:
        return true;
    case Pending:
        return !r.sent() || r.status() == core::DeliveryStatus::Pending;
    case Delivered:
        return r.sent() && r.status() == core::DeliveryStatus::Delivered;
    case Failed:
        return r.sent() && r.status() == core::DeliveryStatus::Failed;
    case PossiblyWritten:
        return r.sent() && r.status() == core::DeliveryStatus::PossiblyWritten;
    case Cancelled:
        return r.sent() && r.status() == core::DeliveryStatus::Cancelled;
    case FilterCount:
        break;
    }
    return false;
}

std::vector<int> StateFilterModel::matchingRows() const
{
    std::vector<int> rows;
    if (!m_model || m_filter == All)
        return rows;
    const int count = m_model->rowCount();
    for (int r = 0; r < count; ++r)
        if (matches(r))
            rows.push_back(r);
    return rows;
}

void StateFilterModel::setFilter(Filter filter)
{
    if (filter == m_filter)
        return;
    m_rebuildTimer.stop();
    beginLayout();
    m_filter = filter;
    endLayout(matchingRows());
    emit filterChanged(m_filter);
}

void StateFilterModel::flushRebuild()
{
    m_rebuildTimer.stop();
    if (m_filter == All || m_inLayout)
        return;
    std::vector<int> rows = matchingRows();
    if (rows == m_rows)
        return; // nothing entered or left: no layout change, no repaint
    beginLayout();
    endLayout(std::move(rows));
}

void StateFilterModel::beginLayout()
{
    m_inLayout = true;
    emit layoutAboutToBeChanged();
    m_layoutProxy = persistentIndexList();
    m_layoutSource.clear();
    m_layoutSource.reserve(m_layoutProxy.size());
    for (const QModelIndex &index : std::as_const(m_layoutProxy))
        m_layoutSource.append(QPersistentModelIndex(mapToSource(index)));
}

void StateFilterModel::endLayout(std::vector<int> rows)
{
    m_rows = std::move(rows);
    QModelIndexList to;
    to.reserve(m_layoutSource.size());
    for (const QPersistentModelIndex &source : std::as_const(m_layoutSource))
        to.append(mapFromSource(source));
    changePersistentIndexList(m_layoutProxy, to);
    m_layoutProxy.clear();
    m_layoutSource.clear();
    m_inLayout = false;
    emit layoutChanged();
}

void StateFilterModel::onSourceAboutToChange()
{
    if (m_filter == All) {
        emit layoutAboutToBeChanged();
        m_layoutProxy = persistentIndexList();
        m_layoutSource.clear();
        for (const QModelIndex &index : std::as_const(m_layoutProxy))
            m_layoutSource.append(QPersistentModelIndex(mapToSource(index)));
        m_inLayout = true;
        return;
    }
    m_rebuildTimer.stop();
    beginLayout();
}

void StateFilterModel::onSourceChanged()
{
    if (!m_inLayout)
        return;
    endLayout(matchingRows());
}

void StateFilterModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                     const QList<int> &roles)
{
    if (m_filter == All) {
        emit dataChanged(index(topLeft.row(), topLeft.column()), index(bottomRight.row(), bottomRight.column()), roles);
        return;
    }
    const auto first = std::lower_bound(m_rows.begin(), m_rows.end(), topLeft.row());
    const auto last = std::upper_bound(m_rows.begin(), m_rows.end(), bottomRight.row());
    if (first != last)
        emit dataChanged(index(int(first - m_rows.begin()), topLeft.column()),
                         index(int(last - m_rows.begin()) - 1, bottomRight.column()), roles);
    // A result or an edit (which resets the row's result) may move rows in or out of the filter.
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

int StateFilterModel::proxyRow(int row) const
{
    if (m_filter == All)
        return row;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), row);
    return it != m_rows.end() && *it == row ? int(it - m_rows.begin()) : -1;
}

QModelIndex StateFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex StateFilterModel::parent(const QModelIndex &) const
{
    return {};
}

int StateFilterModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !sourceModel())
        return 0;
    return m_filter == All ? sourceModel()->rowCount() : int(m_rows.size());
}

int StateFilterModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !sourceModel())
        return 0;
    return sourceModel()->columnCount();
}

bool StateFilterModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0;
}

QModelIndex StateFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel() || proxyIndex.row() >= rowCount())
        return {};
    return sourceModel()->index(sourceRow(proxyIndex.row()), proxyIndex.column());
}

QModelIndex StateFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    const int row = proxyRow(sourceIndex.row());
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

QItemSelection StateFilterModel::mapSelectionToSource(const QItemSelection &selection) const
{
    if (m_filter == All) {
        QItemSelection mapped;
        for (const QItemSelectionRange &range : selection)
            mapped.select(mapToSource(range.topLeft()), mapToSource(range.bottomRight()));
        return mapped;
    }
    return QAbstractProxyModel::mapSelectionToSource(selection);
}

} // namespace kbatch::ui

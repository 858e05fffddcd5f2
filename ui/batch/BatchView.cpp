#include "ui/batch/BatchView.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/StateFilterModel.h"

#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QVBoxLayout>

namespace kbatch::ui {

BatchView::BatchView(QWidget *parent) : QTableView(parent)
{
    setObjectName(QStringLiteral("batchTable"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                    QAbstractItemView::AnyKeyPressed);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setAcceptDrops(true);
    // Tab leaves the table (to the row's editor); within a cell editor Tab still goes on to the next cell.
    setTabKeyNavigation(false);
    viewport()->setAcceptDrops(true);
    setDropIndicatorShown(false);
    setDragDropMode(QAbstractItemView::DropOnly);
    // Fixed row heights: the view never measures a million rows.
    const int rowHeight = fontMetrics().height() + 8;
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(rowHeight);
    verticalHeader()->setMinimumSectionSize(rowHeight);
    verticalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    m_empty = new QLabel(tr("No rows yet — add a row, paste from a spreadsheet, or drop a file here"), viewport());
    m_empty->setObjectName(QStringLiteral("emptyStateLabel"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setAttribute(Qt::WA_TransparentForMouseEvents);

    m_noMatch = new QWidget(viewport());
    m_noMatch->setObjectName(QStringLiteral("noMatchState"));
    auto *noMatchLayout = new QVBoxLayout(m_noMatch);
    noMatchLayout->addStretch(1);
    m_noMatchText = new QLabel(m_noMatch);
    m_noMatchText->setObjectName(QStringLiteral("noMatchLabel"));
    m_noMatchText->setAlignment(Qt::AlignCenter);
    m_noMatchText->setWordWrap(true);
    noMatchLayout->addWidget(m_noMatchText);
    auto *showAll = new QPushButton(tr("Show all rows"), m_noMatch);
    showAll->setObjectName(QStringLiteral("showAllRowsButton"));
    noMatchLayout->addWidget(showAll, 0, Qt::AlignHCenter);
    noMatchLayout->addStretch(1);
    connect(showAll, &QPushButton::clicked, this, [this] {
        if (m_filter)
            m_filter->setFilter(StateFilterModel::All);
    });
    m_noMatch->hide();
}

void BatchView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &BatchView::updateEmptyState);
    connect(model, &QAbstractItemModel::modelReset, this, &BatchView::updateEmptyState);
    connect(model, &QAbstractItemModel::layoutChanged, this, &BatchView::updateEmptyState); // a filter changed
    // Dense enough that every result column, the error included, is in view next to both docks at 1280 px (the
    // table gets about 760 px there); the last column stretches over what is left.
    const int widths[] = {92, 128, 80, 56, 92, 92, 68, 44, 120};
    for (int c = 0; c < BatchTableModel::ColumnCount; ++c)
        setColumnWidth(c, widths[c]);
    updateEmptyState();
}

void BatchView::setBatchModel(BatchTableModel *model)
{
    m_batchModel = model;
    if (!m_filter)
        m_filter = new StateFilterModel(this);
    m_filter->setBatchModel(model);
    setModel(m_filter);
}

void BatchView::copySelectedRows(bool jsonLines) const
{
    const QList<qsizetype> rows = selectedRowList();
    if (!m_batchModel || rows.isEmpty())
        return;
    auto *mime = new QMimeData;
    mime->setText(jsonLines ? QString::fromUtf8(m_batchModel->jsonLines(rows)) : m_batchModel->tsv(rows));
    QApplication::clipboard()->setMimeData(mime);
}

qsizetype BatchView::sourceRow(const QModelIndex &viewIndex) const
{
    if (!viewIndex.isValid())
        return -1;
    return m_filter && viewIndex.model() == m_filter ? m_filter->sourceRow(viewIndex.row()) : viewIndex.row();
}

bool BatchView::showsSourceRow(qsizetype row) const
{
    return !m_filter || m_filter->proxyRow(int(row)) >= 0;
}

void BatchView::selectSourceRow(qsizetype row)
{
    const int viewRow = m_filter ? m_filter->proxyRow(int(row)) : int(row);
    if (viewRow >= 0)
        selectRow(viewRow);
}

void BatchView::setCurrentSourceIndex(const QModelIndex &index)
{
    const QModelIndex viewIndex = m_filter && index.model() != m_filter ? m_filter->mapFromSource(index) : index;
    if (viewIndex.isValid())
        setCurrentIndex(viewIndex);
}

void BatchView::editSourceIndex(const QModelIndex &index)
{
    setFocus(Qt::ShortcutFocusReason);
    setCurrentSourceIndex(index);
    if (currentIndex().isValid() && sourceRow(currentIndex()) == index.row()) {
        scrollTo(currentIndex());
        edit(currentIndex());
    }
}

QList<qsizetype> BatchView::selectedRowList() const
{
    QList<qsizetype> rows;
    if (!selectionModel())
        return rows;
    // Ranges, not selectedRows(): selecting a million rows must not build a million indexes.
    for (const QItemSelectionRange &range : selectionModel()->selection())
        for (int r = range.top(); r <= range.bottom(); ++r)
            rows.append(m_filter ? m_filter->sourceRow(r) : r);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

qsizetype BatchView::currentRowIndex() const
{
    return sourceRow(currentIndex());
}

qsizetype BatchView::selectRowsWhere(const std::function<bool(qsizetype)> &matches)
{
    QItemSelection selection;
    qsizetype count = 0;
    const int rows = model() ? model()->rowCount() : 0;
    const int lastColumn = model() ? model()->columnCount() - 1 : 0;
    int start = -1;
    for (int r = 0; r <= rows; ++r) {
        const bool hit = r < rows && matches(m_filter ? m_filter->sourceRow(r) : r);
        if (hit) {
            ++count;
            if (start < 0)
                start = r;
        } else if (start >= 0) {
            selection.select(model()->index(start, 0), model()->index(r - 1, lastColumn));
            start = -1;
        }
    }
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        scrollTo(selection.first().topLeft());
    return count;
}

void BatchView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        event->ignore();
}

void BatchView::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        event->ignore();
}

void BatchView::dropEvent(QDropEvent *event)
{
    QStringList paths;
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls)
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    emit filesDropped(paths);
}

void BatchView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    updateEmptyState();
}

void BatchView::updateEmptyState()
{
    const bool showsNone = !model() || model()->rowCount() == 0;
    const bool filtered = showsNone && m_filter && m_filter->sourceModel() && m_filter->sourceModel()->rowCount() > 0;
    m_empty->setVisible(showsNone && !filtered);
    m_noMatch->setVisible(filtered);
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    if (showsNone && !filtered)
        m_empty->setGeometry(area);
    if (filtered) {
        m_noMatchText->setText(tr("No row matches the filter “%1”: none of the %Ln row(s) is in that state.", nullptr,
                                  m_filter->sourceModel()->rowCount())
                                   .arg(StateFilterModel::filterName(m_filter->filter())));
        m_noMatch->setGeometry(area);
    }
}

} // namespace kbatch::ui

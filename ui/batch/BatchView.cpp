#include "ui/batch/BatchView.h"

#include "ui/batch/BatchCells.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/ResultDelegate.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
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
    m_results = new ResultDelegate(this);
    for (int c : {BatchTableModel::Status, BatchTableModel::Offset, BatchTableModel::Latency, BatchTableModel::Schema,
                  BatchTableModel::ErrorText})
        setItemDelegateForColumn(c, m_results);
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column) {
        // The last column stretches with the table: only the others are ever sized by hand.
        if (!m_fitting && column != BatchTableModel::ErrorText)
            m_userSized = true;
    });

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
    m_fitting = true; // hiding a section resizes it: that is no user's sizing
    setColumnHidden(BatchTableModel::Schema, !m_schemaShown);
    m_fitting = false;
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &BatchView::updateEmptyState);
    connect(model, &QAbstractItemModel::modelReset, this, &BatchView::updateEmptyState);
    connect(model, &QAbstractItemModel::layoutChanged, this, &BatchView::updateEmptyState); // a filter changed
    fitColumns();
    updateEmptyState();
}

void BatchView::setBatchModel(BatchTableModel *model)
{
    m_batchModel = model;
    if (!m_filter)
        m_filter = new StateFilterModel(this);
    m_filter->setBatchModel(model);
    setModel(m_filter);
    // Offsets grow as results come in: the Offset column with them (cheap; sizes change only when needed).
    connect(model, &BatchTableModel::resultsRepainted, this, &BatchView::fitColumns);
}

void BatchView::setSchemaColumnShown(bool shown)
{
    if (shown == m_schemaShown)
        return;
    m_schemaShown = shown;
    if (model()) {
        m_fitting = true; // hiding or showing a section resizes it: that is no user's sizing
        setColumnHidden(BatchTableModel::Schema, !shown);
        m_fitting = false;
    }
    fitColumns();
}

void BatchView::fitColumns()
{
    if (!model() || m_userSized)
        return;
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    QStyleOptionViewItem withIcon = option;
    withIcon.features |= QStyleOptionViewItem::HasDecoration;
    auto need = [this](int column, const QStyleOptionViewItem &o, const QStringList &samples) {
        int width = horizontalHeader()->sectionSizeHint(column);
        for (const QString &text : samples)
            width = std::max(width, m_results->widthFor(o, text));
        return width;
    };
    const QLocale locale;
    const BatchTableModel *batch = m_filter ? qobject_cast<BatchTableModel *>(m_filter->sourceModel()) : nullptr;
    QStringList shortStatuses{tr("sent", "in transaction, short")}, statuses{tr("in transaction")};
    for (auto s : {core::DeliveryStatus::Pending, core::DeliveryStatus::Delivered, core::DeliveryStatus::Failed,
                   core::DeliveryStatus::PossiblyWritten, core::DeliveryStatus::Cancelled}) {
        shortStatuses << BatchCells::shortStatusLabel(s);
        statuses << Theme::statusLabel(s);
    }
    // At least room for 4-digit offsets, so the column does not twitch as the first ones come in.
    const std::int32_t partition = batch ? std::max(batch->results().maxPartition(), 0) : 0;
    const std::int64_t offset = std::max<std::int64_t>(batch ? batch->results().maxOffset() : 0, 9999);
    const QString offsetText =
        QStringLiteral("%1 / %2").arg(locale.toString(partition), locale.toString(qlonglong(offset)));
    const QString timestamp = locale.toString(QDateTime(QDate(2026, 12, 31), QTime(23, 59)), QLocale::ShortFormat);

    using M = BatchTableModel;
    int widths[M::ColumnCount] = {};
    widths[M::Partition] = need(M::Partition, option, {tr("auto"), QStringLiteral("999")});
    widths[M::Timestamp] = need(M::Timestamp, option, {timestamp});
    widths[M::Offset] = need(M::Offset, option, {offsetText});
    widths[M::Latency] = need(M::Latency, option, {locale.toString(9999.9, 'f', 1)});
    // As wide as the largest ids sent need (with room for 3 digits, so that it does not twitch at the first results).
    if (m_schemaShown) {
        const auto [keyId, valueId] = batch ? batch->results().largestSchemaIds() : std::pair<int, int>{0, 0};
        QStringList samples{tr("id %1").arg(std::max(valueId, 999))};
        if (keyId > 0)
            samples << tr("key %1 · value %2").arg(keyId).arg(std::max(valueId, 999));
        widths[M::Schema] = need(M::Schema, option, samples);
    }
    const int fixed =
        widths[M::Partition] + widths[M::Timestamp] + widths[M::Offset] + widths[M::Latency] + widths[M::Schema];

    // The row's own columns and the status share the rest, each between a least and a wished-for width: the status
    // at least its short words ("written?"), at best its whole ones ("possibly written").
    const int em = fontMetrics().averageCharWidth();
    // Enough for the gist of an error once there is one (the last column takes what is left); until then the
    // row's own columns have the room.
    const bool errors = batch && batch->results().hasErrors();
    // (A stretched last section never gets narrower than the default section size: below it, a scroll bar.)
    const int errorMin =
        errors ? 30 * em
               : std::max(horizontalHeader()->sectionSizeHint(M::ErrorText), horizontalHeader()->defaultSectionSize());
    const int columns[] = {M::Key, M::Value, M::Headers, M::Status};
    const int least[] = {8 * em, 12 * em, 7 * em, need(M::Status, withIcon, shortStatuses)};
    const int wish[] = {14 * em, 34 * em, 12 * em, need(M::Status, withIcon, statuses)};
    int leastSum = 0, wishSum = 0;
    for (int i = 0; i < 4; ++i) {
        leastSum += least[i];
        wishSum += wish[i];
    }
    const int room = viewport()->width() - fixed - errorMin;
    const double t = std::clamp(double(room - leastSum) / double(std::max(wishSum - leastSum, 1)), 0.0, 1.0);
    for (int i = 0; i < 4; ++i)
        widths[columns[i]] = least[i] + int(t * (wish[i] - least[i]));
    // Room beyond every wish while no row has an error: half of it to the value, the longest of a row's texts, a
    // quarter to the key. Once there are errors, the Error column takes it all, to show them whole.
    if (const int surplus = room - wishSum; surplus > 0 && !errors) {
        widths[M::Value] += surplus / 2;
        widths[M::Key] += surplus / 4;
    }

    m_fitting = true;
    for (int c = 0; c < M::ErrorText; ++c)
        if (!isColumnHidden(c) && columnWidth(c) != widths[c])
            setColumnWidth(c, widths[c]);
    m_fitting = false;
}

QStyleOptionViewItem BatchView::cellOption(const QModelIndex &viewIndex) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(viewIndex);
    return option;
}

QString BatchView::shownText(const QModelIndex &index) const
{
    const QModelIndex viewIndex = m_filter && index.model() != m_filter ? m_filter->mapFromSource(index) : index;
    return m_results->shownText(cellOption(viewIndex), viewIndex);
}

bool BatchView::showsWhole(const QModelIndex &index) const
{
    const QModelIndex viewIndex = m_filter && index.model() != m_filter ? m_filter->mapFromSource(index) : index;
    const QStyleOptionViewItem option = cellOption(viewIndex);
    return m_results->widthFor(option, m_results->shownText(option, viewIndex)) <= option.rect.width();
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
    fitColumns();
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

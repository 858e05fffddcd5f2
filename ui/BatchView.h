#pragma once

#include <QTableView>

#include <functional>

class QLabel;

namespace kbatch::ui {

// The batch table: dense rows, an empty-state hint, and files dropped on it become imports.
class BatchView : public QTableView
{
    Q_OBJECT
public:
    explicit BatchView(QWidget *parent = nullptr);
    void setModel(QAbstractItemModel *model) override;

    QList<qsizetype> selectedRowList() const; // sorted
    qsizetype currentRowIndex() const;        // -1 when none
    // Selects the rows for which `matches(row)` holds, as contiguous ranges (cheap for a million rows); returns how
    // many. Rows can then be sent, copied or deleted together: filtering by state without hiding rows.
    qsizetype selectRowsWhere(const std::function<bool(qsizetype)> &matches);

signals:
    void filesDropped(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateEmptyState();

    QLabel *m_empty;
};

} // namespace kbatch::ui

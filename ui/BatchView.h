#pragma once

#include <QTableView>

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

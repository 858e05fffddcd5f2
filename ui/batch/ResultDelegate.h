#pragma once

#include <QStyledItemDelegate>

namespace kbatch::ui {

// Draws the result columns (status, offset, latency, error) so that an outcome reads whole without hovering: a text
// that does not fit its cell gives way to the first of the cell's shorter forms that does (BatchTableModel::
// ShortTextRole: "written?" for "possibly written", an error's words without its name, then its first part), which
// BatchView's column sizes leave room for. Only when none fits is the shortest elided. The full text is in the
// tooltip and the detail panel.
class ResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The text a cell like `option` (its rect, font, icon) shows for `index`, before any eliding.
    QString shownText(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    // The width a cell like `option` needs to show `text` whole, with its icon and margins.
    int widthFor(const QStyleOptionViewItem &option, const QString &text) const;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace kbatch::ui

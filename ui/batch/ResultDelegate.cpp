#include "ui/batch/ResultDelegate.h"

#include "ui/batch/BatchTableModel.h"

#include <QApplication>

namespace kbatch::ui {

int ResultDelegate::widthFor(const QStyleOptionViewItem &option, const QString &text) const
{
    QStyleOptionViewItem o = option;
    o.text = text;
    o.features |= QStyleOptionViewItem::HasDisplay;
    const QWidget *widget = option.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    return style->sizeFromContents(QStyle::CT_ItemViewItem, &o, QSize(), widget).width();
}

void ResultDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // sizeHint() asks with an empty rect: the whole text.
    if (option->rect.width() <= 0 || option->text.isEmpty() || widthFor(*option, option->text) <= option->rect.width())
        return;
    const QStringList shorter = index.data(BatchTableModel::ShortTextRole).toStringList();
    for (const QString &text : shorter) {
        option->text = text; // the last one, elided, when none fits
        if (widthFor(*option, text) <= option->rect.width())
            break;
    }
}

QString ResultDelegate::shownText(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem o = option;
    initStyleOption(&o, index);
    return o.text;
}

} // namespace kbatch::ui

#pragma once

#include "core/kafka/Peek.h"

#include <QAbstractTableModel>

namespace kbatch::ui {

// The messages a peek read back: partition, offset, timestamp, key, value, headers.
class PeekModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Partition, Offset, Timestamp, Key, Value, Headers, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setMessages(QList<core::PeekedMessage> messages);
    const core::PeekedMessage &at(int row) const { return m_messages.at(row); }

private:
    QList<core::PeekedMessage> m_messages;
};

} // namespace kbatch::ui

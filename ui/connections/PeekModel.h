#pragma once

#include "core/kafka/Peek.h"
#include "ui/connections/PeekDecoder.h"

#include <QAbstractTableModel>

namespace kbatch::ui {

// The messages a peek read back: partition, offset, timestamp, key, value, the schema of a Schema Registry framed key
// or value (or why it was not decoded), headers. A decoded key or value shows as its JSON; its bytes stay as they were
// read, and at() (what "Copy to Batch" takes) always gives those bytes.
class PeekModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Partition, Offset, Timestamp, Key, Value, Schema, Headers, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Clears the decoding of the messages before.
    void setMessages(QList<core::PeekedMessage> messages);
    const core::PeekedMessage &at(int row) const { return m_messages.at(row); }
    // One row per message (PeekDecoder's answer for the messages set last); ignored when the count differs.
    void setDecoded(QList<PeekDecoder::Row> rows);
    // The decoding of `row`; all None before setDecoded().
    PeekDecoder::Row decodedAt(int row) const { return m_decoded.value(row); }

private:
    QList<core::PeekedMessage> m_messages;
    QList<PeekDecoder::Row> m_decoded;
};

} // namespace kbatch::ui

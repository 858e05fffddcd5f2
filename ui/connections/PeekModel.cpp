#include "ui/connections/PeekModel.h"

#include "core/format/JsonReader.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/widgets/Theme.h"

#include <QDateTime>
#include <QLocale>

namespace kbatch::ui {

int PeekModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int PeekModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PeekModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::PeekedMessage &m = m_messages.at(index.row());
    const QLocale locale;
    auto payload = [](const core::Payload &p, int limit) {
        return p.isNull() ? tr("null") : BatchTableModel::payloadText(*p.bytes, p.encoding, limit);
    };
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        const int limit = role == Qt::ToolTipRole ? 4000 : 160;
        switch (index.column()) {
        case Partition:
            return locale.toString(m.partition);
        case Offset:
            return locale.toString(qlonglong(m.offset));
        case Timestamp:
            return m.timestamp < 0 ? QString()
                                   : locale.toString(QDateTime::fromMSecsSinceEpoch(m.timestamp), QLocale::ShortFormat);
        case Key:
            return payload(m.message.key, limit);
        case Value:
            return payload(m.message.value, limit);
        case Headers: {
            QStringList names;
            for (const core::Header &h : m.message.headers)
                names << QString::fromUtf8(h.name);
            return names.join(QLatin1String(", "));
        }
        }
    }
    if (role == Qt::FontRole && index.column() >= Key)
        return Theme::monospaceFont();
    if (role == Qt::TextAlignmentRole && index.column() <= Offset)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant PeekModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Partition:
        return tr("Partition");
    case Offset:
        return tr("Offset");
    case Timestamp:
        return tr("Timestamp");
    case Key:
        return tr("Key");
    case Value:
        return tr("Value");
    case Headers:
        return tr("Headers");
    }
    return {};
}

void PeekModel::setMessages(QList<core::PeekedMessage> messages)
{
    // A consumer hands every payload over as text. Bytes that are not UTF-8 are shown (and copied into the batch)
    // as base64, as the batch shows them, not as mojibake.
    auto markBinary = [](core::Payload &p) {
        if (!p.isNull() && p.encoding == core::Encoding::Text && !core::JsonReader::isValidUtf8(*p.bytes))
            p.encoding = core::Encoding::Base64;
    };
    for (core::PeekedMessage &m : messages) {
        markBinary(m.message.key);
        markBinary(m.message.value);
    }
    beginResetModel();
    m_messages = std::move(messages);
    endResetModel();
}

} // namespace kbatch::ui

#include "ui/connections/PeekModel.h"

#include "core/format/JsonReader.h"
#include "core/model/Printable.h"
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
    const PeekDecoder::Row decoded = m_decoded.value(index.row());
    auto payload = [](const core::Payload &p, const PeekDecoder::Part &part, int limit) {
        if (part.state == PeekDecoder::Part::State::Decoded) {
            // The decoder's JSON escapes C0 controls itself; printable() also catches C1 and bidi overrides.
            const QString json = QString::fromUtf8(part.json.left(qsizetype(limit) * 4));
            return core::printableCut(json, limit);
        }
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
        case Value: {
            const bool key = index.column() == Key;
            const PeekDecoder::Part &part = key ? decoded.key : decoded.value;
            QString text = payload(key ? m.message.key : m.message.value, part, limit);
            if (role == Qt::ToolTipRole && part.state != PeekDecoder::Part::State::None)
                text += QLatin1String("\n\n") + part.describe();
            return text;
        }
        case Schema: {
            QStringList parts;
            if (decoded.key.state != PeekDecoder::Part::State::None)
                parts << tr("key: %1").arg(decoded.key.describe());
            if (decoded.value.state != PeekDecoder::Part::State::None)
                parts << tr("value: %1").arg(decoded.value.describe());
            return parts.join(role == Qt::ToolTipRole ? QLatin1String("\n") : QLatin1String("; "));
        }
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
    case Schema:
        return tr("Schema");
    case Headers:
        return tr("Headers");
    }
    return {};
}

void PeekModel::setMessages(QList<core::PeekedMessage> messages)
{
    // A consumer hands every payload over as text. Bytes that are not UTF-8 are shown (and copied into the batch)
    // as base64, as the batch shows them, not as mojibake.
    // A NUL byte is valid UTF-8 but no text: Schema Registry frames start with one, and are bytes, copied as such.
    auto markBinary = [](core::Payload &p) {
        if (!p.isNull() && p.encoding == core::Encoding::Text &&
            (!core::JsonReader::isValidUtf8(*p.bytes) || p.bytes->contains('\0')))
            p.encoding = core::Encoding::Base64;
    };
    for (core::PeekedMessage &m : messages) {
        markBinary(m.message.key);
        markBinary(m.message.value);
    }
    beginResetModel();
    m_messages = std::move(messages);
    m_decoded.clear();
    endResetModel();
}

void PeekModel::setDecoded(QList<PeekDecoder::Row> rows)
{
    if (rows.size() != m_messages.size())
        return;
    m_decoded = std::move(rows);
    if (!m_messages.isEmpty())
        emit dataChanged(index(0, Key), index(int(m_messages.size()) - 1, Schema));
}

} // namespace kbatch::ui

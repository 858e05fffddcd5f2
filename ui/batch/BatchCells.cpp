#include "ui/batch/BatchCells.h"

#include "core/format/JsonText.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/widgets/Theme.h"

#include <QDateTime>

namespace kbatch::ui {

using core::DeliveryStatus;
using core::Encoding;

namespace {
// How much of a value the table shows; the view elides further and the tooltip shows more.
constexpr int PreviewChars = 160;
constexpr int TooltipChars = 4000;

QString flattened(QString text)
{
    // A preview is one line: show line breaks and tabs as visible marks rather than losing them.
    text.replace(QLatin1Char('\n'), QChar(0x23CE));
    text.replace(QLatin1Char('\r'), QString());
    text.replace(QLatin1Char('\t'), QChar(0x21E5));
    return text;
}

// "_UNKNOWN_PARTITION" -> "unknown partition": the gist of an error where its sentence does not fit.
QString nameAsWords(const QString &name)
{
    QString words = name.toLower();
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    return words.trimmed();
}
} // namespace

QString BatchCells::shortStatusLabel(DeliveryStatus status)
{
    // Short enough for a narrow column; the full label is in the tooltip.
    switch (status) {
    case DeliveryStatus::Pending:
        return BatchTableModel::tr("pending");
    case DeliveryStatus::Delivered:
        return BatchTableModel::tr("delivered");
    case DeliveryStatus::Failed:
        return BatchTableModel::tr("failed");
    case DeliveryStatus::PossiblyWritten:
        return BatchTableModel::tr("written?", "possibly written, short");
    case DeliveryStatus::Cancelled:
        return BatchTableModel::tr("cancelled");
    }
    return {};
}

QVariant BatchCells::shortText(int row, int column) const
{
    const auto &r = m_results.at(row);
    switch (column) {
    case BatchTableModel::Status:
        if (r.inTransaction)
            return QStringList{BatchTableModel::tr("sent", "in transaction, short")};
        if (r.sent() && shortStatusLabel(r.status()) != Theme::statusLabel(r.status()))
            return QStringList{shortStatusLabel(r.status())};
        return QStringList();
    case BatchTableModel::ErrorText: {
        // What went wrong in words (the error's name is in the tooltip), then only their first part (the rest says
        // what to do about it), then the name as words ("unknown partition"): the tooltip and the detail panel keep
        // the whole text.
        const ResultStore::ErrorInfo *e = m_results.errorInfo(row);
        if (!e)
            return QStringList();
        QStringList forms;
        qsizetype previous = m_results.errorText(row).size();
        auto add = [&forms, &previous](const QString &form) {
            if (!form.isEmpty() && form.size() < previous) {
                forms << form;
                previous = form.size();
            }
        };
        if (!e->name.isEmpty())
            add(e->text);
        add(e->text.left(e->text.indexOf(QLatin1String("; "))));
        add(nameAsWords(e->name));
        return forms;
    }
    default:
        return QStringList();
    }
}

BatchCells::BatchCells(const core::Batch &batch, const ResultStore &results, const RowIds &ids,
                       const SchemaMarks &marks)
    : m_batch(batch), m_results(results), m_ids(ids), m_marks(marks), m_mono(Theme::monospaceFont())
{}

QString BatchCells::schemaProblem(int row, int column) const
{
    if (m_marks.isEmpty() || (column != BatchTableModel::Key && column != BatchTableModel::Value))
        return {};
    const auto it = m_marks.constFind(m_ids.at(row));
    return it == m_marks.cend() ? QString() : (*it)[column == BatchTableModel::Key ? 0 : 1];
}

QString BatchCells::payloadText(QByteArrayView bytes, Encoding encoding, int maxChars)
{
    if (encoding == Encoding::Base64) {
        const qsizetype take = maxChars < 0 ? bytes.size() : std::min<qsizetype>(bytes.size(), maxChars * 3 / 4 + 3);
        return QString::fromLatin1(bytes.first(take).toByteArray().toBase64());
    }
    // UTF-8 takes at most 4 bytes per character: decode only what can be shown.
    const qsizetype take = maxChars < 0 ? bytes.size() : std::min<qsizetype>(bytes.size(), qsizetype(maxChars) * 4);
    QString s = QString::fromUtf8(bytes.first(take));
    if (maxChars >= 0 && s.size() > maxChars)
        s.truncate(maxChars);
    return s;
}

QVariant BatchCells::displayText(int row, int column, bool full) const
{
    const int limit = full ? TooltipChars : PreviewChars;
    switch (column) {
    case BatchTableModel::Key:
        if (m_batch.keyIsNull(row))
            return BatchTableModel::tr("null");
        return flattened(payloadText(m_batch.key(row), m_batch.keyEncoding(row), limit));
    case BatchTableModel::Value: {
        const QString text = m_batch.valueIsNull(row) ? BatchTableModel::tr("null")
                             : full ? payloadText(m_batch.value(row), m_batch.valueEncoding(row), limit)
                                    : flattened(payloadText(m_batch.value(row), m_batch.valueEncoding(row), limit));
        // A generator row is one row on screen but many messages on the wire: say how many.
        if (const auto spec = m_batch.generate(row)) {
            const QString count = m_locale.toString(qlonglong(spec->count));
            return full ? BatchTableModel::tr("Generates %1 messages when sent, placeholders filled in:\n%2")
                              .arg(count, text)
                        : BatchTableModel::tr("×%1 · %2").arg(count, text);
        }
        return text;
    }
    case BatchTableModel::Headers: {
        const core::Headers &h = m_batch.headers(row);
        if (h.isEmpty())
            return QString();
        QStringList names;
        for (const core::Header &header : h) {
            if (full)
                names << QString::fromUtf8(header.name) + QLatin1String(": ") +
                             (header.value.isNull() ? BatchTableModel::tr("null")
                                                    : payloadText(*header.value.bytes, header.value.encoding, 200));
            else if (!names.contains(QString::fromUtf8(header.name)))
                names << QString::fromUtf8(header.name);
        }
        return full ? names.join(QLatin1Char('\n'))
                    : QStringLiteral("%1 · %2").arg(m_locale.toString(h.size()), names.join(QLatin1String(", ")));
    }
    case BatchTableModel::Partition: {
        const auto p = m_batch.partition(row);
        return p ? m_locale.toString(*p) : BatchTableModel::tr("auto");
    }
    case BatchTableModel::Timestamp: {
        const auto t = m_batch.timestamp(row);
        if (!t)
            return BatchTableModel::tr("auto");
        return m_locale.toString(QDateTime::fromMSecsSinceEpoch(*t), QLocale::ShortFormat);
    }
    case BatchTableModel::Status: {
        const auto &r = m_results.at(row);
        if (r.inTransaction)
            return BatchTableModel::tr("in transaction");
        return r.sent() ? Theme::statusLabel(r.status()) : QString();
    }
    case BatchTableModel::Offset: {
        const auto &r = m_results.at(row);
        if (r.offset < 0)
            return r.sent() && r.partition >= 0 ? m_locale.toString(r.partition) : QString();
        return QStringLiteral("%1 / %2").arg(m_locale.toString(r.partition), m_locale.toString(qlonglong(r.offset)));
    }
    case BatchTableModel::Latency: {
        // Only a delivery has a latency worth reading: a failure's is how long it took to fail.
        const auto &r = m_results.at(row);
        if (r.latencyUs == 0xffffffffu || !r.sent() || r.status() != DeliveryStatus::Delivered)
            return QString();
        return m_locale.toString(r.latencyUs / 1000.0, 'f', 1);
    }
    case BatchTableModel::Schema: {
        // Only what the row was sent with: ids of another send are not this row's.
        if (!m_results.at(row).sent())
            return QString();
        const auto [keyId, valueId] = m_results.schemaIds(row);
        if (keyId && valueId)
            return BatchTableModel::tr("key %1 · value %2").arg(keyId).arg(valueId);
        if (keyId)
            return BatchTableModel::tr("key %1").arg(keyId);
        return valueId ? BatchTableModel::tr("id %1").arg(valueId) : QString();
    }
    case BatchTableModel::ErrorText:
        return m_results.errorText(row);
    }
    return {};
}

std::optional<core::Error> BatchCells::jsonError(int row, int column) const
{
    if (column == BatchTableModel::Key && !m_batch.keyIsNull(row) && m_batch.keyEncoding(row) == Encoding::Json) {
        if (const core::Status s = core::validateJson(m_batch.key(row)); !s.ok())
            return s.error();
    } else if (column == BatchTableModel::Value && !m_batch.valueIsNull(row) &&
               m_batch.valueEncoding(row) == Encoding::Json) {
        if (const core::Status s = core::validateJson(m_batch.value(row)); !s.ok())
            return s.error();
    }
    return std::nullopt;
}

QVariant BatchCells::data(int row, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column, false);
    case Qt::ToolTipRole:
        if (const auto error = jsonError(row, column))
            return BatchTableModel::tr("Not valid JSON at line %1, column %2, %3: %4\nKept as typed; Send refuses this "
                                       "row until it is fixed.\n\n%5")
                .arg(error->line)
                .arg(error->column)
                .arg(error->field, error->text, displayText(row, column, true).toString());
        if (const QString problem = schemaProblem(row, column); !problem.isEmpty())
            return BatchTableModel::tr("%1\nKept as typed; Send refuses this row until it is fixed.\n\n%2")
                .arg(problem, displayText(row, column, true).toString());
        if (column == BatchTableModel::Key || column == BatchTableModel::Value || column == BatchTableModel::Headers ||
            column == BatchTableModel::ErrorText)
            return displayText(row, column, true);
        if (column == BatchTableModel::Timestamp && m_batch.timestamp(row))
            return QString(
                m_locale.toString(QDateTime::fromMSecsSinceEpoch(*m_batch.timestamp(row)), QLocale::LongFormat) +
                QLatin1String(" (") + QString::number(*m_batch.timestamp(row)) + QLatin1Char(')'));
        if (column == BatchTableModel::Status && m_results.at(row).inTransaction)
            return BatchTableModel::tr("Sent in the open transaction: delivered, or not, once it commits or aborts");
        if (column == BatchTableModel::Status && m_results.at(row).sent()) {
            const auto &r = m_results.at(row);
            QString tip =
                BatchTableModel::tr("%1 — %2").arg(Theme::statusLabel(r.status()), core::persistedText(r.persisted));
            if (const auto [keyId, valueId] = m_results.schemaIds(row); keyId || valueId) {
                QStringList ids;
                if (keyId)
                    ids << BatchTableModel::tr("key schema id %1").arg(keyId);
                if (valueId)
                    ids << BatchTableModel::tr("value schema id %1").arg(valueId);
                tip += QLatin1Char('\n') + ids.join(QStringLiteral(", "));
            }
            const QString error = m_results.errorText(row);
            return error.isEmpty() ? tip : tip + QLatin1Char('\n') + error;
        }
        return {};
    case Qt::EditRole:
        switch (column) {
        case BatchTableModel::Key:
            return m_batch.keyIsNull(row) ? QString() : payloadText(m_batch.key(row), m_batch.keyEncoding(row), -1);
        case BatchTableModel::Value:
            return m_batch.valueIsNull(row) ? QString()
                                            : payloadText(m_batch.value(row), m_batch.valueEncoding(row), -1);
        case BatchTableModel::Partition: {
            const auto p = m_batch.partition(row);
            return p ? QString::number(*p) : QString();
        }
        case BatchTableModel::Timestamp: {
            const auto t = m_batch.timestamp(row);
            return t ? QString::number(*t) : QString();
        }
        default:
            return displayText(row, column, false);
        }
    case Qt::FontRole:
        if (column == BatchTableModel::Key || column == BatchTableModel::Value || column == BatchTableModel::Headers)
            return m_mono;
        return {};
    case Qt::TextAlignmentRole:
        if (column == BatchTableModel::Partition || column == BatchTableModel::Offset ||
            column == BatchTableModel::Latency)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == BatchTableModel::Status && m_results.at(row).sent())
            return Theme::statusColor(m_results.at(row).status());
        if ((column == BatchTableModel::Key && m_batch.keyIsNull(row)) ||
            (column == BatchTableModel::Value && m_batch.valueIsNull(row)) ||
            (column == BatchTableModel::Partition && !m_batch.partition(row)) ||
            (column == BatchTableModel::Timestamp && !m_batch.timestamp(row)))
            return Theme::mutedTextColor();
        if (column == BatchTableModel::ErrorText || jsonError(row, column) || !schemaProblem(row, column).isEmpty())
            return Theme::statusColor(DeliveryStatus::Failed);
        return {};
    case Qt::DecorationRole:
        if (column == BatchTableModel::Status && m_results.at(row).sent())
            return Theme::statusIcon(m_results.at(row).status());
        if (jsonError(row, column) || !schemaProblem(row, column).isEmpty())
            return Theme::invalidIcon();
        return {};
    case BatchTableModel::ShortTextRole:
        return shortText(row, column);
    case BatchTableModel::StatusRole:
        return m_results.at(row).sent() ? int(m_results.at(row).state) : -1;
    default:
        return {};
    }
}

QVariant BatchCells::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= m_batch.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_locale.toString(section + 1);
        if (role == Qt::DecorationRole || role == Qt::ToolTipRole) {
            // The row number carries the mark too, so that a row whose invalid JSON is out of view is still seen.
            const auto invalid = core::findInvalidJson(m_batch, section);
            if (!invalid) {
                QString problem = schemaProblem(section, BatchTableModel::Value);
                if (problem.isEmpty())
                    problem = schemaProblem(section, BatchTableModel::Key);
                if (problem.isEmpty())
                    return {};
                return role == Qt::DecorationRole ? QVariant(Theme::invalidIcon()) : QVariant(problem);
            }
            if (role == Qt::DecorationRole)
                return Theme::invalidIcon();
            return BatchTableModel::tr("The %1 is not valid JSON: %2").arg(invalid->payload, invalid->error.message());
        }
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole)
            return Theme::mutedTextColor();
        return {};
    }
    if (role == Qt::ToolTipRole && section == BatchTableModel::Offset)
        return BatchTableModel::tr("Partition / offset the broker wrote the message at");
    if (role == Qt::ToolTipRole && section == BatchTableModel::Latency)
        return BatchTableModel::tr("Latency from produce to acknowledgement, in milliseconds");
    if (role == Qt::ToolTipRole && section == BatchTableModel::Schema)
        return BatchTableModel::tr(
            "Schema Registry id the row was sent with (the value's, or the key's and the value's)");
    if (role == Qt::TextAlignmentRole)
        return (section == BatchTableModel::Partition || section == BatchTableModel::Offset ||
                section == BatchTableModel::Latency)
                   ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case BatchTableModel::Key:
        return BatchTableModel::tr("Key");
    case BatchTableModel::Value:
        return BatchTableModel::tr("Value");
    case BatchTableModel::Headers:
        return BatchTableModel::tr("Headers");
    case BatchTableModel::Partition:
        return BatchTableModel::tr("Partition");
    case BatchTableModel::Timestamp:
        return BatchTableModel::tr("Timestamp");
    case BatchTableModel::Status:
        return BatchTableModel::tr("Status");
    case BatchTableModel::Offset:
        return BatchTableModel::tr("Offset");
    case BatchTableModel::Latency:
        return BatchTableModel::tr("ms");
    case BatchTableModel::Schema:
        return BatchTableModel::tr("Schema");
    case BatchTableModel::ErrorText:
        return BatchTableModel::tr("Error");
    }
    return {};
}

} // namespace kbatch::ui

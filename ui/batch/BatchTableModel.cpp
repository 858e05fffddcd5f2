#include "ui/batch/BatchTableModel.h"

#include "core/format/JsonText.h"
#include "core/format/RowExport.h"
#include "ui/batch/BatchCommands.h"
#include "ui/widgets/Theme.h"

#include <QDateTime>
#include <QUndoStack>

#include <algorithm>

namespace kbatch::ui {

using core::Batch;
using core::DeliveryStatus;
using core::Encoding;
using core::Message;
using core::Payload;

namespace {
// How much of a value the table shows; the view elides further and the tooltip shows more.
constexpr int PreviewChars = 160;
constexpr int TooltipChars = 4000;
// 25 ms: under two frames at 60 Hz, so results look live, yet at most 40 repaints a second whatever the rate.
constexpr int FlushIntervalMs = 25;

QString flattened(QString text)
{
    // A preview is one line: show line breaks and tabs as visible marks rather than losing them.
    text.replace(QLatin1Char('\n'), QChar(0x23CE));
    text.replace(QLatin1Char('\r'), QString());
    text.replace(QLatin1Char('\t'), QChar(0x21E5));
    return text;
}

} // namespace

BatchTableModel::BatchTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_undo(new QUndoStack(this)), m_mono(Theme::monospaceFont())
{
    Theme::initResources();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &BatchTableModel::flushResultChanges);
}

BatchTableModel::~BatchTableModel() = default;

int BatchTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_batch.size());
}

int BatchTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BatchTableModel::payloadText(QByteArrayView bytes, Encoding encoding, int maxChars)
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

QVariant BatchTableModel::displayText(int row, int column, bool full) const
{
    const int limit = full ? TooltipChars : PreviewChars;
    switch (column) {
    case Key:
        if (m_batch.keyIsNull(row))
            return tr("null");
        return flattened(payloadText(m_batch.key(row), m_batch.keyEncoding(row), limit));
    case Value: {
        const QString text = m_batch.valueIsNull(row) ? tr("null")
                             : full ? payloadText(m_batch.value(row), m_batch.valueEncoding(row), limit)
                                    : flattened(payloadText(m_batch.value(row), m_batch.valueEncoding(row), limit));
        // A generator row is one row on screen but many messages on the wire: say how many.
        if (const auto spec = m_batch.generate(row)) {
            const QString count = m_locale.toString(qlonglong(spec->count));
            return full ? tr("Generates %1 messages when sent, placeholders filled in:\n%2").arg(count, text)
                        : tr("×%1 · %2").arg(count, text);
        }
        return text;
    }
    case Headers: {
        const core::Headers &h = m_batch.headers(row);
        if (h.isEmpty())
            return QString();
        QStringList names;
        for (const core::Header &header : h) {
            if (full)
                names << QString::fromUtf8(header.name) + QLatin1String(": ") +
                             (header.value.isNull() ? tr("null")
                                                    : payloadText(*header.value.bytes, header.value.encoding, 200));
            else if (!names.contains(QString::fromUtf8(header.name)))
                names << QString::fromUtf8(header.name);
        }
        return full ? names.join(QLatin1Char('\n'))
                    : QStringLiteral("%1 · %2").arg(m_locale.toString(h.size()), names.join(QLatin1String(", ")));
    }
    case Partition: {
        const auto p = m_batch.partition(row);
        return p ? m_locale.toString(*p) : tr("auto");
    }
    case Timestamp: {
        const auto t = m_batch.timestamp(row);
        if (!t)
            return tr("auto");
        return m_locale.toString(QDateTime::fromMSecsSinceEpoch(*t), QLocale::ShortFormat);
    }
    case Status: {
        const auto &r = m_results.at(row);
        return r.sent() ? Theme::statusLabel(r.status()) : QString();
    }
    case Offset: {
        const auto &r = m_results.at(row);
        if (r.offset < 0)
            return r.sent() && r.partition >= 0 ? m_locale.toString(r.partition) : QString();
        return QStringLiteral("%1 / %2").arg(m_locale.toString(r.partition), m_locale.toString(qlonglong(r.offset)));
    }
    case Latency: {
        const auto &r = m_results.at(row);
        if (r.latencyUs == 0xffffffffu)
            return QString();
        return m_locale.toString(r.latencyUs / 1000.0, 'f', 1);
    }
    case ErrorText:
        return m_results.errorText(row);
    }
    return {};
}

std::optional<core::Error> BatchTableModel::jsonError(int row, int column) const
{
    if (column == Key && !m_batch.keyIsNull(row) && m_batch.keyEncoding(row) == Encoding::Json) {
        if (const core::Status s = core::validateJson(m_batch.key(row)); !s.ok())
            return s.error();
    } else if (column == Value && !m_batch.valueIsNull(row) && m_batch.valueEncoding(row) == Encoding::Json) {
        if (const core::Status s = core::validateJson(m_batch.value(row)); !s.ok())
            return s.error();
    }
    return std::nullopt;
}

core::Status BatchTableModel::checkJson(const QList<qsizetype> &rows) const
{
    const qsizetype n = rows.isEmpty() ? m_batch.size() : rows.size();
    for (qsizetype i = 0; i < n; ++i) {
        const qsizetype row = rows.isEmpty() ? i : rows[i];
        if (row < 0 || row >= m_batch.size())
            continue;
        if (const auto invalid = core::findInvalidJson(m_batch, row))
            return core::Error(tr("Row %1: the %2 is not valid JSON (%3). Nothing was sent: fix it in the Message "
                                  "editor, or switch it to Text to send it as typed.")
                                   .arg(m_locale.toString(row + 1), invalid->payload, invalid->error.message()));
    }
    return core::Ok{};
}

QVariant BatchTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, column, false);
    case Qt::ToolTipRole:
        if (const auto error = jsonError(row, column))
            return tr("Not valid JSON at line %1, column %2, %3: %4\nKept as typed; Send refuses this row until it is "
                      "fixed.\n\n%5")
                .arg(error->line)
                .arg(error->column)
                .arg(error->field, error->text, displayText(row, column, true).toString());
        if (column == Key || column == Value || column == Headers || column == ErrorText)
            return displayText(row, column, true);
        if (column == Timestamp && m_batch.timestamp(row))
            return QString(
                m_locale.toString(QDateTime::fromMSecsSinceEpoch(*m_batch.timestamp(row)), QLocale::LongFormat) +
                QLatin1String(" (") + QString::number(*m_batch.timestamp(row)) + QLatin1Char(')'));
        if (column == Status && m_results.at(row).sent()) {
            const auto &r = m_results.at(row);
            QString tip = tr("%1 — %2").arg(Theme::statusLabel(r.status()), core::persistedText(r.persisted));
            const QString error = m_results.errorText(row);
            return error.isEmpty() ? tip : tip + QLatin1Char('\n') + error;
        }
        return {};
    case Qt::EditRole:
        switch (column) {
        case Key:
            return m_batch.keyIsNull(row) ? QString() : payloadText(m_batch.key(row), m_batch.keyEncoding(row), -1);
        case Value:
            return m_batch.valueIsNull(row) ? QString()
                                            : payloadText(m_batch.value(row), m_batch.valueEncoding(row), -1);
        case Partition: {
            const auto p = m_batch.partition(row);
            return p ? QString::number(*p) : QString();
        }
        case Timestamp: {
            const auto t = m_batch.timestamp(row);
            return t ? QString::number(*t) : QString();
        }
        default:
            return displayText(row, column, false);
        }
    case Qt::FontRole:
        if (column == Key || column == Value || column == Headers)
            return m_mono;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Partition || column == Offset || column == Latency)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == Status && m_results.at(row).sent())
            return Theme::statusColor(m_results.at(row).status());
        if ((column == Key && m_batch.keyIsNull(row)) || (column == Value && m_batch.valueIsNull(row)) ||
            (column == Partition && !m_batch.partition(row)) || (column == Timestamp && !m_batch.timestamp(row)))
            return Theme::mutedTextColor();
        if (column == ErrorText || jsonError(row, column))
            return Theme::statusColor(DeliveryStatus::Failed);
        return {};
    case Qt::DecorationRole:
        if (column == Status && m_results.at(row).sent())
            return Theme::statusIcon(m_results.at(row).status());
        if (jsonError(row, column))
            return Theme::invalidIcon();
        return {};
    case StatusRole:
        return m_results.at(row).sent() ? int(m_results.at(row).state) : -1;
    default:
        return {};
    }
}

QVariant BatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= m_batch.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_locale.toString(section + 1);
        if (role == Qt::DecorationRole || role == Qt::ToolTipRole) {
            // The row number carries the mark too, so that a row whose invalid JSON is out of view is still seen.
            const auto invalid = core::findInvalidJson(m_batch, section);
            if (!invalid)
                return {};
            if (role == Qt::DecorationRole)
                return Theme::invalidIcon();
            return tr("The %1 is not valid JSON: %2").arg(invalid->payload, invalid->error.message());
        }
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole)
            return Theme::mutedTextColor();
        return {};
    }
    if (role == Qt::ToolTipRole && section == Offset)
        return tr("Partition / offset the broker wrote the message at");
    if (role == Qt::ToolTipRole && section == Latency)
        return tr("Latency from produce to acknowledgement, in milliseconds");
    if (role == Qt::TextAlignmentRole)
        return (section == Partition || section == Offset || section == Latency)
                   ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key:
        return tr("Key");
    case Value:
        return tr("Value");
    case Headers:
        return tr("Headers");
    case Partition:
        return tr("Partition");
    case Timestamp:
        return tr("Timestamp");
    case Status:
        return tr("Status");
    case Offset:
        return tr("Offset");
    case Latency:
        return tr("ms");
    case ErrorText:
        return tr("Error");
    }
    return {};
}

Qt::ItemFlags BatchTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return f | Qt::ItemIsDropEnabled;
    const int c = index.column();
    if (!m_sending && (c == Key || c == Value || c == Partition || c == Timestamp))
        f |= Qt::ItemIsEditable;
    return f;
}

bool BatchTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || m_sending)
        return false;
    const int row = index.row();
    Message m = m_batch.at(row);
    const QString text = value.toString();
    switch (index.column()) {
    case Key:
    case Value: {
        Payload &p = index.column() == Key ? m.key : m.value;
        const Encoding enc = p.isNull() ? Encoding::Text : p.encoding;
        if (enc == Encoding::Base64) {
            auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return false;
            p = Payload(*decoded, Encoding::Base64);
        } else if (enc == Encoding::Json) {
            // Valid JSON is kept compact, as it is sent; JSON that is not valid is kept as typed and marked (see
            // jsonProblem()), never turned into text behind the user's back.
            auto compact = core::compactJson(text.toUtf8());
            p = Payload(compact.ok() ? std::move(*compact) : text.toUtf8(), Encoding::Json);
        } else {
            p = Payload(text.toUtf8());
        }
        break;
    }
    case Partition: {
        if (text.trimmed().isEmpty() || text.trimmed() == tr("auto")) {
            m.partition.reset();
        } else {
            bool ok = false;
            const int v = text.trimmed().toInt(&ok);
            if (!ok || v < 0)
                return false;
            m.partition = v;
        }
        break;
    }
    case Timestamp: {
        if (text.trimmed().isEmpty() || text.trimmed() == tr("auto")) {
            m.timestamp.reset();
        } else {
            bool ok = false;
            const qlonglong v = text.trimmed().toLongLong(&ok);
            if (!ok || v < 0)
                return false;
            m.timestamp = v;
        }
        break;
    }
    default:
        return false;
    }
    if (m == m_batch.at(row))
        return true;
    setMessage(row, m,
               tr("Edit %1 of row %2")
                   .arg(headerData(index.column(), Qt::Horizontal).toString().toLower(), m_locale.toString(row + 1)));
    return true;
}

void BatchTableModel::resetBatch(Batch batch)
{
    beginResetModel();
    m_batch = std::move(batch);
    m_results = ResultStore();
    m_results.resize(m_batch.size());
    m_dirtyFirst = m_dirtyLast = -1;
    endResetModel();
    m_undo->clear();
}

bool BatchTableModel::refuseWhileSending()
{
    if (m_sending)
        emit structureEditRefused();
    return m_sending;
}

void BatchTableModel::insertBatch(qsizetype row, const Batch &rows, const QString &text)
{
    if (rows.isEmpty() || refuseWhileSending())
        return;
    m_undo->push(new InsertRowsCommand(this, std::clamp<qsizetype>(row, 0, m_batch.size()), rows, text));
}

void BatchTableModel::removeRowList(QList<qsizetype> rows)
{
    if (rows.isEmpty() || refuseWhileSending())
        return;
    m_undo->push(new RemoveRowsCommand(this, std::move(rows)));
}

void BatchTableModel::duplicateRowList(QList<qsizetype> rows)
{
    if (rows.isEmpty() || refuseWhileSending())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    Batch copies;
    for (qsizetype r : rows)
        copies.append(m_batch.at(r));
    // Copies go right after the last selected row, so they land next to what was duplicated.
    insertBatch(rows.last() + 1, copies,
                rows.size() == 1 ? tr("Duplicate row") : tr("Duplicate %n rows", nullptr, int(rows.size())));
}

void BatchTableModel::moveRowTo(qsizetype from, qsizetype to)
{
    if (from == to || from < 0 || to < 0 || from >= m_batch.size() || to >= m_batch.size() || refuseWhileSending())
        return;
    m_undo->push(new MoveRowCommand(this, from, to));
}

void BatchTableModel::setMessage(qsizetype row, const Message &message, const QString &text, bool mergeable)
{
    if (row < 0 || row >= m_batch.size() || refuseWhileSending())
        return;
    m_undo->push(new ReplaceRowCommand(this, row, m_batch.at(row), message, text, mergeable));
}

void BatchTableModel::rawInsert(qsizetype row, const Batch &rows)
{
    beginInsertRows({}, int(row), int(row + rows.size() - 1));
    if (row == m_batch.size()) {
        m_batch.reserve(m_batch.size() + rows.size(), rows.payloadBytes());
        for (qsizetype i = 0; i < rows.size(); ++i)
            m_batch.append(rows.at(i));
    } else if (rows.size() < 64) {
        for (qsizetype i = 0; i < rows.size(); ++i)
            m_batch.insert(row + i, rows.at(i));
    } else {
        // Many rows in the middle: rebuild once instead of shifting the row records per row.
        Batch merged;
        merged.reserve(m_batch.size() + rows.size(), m_batch.payloadBytes() + rows.payloadBytes());
        for (qsizetype i = 0; i < row; ++i)
            merged.append(m_batch.at(i));
        for (qsizetype i = 0; i < rows.size(); ++i)
            merged.append(rows.at(i));
        for (qsizetype i = row; i < m_batch.size(); ++i)
            merged.append(m_batch.at(i));
        m_batch = std::move(merged);
    }
    m_results.insert(row, rows.size());
    endInsertRows();
}

Batch BatchTableModel::rawRemove(qsizetype row, qsizetype count)
{
    Batch removed;
    for (qsizetype i = row; i < row + count; ++i)
        removed.append(m_batch.at(i));
    beginRemoveRows({}, int(row), int(row + count - 1));
    m_batch.remove(row, count);
    m_results.remove(row, count);
    endRemoveRows();
    return removed;
}

void BatchTableModel::rawReplace(qsizetype row, const Message &message)
{
    m_batch.replace(row, message);
    // The row is not what was sent any more: its old result would mislead.
    m_results.reset(row);
    emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
}

void BatchTableModel::rawMove(qsizetype from, qsizetype to)
{
    // Qt's destination is the row before which the moved row lands, counted before the move.
    const int destination = int(to > from ? to + 1 : to);
    beginMoveRows({}, int(from), int(from), {}, destination);
    m_batch.move(from, to);
    m_results.move(from, to);
    endMoveRows();
}

void BatchTableModel::setSending(bool sending)
{
    m_sending = sending;
}

void BatchTableModel::markPending(const QList<qsizetype> &rows)
{
    if (rows.isEmpty()) {
        m_results.markAllPending();
        if (!m_batch.isEmpty())
            markDirty(0), markDirty(m_batch.size() - 1);
        return;
    }
    for (qsizetype r : rows) {
        m_results.markPending(r);
        markDirty(r);
    }
}

void BatchTableModel::markDirty(qsizetype row)
{
    if (m_dirtyFirst < 0 || row < m_dirtyFirst)
        m_dirtyFirst = row;
    if (row > m_dirtyLast)
        m_dirtyLast = row;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void BatchTableModel::applyResults(const core::DeliveryResults &results, const QList<qsizetype> &sourceRows)
{
    qsizetype first = -1, last = -1;
    for (const core::DeliveryResult &r : results) {
        qsizetype row = r.row;
        if (!sourceRows.isEmpty())
            row = (r.row >= 0 && r.row < sourceRows.size()) ? sourceRows.at(r.row) : -1;
        if (row < 0 || row >= m_results.size())
            continue;
        // Several job rows can come from one generator row: a bad outcome must not be hidden by a later good one.
        const auto &current = m_results.at(row);
        if (current.sent() && current.status() != DeliveryStatus::Pending &&
            current.status() != DeliveryStatus::Delivered && r.status == DeliveryStatus::Delivered)
            continue;
        m_results.set(row, r);
        if (first < 0 || row < first)
            first = row;
        if (row > last)
            last = row;
    }
    if (first >= 0) {
        markDirty(first);
        markDirty(last);
    }
}

void BatchTableModel::clearResults()
{
    m_results.resetAll();
    if (!m_batch.isEmpty()) {
        markDirty(0);
        markDirty(m_batch.size() - 1);
    }
}

void BatchTableModel::flushResultChanges()
{
    m_flushTimer.stop();
    if (m_dirtyFirst < 0)
        return;
    const qsizetype first = m_dirtyFirst, last = std::min(m_dirtyLast, m_batch.size() - 1);
    m_dirtyFirst = m_dirtyLast = -1;
    if (last < first)
        return;
    emit dataChanged(index(int(first), Status), index(int(last), ErrorText),
                     {Qt::DisplayRole, Qt::DecorationRole, Qt::ForegroundRole, Qt::ToolTipRole, StatusRole});
    emit resultsRepainted(first, last);
}

QString BatchTableModel::tsv(const QList<qsizetype> &rows) const
{
    return QString::fromUtf8(core::rowsToTsv(m_batch, rows));
}

QByteArray BatchTableModel::jsonLines(const QList<qsizetype> &rows) const
{
    return core::rowsToJsonLines(m_batch, rows);
}

} // namespace kbatch::ui

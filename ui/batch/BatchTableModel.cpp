#include "ui/batch/BatchTableModel.h"

#include "core/format/JsonText.h"
#include "core/format/RowExport.h"
#include "core/send/JobSources.h"
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
// 25 ms: under two frames at 60 Hz, so results look live, yet at most 40 repaints a second whatever the rate.
constexpr int FlushIntervalMs = 25;

} // namespace

BatchTableModel::BatchTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_cells(m_batch, m_results, m_ids, m_schemaMarks), m_undo(new QUndoStack(this))
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

void BatchTableModel::setSchemaMark(qsizetype row, core::PayloadPart part, const QString &problem)
{
    if (row < 0 || row >= m_batch.size())
        return;
    const RowId id = m_ids.at(row);
    const int i = part == core::PayloadPart::Key ? 0 : 1;
    auto it = m_schemaMarks.find(id);
    if (it == m_schemaMarks.end()) {
        if (!problem.isEmpty())
            m_schemaMarks[id][i] = problem;
        return;
    }
    (*it)[i] = problem;
    if ((*it)[0].isEmpty() && (*it)[1].isEmpty())
        m_schemaMarks.erase(it);
}

QString BatchTableModel::schemaMark(qsizetype row, core::PayloadPart part) const
{
    if (row < 0 || row >= m_batch.size() || m_schemaMarks.isEmpty())
        return {};
    const auto it = m_schemaMarks.constFind(m_ids.at(row));
    return it == m_schemaMarks.cend() ? QString() : (*it)[part == core::PayloadPart::Key ? 0 : 1];
}

void BatchTableModel::announceSchemaMarks(qsizetype firstRow, qsizetype lastRow)
{
    firstRow = std::max<qsizetype>(firstRow, 0);
    lastRow = std::min<qsizetype>(lastRow, m_batch.size() - 1);
    if (firstRow > lastRow)
        return;
    emit dataChanged(index(int(firstRow), Key), index(int(lastRow), Value),
                     {Qt::ToolTipRole, Qt::ForegroundRole, Qt::DecorationRole});
    emit headerDataChanged(Qt::Vertical, int(firstRow), int(lastRow));
}

void BatchTableModel::clearSchemaMarks()
{
    if (m_schemaMarks.isEmpty())
        return;
    m_schemaMarks.clear();
    announceSchemaMarks(0, m_batch.size() - 1);
}

QVariant BatchTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return m_cells.data(index.row(), index.column(), role);
}

QVariant BatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_cells.headerData(section, orientation, role);
}

Qt::ItemFlags BatchTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return f | Qt::ItemIsDropEnabled;
    const int c = index.column();
    if ((c == Key || c == Value || c == Partition || c == Timestamp) && !isRowLocked(index.row()))
        f |= Qt::ItemIsEditable;
    return f;
}

bool BatchTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || refuseLocked(index.row()))
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

bool BatchTableModel::resetBatch(Batch batch)
{
    // The running send's rows would all be gone: its results would have nowhere to go.
    if (m_sending && refuse(tr("A send is running — wait for it to finish or cancel it (Ctrl+.) before opening or "
                               "starting another batch")))
        return false;
    beginResetModel();
    m_batch = std::move(batch);
    m_ids.reset(m_batch.size());
    m_results = ResultStore();
    m_results.resize(m_batch.size());
    m_dirtyFirst = m_dirtyLast = -1;
    endResetModel();
    m_undo->clear();
    return true;
}

bool BatchTableModel::refuse(const QString &message)
{
    emit editRefused(message);
    return true;
}

bool BatchTableModel::refuseLocked(qsizetype row)
{
    return isRowLocked(row) &&
           refuse(tr("Row %1 is being sent: it can be changed or deleted once its outcome is in (or cancel the send)")
                      .arg(m_locale.toString(qlonglong(row + 1))));
}

bool BatchTableModel::undo()
{
    if (!m_undo->canUndo())
        return false;
    const auto *step = dynamic_cast<const BatchCommand *>(m_undo->command(m_undo->index() - 1));
    if (step && refuseLocked(step->firstLockedRow(*this, true)))
        return false;
    m_undo->undo();
    return true;
}

bool BatchTableModel::redo()
{
    if (!m_undo->canRedo())
        return false;
    const auto *step = dynamic_cast<const BatchCommand *>(m_undo->command(m_undo->index()));
    if (step && refuseLocked(step->firstLockedRow(*this, false)))
        return false;
    m_undo->redo();
    return true;
}

void BatchTableModel::insertBatch(qsizetype row, const Batch &rows, const QString &text)
{
    if (rows.isEmpty())
        return;
    m_undo->push(new InsertRowsCommand(this, std::clamp<qsizetype>(row, 0, m_batch.size()), rows, text));
}

void BatchTableModel::removeRowList(QList<qsizetype> rows)
{
    if (rows.isEmpty())
        return;
    for (qsizetype r : std::as_const(rows))
        if (refuseLocked(r))
            return;
    m_undo->push(new RemoveRowsCommand(this, std::move(rows)));
}

void BatchTableModel::duplicateRowList(QList<qsizetype> rows)
{
    if (rows.isEmpty())
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
    if (from == to || from < 0 || to < 0 || from >= m_batch.size() || to >= m_batch.size())
        return;
    m_undo->push(new MoveRowCommand(this, from, to));
}

void BatchTableModel::setMessage(qsizetype row, const Message &message, const QString &text, bool mergeable)
{
    if (row < 0 || row >= m_batch.size() || refuseLocked(row))
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
    m_ids.insert(row, rows.size());
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
    m_ids.remove(row, count);
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
    m_ids.move(from, to);
    m_results.move(from, to);
    endMoveRows();
}

bool BatchTableModel::isRowLocked(qsizetype row) const
{
    if (!m_sending || row < 0 || row >= m_batch.size())
        return false;
    const ResultStore::RowResult &r = m_results.at(row);
    if (r.sent() && r.status() == DeliveryStatus::Pending)
        return true;
    return !m_openMessages.isEmpty() && m_openMessages.contains(m_ids.at(row));
}

void BatchTableModel::beginSend(const QList<qsizetype> &rows)
{
    markPending(rows);
    m_openMessages.clear();
    // A generator row makes many messages: it stays locked until the last of them has its outcome.
    auto note = [this](qsizetype r) {
        if (const auto spec = m_batch.generate(r); spec && spec->count > 1)
            m_openMessages.insert(m_ids.at(r), spec->count);
    };
    if (m_batch.hasGenerator()) {
        if (rows.isEmpty())
            for (qsizetype r = 0; r < m_batch.size(); ++r)
                note(r);
        else
            for (qsizetype r : rows)
                note(r);
    }
    m_sending = true;
    emit sendingChanged(true);
}

void BatchTableModel::endSend(bool failed)
{
    m_sending = false;
    m_openMessages.clear();
    if (failed)
        clearResults();
    flushResultChanges();
    emit sendingChanged(false);
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

void BatchTableModel::applyResult(qsizetype row, const core::DeliveryResult &r, qsizetype &first, qsizetype &last)
{
    if (row < 0 || row >= m_results.size())
        return;
    // Several job rows can come from one generator row: a bad outcome must not be hidden by a later good one.
    const auto &current = m_results.at(row);
    if (current.sent() && current.status() != DeliveryStatus::Pending &&
        current.status() != DeliveryStatus::Delivered && r.status == DeliveryStatus::Delivered)
        return;
    m_results.set(row, r);
    if (first < 0 || row < first)
        first = row;
    if (row > last)
        last = row;
}

void BatchTableModel::applyJobResults(const core::DeliveryResults &results, const core::JobSources &sources)
{
    qsizetype first = -1, last = -1;
    for (const core::DeliveryResult &r : results) {
        const auto id = sources.keyOf(r.row);
        if (!id)
            continue;
        if (!m_openMessages.isEmpty()) {
            const auto open = m_openMessages.find(*id);
            if (open != m_openMessages.end() && --open.value() <= 0)
                m_openMessages.erase(open);
        }
        applyResult(m_ids.rowOf(*id), r, first, last); // -1, ignored, when the row is gone
    }
    if (first >= 0) {
        markDirty(first);
        markDirty(last);
    }
}

void BatchTableModel::markInTransaction(const core::JobSources &sources, qint64 fromJobRow, qint64 toJobRow)
{
    std::optional<std::uint64_t> previous;
    for (qint64 jobRow = std::max<qint64>(fromJobRow, 0); jobRow < toJobRow; ++jobRow) {
        const auto id = sources.keyOf(jobRow);
        if (!id)
            break;
        if (id == previous) // the messages of one generator row
            continue;
        previous = id;
        const qsizetype row = m_ids.rowOf(*id);
        if (row < 0)
            continue;
        m_results.markInTransaction(row);
        markDirty(row);
    }
}

void BatchTableModel::applyResults(const core::DeliveryResults &results, const QList<qsizetype> &sourceRows)
{
    qsizetype first = -1, last = -1;
    for (const core::DeliveryResult &r : results) {
        qsizetype row = r.row;
        if (!sourceRows.isEmpty())
            row = (r.row >= 0 && r.row < sourceRows.size()) ? sourceRows.at(r.row) : -1;
        applyResult(row, r, first, last);
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

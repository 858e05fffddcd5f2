#include "ui/batch/ResultStore.h"

#include <algorithm>
#include <limits>

namespace kbatch::ui {

const ResultStore::RowResult &ResultStore::notSent()
{
    static const RowResult none;
    return none;
}

void ResultStore::allocate()
{
    if (m_rows.empty() && m_size > 0)
        m_rows.resize(std::size_t(m_size));
}

void ResultStore::resize(qsizetype rows)
{
    m_size = rows;
    if (!m_rows.empty())
        m_rows.resize(std::size_t(rows));
}

void ResultStore::insert(qsizetype row, qsizetype count)
{
    m_size += count;
    if (!m_rows.empty())
        m_rows.insert(m_rows.begin() + row, std::size_t(count), RowResult{});
}

void ResultStore::remove(qsizetype row, qsizetype count)
{
    m_size -= count;
    if (!m_rows.empty())
        m_rows.erase(m_rows.begin() + row, m_rows.begin() + row + count);
}

void ResultStore::move(qsizetype from, qsizetype to)
{
    if (from == to || m_rows.empty())
        return;
    const RowResult moved = m_rows[std::size_t(from)];
    m_rows.erase(m_rows.begin() + from);
    m_rows.insert(m_rows.begin() + to, moved);
}

void ResultStore::reset(qsizetype row)
{
    if (!m_rows.empty())
        m_rows[std::size_t(row)] = RowResult{};
}

void ResultStore::resetAll()
{
    std::fill(m_rows.begin(), m_rows.end(), RowResult{});
    m_maxPartition = 0;
    m_maxOffset = 0;
    // Nothing refers to the error table any more, so it can start over.
    m_errors.clear();
    m_errorIndex.clear();
}

void ResultStore::markAllPending()
{
    // One pass over the records instead of clearing them and then marking each row. At a million rows the UI thread
    // still spends 15-20 ms here when Send is pressed, nearly all of it the kernel faulting in the 32 MB of records
    // that are allocated at the first send (so that opening a file never pays for them).
    RowResult pending;
    pending.state = std::uint8_t(core::DeliveryStatus::Pending);
    m_rows.assign(std::size_t(m_size), pending);
    m_errors.clear();
    m_errorIndex.clear();
}

void ResultStore::markPending(qsizetype row)
{
    allocate();
    RowResult r;
    r.state = std::uint8_t(core::DeliveryStatus::Pending);
    m_rows[std::size_t(row)] = r;
}

void ResultStore::markInTransaction(qsizetype row)
{
    if (m_rows.empty())
        return;
    RowResult &r = m_rows[std::size_t(row)];
    if (r.state == std::uint8_t(core::DeliveryStatus::Pending))
        r.inTransaction = true;
}

void ResultStore::set(qsizetype row, const core::DeliveryResult &result)
{
    allocate();
    RowResult &r = m_rows[std::size_t(row)];
    r.state = std::uint8_t(result.status);
    r.inTransaction = false;
    r.persisted = result.persisted;
    r.partition = result.partition;
    r.offset = result.offset;
    m_maxPartition = std::max(m_maxPartition, result.partition);
    m_maxOffset = std::max<std::int64_t>(m_maxOffset, result.offset);
    r.timestamp = result.timestamp;
    constexpr auto maxLatency = std::int64_t(std::numeric_limits<std::uint32_t>::max() - 1);
    r.latencyUs = result.latencyUs < 0 ? 0xffffffffu : std::uint32_t(std::min(result.latencyUs, maxLatency));
    r.error = result.errorText.isEmpty() && result.errorName.isEmpty() ? NoError : intern(result);
    r.schemas = m_sendSchemas;
}

std::pair<int, int> ResultStore::largestSchemaIds() const
{
    std::pair<int, int> largest{0, 0};
    for (const auto &[key, value] : m_schemaIds) {
        largest.first = std::max(largest.first, key);
        largest.second = std::max(largest.second, value);
    }
    return largest;
}

void ResultStore::setSendSchemaIds(int keyId, int valueId)
{
    const std::pair<int, int> ids{keyId, valueId};
    qsizetype index = m_schemaIds.indexOf(ids);
    if (index < 0) {
        // A row keeps its pair as a one-byte index: a window sends with a few schemas, and past 255 distinct pairs
        // the rows of the new ones show none rather than another send's (reusing a slot would relabel old rows).
        if (m_schemaIds.size() > std::numeric_limits<std::uint8_t>::max()) {
            m_sendSchemas = 0;
            return;
        }
        m_schemaIds.append(ids);
        index = m_schemaIds.size() - 1;
    }
    m_sendSchemas = std::uint8_t(index);
}

std::pair<int, int> ResultStore::schemaIds(qsizetype row) const
{
    const std::uint8_t index = at(row).schemas;
    return index < m_schemaIds.size() ? m_schemaIds[index] : std::pair<int, int>{0, 0};
}

QString ResultStore::errorText(qsizetype row) const
{
    const ErrorInfo *e = errorInfo(row);
    if (!e)
        return QString();
    return e->name.isEmpty() ? e->text : e->name + QLatin1String(": ") + e->text;
}

const ResultStore::ErrorInfo *ResultStore::errorInfo(qsizetype row) const
{
    const std::uint32_t e = at(row).error;
    return e == NoError ? nullptr : &m_errors.at(qsizetype(e));
}

std::uint32_t ResultStore::intern(const core::DeliveryResult &result)
{
    const QString key =
        QString::number(result.errorCode) + QLatin1Char('\n') + result.errorName + QLatin1Char('\n') + result.errorText;
    const auto it = m_errorIndex.constFind(key);
    if (it != m_errorIndex.cend())
        return it.value();
    const auto index = std::uint32_t(m_errors.size());
    m_errors.append(ErrorInfo{result.errorCode, result.errorName, result.errorText});
    m_errorIndex.insert(key, index);
    return index;
}

} // namespace kbatch::ui

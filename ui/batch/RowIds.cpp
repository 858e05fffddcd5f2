#include "ui/batch/RowIds.h"

#include <algorithm>

namespace kbatch::ui {

qsizetype RowIds::rowOf(Id id) const
{
    if (m_ids.empty())
        return id >= m_first && id < m_first + Id(m_size) ? qsizetype(id - m_first) : -1;
    if (m_ascending) {
        const auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
        return it != m_ids.end() && *it == id ? qsizetype(it - m_ids.begin()) : -1;
    }
    if (m_index.empty() && m_size > 0) {
        m_index.reserve(std::size_t(m_size));
        for (qsizetype r = 0; r < m_size; ++r)
            m_index.emplace_back(m_ids[std::size_t(r)], r);
        std::sort(m_index.begin(), m_index.end());
    }
    const auto it = std::lower_bound(m_index.begin(), m_index.end(), std::pair<Id, qsizetype>(id, -1));
    return it != m_index.end() && it->first == id ? it->second : -1;
}

void RowIds::reset(qsizetype rows)
{
    m_ids = {};
    m_first = m_next;
    m_next += Id(rows);
    m_size = rows;
    m_ascending = true;
    changed();
}

void RowIds::store()
{
    if (!m_ids.empty() || m_size == 0)
        return;
    m_ids.resize(std::size_t(m_size));
    for (qsizetype r = 0; r < m_size; ++r)
        m_ids[std::size_t(r)] = m_first + Id(r);
}

void RowIds::insert(qsizetype row, qsizetype count)
{
    if (count <= 0)
        return;
    changed();
    if (m_size == 0) {
        m_ids = {};
        m_first = m_next;
        m_next += Id(count);
        m_size = count;
        m_ascending = true;
        return;
    }
    // Appending right after the last id given keeps the ids counting up.
    if (m_ids.empty() && row == m_size && m_first + Id(m_size) == m_next) {
        m_next += Id(count);
        m_size += count;
        return;
    }
    store();
    std::vector<Id> fresh(static_cast<std::size_t>(count));
    for (Id &id : fresh)
        id = m_next++;
    m_ids.insert(m_ids.begin() + row, fresh.begin(), fresh.end());
    m_size += count;
    // New ids are the largest: they ascend only at the end.
    m_ascending = m_ascending && row + count == m_size;
}

void RowIds::remove(qsizetype row, qsizetype count)
{
    if (count <= 0)
        return;
    changed();
    if (m_ids.empty() && row == 0) {
        m_first += Id(count);
        m_size -= count;
        return;
    }
    if (m_ids.empty() && row + count == m_size) {
        m_size -= count;
        return;
    }
    store();
    m_ids.erase(m_ids.begin() + row, m_ids.begin() + row + count);
    m_size -= count;
}

void RowIds::move(qsizetype from, qsizetype to)
{
    if (from == to)
        return;
    changed();
    store();
    const Id moved = m_ids[std::size_t(from)];
    m_ids.erase(m_ids.begin() + from);
    m_ids.insert(m_ids.begin() + to, moved);
    m_ascending = false;
}

} // namespace kbatch::ui

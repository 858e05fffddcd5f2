#include "JobRows.h"

#include <algorithm>

namespace kbatch::core {

void JobRows::append(Batch piece)
{
    if (piece.isEmpty())
        return;
    m_start.push_back(m_size);
    m_open.push_back(piece.size());
    m_size += piece.size();
    m_pieces.push_back(std::move(piece));
    m_final.resize(std::size_t(m_size), 0);
}

std::size_t JobRows::pieceOf(qsizetype row) const
{
    // Rows are produced, and mostly reported, in order: try the last piece first.
    const std::size_t last = m_pieces.size() - 1;
    if (row >= m_start[last])
        return last;
    return std::size_t(std::upper_bound(m_start.begin(), m_start.end(), row) - m_start.begin()) - 1;
}

std::pair<const Batch *, qsizetype> JobRows::locate(qsizetype row) const
{
    const std::size_t p = pieceOf(row);
    return {&m_pieces[p], row - m_start[p]};
}

bool JobRows::markFinal(qsizetype row, bool releasable)
{
    if (row < 0 || row >= m_size || m_final[std::size_t(row)])
        return false;
    m_final[std::size_t(row)] = 1;
    const std::size_t p = pieceOf(row);
    if (!releasable)
        m_open[p] = -1;
    else if (m_open[p] > 0 && --m_open[p] == 0)
        m_pieces[p] = Batch(); // shared with an editor's batch, this frees nothing there
    return true;
}

} // namespace kbatch::core

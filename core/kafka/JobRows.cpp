#include "JobRows.h"

#include <algorithm>
#include <bit>

namespace kbatch::core {

void JobRows::append(Batch piece)
{
    if (piece.isEmpty())
        return;
    Piece p;
    p.start = m_size;
    p.count = piece.size();
    p.open = p.count;
    p.final.assign(std::size_t((p.count + 63) / 64), 0);
    p.rows = std::move(piece);
    m_size += p.count;
    m_pieces.push_back(std::move(p));
}

const JobRows::Piece *JobRows::pieceOf(qsizetype row) const
{
    if (row < m_doneBefore || row >= m_size)
        return nullptr;
    // Rows are produced, and mostly reported, in order: try the last and the first piece first.
    if (row >= m_pieces.back().start)
        return &m_pieces.back();
    if (row < m_pieces.front().start + m_pieces.front().count)
        return &m_pieces.front();
    const auto it = std::upper_bound(m_pieces.begin(), m_pieces.end(), row,
                                     [](qsizetype r, const Piece &p) { return r < p.start; });
    return &*(it - 1);
}

std::pair<const Batch *, qsizetype> JobRows::locate(qsizetype row) const
{
    const Piece *p = pieceOf(row);
    Q_ASSERT(p);
    return {&p->rows, row - p->start};
}

bool JobRows::isFinal(qsizetype row) const
{
    if (row >= 0 && row < m_doneBefore)
        return true;
    const Piece *p = pieceOf(row);
    if (!p)
        return false;
    if (p->open == 0)
        return true;
    const qsizetype i = row - p->start;
    return (p->final[std::size_t(i / 64)] >> (i % 64)) & 1u;
}

bool JobRows::markFinal(qsizetype row, bool releasable)
{
    Piece *p = pieceOf(row);
    if (!p || p->open == 0)
        return false;
    const qsizetype i = row - p->start;
    std::uint64_t &word = p->final[std::size_t(i / 64)];
    const std::uint64_t bit = std::uint64_t(1) << (i % 64);
    if (word & bit)
        return false;
    word |= bit;
    p->keep = p->keep || !releasable;
    if (--p->open == 0) {
        if (p->keep)
            m_kept.push_back(std::move(p->rows));
        p->rows = Batch(); // shared with an editor's batch, this frees nothing there
        p->final = {};
        while (!m_pieces.empty() && m_pieces.front().open == 0) {
            m_doneBefore = m_pieces.front().start + m_pieces.front().count;
            m_pieces.pop_front();
        }
    }
    return true;
}

qsizetype JobRows::nextOpen(qsizetype from) const
{
    for (qsizetype row = std::max(from, m_doneBefore); row < m_size;) {
        const Piece *p = pieceOf(row);
        if (p->open == 0) {
            row = p->start + p->count;
            continue;
        }
        // The first clear bit at or after the row, a word at a time.
        qsizetype i = row - p->start;
        while (i < p->count) {
            const std::uint64_t clear = ~p->final[std::size_t(i / 64)] >> (i % 64);
            if (clear != 0) {
                i += std::countr_zero(clear);
                break;
            }
            i = (i / 64 + 1) * 64;
        }
        if (i < p->count)
            return p->start + i;
        row = p->start + p->count;
    }
    return m_size;
}

qsizetype JobRows::heldRows() const
{
    qsizetype n = 0;
    for (const Piece &p : m_pieces)
        n += p.rows.size();
    for (const Batch &b : m_kept)
        n += b.size();
    return n;
}

qint64 JobRows::bookkeepingBytes() const
{
    qint64 bytes = qint64(m_pieces.size() * sizeof(Piece)) + qint64(m_kept.capacity() * sizeof(Batch));
    for (const Piece &p : m_pieces)
        bytes += qint64(p.final.capacity() * sizeof(std::uint64_t));
    return bytes;
}

} // namespace kbatch::core

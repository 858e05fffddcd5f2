#pragma once

#include <QtGlobal>

#include <cstdint>
#include <utility>
#include <vector>

namespace kbatch::ui {

// A stable identity for every row of the editor: a 64-bit id given when the row is created and never given again
// (not even to the same row brought back by an undo), kept through moves. A running send names its rows by id, so a
// result lands on its row whatever is inserted or moved meanwhile.
//
// Nothing is stored while the ids simply count up the rows (row r has id first + r), as after opening a file or
// appending: a million rows cost nothing. The first edit that breaks the pattern stores them, 8 bytes a row.
// rowOf() is a binary search while ids ascend with the rows; after a move (or an insert above the end) it uses an
// index built at its first use after the change.
class RowIds
{
public:
    using Id = std::uint64_t;
    static constexpr Id None = 0;

    qsizetype size() const { return m_size; }
    Id at(qsizetype row) const { return m_ids.empty() ? m_first + Id(row) : m_ids[std::size_t(row)]; }
    qsizetype rowOf(Id id) const; // -1 when no row has it

    void reset(qsizetype rows);                  // every row new
    void insert(qsizetype row, qsizetype count); // new rows
    void remove(qsizetype row, qsizetype count);
    void move(qsizetype from, qsizetype to); // one row, so that it ends at `to`

private:
    void store(); // from counting up to a stored id per row
    void changed() { m_index.clear(); }

    Id m_next = 1;  // the next id to give; 0 is None
    Id m_first = 1; // while nothing is stored: the id of row 0
    qsizetype m_size = 0;
    std::vector<Id> m_ids;                                 // empty while ids count up from m_first
    bool m_ascending = true;                               // the stored ids ascend with the rows
    mutable std::vector<std::pair<Id, qsizetype>> m_index; // (id, row) by id when not ascending; empty: to build
};

} // namespace kbatch::ui

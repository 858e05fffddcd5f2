#pragma once

#include "core/model/Batch.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace kbatch::core {

// The rows of a running publish job and which of them have their final outcome: the job's own rows, then every
// piece that arrives from its feed, kept apart (appending them to one batch would copy every row record again).
//
// librdkafka reads a value in place until the row's delivery report, so a piece is released only once each of its
// rows has its outcome from a report (or from a failed produce call). A row that ends without one (the job gave up
// on it) may still be in librdkafka's queue: its piece is kept until this object is destroyed, which the worker
// does after the client. Producer thread only.
class JobRows
{
public:
    void append(Batch piece); // an empty piece is ignored
    qsizetype size() const { return m_size; }

    // The piece that holds `row`, and the row's index in it. Only for rows without their outcome yet.
    std::pair<const Batch *, qsizetype> locate(qsizetype row) const;

    bool isFinal(qsizetype row) const { return m_final[std::size_t(row)] != 0; }
    // Records that `row` has its final outcome; false if it had one already (or is not a row of the job).
    // `releasable`: librdkafka no longer holds the row's value.
    bool markFinal(qsizetype row, bool releasable);

private:
    std::size_t pieceOf(qsizetype row) const;

    std::vector<Batch> m_pieces;
    std::vector<qsizetype> m_start; // job row of each piece's first row
    std::vector<qsizetype> m_open;  // rows of a piece without an outcome: at 0 it is released; -1: kept to the end
    std::vector<std::uint8_t> m_final;
    qsizetype m_size = 0;
};

} // namespace kbatch::core

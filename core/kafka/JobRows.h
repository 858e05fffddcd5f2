#pragma once

#include "core/model/Batch.h"

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace kbatch::core {

// The rows of a running publish job and which of them have their final outcome: the job's own rows, then every
// piece that arrives from its feed, kept apart (appending them to one batch would copy every row record again).
//
// librdkafka reads a value in place until the row's delivery report, so a piece is released only once each of its
// rows has its outcome from a report (or from a failed produce call, or was never produced). A row that ends without
// one (the job gave up on it) may still be in librdkafka's queue: its piece is kept until this object is destroyed,
// which the worker does after the client.
//
// The bookkeeping does not grow with the job: a finished piece leaves nothing behind but, when it is kept, its rows,
// so that a send of 20 million generated rows holds only the pieces in flight. Producer thread only.
class JobRows
{
public:
    void append(Batch piece); // an empty piece is ignored
    qsizetype size() const { return m_size; }

    // The piece that holds `row`, and the row's index in it. Only for rows without their outcome yet.
    std::pair<const Batch *, qsizetype> locate(qsizetype row) const;

    bool isFinal(qsizetype row) const;
    // Records that `row` has its final outcome; false if it had one already (or is not a row of the job).
    // `releasable`: librdkafka no longer holds the row's value (or never did).
    bool markFinal(qsizetype row, bool releasable);
    // The first row at or after `from` without its final outcome; size() when there is none.
    qsizetype nextOpen(qsizetype from) const;

    // Rows whose pieces are still held (rows waiting for an outcome, and finished pieces librdkafka may still read),
    // and the bytes of bookkeeping besides them: for tests and diagnostics.
    qsizetype heldRows() const;
    qint64 bookkeepingBytes() const;

private:
    struct Piece
    {
        Batch rows;
        qsizetype start = 0; // job row of its first row
        qsizetype count = 0;
        qsizetype open = 0;               // rows without an outcome
        bool keep = false;                // a row ended without a report: librdkafka may still read its value
        std::vector<std::uint64_t> final; // a bit per row with its outcome; freed when the last one has it
    };
    const Piece *pieceOf(qsizetype row) const;
    Piece *pieceOf(qsizetype row) { return const_cast<Piece *>(std::as_const(*this).pieceOf(row)); }

    std::deque<Piece> m_pieces; // from the first piece with a row still open
    std::vector<Batch> m_kept;  // finished pieces that librdkafka may still read
    qsizetype m_doneBefore = 0; // every row before it has its outcome
    qsizetype m_size = 0;
};

} // namespace kbatch::core

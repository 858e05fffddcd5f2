#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace kbatch::core {

// Rows handed from a reader thread to the producer thread piece by piece, so a send can start while its template
// is still being read. Bounded: push() waits while `maxQueued` pieces are waiting, so the reader never runs more
// than that far ahead of the producer.
//
// The reader ends the feed with finish() (every row was read) or fail() (the input has a mistake, so the rows
// after it are unknown). The producer takes pieces with take(); once it stops wanting rows it calls close(), which
// wakes a waiting push() with false so the reader stops.
//
// Thread-safe: one reader and one taker.
class RowFeed
{
public:
    explicit RowFeed(qsizetype maxQueued = 4) : m_maxQueued(std::max<qsizetype>(maxQueued, 1)) {}

    // Reader side. False when the taker has closed the feed: stop reading.
    bool push(Batch piece);
    void finish();
    void fail(Error error);

    // Taker side.
    enum class Take { Piece, Later, End, Failed };
    // Waits up to `timeoutMs` for a piece. Piece: `out` holds it. Later: none yet. End: every row was taken.
    // Failed: the rows taken so far are all there will be; error() says why.
    Take take(Batch &out, int timeoutMs);
    void close();
    Error error() const;

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_queue;
    qsizetype m_maxQueued;
    bool m_finished = false;
    bool m_closed = false;
    std::optional<Error> m_error;
};

} // namespace kbatch::core

#include "RowFeed.h"

#include <chrono>

namespace kbatch::core {

bool RowFeed::push(Batch piece)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_closed || qsizetype(m_queue.size()) < m_maxQueued; });
    if (m_closed)
        return false;
    m_queue.push_back(std::move(piece));
    m_changed.notify_all();
    return true;
}

void RowFeed::finish()
{
    std::lock_guard lock(m_mutex);
    m_finished = true;
    m_changed.notify_all();
}

void RowFeed::fail(Error error)
{
    std::lock_guard lock(m_mutex);
    m_error = std::move(error);
    m_finished = true;
    m_changed.notify_all();
}

RowFeed::Take RowFeed::take(Batch &out, int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, std::chrono::milliseconds(std::max(timeoutMs, 0)),
                       [this] { return !m_queue.empty() || m_finished; });
    if (!m_queue.empty()) {
        out = std::move(m_queue.front());
        m_queue.pop_front();
        m_changed.notify_all();
        return Take::Piece;
    }
    if (m_finished)
        return m_error ? Take::Failed : Take::End;
    return Take::Later;
}

void RowFeed::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_queue.clear();
    m_changed.notify_all();
}

Error RowFeed::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error.value_or(Error());
}

} // namespace kbatch::core

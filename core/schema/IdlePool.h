#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace kbatch::core {

// Idle per-thread workers of a codec (encoders with their scratch buffers), kept for reuse. One is held in a slot
// that takes no lock (the common case: one thread encoding a million rows in a row), a few more behind a mutex.
// Any thread; the pool deletes what it still holds.
template <typename T> class IdlePool
{
public:
    IdlePool() = default;
    ~IdlePool() { delete m_idle.exchange(nullptr); }
    IdlePool(const IdlePool &) = delete;
    IdlePool &operator=(const IdlePool &) = delete;

    // An idle worker, or null when none is idle (the caller makes one).
    std::unique_ptr<T> take() const
    {
        if (T *idle = m_idle.exchange(nullptr, std::memory_order_acquire))
            return std::unique_ptr<T>(idle);
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_more.empty())
            return nullptr;
        std::unique_ptr<T> worker = std::move(m_more.back());
        m_more.pop_back();
        return worker;
    }

    // Keeps `worker` for the next take(), or deletes it when MaxIdle are kept already.
    void giveBack(std::unique_ptr<T> worker) const
    {
        T *released = worker.release();
        T *expected = nullptr;
        if (m_idle.compare_exchange_strong(expected, released, std::memory_order_release))
            return; // owned by the slot now
        worker.reset(released);
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_more.size() < MaxIdle)
            m_more.push_back(std::move(worker));
    }

private:
    static constexpr std::size_t MaxIdle = 8;
    mutable std::atomic<T *> m_idle{nullptr};
    mutable std::mutex m_mutex;
    mutable std::vector<std::unique_ptr<T>> m_more;
};

} // namespace kbatch::core

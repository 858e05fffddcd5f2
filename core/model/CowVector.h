#pragma once

#include <atomic>
#include <cstddef>
#include <utility>
#include <vector>

namespace kbatch::core {

// A std::vector shared between copies until one of them writes (copy-on-write, like Qt's implicitly shared
// containers). Copying a Batch of a million rows for a send job is then a pointer copy, not 32 MB of row records
// copied on the UI thread. Reading never detaches; write() does, and must be called before every change.
//
// Threads. One instance is used by one thread at a time. Copies may live on different threads, and the case that
// matters is a PublishJob's copy read on the producer thread while the window's copy goes on being edited on the UI
// thread: whichever copy writes first detaches, on its own thread, and the other's reads never see a write.
// write() may change the vector in place only when this copy is the last one; the other copies' last reads, on their
// threads, must then happen before its writes. The count is what carries that: a copy is released with a release
// decrement, and write() reads the count with acquire ordering, so seeing "last copy" also means seeing every access
// the released copies made (std::shared_ptr's use_count() is a relaxed load and gives no such order, hence the count
// of its own here). A copy made meanwhile can only make the count larger, which costs one needless copy, never a
// shared write.
template <typename T> class CowVector
{
public:
    CowVector() = default;
    CowVector(const CowVector &other) noexcept : m_block(other.m_block)
    {
        if (m_block)
            m_block->refs.fetch_add(1, std::memory_order_relaxed); // the copier holds a reference already
    }
    CowVector(CowVector &&other) noexcept : m_block(std::exchange(other.m_block, nullptr)) {}
    CowVector &operator=(const CowVector &other) noexcept
    {
        CowVector copy(other);
        std::swap(m_block, copy.m_block);
        return *this;
    }
    CowVector &operator=(CowVector &&other) noexcept
    {
        CowVector moved(std::move(other));
        std::swap(m_block, moved.m_block);
        return *this;
    }
    ~CowVector() { release(); }

    std::size_t size() const { return m_block ? m_block->items.size() : 0; }
    bool empty() const { return size() == 0; }
    std::size_t capacity() const { return m_block ? m_block->items.capacity() : 0; }
    const T &operator[](std::size_t i) const { return m_block->items[i]; }
    const T &back() const { return m_block->items.back(); }
    auto begin() const { return m_block ? m_block->items.cbegin() : empty_().cbegin(); }
    auto end() const { return m_block ? m_block->items.cend() : empty_().cend(); }

    // Whether another copy shares the vector (acquire: see the class comment).
    bool isShared() const { return m_block && m_block->refs.load(std::memory_order_acquire) > 1; }

    std::vector<T> &write()
    {
        if (!m_block) {
            m_block = new Block;
        } else if (isShared()) {
            auto *own = new Block{{1}, m_block->items};
            release();
            m_block = own;
        }
        return m_block->items;
    }

private:
    struct Block
    {
        std::atomic<long> refs{1};
        std::vector<T> items;
    };

    void release() noexcept
    {
        // Release: this copy's reads happen before the writes of the copy that then sees itself last; acquire: the
        // copy that deletes the block sees every access the others made.
        if (m_block && m_block->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            delete m_block;
        m_block = nullptr;
    }

    static const std::vector<T> &empty_()
    {
        static const std::vector<T> none;
        return none;
    }

    Block *m_block = nullptr;
};

} // namespace kbatch::core

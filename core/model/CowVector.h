#pragma once

#include <memory>
#include <vector>

namespace kbatch::core {

// A std::vector shared between copies until one of them writes (copy-on-write, like Qt's implicitly shared
// containers). Copying a Batch of a million rows for a send job is then a pointer copy, not 32 MB of row records
// copied on the UI thread. Reading never detaches; write() does, and must be called before every change.
//
// Copies may live on different threads: a copy that is only read there is safe while another copy detaches and
// writes (use_count() can only overstate sharing, which costs one needless copy, never a shared write).
template <typename T> class CowVector
{
public:
    std::size_t size() const { return m_data ? m_data->size() : 0; }
    bool empty() const { return size() == 0; }
    std::size_t capacity() const { return m_data ? m_data->capacity() : 0; }
    const T &operator[](std::size_t i) const { return (*m_data)[i]; }
    const T &back() const { return m_data->back(); }
    auto begin() const { return m_data ? m_data->cbegin() : empty_().cbegin(); }
    auto end() const { return m_data ? m_data->cend() : empty_().cend(); }

    std::vector<T> &write()
    {
        if (!m_data)
            m_data = std::make_shared<std::vector<T>>();
        else if (m_data.use_count() > 1)
            m_data = std::make_shared<std::vector<T>>(*m_data);
        return *m_data;
    }

private:
    static const std::vector<T> &empty_()
    {
        static const std::vector<T> none;
        return none;
    }

    std::shared_ptr<std::vector<T>> m_data;
};

} // namespace kbatch::core

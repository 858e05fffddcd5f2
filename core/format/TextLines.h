#pragma once

#include <QByteArrayView>

#include <algorithm>
#include <cstring>

namespace kbatch::core {

// Internal to core/format: line helpers shared by the line-based importers.

// Number of lines (an upper bound for the rows), to reserve a Batch once.
inline qsizetype countLines(QByteArrayView data)
{
    return qsizetype(std::count(data.begin(), data.end(), '\n')) + 1;
}

// Calls `f(line, lineNumber)` for every line without its "\n" or "\r\n"; stops when f returns false.
// Returns false if f did.
template <typename F> bool forEachLine(QByteArrayView data, F &&f)
{
    qsizetype pos = 0;
    int lineNumber = 1;
    const qsizetype n = data.size();
    while (pos < n) {
        const char *nl = static_cast<const char *>(std::memchr(data.data() + pos, '\n', std::size_t(n - pos)));
        qsizetype end = nl ? nl - data.data() : n;
        qsizetype next = nl ? end + 1 : n;
        if (end > pos && data[end - 1] == '\r')
            --end;
        if (!f(data.sliced(pos, end - pos), lineNumber))
            return false;
        pos = next;
        ++lineNumber;
    }
    return true;
}

} // namespace kbatch::core

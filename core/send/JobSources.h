#pragma once

#include <QtGlobal>

#include <cstdint>
#include <optional>
#include <vector>

namespace kbatch::core {

// Which source row each row of a publish job came from. A source row is named by a key its owner chose (the window
// uses its stable row ids, so that a result finds its row whatever was inserted or moved meanwhile). A generator row
// makes `count` job rows in a row; any other row makes one.
//
// Kept as runs of consecutive keys with the same number of job rows each: a job of a million ordinary rows whose
// keys follow each other is one run, whatever the row count. A value; const functions may be called from any thread.
class JobSources
{
public:
    // The next `jobRows` rows of the job (at least 1) come from the source row `key`.
    void append(std::uint64_t key, qint64 jobRows = 1);

    qint64 jobRows() const { return m_jobRows; }
    bool isEmpty() const { return m_jobRows == 0; }
    // The key of the source row that job row `jobRow` came from; nullopt when the job has no such row.
    std::optional<std::uint64_t> keyOf(qint64 jobRow) const;
    qsizetype runs() const { return qsizetype(m_runs.size()); } // for tests: how compact the map is

private:
    struct Run
    {
        qint64 firstJobRow = 0;
        std::uint64_t firstKey = 0;
        qint64 keys = 0;   // consecutive keys firstKey, firstKey + 1, ...
        qint64 perKey = 1; // job rows each of them made
    };
    std::vector<Run> m_runs; // by firstJobRow
    qint64 m_jobRows = 0;
};

} // namespace kbatch::core

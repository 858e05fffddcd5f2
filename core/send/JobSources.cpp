#include "JobSources.h"

#include <algorithm>

namespace kbatch::core {

void JobSources::append(std::uint64_t key, qint64 jobRows)
{
    jobRows = std::max<qint64>(jobRows, 1);
    if (!m_runs.empty()) {
        Run &last = m_runs.back();
        if (last.perKey == jobRows && last.firstKey + std::uint64_t(last.keys) == key) {
            ++last.keys;
            m_jobRows += jobRows;
            return;
        }
    }
    m_runs.push_back(Run{m_jobRows, key, 1, jobRows});
    m_jobRows += jobRows;
}

std::optional<std::uint64_t> JobSources::keyOf(qint64 jobRow) const
{
    if (jobRow < 0 || jobRow >= m_jobRows)
        return std::nullopt;
    const auto it = std::upper_bound(m_runs.begin(), m_runs.end(), jobRow,
                                     [](qint64 row, const Run &run) { return row < run.firstJobRow; });
    const Run &run = *(it - 1);
    return run.firstKey + std::uint64_t((jobRow - run.firstJobRow) / run.perKey);
}

} // namespace kbatch::core

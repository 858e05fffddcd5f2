#pragma once

#include "core/format/TemplateReader.h"
#include "core/generate/Generator.h"
#include "core/kafka/RowFeed.h"

#include <memory>
#include <thread>

namespace kbatch::cli {

// The rows of a template after its first piece, read on a thread of their own while the producer sends: each piece
// is checked, its generator rows expanded, and handed over through `feed`. A mistake ends the feed with the error;
// rows after it are never read. With `keepRows`, every row handed over is kept too (for --verify).
class RowReader
{
public:
    static constexpr qsizetype PieceRows = 16384;

    RowReader(core::TemplateStream stream, std::unique_ptr<core::GeneratorExpander> expander,
              std::shared_ptr<core::RowFeed> feed, QString path, bool keepRows);
    ~RowReader(); // closes the feed (a waiting reader stops) and joins the thread
    RowReader(const RowReader &) = delete;
    RowReader &operator=(const RowReader &) = delete;

    void start();
    void wait();
    // Every row handed over, after wait(); empty without keepRows.
    const core::Batch &keptRows() const { return m_kept; }

private:
    void run();
    bool handOver(); // the expander's pending messages; false when the feed was closed

    core::TemplateStream m_stream;
    std::unique_ptr<core::GeneratorExpander> m_expander;
    std::shared_ptr<core::RowFeed> m_feed;
    QString m_path;
    bool m_keepRows;
    core::Batch m_kept;
    std::thread m_thread;
};

} // namespace kbatch::cli

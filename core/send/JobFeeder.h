#pragma once

#include "core/format/TemplateReader.h"
#include "core/generate/Generator.h"
#include "core/kafka/RowFeed.h"

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

namespace kbatch::core {

// Hands the rows of a running publish job to the producer through a RowFeed, on a thread of its own, piece by piece:
// first the messages its expander holds (generator rows expanded as they go), then, when it reads a template, the
// rows after the template's first piece, each piece checked and expanded before it is handed over. So neither a
// large template nor a large expansion is ever in memory whole: the feed holds a few pieces, and the producer
// releases each piece once its rows have their outcomes.
//
// A mistake in the template ends the feed with the error (rows after it are never read). With `keepRows`, every row
// handed over is kept too (kbatch-cli --verify compares them with what it reads back).
//
// Made and started on one thread, which also destroys it; the feed is its only link to the producer.
class JobFeeder
{
public:
    static constexpr qsizetype PieceRows = 16384;

    // Rows already in memory: only their expansion is streamed.
    JobFeeder(std::unique_ptr<GeneratorExpander> expander, std::shared_ptr<RowFeed> feed, bool keepRows = false);
    // A template read on while its rows are sent; `expander` holds the rows of its first piece.
    JobFeeder(TemplateStream stream, QString path, std::unique_ptr<GeneratorExpander> expander,
              std::shared_ptr<RowFeed> feed, bool keepRows = false);
    ~JobFeeder(); // closes the feed (a waiting push stops) and joins the thread
    JobFeeder(const JobFeeder &) = delete;
    JobFeeder &operator=(const JobFeeder &) = delete;

    const std::shared_ptr<RowFeed> &feed() const { return m_feed; }
    void start();
    void wait();
    // Every row handed over, after wait(); empty without keepRows.
    const Batch &keptRows() const { return m_kept; }
    // Rows handed over so far and their key and value bytes; any thread may ask (for a live throughput figure).
    qint64 rowsHandedOver() const { return m_rowsOut.load(std::memory_order_relaxed); }
    qint64 bytesHandedOver() const { return m_bytesOut.load(std::memory_order_relaxed); }

private:
    void run();
    bool handOver(); // the expander's pending messages; false when the feed was closed

    std::optional<TemplateStream> m_stream;
    QString m_path;
    std::unique_ptr<GeneratorExpander> m_expander;
    std::shared_ptr<RowFeed> m_feed;
    bool m_keepRows;
    Batch m_kept;
    std::atomic<qint64> m_rowsOut{0};
    std::atomic<qint64> m_bytesOut{0};
    std::thread m_thread;
};

} // namespace kbatch::core

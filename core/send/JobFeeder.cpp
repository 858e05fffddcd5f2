#include "JobFeeder.h"

namespace kbatch::core {

JobFeeder::JobFeeder(std::unique_ptr<GeneratorExpander> expander, std::shared_ptr<RowFeed> feed, bool keepRows)
    : m_expander(std::move(expander)), m_feed(std::move(feed)), m_keepRows(keepRows)
{}

JobFeeder::JobFeeder(TemplateStream stream, QString path, std::unique_ptr<GeneratorExpander> expander,
                     std::shared_ptr<RowFeed> feed, bool keepRows)
    : m_stream(std::move(stream)), m_path(std::move(path)), m_expander(std::move(expander)), m_feed(std::move(feed)),
      m_keepRows(keepRows)
{}

JobFeeder::~JobFeeder()
{
    m_feed->close();
    wait();
}

void JobFeeder::start()
{
    m_thread = std::thread([this] { run(); });
}

void JobFeeder::wait()
{
    if (m_thread.joinable())
        m_thread.join();
}

bool JobFeeder::handOver()
{
    for (;;) {
        Batch piece = m_expander->take(PieceRows);
        if (piece.isEmpty())
            return true;
        if (m_keepRows)
            m_kept.append(piece);
        const qint64 rows = piece.size(), bytes = piece.payloadBytes();
        if (!m_feed->push(std::move(piece)))
            return false;
        m_bytesOut.fetch_add(bytes, std::memory_order_relaxed);
        m_rowsOut.fetch_add(rows, std::memory_order_relaxed);
    }
}

void JobFeeder::run()
{
    if (!handOver()) // the rows in memory, or the ones the template's first piece expanded to
        return;
    if (!m_stream) {
        m_feed->finish();
        return;
    }
    for (;;) {
        Batch rows;
        const auto more = m_stream->readRows(rows, PieceRows);
        if (!more) {
            m_feed->fail(more.error());
            return;
        }
        if (auto added = m_expander->add(std::move(rows)); !added) {
            Error error = added.error();
            error.file = m_path;
            m_feed->fail(error);
            return;
        }
        if (!handOver())
            return;
        if (!*more) {
            m_feed->finish();
            return;
        }
    }
}

} // namespace kbatch::core

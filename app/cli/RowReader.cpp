#include "RowReader.h"

namespace kbatch::cli {

RowReader::RowReader(core::TemplateStream stream, std::unique_ptr<core::GeneratorExpander> expander,
                     std::shared_ptr<core::RowFeed> feed, QString path, bool keepRows)
    : m_stream(std::move(stream)), m_expander(std::move(expander)), m_feed(std::move(feed)), m_path(std::move(path)),
      m_keepRows(keepRows)
{}

RowReader::~RowReader()
{
    m_feed->close();
    wait();
}

void RowReader::start()
{
    m_thread = std::thread([this] { run(); });
}

void RowReader::wait()
{
    if (m_thread.joinable())
        m_thread.join();
}

bool RowReader::handOver()
{
    for (;;) {
        core::Batch piece = m_expander->take(PieceRows);
        if (piece.isEmpty())
            return true;
        if (m_keepRows)
            m_kept.append(piece);
        if (!m_feed->push(std::move(piece)))
            return false;
    }
}

void RowReader::run()
{
    if (!handOver()) // the rows the first piece expanded to
        return;
    for (;;) {
        core::Batch rows;
        const auto more = m_stream.readRows(rows, PieceRows);
        if (!more) {
            m_feed->fail(more.error());
            return;
        }
        if (auto added = m_expander->add(std::move(rows)); !added) {
            core::Error error = added.error();
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

} // namespace kbatch::cli

#include "JobPreparation.h"

#include <algorithm>
#include <limits>

namespace kbatch::core {

void PreparedRows::moveInto(PublishJob &job)
{
    job.rows = std::move(rows);
    rows = Batch();
    job.feed = feeder ? feeder->feed() : nullptr;
}

namespace {
// Expansion of up to a piece's worth of messages is done at once; beyond that it streams.
Status expandOrStream(PreparedRows &out, Batch rows, std::uint64_t seed, const Clock &clock, const SchemaFill &fill)
{
    auto expander = std::make_unique<GeneratorExpander>(seed, clock);
    expander->setSchemaFill(fill);
    if (auto added = expander->add(std::move(rows)); !added)
        return added.error();
    out.messages = expander->pendingMessages();
    if (out.messages <= JobFeeder::PieceRows)
        out.rows = expander->take(MaxExpandedMessages);
    else
        out.feeder = std::make_unique<JobFeeder>(std::move(expander), std::make_shared<RowFeed>());
    return Ok{};
}
} // namespace

Result<PreparedRows> prepareBatchRows(const Batch &batch, SendScope scope, QList<qsizetype> rows,
                                      const std::function<std::uint64_t(qsizetype)> &keyOf, std::uint64_t seed,
                                      const Clock &clock, const SchemaFill &fill)
{
    if (scope != SendScope::All) {
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        rows.erase(
            std::remove_if(rows.begin(), rows.end(), [&batch](qsizetype r) { return r < 0 || r >= batch.size(); }),
            rows.end());
    }
    if (batch.isEmpty())
        return Error(QStringLiteral("the batch has no rows"));
    if (scope != SendScope::All && rows.isEmpty())
        return Error(scope == SendScope::Failed ? QStringLiteral("no failed rows to resend")
                                                : QStringLiteral("no rows selected"));

    PreparedRows out;
    Batch taken;
    const bool generators = batch.hasGenerator();
    auto note = [&](qsizetype r) {
        qint64 messages = 1;
        if (generators)
            if (const auto spec = batch.generate(r))
                messages = std::max<qint64>(spec->count, 1);
        out.sources.append(keyOf ? keyOf(r) : std::uint64_t(r), messages);
    };
    if (scope == SendScope::All) {
        taken = batch; // shares the rows and their bytes; the editor may go on afterwards
        for (qsizetype r = 0; r < batch.size(); ++r)
            note(r);
    } else {
        out.batchRows = rows;
        taken.reserve(rows.size());
        for (qsizetype r : std::as_const(rows)) {
            taken.append(batch.at(r));
            note(r);
        }
    }
    if (!taken.hasGenerator()) {
        out.messages = taken.size();
        out.rows = std::move(taken);
        return out;
    }
    if (auto s = expandOrStream(out, std::move(taken), seed, clock, fill); !s)
        return s.error();
    return out;
}

Result<PreparedRows> prepareTemplateRows(TemplateStream stream, Batch first, const QString &path, std::uint64_t seed,
                                         bool checkFirst, bool keepRows, bool inMemory, const TakeAll &takeAll,
                                         const SchemaFill &fill)
{
    // With takeAll the rest is read piece by piece as takeAll asks, before this returns.
    checkFirst = checkFirst || (inMemory && !takeAll);
    // The first piece is read and checked before anything is sent, so a template of up to a piece is checked
    // whole; with checkFirst, any template is.
    auto more = stream.readRows(first, JobFeeder::PieceRows);
    if (more && *more && checkFirst)
        more = stream.readRows(first, std::numeric_limits<qsizetype>::max());
    if (!more)
        return more.error();
    auto expander = std::make_unique<GeneratorExpander>(seed);
    expander->setSchemaFill(fill);
    if (auto added = expander->add(std::move(first)); !added)
        return Error(QStringLiteral("%1: %2").arg(path, added.error().message()));
    if (expander->isEmpty() && !*more)
        return Error(QStringLiteral("%1: the template has no messages").arg(path));
    PreparedRows out;
    if (inMemory && expander->pendingMessages() > MaxExpandedMessages)
        return Error(QStringLiteral("%1: more than %2 messages to hold in memory").arg(path).arg(MaxExpandedMessages));
    if (!inMemory && (*more || expander->pendingMessages() > JobFeeder::PieceRows)) { // large, or a large expansion
        out.messages = *more ? -1 : expander->pendingMessages();
        out.feeder = std::make_unique<JobFeeder>(std::move(stream), path, std::move(expander),
                                                 std::make_shared<RowFeed>(), keepRows);
    } else if (takeAll) {
        MoreRows readMore;
        if (*more)
            readMore = [&](GeneratorExpander &into) -> Result<bool> {
                Batch rows;
                auto next = stream.readRows(rows, JobFeeder::PieceRows);
                if (next) {
                    if (auto added = into.add(std::move(rows)); !added)
                        next = Error(QStringLiteral("%1: %2").arg(path, added.error().message()));
                    else if (into.messagesOut() + into.pendingMessages() > MaxExpandedMessages)
                        next = Error(QStringLiteral("%1: more than %2 messages to hold in memory")
                                         .arg(path)
                                         .arg(MaxExpandedMessages));
                }
                return next;
            };
        auto taken = takeAll(*expander, readMore);
        if (!taken)
            return taken.error();
        if (taken->isEmpty())
            return Error(QStringLiteral("%1: the template has no messages").arg(path));
        out.rows = std::move(taken.value());
        out.messages = out.rows.size();
    } else {
        out.rows = expander->take(MaxExpandedMessages);
        out.messages = out.rows.size();
    }
    return out;
}

} // namespace kbatch::core

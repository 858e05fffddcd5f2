#pragma once

#include "JobFeeder.h"
#include "JobSources.h"

#include "core/kafka/PublishJob.h"

#include <functional>

namespace kbatch::core {

// Which rows of a batch a send takes.
enum class SendScope {
    All,      // every row
    Selected, // the rows given
    Failed,   // the rows given, which the caller found not written ("Resend failed")
};

// The rows of a publish job, ready for the Producer: in memory (`rows`), or streamed by `feeder` through its feed
// when generator rows expand to more than a piece or a template is still being read.
struct PreparedRows
{
    Batch rows;
    std::unique_ptr<JobFeeder> feeder; // null when `rows` is all there is
    JobSources sources;                // job row -> the source row's key (batches only; empty for a template)
    QList<qsizetype> batchRows;        // the batch rows taken, ascending; empty when the scope took all
    qint64 messages = -1;              // the job's rows in all; -1 while a template is still being read

    // Hands the rows to `job` (its rows and its feed). Start the feeder when the producer has the job.
    void moveInto(PublishJob &job);
};

// The rows of `batch` that `scope` takes (`rows`, any order, for Selected and Failed; ignored for All), with generator
// rows checked and set up to expand as they are sent (reproducibly from `seed`), and every job row mapped to the
// key `keyOf` gives its batch row (the row's index without one). Cheap on the calling thread: rows are shared, not
// copied, for All; expansion happens later, on the feeder's thread.
//
// Errors: "the batch has no rows", "no rows selected", "no failed rows to resend", or a generator row's mistake as
// expandGenerators() words it (its row number counts the rows the scope takes).
// `fill`: random values of the key's and value's schema for generator rows that fill a part (see SchemaFill).
Result<PreparedRows> prepareBatchRows(const Batch &batch, SendScope scope, QList<qsizetype> rows,
                                      const std::function<std::uint64_t(qsizetype)> &keyOf, std::uint64_t seed,
                                      const Clock &clock = systemClock(), const SchemaFill &fill = {});

// The rows of a template being read by `stream`: `first` holds the rows its head brought; up to one piece more is
// read and checked now (the whole file with `checkFirst`), the rest on the feeder's thread while the job runs.
// Errors name `path`: a read or check error, a generator row's mistake, or "the template has no messages".
// `inMemory`: the whole file read and checked and every generator row expanded now, all in `rows` and no feeder, for a
// send that must see every row before its first message (one through a Schema Registry encodes them all first);
// more than MaxExpandedMessages is then an error. `takeAll`, when given, takes the expanded rows instead of
// GeneratorExpander::take() (to encode them while they are expanded and read): the expander holds the first piece's
// rows, and `more` adds the next piece's each time it is called (serializeRows() calls it as the expander runs dry),
// so only the encoded rows are ever in memory whole. takeAll's error is returned as it is; a read error (it names
// `path`) should pass through it unchanged.
using TakeAll = std::function<Result<Batch>(GeneratorExpander &expander, const MoreRows &more)>;
Result<PreparedRows> prepareTemplateRows(TemplateStream stream, Batch first, const QString &path, std::uint64_t seed,
                                         bool checkFirst, bool keepRows, bool inMemory = false,
                                         const TakeAll &takeAll = {}, const SchemaFill &fill = {});

} // namespace kbatch::core

#include "RowSerializer.h"

#include "AvroTemplatePlan.h"

#include <QThread>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace kbatch::core {

namespace {

// Below this many rows one thread does it all: starting threads costs more than it saves.
constexpr qsizetype ParallelFrom = 20000;
// Pieces read or expanded, not yet being encoded, beyond which the reading thread encodes one itself.
constexpr std::size_t MaxPiecesWaiting = 4;

// The error of a row that does not fit, and the same facts apart, for RowSerializeFailure.
struct RowError
{
    Error error;
    RowSerializeFailure where;
};

RowError rowError(qsizetype row, const char *part, const QString &text)
{
    return {Error(QStringLiteral("message %1: %2: %3").arg(row).arg(QLatin1String(part), text)),
            RowSerializeFailure{row, QLatin1String(part), text}};
}

// One part of one row: `bytes` encoded into `out` (cleared first, its capacity kept), or the row's error.
bool encodePart(QByteArrayView bytes, Encoding encoding, const ResolvedCodec &codec, qsizetype row, const char *part,
                QByteArray &out, RowError &error)
{
    if (encoding == Encoding::Base64) {
        error = rowError(row, part,
                         QStringLiteral("%1 payloads are written as JSON, not as base64 bytes")
                             .arg(displayName(codec.codec->format())));
        return false;
    }
    out.resize(0);
    const Status encoded =
        codec.framed ? codec.codec->encodeFramed(codec.schema.id, bytes, out) : codec.codec->encode(bytes, out);
    if (!encoded) {
        // The row's JSON is kept compact, so a line and column in it would not point into what the user wrote:
        // the JSON path says where.
        Error e = encoded.error();
        e.line = e.column = 0;
        error = rowError(row, part, e.message());
        return false;
    }
    return true;
}

// Rows [from, to) of `rows` into `out`; false with `error` at the first row that does not fit. Errors count rows
// from `rowBase` (the index in the whole send of `rows`' first row).
// `planned` (when not null, one entry per row of `rows`) names parts the expander wrote already encoded.
bool serializeRange(const Batch &rows, qsizetype from, qsizetype to, const SendCodecs &codecs, Batch &out,
                    RowError &error, qsizetype rowBase = 0, const PlannedParts *planned = nullptr)
{
    QByteArray keyBytes, valueBytes;
    for (qsizetype row = from; row < to; ++row) {
        if (rows.generate(row)) {
            error = rowError(rowBase + row, "generate",
                             QStringLiteral("a generator row must be expanded before it is serialized"));
            return false;
        }
        const Batch::SendView view = rows.sendView(row);
        const std::uint8_t done = planned ? (*planned)[std::size_t(row)] : 0;
        std::optional<QByteArrayView> key, value;
        Encoding keyEncoding = rows.keyEncoding(row), valueEncoding = rows.valueEncoding(row);
        if (!view.keyIsNull) {
            key = view.key;
            if (codecs.key && !(done & PlannedKey)) { // a null key stays null, as Confluent's serializers write it
                if (!encodePart(view.key, keyEncoding, *codecs.key, rowBase + row, "key", keyBytes, error))
                    return false;
                key = keyBytes;
                keyEncoding = Encoding::Base64;
            }
        }
        if (!view.valueIsNull) {
            value = view.value;
            if (codecs.value && !(done & PlannedValue)) { // a tombstone stays one
                if (!encodePart(view.value, valueEncoding, *codecs.value, rowBase + row, "value", valueBytes, error))
                    return false;
                value = valueBytes;
                valueEncoding = Encoding::Base64;
            }
        }
        out.appendReplacing(rows, row, key, keyEncoding, value, valueEncoding);
    }
    return true;
}

} // namespace

Result<Batch> serializeRows(const Batch &rows, const SendCodecs &codecs)
{
    return serializeRows(rows, codecs, nullptr);
}

Result<Batch> serializeRows(const Batch &rows, const SendCodecs &codecs, RowSerializeFailure *failure)
{
    if (!codecs.any())
        return rows;
    const qsizetype n = rows.size();
    // Codecs may encode on any number of threads at once: the rows are cut into one range per core, each encoded
    // into a batch of its own, and the batches joined (which shares their bytes rather than copying them).
    const qsizetype threads =
        n < ParallelFrom ? 1 : std::clamp<qsizetype>(QThread::idealThreadCount(), 1, std::min<qsizetype>(8, n / 5000));
    const auto count = static_cast<std::size_t>(threads);
    std::vector<Batch> parts(count);
    std::vector<RowError> errors(count);
    std::vector<char> failed(count, 0);
    const auto work = [&](qsizetype t) {
        const qsizetype from = n * t / threads, to = n * (t + 1) / threads;
        parts[std::size_t(t)].reserve(to - from, (rows.payloadBytes() / std::max<qsizetype>(n, 1)) * (to - from));
        failed[std::size_t(t)] = !serializeRange(rows, from, to, codecs, parts[std::size_t(t)], errors[std::size_t(t)]);
    };
    std::vector<std::thread> pool;
    for (qsizetype t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread &th : pool)
        th.join();
    Batch out;
    for (qsizetype t = 0; t < threads; ++t) {
        if (failed[std::size_t(t)]) { // the first range with a mistake holds the first row that does not fit
            if (failure)
                *failure = errors[std::size_t(t)].where;
            return errors[std::size_t(t)].error;
        }
        out.append(parts[std::size_t(t)]);
    }
    return out;
}

Result<Batch> serializeRows(GeneratorExpander &expander, const SendCodecs &codecs, qsizetype pieceRows,
                            RowSerializeFailure *failure, const MoreRows &moreRows)
{
    if (!codecs.any()) {
        Batch all = expander.take(expander.pendingMessages());
        for (bool more = bool(moreRows); more;) {
            auto read = moreRows(expander);
            if (!read)
                return read.error();
            more = *read;
            all.append(expander.take(expander.pendingMessages()));
        }
        return all;
    }
    pieceRows = std::max<qsizetype>(pieceRows, 1);
    // A pipeline: this thread expands piece after piece (the expansion is one random stream, so it stays in order
    // on one thread) while the other cores encode the pieces already expanded; once the expansion is done, this
    // thread encodes too. Each piece is encoded into a batch of its own, and the batches are joined in order.
    struct Piece
    {
        std::optional<ExpansionTask> task; // set: `rows` are still to be expanded, by whoever encodes the piece
        Batch rows;
        PlannedParts planned; // which parts the expander wrote encoded already
        qsizetype base = 0;   // the index in the send of its first row
        Batch encoded;
        RowError error;
        bool failed = false;
    };
    std::deque<Piece> pieces; // stable addresses while it grows at the back
    std::mutex lock;
    std::condition_variable ready;
    std::size_t next = 0; // the first piece no one encodes yet
    bool expanded = false;
    std::atomic<bool> stop{false}; // a piece failed: later pieces need not be encoded

    // Generator rows whose part a codec writes from the template straight into its bytes (AvroTemplatePlan) skip
    // the JSON text and its parsing; the others are expanded as JSON and encoded below.
    expander.setPlanners(codecs.key ? avroTemplatePlanner(*codecs.key) : PartPlanner(),
                         codecs.value ? avroTemplatePlanner(*codecs.value) : PartPlanner());
    const std::uint8_t needed = std::uint8_t((codecs.key ? PlannedKey : 0) | (codecs.value ? PlannedValue : 0));
    const auto alreadyEncoded = [&](const Piece &piece) {
        for (qsizetype row = 0; row < piece.rows.size(); ++row) {
            const std::uint8_t done = piece.planned[std::size_t(row)];
            if ((done & needed) == needed)
                continue;
            if (piece.rows.generate(row))
                return false;
            const Batch::SendView view = piece.rows.sendView(row);
            if (((needed & PlannedKey) && !(done & PlannedKey) && !view.keyIsNull) ||
                ((needed & PlannedValue) && !(done & PlannedValue) && !view.valueIsNull))
                return false;
        }
        return true;
    };

    // Encodes the pieces no one encodes yet, up to `maxPieces` of them (all with -1).
    const auto encodeAvailable = [&](bool waitForMore, int maxPieces) {
        for (int taken = 0; maxPieces < 0 || taken < maxPieces; ++taken) {
            Piece *piece = nullptr;
            {
                std::unique_lock<std::mutex> guard(lock);
                if (waitForMore)
                    ready.wait(guard, [&] { return next < pieces.size() || expanded; });
                if (next >= pieces.size() || stop.load(std::memory_order_relaxed))
                    return;
                piece = &pieces[next++];
            }
            if (piece->task) {
                piece->rows = piece->task->run(&piece->planned);
                piece->task.reset();
            }
            if (alreadyEncoded(*piece)) { // nothing to encode: the rows are sent as they are, not copied
                piece->encoded = std::move(piece->rows);
                piece->rows = Batch();
                continue;
            }
            piece->encoded.reserve(piece->rows.size(), piece->rows.payloadBytes());
            if (!serializeRange(piece->rows, 0, piece->rows.size(), codecs, piece->encoded, piece->error, piece->base,
                                &piece->planned)) {
                piece->failed = true;
                stop.store(true, std::memory_order_relaxed);
            }
            piece->rows = Batch(); // its JSON is no longer needed
        }
    };
    const qsizetype helpers = std::clamp<qsizetype>(QThread::idealThreadCount() - 1, 0, 7);
    const bool parallel = helpers > 0 && (expander.pendingMessages() >= ParallelFrom || moreRows);
    std::vector<std::thread> pool;
    if (parallel)
        for (qsizetype t = 0; t < helpers; ++t)
            pool.emplace_back(encodeAvailable, true, -1);
    qsizetype base = 0;
    bool moreToRead = bool(moreRows);
    std::optional<Error> readError;
    while (!stop.load(std::memory_order_relaxed)) {
        // A large generator row is handed out as tasks: the other cores expand it too (this thread only moves the
        // random stream past each piece), rather than waiting for this thread's expansion.
        std::optional<ExpansionTask> task = parallel ? expander.takeTask(pieceRows) : std::nullopt;
        PlannedParts planned;
        Batch rows;
        if (!task) {
            rows = expander.take(pieceRows, &planned);
            if (rows.isEmpty()) {
                if (!moreToRead)
                    break;
                auto read = moreRows(expander); // on this thread, while the others encode what came before
                if (!read) {
                    readError = read.error();
                    break;
                }
                moreToRead = *read;
                continue;
            }
        }
        const qsizetype size = task ? task->size() : rows.size();
        {
            std::lock_guard<std::mutex> guard(lock);
            pieces.push_back(Piece{std::move(task), std::move(rows), std::move(planned), base, {}, {}, false});
        }
        base += size;
        ready.notify_one();
        if (!parallel) {
            encodeAvailable(false, -1);
        } else {
            // Reading or expanding ahead of the encoders: this thread encodes a piece too, so that the pieces
            // waiting (their JSON) stay few and every core keeps working.
            std::size_t waiting = 0;
            {
                std::lock_guard<std::mutex> guard(lock);
                waiting = pieces.size() - next;
            }
            if (waiting > MaxPiecesWaiting)
                encodeAvailable(false, 1);
        }
    }
    {
        std::lock_guard<std::mutex> guard(lock);
        expanded = true;
    }
    ready.notify_all();
    encodeAvailable(false, -1);
    for (std::thread &th : pool)
        th.join();
    Batch out;
    for (const Piece &piece : pieces) {
        if (piece.failed) { // pieces are in order: the first one that failed holds the first row that does not fit
            if (failure)
                *failure = piece.error.where;
            return piece.error.error;
        }
        out.append(piece.encoded);
    }
    if (readError) // every row read before it fits
        return *readError;
    return out;
}

} // namespace kbatch::core

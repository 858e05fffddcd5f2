#pragma once

#include "SchemaResolver.h"
#include "core/generate/Generator.h"
#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <optional>

namespace kbatch::core {

// The codecs of one send: the key's and the value's, each resolved once (SchemaResolver); an empty one means that
// part goes out as the bytes written.
struct SendCodecs
{
    std::optional<ResolvedCodec> key;
    std::optional<ResolvedCodec> value;

    bool any() const { return key || value; }
};

// Turns every row's key and value that has a codec from the JSON a user wrote into the Confluent frame (magic byte,
// schema id, datum), or into the bare payload for a codec that is not framed (ResolvedCodec::framed), as
// Encoding::Base64 payloads; everything else about a row (headers, partition, timestamp) is
// kept. A null key or value stays null (Confluent's serializers write null as null, a tombstone stays one).
//
// All or nothing: the first row that does not fit is the error, one line naming the row (its index in `rows`, as
// --report counts), the part and the codec's JSON path and reason:
//   "message 3: value: $.items[2].qty: expected int, got a string".
// A base64 payload for a serialized part is refused (it would bypass the schema), as is a generator row (expand
// first). `rows` must not be modified meanwhile; any thread.
Result<Batch> serializeRows(const Batch &rows, const SendCodecs &codecs);

// Where serializeRows() stopped: the row (its index in `rows`), the part ("key", "value", or "generate" for a generator
// row) and what is wrong with it, with the JSON path ("$.items[2].qty: expected int, got a string"), without the
// "message N: part:" that serializeRows()' error starts with. For the window, which names the row its own way and
// selects it.
struct RowSerializeFailure
{
    qsizetype row = -1;
    QString part;
    QString reason;
};

// As serializeRows(), the same rows and errors; when a row does not fit, `failure` (when not null) says which and why.
Result<Batch> serializeRows(const Batch &rows, const SendCodecs &codecs, RowSerializeFailure *failure);

// The same for every message `expander` still holds (taken from it in pieces of `pieceRows`): expanding and encoding
// overlap, the expansion on the calling thread and the encoding on the other cores, so a large generated batch is
// ready sooner than with take() and then serializeRows(). The result and the error are those of serializeRows() on
// all the messages at once ("message N" counts from the first message taken). Generator rows whose part an Avro codec
// can write straight from the template (AvroTemplatePlan) are not expanded to JSON at all, and a piece of such rows
// is passed on without a copy. Sets the expander's planners. After an error the expander's state is unspecified,
// and `failure` (when not null) says which message (counted as in the error) and why.
// `moreRows`, when given, is called on this thread whenever the expander runs dry, until it returns false: rows read
// as the others are encoded (a template), so reading overlaps encoding too. Its error is returned as it is, unless a
// row before it does not fit (then that row's error: the first mistake in the rows' order wins).
Result<Batch> serializeRows(GeneratorExpander &expander, const SendCodecs &codecs, qsizetype pieceRows = 16384,
                            RowSerializeFailure *failure = nullptr, const MoreRows &moreRows = {});

} // namespace kbatch::core

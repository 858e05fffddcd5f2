#pragma once

#include "Clock.h"
#include "PlaceholderTemplate.h"

#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace kbatch::core {

class Random;

// Expansion of generator rows (rows whose Message::generate is set) into ordinary rows, at send time.
//
// All functions are pure and may be called from any thread (a worker thread for large batches, so the UI stays
// responsive).

// Random values of the key's and the value's schema, for generator rows whose "fill" names the part
// (GenerateSpec::fillKey, fillValue): each call draws from the random stream it is given and returns one JSON value
// that the part's codec takes (core/schema's schemaFill() makes them from a send's codecs). Empty: that part is not
// typed, and a row that fills it is an error. The functions are called on the expanding thread.
struct SchemaFill
{
    std::function<QByteArray(Random &)> key;
    std::function<QByteArray(Random &)> value;
};

// A generator row's key or value written straight into the bytes that are sent, from its template, by a codec that
// can (core/schema's AvroTemplatePlan): the JSON text the codec would only parse again is never written. write()
// must append exactly what the codec makes of the template's JSON expansion for the same message, and draw from
// ctx.random() as that expansion would (the same placeholders, in the same order). It may not fail: a planner makes
// no writer for a template some expansion of which the codec could refuse. Immutable; any thread.
class PartWriter
{
public:
    virtual ~PartWriter() = default;
    virtual void write(QByteArray &out, const GenerateContext &ctx) const = 0;
};

// Makes the writer for a part's compact JSON text (with its placeholders), or null: the part is then expanded as JSON
// as usual. Called on the expanding thread, once per generator row.
using PartPlanner = std::function<std::shared_ptr<const PartWriter>(QByteArrayView json)>;

// Which parts of the messages one GeneratorExpander::take() handed out a PartWriter wrote: per message, bit 0 the
// key, bit 1 the value. Such a part is already its sent bytes (Encoding::Base64).
using PlannedParts = std::vector<std::uint8_t>;
constexpr std::uint8_t PlannedKey = 1;
constexpr std::uint8_t PlannedValue = 2;

// The most messages one expansion may produce, so a typo such as "count": 1000000000 fails fast instead of
// exhausting memory.
constexpr qsizetype MaxExpandedMessages = 50'000'000;

// Returns `batch` with every generator row replaced, in place, by `count` ordinary rows (generate cleared; partition,
// timestamp, header names and encodings kept). Other rows are copied unchanged.
//
// Randomness ({{uuid}}, {{random.*}}, {{pick}}): a row with its own seed draws from a stream seeded with it alone, so
// its output does not depend on the rows around it; rows without one share one stream seeded with `defaultSeed`, in
// row order (so two such rows never repeat each other's values). Within a message the draws happen in the order key,
// value, header values, and left to right within each. {{now}} reads `clock` once per generated message.
// Same batch + same seeds + a fixed clock -> the same bytes, on every platform.
//
// A part that the row fills from its schema (`fill`): a random value of the schema is drawn first, then the part's
// own JSON (placeholders expanded; null or absent for none) is laid over it (mergeJsonOver): fields the row writes
// keep the row's value, the others are random. The part comes out as Encoding::Json.
//
// Errors (nothing is expanded then), in the user's terms with a 1-based row number:
//   "row 4, value, column 12: unknown placeholder {{uuidd}} (known: ...)"  (Error::column is set too)
//   "row 2, headers[1].value, column 3: unterminated {{: close the placeholder with }}"
//   "row 1: generate count must be at least 1 (it is 0)"
//   "the expanded batch would have N messages; at most 50000000 are allowed"
//   "row 3: generate fills the value from its schema, but the value is not sent through a Schema Registry"
//   "row 3: generate fills the value from its schema: write the value as JSON (the fields to fix) or leave it null"
Result<Batch> expandGenerators(const Batch &batch, std::uint64_t defaultSeed, const Clock &clock = systemClock(),
                               const SchemaFill &fill = {});

// Messages of one generator row that GeneratorExpander::takeTask() handed out, to be expanded later on any thread:
// run() makes what take() would have made for them. Copies share one immutable state.
class ExpansionTask
{
public:
    qsizetype size() const;
    // The messages, as take(size(), planned) would have returned them. Any thread, any number of times.
    Batch run(PlannedParts *planned) const;

private:
    friend class GeneratorExpander;
    struct Data;
    std::shared_ptr<const Data> m_data;
};

// expandGenerators() in pieces, for a batch that arrives and leaves in pieces (a send that starts while its
// template is still being read). The output is the same as expandGenerators() of all the rows added, in order:
// one shared random stream across pieces, {{index}} counting every message handed out, row numbers in errors
// counting every row added.
class GeneratorExpander
{
public:
    explicit GeneratorExpander(std::uint64_t defaultSeed, const Clock &clock = systemClock());
    // For rows that fill a part from its schema; before the first add().
    void setSchemaFill(SchemaFill fill) { m_fill = std::move(fill); }
    // For a send whose parts are encoded after expansion: generator rows whose key or value (JSON, not filled from
    // the schema) a planner takes come out of take() already encoded, as its `planned` says. Before the first
    // take(); an empty planner plans nothing.
    void setPlanners(PartPlanner key, PartPlanner value)
    {
        m_keyPlanner = std::move(key);
        m_valuePlanner = std::move(value);
    }
    ~GeneratorExpander();
    GeneratorExpander(const GeneratorExpander &) = delete;
    GeneratorExpander &operator=(const GeneratorExpander &) = delete;

    // Queues the next rows. Every generator row among them is checked first: on an error nothing of `rows` is
    // queued (the error text is as expandGenerators()'s, with the row's number in the whole batch).
    Status add(Batch rows);
    // Up to `maxMessages` of the queued messages, in order; empty when none are left. Rows without a generator
    // come out as they went in, their bytes shared rather than copied.
    Batch take(qsizetype maxMessages);
    // Up to `maxMessages` of the next messages as a task for another thread, the expander moved past them now (only
    // their random draws are made here, cheaply): for expanding one large generator row on several cores. None when
    // the next message is not of a generator row that allows it (one that reads the clock, fills from a schema) or
    // none is left: take() them instead. Asks the planners as take(max, planned) does.
    std::optional<ExpansionTask> takeTask(qsizetype maxMessages);
    // The same; with planners set, `planned` (cleared first) says per message which parts are already encoded. Only
    // this form asks the planners; a row planned once stays planned, so after the first call keep passing `planned`.
    Batch take(qsizetype maxMessages, PlannedParts *planned);
    bool isEmpty() const;
    qint64 pendingMessages() const { return m_total - m_out; } // queued, not yet taken
    qsizetype messagesOut() const { return m_out; }

private:
    struct Piece;
    void planRow(Piece &p); // asks the planners about the piece's next row, once
    const Clock &m_clock;
    SchemaFill m_fill;
    PartPlanner m_keyPlanner;
    PartPlanner m_valuePlanner;
    std::unique_ptr<Random> m_shared;
    std::vector<std::unique_ptr<Piece>> m_queue; // front first
    qsizetype m_rowsAdded = 0;
    qint64 m_total = 0; // messages the rows added so far make
    qsizetype m_out = 0;
};

// Adds the next rows of a batch that arrives in pieces (a template read while its rows are encoded) to `expander`:
// true while rows may follow, false after the last (rows may come with it); an error ends the batch.
using MoreRows = std::function<Result<bool>(GeneratorExpander &expander)>;

// The first min(n, count) messages that generator `row` produces, for a live preview in the editor; {{index}} counts
// from 0. Uses the row's own seed when it has one, else `seed` (which then matches expandGenerators for the first
// seedless generator row of a batch). Errors as above with "row 1"; an error too when `row` is not a generator row.
Result<Batch> previewGenerator(const Message &row, qsizetype n, std::uint64_t seed, const Clock &clock = systemClock(),
                               const SchemaFill &fill = {});

// A seed from the operating system's entropy source, for a send without a fixed seed.
std::uint64_t freshSeed();

} // namespace kbatch::core

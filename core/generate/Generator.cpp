#include "Generator.h"

#include <QLocale>

#include "GenerateLog.h"
#include "JsonMerge.h"
#include "Random.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <optional>

namespace kbatch::core {

namespace {

struct CompiledPayload
{
    bool isNull = true;
    Encoding encoding = Encoding::Text;
    PlaceholderTemplate tpl;
    std::function<QByteArray(Random &)> fill; // set: a random value of the schema under the row's JSON
    std::shared_ptr<const PartWriter> writer; // set: written straight into its sent bytes (a planner's)
};

struct CompiledHeader
{
    QByteArray name;
    CompiledPayload value;
};

struct CompiledRow
{
    CompiledPayload key;
    CompiledPayload value;
    QList<CompiledHeader> headers;
    Headers fixedHeaders; // used as is when no header value has a placeholder
    bool headersVary = false;
    bool usesClock = false;
    std::optional<std::int32_t> partition;
    std::optional<std::int64_t> timestamp;
    std::int64_t count = 0;
    std::optional<std::uint64_t> seed;
};

Result<CompiledPayload> compilePayload(const Payload &p, qsizetype rowNumber, const QString &field)
{
    CompiledPayload out;
    out.isNull = p.isNull();
    out.encoding = p.encoding;
    if (out.isNull)
        return out;
    auto tpl = PlaceholderTemplate::compile(*p.bytes, p.encoding);
    if (!tpl.ok()) {
        Error e = tpl.error();
        e.text = QStringLiteral("row %1, %2, column %3: %4").arg(rowNumber).arg(field).arg(e.column).arg(e.text);
        return e;
    }
    out.tpl = std::move(tpl.value());
    return out;
}

// A part filled from its schema needs the schema (a typed part) and JSON to lay over the random value.
Status checkFill(CompiledPayload &part, const Payload &p, const std::function<QByteArray(Random &)> &fill,
                 qsizetype rowNumber, const char *name)
{
    if (!fill)
        return Error(QStringLiteral("row %1: generate fills the %2 from its schema, but the %2 is not sent through a "
                                    "Schema Registry")
                         .arg(rowNumber)
                         .arg(QLatin1String(name)));
    if (!p.isNull() && p.encoding != Encoding::Json)
        return Error(
            QStringLiteral("row %1: generate fills the %2 from its schema: write the %2 as JSON (the fields to "
                           "fix) or leave it null")
                .arg(rowNumber)
                .arg(QLatin1String(name)));
    part.fill = fill;
    return Ok{};
}

Result<CompiledRow> compileRow(const Message &m, qsizetype rowNumber, const SchemaFill &fill)
{
    CompiledRow row;
    row.count = m.generate ? m.generate->count : 1;
    row.seed = m.generate ? m.generate->seed : std::nullopt;
    if (row.count < 1)
        return Error(
            QStringLiteral("row %1: generate count must be at least 1 (it is %2)").arg(rowNumber).arg(row.count));
    auto key = compilePayload(m.key, rowNumber, QStringLiteral("key"));
    if (!key.ok())
        return key.error();
    row.key = std::move(key.value());
    auto value = compilePayload(m.value, rowNumber, QStringLiteral("value"));
    if (!value.ok())
        return value.error();
    row.value = std::move(value.value());
    if (m.generate && m.generate->fillKey)
        if (auto s = checkFill(row.key, m.key, fill.key, rowNumber, "key"); !s)
            return s.error();
    if (m.generate && m.generate->fillValue)
        if (auto s = checkFill(row.value, m.value, fill.value, rowNumber, "value"); !s)
            return s.error();
    for (qsizetype i = 0; i < m.headers.size(); ++i) {
        auto hv = compilePayload(m.headers[i].value, rowNumber, QStringLiteral("headers[%1].value").arg(i));
        if (!hv.ok())
            return hv.error();
        row.headersVary = row.headersVary || hv->tpl.hasPlaceholders();
        row.usesClock = row.usesClock || hv->tpl.usesClock();
        row.headers.append({m.headers[i].name, std::move(hv.value())});
    }
    row.fixedHeaders = m.headers;
    row.usesClock = row.usesClock || row.key.tpl.usesClock() || row.value.tpl.usesClock();
    row.partition = m.partition;
    row.timestamp = m.timestamp;
    return row;
}

// Asks `planner` for a writer of `part` when the part may have one: JSON, not filled from the schema.
void planPayload(CompiledPayload &part, const Payload &source, const PartPlanner &planner)
{
    if (planner && !part.fill && !part.isNull && part.encoding == Encoding::Json && source.bytes)
        part.writer = planner(*source.bytes);
}

void preparePayload(Payload &p, const CompiledPayload &c)
{
    p.encoding = c.writer ? Encoding::Base64 : c.fill ? Encoding::Json : c.encoding;
    if (c.isNull && !c.fill)
        p.bytes.reset();
    else
        p.bytes.emplace();
}

void expandPayload(Payload &p, const CompiledPayload &c, const GenerateContext &ctx)
{
    if (c.fill) {
        // The schema's random value first, then the placeholders: one order, so a seed gives the same bytes.
        const QByteArray random = c.fill(ctx.random());
        QByteArray over;
        if (!c.isNull)
            c.tpl.expandTo(over, ctx);
        *p.bytes = mergeJsonOver(random, over);
        return;
    }
    if (c.isNull)
        return;
    if (c.writer) {
        QByteArray &bytes = *p.bytes;
        bytes.truncate(0);
        c.writer->write(bytes, ctx);
        return;
    }
    // Truncating keeps the buffer's capacity: the batch copied the previous bytes into its own storage.
    QByteArray &bytes = *p.bytes;
    bytes.truncate(0);
    c.tpl.expandTo(bytes, ctx);
}

// Appends `count` messages of `row`, from its message number `firstSeq` (1-based: {{seq}}) on; `firstIndex` is the
// {{index}} of the first one.
void expandRow(const CompiledRow &row, std::int64_t firstSeq, std::int64_t count, qsizetype firstIndex, Random &random,
               const Clock &clock, Batch &out, PlannedParts *planned)
{
    if (planned)
        planned->insert(planned->end(), std::size_t(count),
                        std::uint8_t((row.key.writer ? PlannedKey : 0) | (row.value.writer ? PlannedValue : 0)));
    GenerateContext ctx(random);
    Message m;
    preparePayload(m.key, row.key);
    preparePayload(m.value, row.value);
    m.partition = row.partition;
    m.timestamp = row.timestamp;
    if (!row.headersVary)
        m.headers = row.fixedHeaders;
    for (std::int64_t i = 0; i < count; ++i) {
        ctx.seq = firstSeq + i;
        ctx.index = firstIndex + qsizetype(i);
        if (row.usesClock)
            ctx.setNowMs(clock.nowMs());
        expandPayload(m.key, row.key, ctx);
        expandPayload(m.value, row.value, ctx);
        if (row.headersVary) {
            Headers headers;
            headers.reserve(row.headers.size());
            for (const CompiledHeader &h : row.headers) {
                Header header;
                header.name = h.name;
                preparePayload(header.value, h.value);
                expandPayload(header.value, h.value, ctx);
                headers.append(std::move(header));
            }
            m.headers = std::move(headers);
        }
        out.append(m);
    }
}

} // namespace

struct GeneratorExpander::Piece
{
    Batch rows;
    std::vector<std::shared_ptr<CompiledRow>> compiled; // per row when the piece has generator rows, else empty
    qsizetype next = 0;                                 // the row to hand out next
    std::int64_t done = 0;                              // messages of that row handed out already
    std::optional<Random> own;                          // that row's own stream, when it has a seed
    std::vector<char> planned;                          // per row: the planners were asked (lazily, at take())
};

GeneratorExpander::GeneratorExpander(std::uint64_t defaultSeed, const Clock &clock)
    : m_clock(clock), m_shared(std::make_unique<Random>(defaultSeed))
{}

GeneratorExpander::~GeneratorExpander() = default;

Status GeneratorExpander::add(Batch rows)
{
    auto piece = std::make_unique<Piece>();
    qint64 total = m_total;
    if (rows.hasGenerator()) {
        // Compile every generator row first: an error anywhere means nothing of these rows is queued.
        piece->compiled.resize(std::size_t(rows.size()));
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (!rows.generate(i)) {
                ++total;
                continue;
            }
            const qsizetype rowNumber = m_rowsAdded + i + 1;
            auto row = compileRow(rows.at(i), rowNumber, m_fill);
            if (!row.ok())
                return row.error();
            const qint64 before = total;
            total += row->count;
            if (total > MaxExpandedMessages) {
                // Name the row that crosses the line, and what it adds to: it may be the sum that is too much.
                QLocale c = QLocale::c();
                c.setNumberOptions(QLocale::DefaultNumberOptions); // 50,000,000: readable
                const QString why =
                    row->count > MaxExpandedMessages
                        ? QStringLiteral("row %1 alone makes %2").arg(rowNumber).arg(c.toString(qint64(row->count)))
                        : QStringLiteral("row %1 makes %2, on top of %3 from the rows before it")
                              .arg(rowNumber)
                              .arg(c.toString(qint64(row->count)), c.toString(before));
                return Error(QStringLiteral("the expanded batch would have more than %1 messages: %2")
                                 .arg(c.toString(qint64(MaxExpandedMessages)), why));
            }
            piece->compiled[std::size_t(i)] = std::make_shared<CompiledRow>(std::move(row.value()));
        }
    } else {
        total += rows.size();
    }
    m_total = total;
    m_rowsAdded += rows.size();
    piece->rows = std::move(rows);
    if (!piece->rows.isEmpty())
        m_queue.push_back(std::move(piece));
    return Ok{};
}

bool GeneratorExpander::isEmpty() const
{
    return m_queue.empty();
}

Batch GeneratorExpander::take(qsizetype maxMessages)
{
    return take(maxMessages, nullptr);
}

void GeneratorExpander::planRow(Piece &p)
{
    if (!m_keyPlanner && !m_valuePlanner)
        return;
    if (p.planned.empty())
        p.planned.resize(p.compiled.size(), 0);
    if (p.planned[std::size_t(p.next)])
        return;
    p.planned[std::size_t(p.next)] = 1;
    CompiledRow &c = *p.compiled[std::size_t(p.next)];
    const Message source = p.rows.at(p.next);
    planPayload(c.key, source.key, m_keyPlanner);
    planPayload(c.value, source.value, m_valuePlanner);
}

struct ExpansionTask::Data
{
    std::shared_ptr<const CompiledRow> row;
    std::int64_t firstSeq = 1;
    std::int64_t count = 0;
    qsizetype firstIndex = 0;
    Random random{0}; // the stream as it was before the first of them
    const Clock *clock = nullptr;
};

qsizetype ExpansionTask::size() const
{
    return m_data ? qsizetype(m_data->count) : 0;
}

Batch ExpansionTask::run(PlannedParts *planned) const
{
    if (planned)
        planned->clear();
    Batch out;
    if (!m_data)
        return out;
    out.reserve(qsizetype(m_data->count));
    Random random = m_data->random;
    expandRow(*m_data->row, m_data->firstSeq, m_data->count, m_data->firstIndex, random, *m_data->clock, out, planned);
    return out;
}

std::optional<ExpansionTask> GeneratorExpander::takeTask(qsizetype maxMessages)
{
    if (m_queue.empty() || maxMessages < 1)
        return std::nullopt;
    Piece &p = *m_queue.front();
    if (p.compiled.empty() || p.next >= p.rows.size() || !p.compiled[std::size_t(p.next)])
        return std::nullopt;
    planRow(p);
    const std::shared_ptr<CompiledRow> &c = p.compiled[std::size_t(p.next)];
    // {{now}} is read as each message is made: in order only on one thread. A schema's random value draws an
    // unknown amount from the stream.
    if (c->usesClock || c->key.fill || c->value.fill)
        return std::nullopt;
    const std::int64_t n = std::min<std::int64_t>(c->count - p.done, maxMessages);
    if (c->seed && !p.own)
        p.own.emplace(*c->seed);
    Random &random = c->seed ? *p.own : *m_shared;
    auto data = std::make_shared<ExpansionTask::Data>();
    data->row = c;
    data->firstSeq = p.done + 1;
    data->count = n;
    data->firstIndex = m_out;
    data->random = random;
    data->clock = &m_clock;
    // The draws expandRow() makes, in its order: key, value, header values.
    for (std::int64_t i = 0; i < n; ++i) {
        if (!c->key.isNull)
            c->key.tpl.skipDraws(random);
        if (!c->value.isNull)
            c->value.tpl.skipDraws(random);
        if (c->headersVary)
            for (const CompiledHeader &h : c->headers)
                if (!h.value.isNull)
                    h.value.tpl.skipDraws(random);
    }
    p.done += n;
    if (p.done == c->count) {
        ++p.next;
        p.done = 0;
        p.own.reset();
        if (p.next == p.rows.size())
            m_queue.erase(m_queue.begin());
    }
    m_out += qsizetype(n);
    ExpansionTask task;
    task.m_data = std::move(data);
    return task;
}

Batch GeneratorExpander::take(qsizetype maxMessages, PlannedParts *planned)
{
    if (planned)
        planned->clear();
    Batch out;
    out.reserve(qsizetype(std::min<qint64>(maxMessages, m_total - m_out)));
    std::size_t front = 0;
    while (front < m_queue.size() && out.size() < maxMessages) {
        Piece &p = *m_queue[front];
        if (p.compiled.empty() && p.next == 0 && p.rows.size() <= maxMessages - out.size()) {
            out.append(p.rows); // no generator rows: shared, not copied
            if (planned)
                planned->insert(planned->end(), std::size_t(p.rows.size()), std::uint8_t(0));
            ++front;
            continue;
        }
        while (p.next < p.rows.size() && out.size() < maxMessages) {
            const std::shared_ptr<CompiledRow> *row = p.compiled.empty() ? nullptr : &p.compiled[std::size_t(p.next)];
            if (!row || !*row) {
                out.append(p.rows.at(p.next));
                if (planned)
                    planned->push_back(0);
                ++p.next;
                continue;
            }
            CompiledRow &c = *p.compiled[std::size_t(p.next)];
            if (planned)
                planRow(p);
            const std::int64_t n = std::min<std::int64_t>(c.count - p.done, maxMessages - out.size());
            if (c.seed && !p.own)
                p.own.emplace(*c.seed);
            Random &random = c.seed ? *p.own : *m_shared;
            expandRow(c, p.done + 1, n, m_out + out.size(), random, m_clock, out, planned);
            p.done += n;
            if (p.done == c.count) {
                ++p.next;
                p.done = 0;
                p.own.reset();
            }
        }
        if (p.next < p.rows.size())
            break;
        ++front;
    }
    m_queue.erase(m_queue.begin(), m_queue.begin() + std::ptrdiff_t(front));
    m_out += out.size();
    return out;
}

Result<Batch> expandGenerators(const Batch &batch, std::uint64_t defaultSeed, const Clock &clock,
                               const SchemaFill &fill)
{
    QElapsedTimer timer;
    timer.start();
    GeneratorExpander expander(defaultSeed, clock);
    expander.setSchemaFill(fill);
    if (auto added = expander.add(batch); !added)
        return added.error();
    Batch out = expander.take(MaxExpandedMessages);
    qCDebug(lcGenerate) << "expanded" << batch.size() << "rows into" << out.size() << "messages in" << timer.elapsed()
                        << "ms";
    return out;
}

Result<Batch> previewGenerator(const Message &row, qsizetype n, std::uint64_t seed, const Clock &clock,
                               const SchemaFill &fill)
{
    if (!row.generate)
        return Error(QStringLiteral("row 1: not a generator row (it has no generate count)"));
    auto compiled = compileRow(row, 1, fill);
    if (!compiled.ok())
        return compiled.error();
    const std::int64_t count = std::min<std::int64_t>(std::max<qsizetype>(n, 0), compiled->count);
    Batch out;
    out.reserve(qsizetype(count));
    Random random(compiled->seed.value_or(seed));
    expandRow(*compiled, 1, count, 0, random, clock, out, nullptr);
    return out;
}

std::uint64_t freshSeed()
{
    return QRandomGenerator::system()->generate64();
}

} // namespace kbatch::core

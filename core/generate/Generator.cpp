#include "Generator.h"

#include "GenerateLog.h"
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

Result<CompiledRow> compileRow(const Message &m, qsizetype rowNumber)
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

void preparePayload(Payload &p, const CompiledPayload &c)
{
    p.encoding = c.encoding;
    if (c.isNull)
        p.bytes.reset();
    else
        p.bytes.emplace();
}

void expandPayload(Payload &p, const CompiledPayload &c, const GenerateContext &ctx)
{
    if (c.isNull)
        return;
    // Truncating keeps the buffer's capacity: the batch copied the previous bytes into its own storage.
    QByteArray &bytes = *p.bytes;
    bytes.truncate(0);
    c.tpl.expandTo(bytes, ctx);
}

// Appends `count` messages of `row`; `firstIndex` is the {{index}} of the first one.
void expandRow(const CompiledRow &row, std::int64_t count, qsizetype firstIndex, Random &random, const Clock &clock,
               Batch &out)
{
    GenerateContext ctx(random);
    Message m;
    preparePayload(m.key, row.key);
    preparePayload(m.value, row.value);
    m.partition = row.partition;
    m.timestamp = row.timestamp;
    if (!row.headersVary)
        m.headers = row.fixedHeaders;
    for (std::int64_t seq = 1; seq <= count; ++seq) {
        ctx.seq = seq;
        ctx.index = firstIndex + (seq - 1);
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

Result<Batch> expandGenerators(const Batch &batch, std::uint64_t defaultSeed, const Clock &clock)
{
    QElapsedTimer timer;
    timer.start();
    // Compile every generator row first: an error anywhere means nothing is expanded.
    std::vector<std::optional<CompiledRow>> compiled(std::size_t(batch.size()));
    qint64 total = 0;
    qint64 bytes = 0;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (!batch.generate(i)) {
            ++total;
            bytes += batch.key(i).size() + batch.value(i).size();
            continue;
        }
        auto row = compileRow(batch.at(i), i + 1);
        if (!row.ok())
            return row.error();
        total += row->count;
        if (total > MaxExpandedMessages)
            return Error(QStringLiteral("the expanded batch would have more than %1 messages (row %2 alone makes %3)")
                             .arg(MaxExpandedMessages)
                             .arg(i + 1)
                             .arg(row->count));
        bytes += row->count * (row->key.tpl.estimatedSize() + row->value.tpl.estimatedSize());
        compiled[std::size_t(i)] = std::move(row.value());
    }

    Batch out;
    out.reserve(total, bytes);
    Random shared(defaultSeed);
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const auto &row = compiled[std::size_t(i)];
        if (!row) {
            out.append(batch.at(i));
            continue;
        }
        if (row->seed) {
            Random own(*row->seed);
            expandRow(*row, row->count, out.size(), own, clock, out);
        } else {
            expandRow(*row, row->count, out.size(), shared, clock, out);
        }
    }
    qCDebug(lcGenerate) << "expanded" << batch.size() << "rows into" << out.size() << "messages in" << timer.elapsed()
                        << "ms";
    return out;
}

Result<Batch> previewGenerator(const Message &row, qsizetype n, std::uint64_t seed, const Clock &clock)
{
    if (!row.generate)
        return Error(QStringLiteral("row 1: not a generator row (it has no generate count)"));
    auto compiled = compileRow(row, 1);
    if (!compiled.ok())
        return compiled.error();
    const std::int64_t count = std::min<std::int64_t>(std::max<qsizetype>(n, 0), compiled->count);
    Batch out;
    out.reserve(qsizetype(count));
    Random random(compiled->seed.value_or(seed));
    expandRow(*compiled, count, 0, random, clock, out);
    return out;
}

std::uint64_t freshSeed()
{
    return QRandomGenerator::system()->generate64();
}

} // namespace kbatch::core

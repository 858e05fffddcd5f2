#include "AvroTemplatePlan.h"

#include "AvroCodec.h"
#include "AvroSchema.h"

#include "core/format/JsonReader.h"
#include "core/generate/PlaceholderTemplate.h"
#include "core/generate/Random.h"

#include <cstring>
#include <vector>

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;

// Avro's zigzag varint of a long.
void appendLong(QByteArray &out, std::int64_t n)
{
    auto z = (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
    char buf[10];
    int len = 0;
    while (z >= 0x80) {
        buf[len++] = char((z & 0x7f) | 0x80);
        z >>= 7;
    }
    buf[len++] = char(z);
    out.append(buf, len);
}

bool readLong(QByteArrayView bytes, qsizetype &pos, std::int64_t &value)
{
    std::uint64_t z = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            return false;
        const auto b = static_cast<std::uint8_t>(bytes[pos++]);
        z |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            value = std::int64_t(z >> 1) ^ -std::int64_t(z & 1);
            return true;
        }
    }
    return false;
}

bool skip(QByteArrayView bytes, qsizetype &pos, qsizetype n)
{
    if (n < 0 || n > bytes.size() - pos)
        return false;
    pos += n;
    return true;
}

// Moves `pos` past one datum of `node` in `bytes` (the codec's own output: only to find where each field ends).
bool skipDatum(const AvroNode &node, QByteArrayView bytes, qsizetype &pos, int level = 0)
{
    if (level > 600)
        return false;
    std::int64_t n = 0;
    switch (node.type) {
    case Type::Null:
        return true;
    case Type::Boolean:
        return skip(bytes, pos, 1);
    case Type::Int:
    case Type::Long:
    case Type::Enum:
        return readLong(bytes, pos, n);
    case Type::Float:
        return skip(bytes, pos, 4);
    case Type::Double:
        return skip(bytes, pos, 8);
    case Type::Bytes:
    case Type::String:
        return readLong(bytes, pos, n) && skip(bytes, pos, qsizetype(n));
    case Type::Fixed:
        return skip(bytes, pos, qsizetype(node.size));
    case Type::Record:
        for (const AvroNode::Field &f : node.fields)
            if (!skipDatum(*f.type, bytes, pos, level + 1))
                return false;
        return true;
    case Type::Union:
        return readLong(bytes, pos, n) && n >= 0 && std::size_t(n) < node.branches.size() &&
               skipDatum(*node.branches[std::size_t(n)], bytes, pos, level + 1);
    case Type::Array:
    case Type::Map:
        for (;;) {
            if (!readLong(bytes, pos, n))
                return false;
            if (n == 0)
                return true;
            if (n < 0) { // a block with its size in bytes
                std::int64_t size = 0;
                if (!readLong(bytes, pos, size))
                    return false;
                n = -n;
            }
            for (std::int64_t i = 0; i < n; ++i) {
                std::int64_t keyLength = 0;
                if (node.type == Type::Map &&
                    (!readLong(bytes, pos, keyLength) || !skip(bytes, pos, qsizetype(keyLength))))
                    return false;
                if (!skipDatum(*node.items, bytes, pos, level + 1))
                    return false;
            }
        }
    }
    return false;
}

// Whether a plain JSON string can only be a string of `node`: a string without a logical type, or a union whose one
// branch that takes a JSON string is such a string (the encoder picks it without looking at the text).
bool takesAnyString(const AvroNode &node)
{
    const auto plain = [](const AvroNode &n) { return n.type == Type::String && n.logical == AvroNode::Logical::None; };
    if (node.type != Type::Union)
        return plain(node);
    int stringTakers = 0;
    bool isPlain = false;
    for (const AvroNode *b : node.branches) {
        switch (b->type) {
        case Type::String:
            ++stringTakers;
            isPlain = plain(*b);
            break;
        case Type::Int:
        case Type::Long:
            stringTakers += b->logical != AvroNode::Logical::None ? 1 : 0; // time types take text
            break;
        case Type::Float:
        case Type::Double:
        case Type::Bytes:
        case Type::Fixed:
        case Type::Enum:
            ++stringTakers;
            break;
        default:
            break;
        }
    }
    return stringTakers == 1 && isPlain;
}

class AvroTemplateWriter final : public PartWriter
{
public:
    struct Step
    {
        QByteArray bytes;  // written as they are
        int variable = -1; // then this string field's expansion (index into m_strings), when not -1
    };

    AvroTemplateWriter(std::shared_ptr<const AvroCodec> codec, std::vector<PlaceholderTemplate> strings,
                       std::vector<Step> steps)
        : m_codec(std::move(codec)), m_strings(std::move(strings)), m_steps(std::move(steps))
    {
        // The template names the planned fields in the schema's order (the usual case): each expands in place.
        int last = -1;
        for (const Step &step : m_steps) {
            if (step.variable >= 0) {
                m_inPlace = m_inPlace && step.variable == last + 1;
                last = step.variable;
            }
        }
    }

    void write(QByteArray &out, const GenerateContext &ctx) const override
    {
        if (m_inPlace) {
            writeInPlace(out, ctx);
            return;
        }
        thread_local std::vector<QByteArray> expanded;
        if (expanded.size() < m_strings.size())
            expanded.resize(m_strings.size());
        // In the template's order: the draws from the random stream are the JSON expansion's.
        for (std::size_t i = 0; i < m_strings.size(); ++i) {
            expanded[i].truncate(0);
            m_strings[i].expandTo(expanded[i], ctx);
        }
        for (const Step &step : m_steps) {
            out.append(step.bytes);
            if (step.variable < 0)
                continue;
            appendString(out, expanded[std::size_t(step.variable)]);
        }
    }

private:
    // Each string expanded straight into `out` as its JSON literal, "e-17"; when its content is short and has no
    // escape (nearly always), the opening quote becomes the length (one byte below 64) and the closing one goes.
    void writeInPlace(QByteArray &out, const GenerateContext &ctx) const
    {
        thread_local QByteArray literal;
        for (const Step &step : m_steps) {
            out.append(step.bytes);
            if (step.variable < 0)
                continue;
            const qsizetype at = out.size();
            m_strings[std::size_t(step.variable)].expandTo(out, ctx);
            const qsizetype length = out.size() - at - 2;
            if (length < 64 && !QByteArrayView(out).sliced(at + 1, length).contains('\\')) {
                out[at] = char(length * 2);
                out.chop(1);
                continue;
            }
            literal = QByteArrayView(out).sliced(at).toByteArray();
            out.truncate(at);
            appendString(out, literal);
        }
    }

    // A string field from its expanded JSON literal: the content, unescaped when something inserted an escape.
    static void appendString(QByteArray &out, const QByteArray &literal)
    {
        thread_local QByteArray decoded;
        QByteArrayView content = QByteArrayView(literal).sliced(1, literal.size() - 2);
        if (content.contains('\\')) {
            JsonReader reader(literal);
            decoded.truncate(0);
            if (reader.readString(decoded))
                content = decoded;
        }
        appendLong(out, content.size());
        out.append(content.data(), content.size());
    }

    std::shared_ptr<const AvroCodec> m_codec; // keeps the schema the steps were made from
    std::vector<PlaceholderTemplate> m_strings;
    std::vector<Step> m_steps;
    bool m_inPlace = true;
};

std::shared_ptr<const PartWriter> plan(const std::shared_ptr<const AvroCodec> &codec, bool framed, int schemaId,
                                       QByteArrayView json)
{
    const AvroNode &root = codec->schema().root();
    if (root.type != Type::Record || json.contains('\\') || !JsonReader::isValidUtf8(json))
        return nullptr;
    // The members whose string value holds placeholders: where they are in the text, and which field they are.
    struct Variable
    {
        qsizetype from = 0, to = 0;
        int field = -1;
    };
    std::vector<Variable> variables;
    JsonReader reader(json);
    if (!reader.beginObject())
        return nullptr;
    QByteArrayView name;
    QByteArray scratch;
    int hint = 0;
    while (reader.nextMemberView(name, scratch)) {
        const int field = root.fieldIndex(name, hint);
        if (field >= 0)
            hint = field + 1;
        const qsizetype from = reader.mark().offset;
        const JsonReader::Kind kind = reader.peek();
        if (!reader.skipValue())
            return nullptr;
        const qsizetype to = reader.position();
        if (kind != JsonReader::Kind::String || !json.sliced(from, to - from).contains("{{"))
            continue;
        if (field < 0 || !takesAnyString(*root.fields[std::size_t(field)].type))
            return nullptr;
        variables.push_back({from, to, field});
    }
    if (reader.hasError() || !reader.expectEnd())
        return nullptr;
    // The template with those strings empty: every placeholder must have been in them.
    QByteArray probe;
    qsizetype at = 0;
    for (const Variable &v : variables) {
        probe.append(json.sliced(at, v.from - at));
        probe.append("\"\"");
        at = v.to;
    }
    probe.append(json.sliced(at));
    if (probe.contains("{{"))
        return nullptr;
    QByteArray datum;
    if (!codec->encode(probe, datum))
        return nullptr;
    QByteArray frame;
    if (framed) {
        if (!codec->encodeFramed(schemaId, probe, frame) || !frame.endsWith(datum))
            return nullptr;
        frame.chop(datum.size());
    }
    // Each field's bytes in the probe; a planned string field's end in an empty string (0) after its branch.
    std::vector<AvroTemplateWriter::Step> steps(1);
    steps[0].bytes = frame;
    std::vector<int> variableOf(root.fields.size(), -1);
    for (std::size_t i = 0; i < variables.size(); ++i) {
        if (variableOf[std::size_t(variables[i].field)] >= 0)
            return nullptr; // a field twice: the codec refused it already, but be sure
        variableOf[std::size_t(variables[i].field)] = int(i);
    }
    qsizetype pos = 0;
    for (std::size_t f = 0; f < root.fields.size(); ++f) {
        const qsizetype start = pos;
        if (!skipDatum(*root.fields[f].type, datum, pos))
            return nullptr;
        QByteArrayView bytes = QByteArrayView(datum).sliced(start, pos - start);
        if (variableOf[f] < 0) {
            steps.back().bytes.append(bytes);
            continue;
        }
        if (bytes.isEmpty() || bytes.back() != 0)
            return nullptr;
        steps.back().bytes.append(bytes.chopped(1)); // the union's branch, if any
        steps.back().variable = variableOf[f];
        steps.emplace_back();
    }
    if (pos != datum.size())
        return nullptr;
    std::vector<PlaceholderTemplate> strings;
    for (const Variable &v : variables) {
        auto tpl = PlaceholderTemplate::compile(json.sliced(v.from, v.to - v.from), Encoding::Json);
        if (!tpl)
            return nullptr;
        strings.push_back(std::move(tpl.value()));
    }
    auto writer = std::make_shared<const AvroTemplateWriter>(codec, std::move(strings), std::move(steps));

    // The proof: a few messages through the plan and through the JSON expansion and the codec, from one seed.
    auto whole = PlaceholderTemplate::compile(json, Encoding::Json);
    if (!whole)
        return nullptr;
    Random viaJson(0x6b62617463680001ull), viaPlan(0x6b62617463680001ull);
    GenerateContext jsonCtx(viaJson), planCtx(viaPlan);
    for (std::int64_t seq = 1; seq <= 3; ++seq) {
        for (GenerateContext *ctx : {&jsonCtx, &planCtx}) {
            ctx->seq = seq;
            ctx->index = seq - 1;
            ctx->setNowMs(1764979200000 + seq);
        }
        QByteArray text, expected, planned;
        whole->expandTo(text, jsonCtx);
        const Status encoded = framed ? codec->encodeFramed(schemaId, text, expected) : codec->encode(text, expected);
        if (!encoded)
            return nullptr;
        writer->write(planned, planCtx);
        if (planned != expected)
            return nullptr;
    }
    if (viaJson.next() != viaPlan.next())
        return nullptr;
    return writer;
}

} // namespace

PartPlanner avroTemplatePlanner(const ResolvedCodec &codec)
{
    auto avro = std::dynamic_pointer_cast<const AvroCodec>(codec.codec);
    if (!avro)
        return {};
    return [avro, framed = codec.framed, id = codec.schema.id](QByteArrayView json) {
        return plan(avro, framed, id, json);
    };
}

} // namespace kbatch::core

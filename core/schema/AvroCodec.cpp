#include "AvroCodec.h"

#include "AvroJsonDecoder.h"
#include "AvroJsonEncoder.h"
#include "AvroSamples.h"
#include "AvroSchema.h"

#include <QSet>

namespace kbatch::core {

namespace {

// Idle encoders kept for reuse: more threads than this encoding at once still work, they just allocate.

// Checks every field default of every record reachable from `node` (each record once).
Status checkDefaults(const AvroNode &node, AvroJsonEncoder &encoder, QSet<const AvroNode *> &done)
{
    if (node.type == AvroNode::Type::Record) {
        if (done.contains(&node))
            return Ok{};
        done.insert(&node);
        for (const AvroNode::Field &f : node.fields) {
            if (f.hasDefault) {
                const Status fits = encoder.checkDefault(*f.type, f.defaultJson);
                if (!fits) {
                    // The position and path are the default's own: the path only says something inside it.
                    const Error &inner = fits.error();
                    const QString where =
                        inner.field == QLatin1String("$") ? QString() : inner.field + QLatin1String(": ");
                    return Error(QStringLiteral("the default of field '%1' of %2 does not fit: %3%4")
                                     .arg(QString::fromUtf8(f.name), node.describe(), where, inner.text));
                }
            }
            Status inner = checkDefaults(*f.type, encoder, done);
            if (!inner)
                return inner;
        }
        return Ok{};
    }
    if (node.items)
        return checkDefaults(*node.items, encoder, done);
    for (const AvroNode *b : node.branches) {
        Status inner = checkDefaults(*b, encoder, done);
        if (!inner)
            return inner;
    }
    return Ok{};
}

} // namespace

AvroCodec::AvroCodec(std::shared_ptr<const AvroSchema> schema) : m_schema(std::move(schema)) {}

AvroCodec::~AvroCodec() = default;

Result<std::shared_ptr<const AvroCodec>> AvroCodec::compile(const ResolvedSchema &schema)
{
    auto parsed = AvroSchema::parse(schema);
    if (!parsed)
        return parsed.error();
    std::shared_ptr<AvroCodec> codec(new AvroCodec(std::move(parsed.value())));
    auto encoder = codec->takeEncoder();
    if (!encoder->isValid())
        return Error(QStringLiteral("avro-c cannot make a value of the schema (out of memory?)"));
    QSet<const AvroNode *> done;
    const Status defaults = checkDefaults(codec->m_schema->root(), *encoder, done);
    if (!defaults)
        return defaults.error();
    codec->giveBack(std::move(encoder));
    return std::shared_ptr<const AvroCodec>(std::move(codec));
}

std::unique_ptr<AvroJsonEncoder> AvroCodec::takeEncoder() const
{
    if (auto idle = m_idle.take())
        return idle;
    return std::make_unique<AvroJsonEncoder>(m_schema);
}

void AvroCodec::giveBack(std::unique_ptr<AvroJsonEncoder> encoder) const
{
    m_idle.giveBack(std::move(encoder));
}

Status AvroCodec::encode(QByteArrayView json, QByteArray &out) const
{
    auto encoder = takeEncoder();
    if (!encoder->isValid())
        return Error(QStringLiteral("avro-c cannot make a value of the schema (out of memory?)"));
    Status result = encoder->encode(json, out);
    giveBack(std::move(encoder));
    return result;
}

Result<QByteArray> AvroCodec::decode(QByteArrayView payload) const
{
    return AvroJsonDecoder(m_schema).decode(payload);
}

QByteArray AvroCodec::skeleton() const
{
    return AvroSamples::skeleton(m_schema->root());
}

QByteArray AvroCodec::randomValue(Random &random) const
{
    return AvroSamples::randomValue(m_schema->root(), random);
}

QString AvroCodec::recordName() const
{
    return QString::fromUtf8(m_schema->root().fullName);
}

} // namespace kbatch::core

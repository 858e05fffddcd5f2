#include "ui/connections/PeekDecoder.h"

#include "core/model/Printable.h"
#include "core/schema/CodecCache.h"
#include "core/schema/ConfluentFrame.h"
#include "core/schema/ProtobufCodec.h"
#include "core/schema/ProtobufPool.h"
#include "core/schema/RegistryClient.h"

#include <QFutureWatcher>
#include <QSet>
#include <QtConcurrent>

namespace kbatch::ui {

struct PeekDecoder::Known
{
    std::optional<core::ResolvedSchema> schema;
    QString error; // when there is no schema
    QList<core::SubjectVersion> subjects;
};

namespace {

// A reason or a registry's text, shown in a cell: one line, printable, short.
QString shortText(const QString &text)
{
    return core::printableCut(text, 160);
}

// The schema id of a payload that is a frame (magic byte, 4-byte id); nullopt otherwise.
std::optional<int> frameId(const core::Payload &p)
{
    if (p.isNull())
        return std::nullopt;
    const auto frame = core::ConfluentFrame::parse(*p.bytes);
    if (!frame.ok())
        return std::nullopt;
    return frame->schemaId;
}

} // namespace

QString PeekDecoder::Part::describe() const
{
    switch (state) {
    case State::None:
        return {};
    case State::Failed:
        return PeekDecoder::tr("not decoded: %1").arg(reason);
    case State::Decoded:
        break;
    }
    const QString type = core::printableCut(messageType, 80);
    if (!framed)
        return PeekDecoder::tr("%1 from %2, unframed").arg(type, core::printableCut(source, 80));
    QString text =
        subject.isEmpty()
            ? PeekDecoder::tr("id %1").arg(schemaId)
            : PeekDecoder::tr("%1 v%2 (id %3)").arg(core::printableCut(subject, 80)).arg(version).arg(schemaId);
    if (moreSubjects > 0)
        text += PeekDecoder::tr(" (+%n more subject(s))", nullptr, moreSubjects);
    if (!type.isEmpty())
        text = PeekDecoder::tr("%1 in %2").arg(type, text);
    return text;
}

void PeekDecoder::setUnframed(core::PayloadPart part, const core::ResolvedCodec &codec)
{
    core::ResolvedCodec &mine = part == core::PayloadPart::Key ? m_unframedKey : m_unframedValue;
    mine = codec.framed ? core::ResolvedCodec{} : codec;
}

PeekDecoder::PeekDecoder(QObject *parent) : QObject(parent), m_codecs(std::make_shared<core::CodecCache>()) {}

PeekDecoder::~PeekDecoder() = default;

void PeekDecoder::setRegistry(const std::optional<core::RegistrySettings> &settings)
{
    if (settings == m_settings && (m_client != nullptr) == settings.has_value())
        return;
    m_settings = settings;
    if (m_client)
        m_requestsBefore += m_client->requestCount();
    // Destroying the client drops the late answers meant for the old registry (they are guarded by it).
    m_client.reset();
    m_known.clear();
    // Ids are per registry: a codec compiled for id 7 of another registry is not this one's.
    m_codecs = std::make_shared<core::CodecCache>();
    ++m_generation;
    if (settings)
        m_client = std::make_unique<core::RegistryClient>(*settings);
}

qint64 PeekDecoder::requestCount() const
{
    return m_requestsBefore + (m_client ? m_client->requestCount() : 0);
}

void PeekDecoder::decode(const QList<core::PeekedMessage> &messages, const QString &topic, const Done &done)
{
    const quint64 generation = ++m_generation;
    QList<int> ids;
    QSet<int> seen, tooMany;
    if (m_client) {
        for (const core::PeekedMessage &m : messages) {
            for (const core::Payload *p : {&m.message.key, &m.message.value}) {
                if ((p == &m.message.key ? m_unframedKey : m_unframedValue).codec)
                    continue; // decoded with the document's type, never as a frame
                const std::optional<int> id = frameId(*p);
                if (!id || seen.contains(*id))
                    continue;
                seen.insert(*id);
                // Random bytes that happen to start with 0x00 look like frames too: a topic of them must not make
                // thousands of registry requests.
                if (ids.size() < MaxSchemasPerPeek)
                    ids.append(*id);
                else
                    tooMany.insert(*id);
            }
        }
    }
    auto pending = std::make_shared<int>(1); // one for this function, so that cached answers cannot finish early
    const auto allAnswered = [this, messages, topic, tooMany, done, generation] {
        if (generation == m_generation)
            finish(messages, topic, tooMany, done, generation);
    };
    for (int id : std::as_const(ids)) {
        if (const auto it = m_known.constFind(id); it != m_known.constEnd() && (*it)->schema)
            continue;
        fetch(id, pending, allAnswered);
    }
    // Answer later, never inside this call, as the registry client does.
    QMetaObject::invokeMethod(
        this,
        [pending, allAnswered] {
            if (--*pending == 0)
                allAnswered();
        },
        Qt::QueuedConnection);
}

void PeekDecoder::fetch(int id, const std::shared_ptr<int> &pending, const std::function<void()> &allAnswered)
{
    auto known = std::make_shared<Known>();
    m_known.insert(id, known);
    const auto answered = [pending, allAnswered] {
        if (--*pending == 0)
            allAnswered();
    };
    *pending += 2;
    core::RegistryClient *client = m_client.get();
    client->schemaById(id, client, [known, answered](const core::RegistryResult<core::ResolvedSchema> &r) {
        if (r)
            known->schema = *r;
        else
            known->error = r.error().text;
        answered();
    });
    client->subjectVersionsOfId(id, client,
                                [known, answered](const core::RegistryResult<QList<core::SubjectVersion>> &r) {
                                    if (r)
                                        known->subjects = *r;
                                    answered();
                                });
}

void PeekDecoder::finish(const QList<core::PeekedMessage> &messages, const QString &topic, const QSet<int> &tooMany,
                         const Done &done, quint64 generation)
{
    QHash<int, std::shared_ptr<const Known>> known;
    for (auto it = m_known.cbegin(); it != m_known.cend(); ++it)
        known.insert(it.key(), it.value());
    // An id whose schema could not be fetched is asked again on the next peek (the registry may be back).
    for (auto it = m_known.begin(); it != m_known.end();)
        it = (*it)->schema ? std::next(it) : m_known.erase(it);
    const bool registry = m_client != nullptr;
    auto *watcher = new QFutureWatcher<QList<Row>>(this);
    connect(watcher, &QFutureWatcher<QList<Row>>::finished, this, [this, watcher, done, generation] {
        watcher->deleteLater();
        if (generation == m_generation)
            done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([messages, topic, tooMany, known, registry, codecs = m_codecs,
                                          unframedKey = m_unframedKey, unframedValue = m_unframedValue] {
        // JSON of a payload, within the bounds; Failed with the reason otherwise.
        const auto decodeWith = [](const core::PayloadCodec &codec, QByteArrayView payload, Part &part) {
            auto json = codec.decode(payload);
            if (!json.ok()) {
                part.reason = shortText(json.error().message());
                return;
            }
            if (json->size() > MaxJsonBytes) {
                part.reason =
                    tr("its JSON is larger than %1 MiB: not shown").arg(MaxJsonBytes / (qsizetype(1024) * 1024));
                return;
            }
            part.state = Part::State::Decoded;
            part.json = std::move(*json);
        };
        const auto decodeUnframed = [&](const core::Payload &p, const core::ResolvedCodec &local) {
            Part part;
            if (p.isNull())
                return part;
            part.state = Part::State::Failed;
            part.framed = false;
            part.source = local.source;
            part.messageType = local.codec->recordName();
            if (p.bytes->size() > MaxPayloadBytes) {
                part.reason = tr("%1 bytes: too large to decode here").arg(p.bytes->size());
                return part;
            }
            decodeWith(*local.codec, *p.bytes, part);
            return part;
        };
        const auto decodePart = [&](const core::Payload &p, const QString &preferredSubject) {
            Part part;
            if (p.isNull() || !registry)
                return part;
            part.state = Part::State::Failed;
            auto frame = core::ConfluentFrame::parse(*p.bytes);
            if (!frame.ok()) {
                part.reason = tr("not a Schema Registry frame");
                return part;
            }
            part.schemaId = frame->schemaId;
            if (p.bytes->size() > MaxPayloadBytes) {
                part.reason = tr("%1 bytes: too large to decode here").arg(p.bytes->size());
                return part;
            }
            if (tooMany.contains(frame->schemaId)) {
                part.reason = tr("more than %1 schema ids in one peek").arg(MaxSchemasPerPeek);
                return part;
            }
            const std::shared_ptr<const Known> k = known.value(frame->schemaId);
            if (!k || !k->schema) {
                part.reason = shortText(k ? k->error : tr("schema id %1 was not fetched").arg(frame->schemaId));
                return part;
            }
            for (const core::SubjectVersion &sv : k->subjects) {
                if (part.subject.isEmpty() || sv.subject == preferredSubject) {
                    part.subject = sv.subject;
                    part.version = sv.version;
                }
            }
            part.moreSubjects = std::max(0, int(k->subjects.size()) - 1);
            auto codec = codecs->get(*k->schema);
            if (!codec.ok()) {
                part.reason = shortText(codec.error().message());
                return part;
            }
            if (k->schema->schema.format == core::SchemaFormat::Protobuf) {
                // The payload starts with the index path of the message type within the schema's file.
                frame = core::ConfluentFrame::parseProtobuf(*p.bytes);
                if (!frame.ok()) {
                    part.reason = shortText(frame.error().message());
                    return part;
                }
                const auto *first = dynamic_cast<const core::ProtobufCodec *>(codec->get());
                const auto name = first ? first->pool().messageNameAt(frame->messageIndexes)
                                        : core::Result<QString>(core::Error(tr("not a Protobuf codec")));
                if (!name.ok()) {
                    part.reason = shortText(name.error().message());
                    return part;
                }
                part.messageType = *name;
                codec = codecs->get(*k->schema, *name);
                if (!codec.ok()) {
                    part.reason = shortText(codec.error().message());
                    return part;
                }
            }
            decodeWith(**codec, frame->payload, part);
            return part;
        };
        QList<Row> rows;
        rows.reserve(messages.size());
        const QString keySubject = topic + QStringLiteral("-key"), valueSubject = topic + QStringLiteral("-value");
        for (const core::PeekedMessage &m : messages) {
            const core::Payload &key = m.message.key, &value = m.message.value;
            rows.append(
                Row{unframedKey.codec ? decodeUnframed(key, unframedKey) : decodePart(key, keySubject),
                    unframedValue.codec ? decodeUnframed(value, unframedValue) : decodePart(value, valueSubject)});
        }
        return rows;
    }));
}

} // namespace kbatch::ui

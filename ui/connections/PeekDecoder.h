#pragma once

#include "core/kafka/Peek.h"
#include "core/model/RegistrySettings.h"
#include "core/model/SerializerSettings.h"
#include "core/schema/SchemaResolver.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace kbatch::core {
class CodecCache;
class RegistryClient;
struct ResolvedSchema;
struct SubjectVersion;
} // namespace kbatch::core

namespace kbatch::ui {

// Decodes the Schema Registry framed keys and values of peeked messages into JSON: each schema id is fetched from
// the registry once (RegistryClient, asynchronous: the GUI thread never waits on the network) and compiled once
// (CodecCache); the decoding itself runs on a worker thread. Everything a broker or a registry sends is untrusted:
// at most MaxSchemasPerPeek ids are fetched per peek, texts from them are shown through core::printable(), and no
// URL in them is ever followed.
//
// Protobuf frames are decoded as the message type their index path names. A part that the open document sends as
// unframed Protobuf (from .proto files or a descriptor set, setUnframed()) is decoded with that type, without a
// frame and without a registry.
//
// A part that cannot be decoded keeps its bytes and says why in a few words (not a frame, an unknown id, the
// registry unreachable): one reason per part, never a dialog.
//
// GUI thread only.
class PeekDecoder : public QObject
{
    Q_OBJECT
public:
    struct Part
    {
        enum class State { None, Decoded, Failed };
        State state = State::None; // None: null, or no registry to ask
        QByteArray json;           // Decoded: the JSON form (PayloadCodec::decode), compact
        int schemaId = 0;          // the frame's, when it is a frame
        QString subject;           // where the registry says the id is registered; empty when it did not say
        int version = 0;
        int moreSubjects = 0; // further subjects that hold the same id
        QString reason;       // Failed: why, in a few words
        QString messageType;  // Protobuf: the full name of the message type decoded
        bool framed = true;   // false: decoded as unframed Protobuf with the document's type (setUnframed())
        QString source;       // unframed: the .proto file or descriptor set the type came from

        // "orders-value v3 (id 7)", "id 7", "shop.Order in orders-value v1 (id 9)", "shop.Order from
        // protos/shop.proto, unframed", or "not decoded: <reason>"; printable.
        QString describe() const;
    };
    struct Row
    {
        Part key;
        Part value;
    };
    using Done = std::function<void(const QList<Row> &rows)>;

    static constexpr int MaxSchemasPerPeek = 32;
    // A payload larger than this is not decoded (its bytes are shown), nor is one whose JSON would be larger than
    // MaxJsonBytes: a peek of thousands of messages must not hold gigabytes of text.
    static constexpr qsizetype MaxPayloadBytes = qsizetype(1024) * 1024;
    static constexpr qsizetype MaxJsonBytes = qsizetype(4) * 1024 * 1024;

    explicit PeekDecoder(QObject *parent = nullptr);
    ~PeekDecoder() override;

    // The registry to ask; nullopt: none (decode() then answers every part None). A changed registry drops what
    // was fetched from the old one.
    void setRegistry(const std::optional<core::RegistrySettings> &settings);
    bool hasRegistry() const { return m_client != nullptr; }
    // The open document's codec for `part` when it sends that part as unframed Protobuf (codec.framed false);
    // a null codec or a framed one: none. Peeked bytes of that part are then decoded with it.
    void setUnframed(core::PayloadPart part, const core::ResolvedCodec &codec);
    bool hasUnframed() const { return m_unframedKey.codec != nullptr || m_unframedValue.codec != nullptr; }

    // Decodes the keys and values of `messages` (peeked from `topic`, whose TopicName subjects are preferred when an
    // id is in several) and calls `done` once with one Row per message, in order, later (never inside this call);
    // not at all when this object or a newer decode() comes first.
    void decode(const QList<core::PeekedMessage> &messages, const QString &topic, const Done &done);

    // Registry requests sent so far (for tests: a second peek of the same ids sends none).
    qint64 requestCount() const;

private:
    struct Known; // what the registry said about one id
    void fetch(int id, const std::shared_ptr<int> &pending, const std::function<void()> &allAnswered);
    void finish(const QList<core::PeekedMessage> &messages, const QString &topic, const QSet<int> &tooMany,
                const Done &done, quint64 generation);

    std::optional<core::RegistrySettings> m_settings;
    std::unique_ptr<core::RegistryClient> m_client;
    std::shared_ptr<core::CodecCache> m_codecs;
    QHash<int, std::shared_ptr<Known>> m_known; // answered ids (errors are asked again on the next peek)
    core::ResolvedCodec m_unframedKey;
    core::ResolvedCodec m_unframedValue;
    quint64 m_generation = 0;
    qint64 m_requestsBefore = 0; // of clients replaced
};

} // namespace kbatch::ui

#pragma once

#include "core/model/Error.h"
#include "core/model/RegistrySettings.h"
#include "core/model/SerializerSettings.h"
#include "core/schema/SchemaResolver.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace kbatch::core {
class CodecCache;
class RegistryClient;
} // namespace kbatch::core

namespace kbatch::ui {

// What the open document's key and value are typed as: for each part, the codec and schema (subject, version, id)
// its serialization resolves to through the chosen profile's Schema Registry, and how far that got.
//
// One setter, setTarget(), for whoever knows the document's serialization, topic and profile (the window wiring,
// the send bar's serialization choices); it resolves both parts again when any of the three changed. Resolving is
// asynchronous (RegistryClient's network calls never block, compiled codecs are kept per schema id across targets);
// an answer for a target that has since changed is dropped. setCodec() gives a part a codec directly (a local schema:
// tests, the screenshot script).
//
// Signals: changed() once per change of either part's state or codec, nothing else. GUI thread only.
class SchemaContext : public QObject
{
    Q_OBJECT
public:
    enum class State { None, Resolving, Ready, Error };
    struct Part
    {
        State state = State::None; // None: the part is sent as bytes
        core::ResolvedCodec codec; // set when Ready
        QString error;             // when Error: one line, the registry's or the settings' reason
        bool typed() const { return state == State::Ready && codec.codec != nullptr; }
    };
    // Reads the registry settings (with secrets, which may take the keychain a while) of a connection profile and
    // calls `done` once, on this thread, unless `context` is gone by then; an error when it has no registry.
    using RegistryDone = std::function<void(const core::Result<core::RegistrySettings> &)>;
    using RegistryLookup = std::function<void(const QString &profile, QObject *context, RegistryDone done)>;

    explicit SchemaContext(RegistryLookup lookup, QObject *parent = nullptr);
    ~SchemaContext() override;

    // Resolves the key's and the value's codec for `serialization` when sent to `topic` through `profile`'s
    // registry. Does nothing when all three are as they were (so it can be called on every related signal). The
    // typed parts show Resolving at once; the registry is asked once the target has stayed put for a moment, so
    // that typing a topic name does not ask about every prefix of it.
    void setTarget(const core::Serialization &serialization, const QString &topic, const QString &profile);
    // As setTarget() resolved it, asked again (the registry's latest version may have moved).
    void refresh();
    // Gives `which` part this codec (Ready) or none (None when `codec.codec` is null), without asking a registry; a
    // later setTarget() with other arguments replaces it.
    void setCodec(core::PayloadPart which, const core::ResolvedCodec &codec);
    // The open document's folder, which relative .proto and descriptor set paths are taken from (as kbatch-cli takes
    // them from the template's); empty for a document not saved yet, where such paths are an error that says so.
    // A Protobuf-from-files part is compiled again when it changes.
    void setDocumentDir(const QString &dir);
    const QString &documentDir() const { return m_documentDir; }

    const Part &part(core::PayloadPart part) const { return part == core::PayloadPart::Key ? m_key : m_value; }
    const core::Serialization &serialization() const { return m_serialization; }
    const QString &topic() const { return m_topic; }
    // True while either part is being resolved.
    bool isResolving() const { return m_key.state == State::Resolving || m_value.state == State::Resolving; }

    // A part's state in a few words, for a status line: "Avro, orders-value v3 (id 7)", "Protobuf shop.Order,
    // orders-value v1 (id 9)", "Protobuf shop.Order from protos/shop.proto, sent unframed (no registry)",
    // "resolving…", the error.
    static QString describe(const Part &part);

signals:
    void changed();

private:
    void resolveWith(const core::Result<core::RegistrySettings> &settings);
    void resolvePart(core::PayloadPart which, const core::SerializerSettings &asked);
    void resolveUnframed(); // the parts from .proto files or descriptor sets: compiled at once, no registry
    Part &partRef(core::PayloadPart which) { return which == core::PayloadPart::Key ? m_key : m_value; }

    RegistryLookup m_lookup;
    QTimer m_settle; // setTarget() -> refresh(), once typing stops
    std::shared_ptr<core::CodecCache> m_codecs;
    // A new client and resolver per target: its answers are then the target's, and destroying it drops the late
    // answers of the one before.
    std::unique_ptr<core::RegistryClient> m_client;
    std::unique_ptr<core::SchemaResolver> m_resolver;
    std::unique_ptr<QObject> m_lookupContext; // the running lookup's: replaced (its answer dropped) by a new target
    core::Serialization m_serialization;
    QString m_topic;
    QString m_profile;
    QString m_documentDir;
    bool m_hasTarget = false;
    Part m_key;
    Part m_value;
};

} // namespace kbatch::ui

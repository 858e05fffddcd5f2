#include "ui/schema/SchemaContext.h"

#include "core/schema/CodecCache.h"
#include "core/schema/ProtobufCodec.h"
#include "core/schema/RegistryClient.h"

namespace kbatch::ui {

using core::PayloadPart;

namespace {
// Long enough to cover the gap between two keystrokes, short enough to feel immediate.
constexpr int SettleMs = 300;

// A part that a registry is asked about (Protobuf from files is serialized without one).
bool asksRegistry(const core::SerializerSettings &s)
{
    return s.usesRegistry() && !s.sendsUnframed();
}
bool asksRegistry(const core::Serialization &s)
{
    return asksRegistry(s.key) || asksRegistry(s.value);
}
} // namespace

SchemaContext::SchemaContext(RegistryLookup lookup, QObject *parent)
    : QObject(parent), m_lookup(std::move(lookup)), m_codecs(std::make_shared<core::CodecCache>())
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &SchemaContext::refresh);
}

SchemaContext::~SchemaContext() = default;

void SchemaContext::setTarget(const core::Serialization &serialization, const QString &topic, const QString &profile)
{
    if (m_hasTarget && serialization == m_serialization && topic == m_topic && profile == m_profile)
        return;
    m_hasTarget = true;
    m_serialization = serialization;
    m_topic = topic;
    m_profile = profile;
    if (!asksRegistry(serialization)) {
        refresh(); // nothing to ask: bytes, or Protobuf from files, at once
        return;
    }
    // Whatever was resolved is for another target: not ready until the new one is asked.
    m_lookupContext.reset();
    m_resolver.reset();
    m_client.reset();
    m_key = {};
    m_value = {};
    if (serialization.key.usesRegistry())
        m_key.state = State::Resolving;
    if (serialization.value.usesRegistry())
        m_value.state = State::Resolving;
    resolveUnframed();
    m_settle.start();
    emit changed();
}

void SchemaContext::refresh()
{
    m_settle.stop();
    // The old lookup's and resolver's answers are for the old target: destroying their contexts drops them.
    m_lookupContext.reset();
    m_resolver.reset();
    m_client.reset();
    m_key = {};
    m_value = {};
    resolveUnframed();
    if (asksRegistry(m_serialization)) {
        for (PayloadPart which : {PayloadPart::Key, PayloadPart::Value})
            if (asksRegistry(which == PayloadPart::Key ? m_serialization.key : m_serialization.value))
                partRef(which).state = State::Resolving;
        if (m_lookup) {
            m_lookupContext = std::make_unique<QObject>();
            m_lookup(m_profile, m_lookupContext.get(),
                     [this](const core::Result<core::RegistrySettings> &settings) { resolveWith(settings); });
        } else {
            resolveWith(core::Error(tr("no Schema Registry is set")));
        }
    }
    emit changed();
}

void SchemaContext::resolveWith(const core::Result<core::RegistrySettings> &settings)
{
    if (!settings) {
        for (Part *p : {&m_key, &m_value}) {
            if (p->state == State::Resolving) {
                p->state = State::Error;
                p->error = settings.error().message();
            }
        }
        emit changed();
        return;
    }
    m_client = std::make_unique<core::RegistryClient>(*settings);
    m_resolver = std::make_unique<core::SchemaResolver>(*m_client, m_codecs);
    resolvePart(PayloadPart::Key, m_serialization.key);
    resolvePart(PayloadPart::Value, m_serialization.value);
}

void SchemaContext::resolveUnframed()
{
    for (PayloadPart which : {PayloadPart::Key, PayloadPart::Value}) {
        const core::SerializerSettings &s = which == PayloadPart::Key ? m_serialization.key : m_serialization.value;
        if (!s.sendsUnframed())
            continue;
        // Compiled here, on the GUI thread: local files, no network, and a few milliseconds for a typical file.
        Part &p = partRef(which);
        auto resolved = core::resolveUnframed(s, m_documentDir);
        if (resolved) {
            p.state = State::Ready;
            p.codec = std::move(resolved.value());
        } else {
            p.state = State::Error;
            p.error = resolved.error().message();
        }
    }
}

void SchemaContext::setDocumentDir(const QString &dir)
{
    if (dir == m_documentDir)
        return;
    m_documentDir = dir;
    if (m_hasTarget && (m_serialization.key.sendsUnframed() || m_serialization.value.sendsUnframed())) {
        resolveUnframed();
        emit changed();
    }
}

void SchemaContext::resolvePart(PayloadPart which, const core::SerializerSettings &asked)
{
    if (!asksRegistry(asked))
        return;
    partRef(which).state = State::Resolving;
    // Checking rows must never register a schema: that is Send's to do (and the user's to confirm). A local schema
    // that is not registered yet is checked against its own text, with no id until Send registers it.
    core::SerializerSettings settings = asked;
    const bool registersAtSend = settings.autoRegister && !settings.schemaText.isEmpty();
    settings.autoRegister = false;
    m_resolver->resolve(settings, m_topic, which, settings.recordName, m_resolver.get(),
                        [this, which, registersAtSend, asked](const core::RegistryResult<core::ResolvedCodec> &r) {
                            Part &p = partRef(which);
                            if (r.ok()) {
                                p.state = State::Ready;
                                p.codec = r.value();
                            } else if (registersAtSend && r.error().kind == core::RegistryError::Kind::NotFound) {
                                core::ResolvedSchema local;
                                local.schema.text = asked.schemaText;
                                local.schema.references = asked.references;
                                local.schema.format =
                                    core::schemaFormatOf(asked.kind).value_or(core::SchemaFormat::Avro);
                                auto compiled = core::compilePayloadCodec(local, asked.messageType);
                                if (compiled) {
                                    p.state = State::Ready;
                                    p.codec = {local.schema, std::move(compiled.value())};
                                } else {
                                    p.state = State::Error;
                                    p.error = compiled.error().message();
                                }
                            } else {
                                p.state = State::Error;
                                p.error = r.error().text;
                            }
                            emit changed();
                        });
}

void SchemaContext::setCodec(PayloadPart which, const core::ResolvedCodec &codec)
{
    Part &p = partRef(which);
    p = {};
    if (codec.codec) {
        p.state = State::Ready;
        p.codec = codec;
    }
    emit changed();
}

QString SchemaContext::describe(const Part &part)
{
    switch (part.state) {
    case State::None:
        return tr("bytes");
    case State::Resolving:
        return tr("resolving the schema…");
    case State::Error:
        return part.error;
    case State::Ready: {
        const core::Schema &s = part.codec.schema;
        QString format = core::displayName(s.format);
        // A Protobuf schema holds several message types: which one the rows are.
        if (s.format == core::SchemaFormat::Protobuf && part.codec.codec)
            format = tr("%1 %2").arg(format, part.codec.codec->recordName());
        if (!part.codec.framed)
            return tr("%1 from %2, sent unframed (no registry)").arg(format, part.codec.source);
        if (s.id == 0)
            return tr("%1, not registered yet (Send registers it)").arg(format);
        if (s.subject.isEmpty())
            return tr("%1, schema id %2").arg(format).arg(s.id);
        if (s.version == 0)
            return tr("%1, %2 (id %3)").arg(format, s.subject).arg(s.id);
        return tr("%1, %2 v%3 (id %4)").arg(format, s.subject).arg(s.version).arg(s.id);
    }
    }
    return {};
}

} // namespace kbatch::ui

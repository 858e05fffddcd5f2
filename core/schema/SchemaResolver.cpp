#include "SchemaResolver.h"

#include "ProtobufCodec.h"
#include "SubjectName.h"

#include <QCryptographicHash>
#include <QMetaObject>
#include <QPointer>

namespace kbatch::core {

namespace {

QString partName(PayloadPart part)
{
    return part == PayloadPart::Key ? QStringLiteral("key") : QStringLiteral("value");
}

// Everything about a question that changes its answer.
QString questionKey(const SerializerSettings &s, const QString &topic, PayloadPart part, const QString &recordName)
{
    QString refs;
    for (const SchemaReference &r : s.references)
        refs +=
            r.name + QLatin1Char('@') + r.subject + QLatin1Char('@') + QString::number(r.version) + QLatin1Char(';');
    const QByteArray textHash = QCryptographicHash::hash(s.schemaText, QCryptographicHash::Sha256).toHex();
    return QStringList{toString(s.kind),
                       toString(s.subjectStrategy),
                       s.version.toString(),
                       s.autoRegister ? QStringLiteral("register") : QStringLiteral("look up"),
                       QString::fromLatin1(textHash),
                       refs,
                       s.subject,
                       s.messageType,
                       topic,
                       partName(part),
                       recordName}
        .join(QLatin1Char('\n'));
}

// An explicit subject (kbatch-cli --value-subject) wins over the strategy.
Result<QString> subjectFor(const SerializerSettings &s, const QString &topic, PayloadPart part, const QString &record)
{
    if (!s.subject.isEmpty())
        return s.subject;
    return subjectName(s.subjectStrategy, topic, part, record);
}

} // namespace

SchemaResolver::SchemaResolver(RegistryClient &client, std::shared_ptr<CodecCache> codecs, QObject *parent)
    : QObject(parent), m_client(client), m_codecs(codecs ? std::move(codecs) : std::make_shared<CodecCache>())
{}

SchemaResolver::~SchemaResolver() = default;

RegistryError SchemaResolver::settingsError(const QString &text)
{
    RegistryError e;
    e.kind = RegistryError::Kind::Settings;
    e.text = text;
    return e;
}

Result<ResolvedCodec> resolveUnframed(const SerializerSettings &settings, const QString &baseDir)
{
    auto codec = ProtobufCodec::compileLocal(settings, baseDir);
    if (!codec)
        return codec.error();
    ResolvedCodec out;
    out.schema.format = SchemaFormat::Protobuf;
    out.schema.text = (*codec)->mainFileText();
    out.codec = std::move(codec.value());
    out.framed = false;
    out.source = settings.descriptorSet.isEmpty() ? settings.protoPaths.value(0) : settings.descriptorSet;
    return out;
}

void SchemaResolver::resolve(const SerializerSettings &settings, const QString &topic, PayloadPart part,
                             const QString &recordName, QObject *context, RegistryClient::Callback<ResolvedCodec> done)
{
    const bool hasContext = context != nullptr;
    RegistryClient::Callback<ResolvedCodec> callback = [guard = QPointer<QObject>(context), hasContext,
                                                        done =
                                                            std::move(done)](const RegistryResult<ResolvedCodec> &r) {
        if (!hasContext || guard)
            done(r);
    };
    const QString key = questionKey(settings, topic, part, recordName);
    const auto format = schemaFormatOf(settings.kind);
    if (!format || m_done.contains(key)) {
        const RegistryResult<ResolvedCodec> answer =
            format ? RegistryResult<ResolvedCodec>(m_done.value(key))
                   : RegistryResult<ResolvedCodec>(settingsError(
                         QStringLiteral("the %1 is set to bytes: there is no schema to resolve").arg(partName(part))));
        QMetaObject::invokeMethod(
            this, [callback, answer] { callback(answer); }, Qt::QueuedConnection);
        return;
    }
    auto waiting = m_waiting.find(key);
    if (waiting != m_waiting.end()) {
        waiting->append(callback);
        return;
    }
    m_waiting.insert(key, {callback});
    const Finish finish = [this, key](const RegistryResult<ResolvedCodec> &r) {
        if (r)
            m_done.insert(key, *r);
        const auto callbacks = m_waiting.take(key);
        for (const auto &cb : callbacks)
            cb(r);
    };
    if (settings.sendsUnframed()) {
        // Protobuf from files: no registry, no frame; relative paths from the template's folder (setBaseDir()).
        auto codec = resolveUnframed(settings, m_baseDir);
        const RegistryResult<ResolvedCodec> answer =
            codec ? RegistryResult<ResolvedCodec>(codec.value())
                  : RegistryResult<ResolvedCodec>(settingsError(
                        QStringLiteral("the %1's schema: %2").arg(partName(part), codec.error().message())));
        QMetaObject::invokeMethod(
            this, [finish, answer] { finish(answer); }, Qt::QueuedConnection);
        return;
    }
    if (!settings.schemaText.isEmpty())
        resolveLocal(settings, *format, topic, part, recordName, finish);
    else
        resolveRegistered(settings, *format, topic, part, recordName, finish);
}

void SchemaResolver::resolveLocal(const SerializerSettings &settings, SchemaFormat format, const QString &topic,
                                  PayloadPart part, const QString &recordName, const Finish &finish)
{
    Schema local;
    local.format = format;
    local.text = settings.schemaText;
    local.references = settings.references;
    m_client.resolveReferences(local, this, [=, this](const RegistryResult<ResolvedSchema> &resolved) {
        if (!resolved) {
            finish(resolved.error());
            return;
        }
        auto compiled = compilePayloadCodec(*resolved, settings.messageType);
        if (!compiled) {
            finish(
                settingsError(QStringLiteral("the %1's schema: %2").arg(partName(part), compiled.error().message())));
            return;
        }
        const std::shared_ptr<const PayloadCodec> codec = compiled.value();
        const QString name = recordName.isEmpty() ? codec->recordName() : recordName;
        const auto subject = subjectFor(settings, topic, part, name);
        if (!subject) {
            finish(settingsError(subject.error().message()));
            return;
        }
        const auto withId = [this, codec, finish,
                             messageType = settings.messageType](const RegistryResult<Schema> &registered) {
            if (!registered) {
                finish(registered.error());
                return;
            }
            ResolvedCodec out;
            out.schema = *registered;
            out.codec = m_codecs->insert(out.schema.id, codec, messageType);
            finish(out);
        };
        if (settings.autoRegister)
            m_client.registerSchema(*subject, local, this, withId);
        else
            m_client.lookup(*subject, local, this, withId);
    });
}

void SchemaResolver::resolveRegistered(const SerializerSettings &settings, SchemaFormat format, const QString &topic,
                                       PayloadPart part, const QString &recordName, const Finish &finish)
{
    const SubjectNameStrategy strategy = settings.subjectStrategy;
    if (settings.version.kind == VersionSelector::Kind::SchemaId) {
        m_client.schemaById(settings.version.number, this, [=, this](const RegistryResult<ResolvedSchema> &resolved) {
            if (!resolved) {
                finish(resolved.error());
                return;
            }
            compileFetched(*resolved, format, settings.messageType, {}, strategy, finish);
        });
        return;
    }
    const auto subject = subjectFor(settings, topic, part, recordName);
    if (!subject) {
        finish(settingsError(subject.error().message()));
        return;
    }
    const int version = settings.version.kind == VersionSelector::Kind::Version ? settings.version.number : 0;
    m_client.subjectVersion(*subject, version, this, [=, this](const RegistryResult<Schema> &fetched) {
        if (!fetched) {
            finish(fetched.error());
            return;
        }
        m_client.resolveReferences(*fetched, this, [=, this](const RegistryResult<ResolvedSchema> &resolved) {
            if (!resolved) {
                finish(resolved.error());
                return;
            }
            compileFetched(*resolved, format, settings.messageType, recordName, strategy, finish);
        });
    });
}

void SchemaResolver::compileFetched(const ResolvedSchema &schema, SchemaFormat format, const QString &messageType,
                                    const QString &recordName, SubjectNameStrategy strategy, const Finish &finish)
{
    const QString which =
        schema.schema.subject.isEmpty()
            ? QStringLiteral("schema id %1").arg(schema.schema.id)
            : QStringLiteral("subject '%1' version %2").arg(schema.schema.subject).arg(schema.schema.version);
    if (schema.schema.format != format) {
        const QString article = schema.schema.format == SchemaFormat::Avro ? QStringLiteral("an") : QStringLiteral("a");
        finish(settingsError(QStringLiteral("%1 is %2 %3 schema, not %4")
                                 .arg(which, article, displayName(schema.schema.format), displayName(format))));
        return;
    }
    auto codec = m_codecs->get(schema, messageType);
    if (!codec) {
        finish(settingsError(QStringLiteral("%1: %2").arg(which, codec.error().message())));
        return;
    }
    if (strategy != SubjectNameStrategy::TopicName && !recordName.isEmpty() && (*codec)->recordName() != recordName) {
        finish(settingsError(QStringLiteral("%1 is for %2, not %3").arg(which, (*codec)->recordName(), recordName)));
        return;
    }
    ResolvedCodec out;
    out.schema = schema.schema;
    out.codec = codec.value();
    finish(out);
}

} // namespace kbatch::core

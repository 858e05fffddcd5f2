#include "ProtobufCodec.h"

#include "ProtobufJsonEncoder.h"
#include "ProtobufPool.h"
#include "ProtobufSamples.h"

#include <QDir>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/json_util.h>

namespace kbatch::core {

namespace pb = google::protobuf;

namespace {

// Whether `m` or any message inside it kept fields its type does not define. Read only: the message is not changed.
bool hasUnknownFields(const pb::Message &m)
{
    const pb::Reflection *r = m.GetReflection();
    if (r->GetUnknownFields(m).field_count() > 0)
        return true;
    std::vector<const pb::FieldDescriptor *> fields;
    r->ListFields(m, &fields);
    for (const pb::FieldDescriptor *f : fields) {
        if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
            continue;
        if (f->is_repeated()) {
            for (int i = 0; i < r->FieldSize(m, f); ++i) {
                if (hasUnknownFields(r->GetRepeatedMessage(m, f, i)))
                    return true;
            }
        } else if (hasUnknownFields(r->GetMessage(m, f))) {
            return true;
        }
    }
    return false;
}

QString absoluteFrom(const QString &baseDir, const QString &path)
{
    if (QDir::isAbsolutePath(path) || baseDir.isEmpty())
        return QDir::cleanPath(path);
    return QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
}

} // namespace

ProtobufCodec::ProtobufCodec(std::shared_ptr<const ProtobufPool> pool, const pb::Descriptor *type)
    : m_pool(std::move(pool)), m_type(type)
{
    // The index path: the type's index among its parent's nested types, up to the file's top level.
    for (const pb::Descriptor *d = type; d; d = d->containing_type())
        m_indexes.prepend(d->index());
}

ProtobufCodec::~ProtobufCodec() = default;

Result<std::shared_ptr<const ProtobufCodec>> ProtobufCodec::fromPool(std::shared_ptr<const ProtobufPool> pool,
                                                                     const QString &messageType)
{
    auto type = pool->findMessage(messageType);
    if (!type)
        return type.error();
    return std::shared_ptr<const ProtobufCodec>(new ProtobufCodec(std::move(pool), type.value()));
}

Result<std::shared_ptr<const ProtobufCodec>> ProtobufCodec::compile(const ResolvedSchema &schema,
                                                                    const QString &messageType)
{
    auto pool = ProtobufPool::fromRegistry(schema);
    if (!pool)
        return pool.error();
    auto codec = fromPool(pool.value(), messageType);
    if (!codec)
        return codec;
    const pb::Descriptor *type = (*codec)->type();
    if (type->file() != (*pool)->mainFile())
        return Error(QStringLiteral("message type '%1' is declared in '%2', which the schema imports: send it with the "
                                    "subject that holds '%2'")
                         .arg(QString::fromStdString(type->full_name()), QString::fromStdString(type->file()->name())));
    return codec;
}

Result<std::shared_ptr<const ProtobufCodec>> ProtobufCodec::compileLocal(const SerializerSettings &settings,
                                                                         const QString &baseDir)
{
    if (baseDir.isEmpty()) {
        // Relative to nothing: the working directory would be a guess that works on one machine only.
        const QStringList paths =
            settings.descriptorSet.isEmpty() ? settings.protoPaths : QStringList{settings.descriptorSet};
        for (const QString &p : paths)
            if (QDir::isRelativePath(p))
                return Error(QStringLiteral("'%1' is relative to the template's folder, and the template is not saved "
                                            "yet: save it first, or give absolute paths")
                                 .arg(p));
    }
    Result<std::shared_ptr<const ProtobufPool>> pool = Error(QString());
    if (!settings.descriptorSet.isEmpty()) {
        pool = ProtobufPool::fromDescriptorSet(absoluteFrom(baseDir, settings.descriptorSet));
    } else {
        QStringList files, dirs;
        for (const QString &p : settings.protoPaths)
            (p.endsWith(QLatin1String(".proto")) ? files : dirs).append(absoluteFrom(baseDir, p));
        if (files.isEmpty())
            return Error(QStringLiteral("no .proto file or descriptor set given for the Protobuf payload"));
        pool = ProtobufPool::fromFiles(files, dirs);
    }
    if (!pool)
        return pool.error();
    return fromPool(std::move(pool.value()), settings.messageType);
}

QByteArray ProtobufCodec::mainFileText() const
{
    return QByteArray::fromStdString(m_pool->mainFile()->DebugString());
}

std::unique_ptr<ProtobufJsonEncoder> ProtobufCodec::takeEncoder() const
{
    if (auto idle = m_idle.take())
        return idle;
    return std::make_unique<ProtobufJsonEncoder>(m_pool, m_type);
}

void ProtobufCodec::giveBack(std::unique_ptr<ProtobufJsonEncoder> encoder) const
{
    m_idle.giveBack(std::move(encoder));
}

Status ProtobufCodec::encode(QByteArrayView json, QByteArray &out) const
{
    auto encoder = takeEncoder();
    Status result = encoder->encode(json, out);
    giveBack(std::move(encoder));
    return result;
}

Result<QByteArray> ProtobufCodec::decode(QByteArrayView payload) const
{
    const QString typeName = QString::fromStdString(m_type->full_name());
    auto message = m_pool->newMessage(m_type);
    if (!message->ParseFromArray(payload.data(), int(payload.size())))
        return Error(
            QStringLiteral("%1 bytes: not a %2 message (truncated or malformed)").arg(payload.size()).arg(typeName));
    // Fields the type does not define would be lost in JSON, and the JSON would no longer give these bytes back.
    if (hasUnknownFields(*message))
        return Error(QStringLiteral("the bytes hold fields that %1 does not define (written with another schema?)")
                         .arg(typeName));
    QByteArray binary;
    ProtobufJsonEncoder::appendDeterministic(*message, binary);
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string json;
    const auto status = pb::util::BinaryToJsonString(&m_pool->typeResolver(), ProtobufPool::typeUrl(m_type),
                                                     binary.toStdString(), &json, options);
    if (!status.ok())
        return Error(QStringLiteral("%1 cannot be written as JSON: %2")
                         .arg(typeName, QString::fromStdString(std::string(status.message()))));
    return QByteArray::fromStdString(json);
}

QByteArray ProtobufCodec::skeleton() const
{
    return ProtobufSamples::skeleton(*m_pool, m_type);
}

QByteArray ProtobufCodec::randomValue(Random &random) const
{
    return ProtobufSamples::randomValue(*m_pool, m_type, random);
}

QString ProtobufCodec::recordName() const
{
    return QString::fromStdString(m_type->full_name());
}

QStringList ProtobufCodec::messageTypes() const
{
    return m_pool->messageNames();
}

} // namespace kbatch::core

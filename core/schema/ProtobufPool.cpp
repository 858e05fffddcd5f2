#include "ProtobufPool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kbatch::core {

namespace pb = google::protobuf;

namespace {

// More than a few errors of a .proto file are one mistake and its echoes: the first ones say it.
constexpr std::size_t MaxErrors = 3;

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

// Parse and validation errors of every file, as "file:line:column: message" (1-based).
class Errors final : public pb::compiler::MultiFileErrorCollector, public pb::DescriptorPool::ErrorCollector
{
public:
    void AddError(const std::string &filename, int line, int column, const std::string &message) override
    {
        if (line < 0)
            add(QStringLiteral("%1: %2").arg(fromStd(filename), fromStd(message)));
        else
            add(QStringLiteral("%1:%2:%3: %4")
                    .arg(fromStd(filename))
                    .arg(line + 1)
                    .arg(column + 1)
                    .arg(fromStd(message)));
    }
    // A pool's own errors (a descriptor set): the element's name says where.
    void AddError(const std::string &filename, const std::string &element, const pb::Message *, ErrorLocation,
                  const std::string &message) override
    {
        add(QStringLiteral("%1: %2: %3").arg(fromStd(filename), fromStd(element), fromStd(message)));
    }
    bool any() const { return !m_texts.isEmpty(); }
    Error error(const QString &fallback) const
    {
        if (m_texts.isEmpty())
            return Error(fallback);
        QString text = m_texts.mid(0, qsizetype(MaxErrors)).join(QStringLiteral("; "));
        if (m_texts.size() > qsizetype(MaxErrors))
            text += QStringLiteral(" (and %1 more)").arg(m_texts.size() - qsizetype(MaxErrors));
        return Error(text);
    }

private:
    void add(QString text)
    {
        if (text.endsWith(QLatin1Char('.'))) // joined with "; " below
            text.chop(1);
        if (!m_texts.contains(text))
            m_texts.append(text);
    }
    QStringList m_texts;
};

// .proto texts held in memory under their import paths (a registry schema and its references).
class MemorySourceTree final : public pb::compiler::SourceTree
{
public:
    void add(const std::string &name, const QByteArray &text) { m_files[name] = text.toStdString(); }
    bool contains(const std::string &name) const { return m_files.count(name) != 0; }
    pb::io::ZeroCopyInputStream *Open(const std::string &filename) override
    {
        const auto it = m_files.find(filename);
        if (it == m_files.end())
            return nullptr;
        return new pb::io::ArrayInputStream(it->second.data(), int(it->second.size()));
    }
    std::string GetLastErrorMessage() override { return "File not found (not among the schema's references)"; }

private:
    std::map<std::string, std::string> m_files;
};

void collectNames(const pb::Descriptor *d, QStringList &out)
{
    if (d->options().map_entry())
        return; // map<K, V> fields' generated entry types are no one's message type
    out.append(fromStd(d->full_name()));
    for (int i = 0; i < d->nested_type_count(); ++i)
        collectNames(d->nested_type(i), out);
}

} // namespace

struct ProtobufPool::Parts
{
    Errors errors;
    std::unique_ptr<pb::compiler::SourceTree> tree;
    std::unique_ptr<pb::compiler::SourceTreeDescriptorDatabase> sourceDb;
    std::unique_ptr<pb::SimpleDescriptorDatabase> setDb;
    std::unique_ptr<pb::DescriptorPoolDatabase> generatedDb;
    std::unique_ptr<pb::MergedDescriptorDatabase> merged;
    std::unique_ptr<pb::DescriptorPool> pool;
    std::unique_ptr<pb::DynamicMessageFactory> factory;
};

ProtobufPool::ProtobufPool() : m_parts(std::make_unique<Parts>()) {}

ProtobufPool::~ProtobufPool()
{
    // The resolver and the factory refer to the pool, which refers to the databases: torn down in that order.
    m_resolver.reset();
    m_parts->factory.reset();
    m_parts->pool.reset();
}

Status ProtobufPool::finish(const std::string &mainName)
{
    Parts &p = *m_parts;
    p.generatedDb = std::make_unique<pb::DescriptorPoolDatabase>(*pb::DescriptorPool::generated_pool());
    // A descriptor set first: one that carries its own copy of a well-known type is read as it is. Source files
    // after libprotobuf's types: a source tree reports every file it cannot open as an error, even one that the
    // next database has. A registry's schemas may be both (.proto texts and encoded descriptors): libprotobuf's
    // types, the descriptors, then the texts.
    if (p.sourceDb && p.setDb)
        p.merged = std::make_unique<pb::MergedDescriptorDatabase>(
            std::vector<pb::DescriptorDatabase *>{p.generatedDb.get(), p.setDb.get(), p.sourceDb.get()});
    else if (p.sourceDb)
        p.merged = std::make_unique<pb::MergedDescriptorDatabase>(p.generatedDb.get(), p.sourceDb.get());
    else
        p.merged = std::make_unique<pb::MergedDescriptorDatabase>(p.setDb.get(), p.generatedDb.get());
    pb::DescriptorPool::ErrorCollector *collector = p.sourceDb
                                                        ? p.sourceDb->GetValidationErrorCollector()
                                                        : static_cast<pb::DescriptorPool::ErrorCollector *>(&p.errors);
    p.pool = std::make_unique<pb::DescriptorPool>(p.merged.get(), collector);
    m_main = p.pool->FindFileByName(mainName);
    if (!m_main || p.errors.any())
        return p.errors.error(QStringLiteral("%1: cannot be compiled").arg(fromStd(mainName)));
    p.factory = std::make_unique<pb::DynamicMessageFactory>(p.pool.get());
    m_resolver.reset(pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", p.pool.get()));
    return Ok{};
}

namespace {

// A registry's Protobuf schema is usually .proto text, but Confluent's serializers (Python's among them) register a
// file as its FileDescriptorProto, base64-encoded, and a registry that does not convert it (Apicurio) serves it so.
// Text of base64 characters only that decodes to a descriptor with something in it is taken as one; .proto text
// always has spaces, semicolons or braces, so the two cannot be confused.
std::optional<pb::FileDescriptorProto> encodedDescriptor(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    for (const char c : trimmed)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=' && c != '-' && c != '_')
            return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(trimmed, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        decoded = QByteArray::fromBase64Encoding(trimmed, QByteArray::Base64UrlEncoding |
                                                              QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
    }
    pb::FileDescriptorProto file;
    if (!file.ParseFromArray(decoded.decoded.constData(), int(decoded.decoded.size())))
        return std::nullopt;
    if (file.message_type_size() == 0 && file.enum_type_size() == 0 && file.dependency_size() == 0)
        return std::nullopt;
    return file;
}

} // namespace

Result<std::shared_ptr<const ProtobufPool>> ProtobufPool::fromRegistry(const ResolvedSchema &schema)
{
    std::shared_ptr<ProtobufPool> out(new ProtobufPool());
    auto tree = std::make_unique<MemorySourceTree>();
    auto descriptors = std::make_unique<pb::SimpleDescriptorDatabase>();
    bool anyDescriptor = false;
    // Each schema under the file name it is imported by (the main one: its subject's).
    const auto place = [&](const std::string &name, const QByteArray &text) -> Status {
        if (auto file = encodedDescriptor(text)) {
            file->set_name(name);
            if (!descriptors->Add(*file))
                return Error(QStringLiteral("the schema for '%1' is given twice").arg(fromStd(name)));
            anyDescriptor = true;
        } else {
            tree->add(name, text);
        }
        return Ok{};
    };
    // Each reference names the import path under which its schema's text is imported.
    QList<const Schema *> all{&schema.schema};
    for (const Schema &s : schema.referenced)
        all.append(&s);
    for (const Schema *s : all) {
        for (const SchemaReference &r : s->references) {
            const Schema *found = nullptr;
            for (const Schema &candidate : schema.referenced) {
                if (candidate.subject == r.subject && (candidate.version == r.version || r.version <= 0)) {
                    found = &candidate;
                    break;
                }
            }
            if (!found)
                return Error(QStringLiteral("reference '%1' (subject '%2' version %3) was not resolved")
                                 .arg(r.name, r.subject)
                                 .arg(r.version));
            if (found->format != SchemaFormat::Protobuf)
                return Error(QStringLiteral("reference '%1' (subject '%2') is %3, not Protobuf")
                                 .arg(r.name, r.subject, displayName(found->format)));
            if (auto placed = place(r.name.toStdString(), found->text); !placed)
                return placed.error();
        }
    }
    // The schema's own text needs a file name too: the subject's, which the errors then show.
    std::string mainName =
        (schema.schema.subject.isEmpty() ? QStringLiteral("schema-%1").arg(schema.schema.id) : schema.schema.subject)
            .toStdString() +
        ".proto";
    pb::FileDescriptorProto taken;
    while (tree->contains(mainName) || descriptors->FindFileByName(mainName, &taken))
        mainName.insert(0, 1, '_');
    if (auto placed = place(mainName, schema.schema.text); !placed)
        return placed.error();
    Parts &p = *out->m_parts;
    if (anyDescriptor)
        p.setDb = std::move(descriptors);
    p.tree = std::move(tree);
    p.sourceDb = std::make_unique<pb::compiler::SourceTreeDescriptorDatabase>(p.tree.get());
    p.sourceDb->RecordErrorsTo(&p.errors);
    if (auto s = out->finish(mainName); !s)
        return s.error();
    return std::shared_ptr<const ProtobufPool>(std::move(out));
}

Result<std::shared_ptr<const ProtobufPool>> ProtobufPool::fromFiles(const QStringList &protoFiles,
                                                                    const QStringList &importDirs)
{
    if (protoFiles.isEmpty())
        return Error(QStringLiteral("no .proto file given"));
    auto tree = std::make_unique<pb::compiler::DiskSourceTree>();
    for (const QString &dir : importDirs) {
        const QFileInfo info(dir);
        if (!info.isDir())
            return Error(QStringLiteral("%1: no such directory (an import path)").arg(dir));
        tree->MapPath("", QDir::cleanPath(info.absoluteFilePath()).toStdString());
    }
    std::vector<std::string> virtualNames;
    for (const QString &file : protoFiles) {
        const QFileInfo info(file);
        if (!info.isFile())
            return Error(QStringLiteral("%1: no such file").arg(file));
        const std::string disk = QDir::cleanPath(info.absoluteFilePath()).toStdString();
        std::string virtualName, shadowing;
        auto found = tree->DiskFileToVirtualFile(disk, &virtualName, &shadowing);
        if (found == pb::compiler::DiskSourceTree::NO_MAPPING) {
            // Not under any import path: its own directory is one, after those given.
            tree->MapPath("", QDir::cleanPath(info.absolutePath()).toStdString());
            found = tree->DiskFileToVirtualFile(disk, &virtualName, &shadowing);
        }
        if (found == pb::compiler::DiskSourceTree::SHADOWED)
            return Error(QStringLiteral("%1: its import path \"%2\" names another file first (%3): reorder the import "
                                        "paths")
                             .arg(file, fromStd(virtualName), fromStd(shadowing)));
        if (found != pb::compiler::DiskSourceTree::SUCCESS)
            return Error(QStringLiteral("%1: cannot be read").arg(file));
        virtualNames.push_back(virtualName);
    }
    std::shared_ptr<ProtobufPool> out(new ProtobufPool());
    Parts &p = *out->m_parts;
    p.tree = std::move(tree);
    p.sourceDb = std::make_unique<pb::compiler::SourceTreeDescriptorDatabase>(p.tree.get());
    p.sourceDb->RecordErrorsTo(&p.errors);
    if (auto s = out->finish(virtualNames.front()); !s)
        return s.error();
    for (std::size_t i = 1; i < virtualNames.size(); ++i) {
        if (!p.pool->FindFileByName(virtualNames[i]) || p.errors.any())
            return p.errors.error(QStringLiteral("%1: cannot be compiled").arg(protoFiles.at(qsizetype(i))));
    }
    return std::shared_ptr<const ProtobufPool>(std::move(out));
}

Result<std::shared_ptr<const ProtobufPool>> ProtobufPool::fromDescriptorSet(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    pb::FileDescriptorSet set;
    if (!set.ParseFromArray(bytes.constData(), int(bytes.size())) || set.file_size() == 0)
        return Error(QStringLiteral("%1: not a descriptor set (make one with protoc --descriptor_set_out=FILE "
                                    "--include_imports)")
                         .arg(path));
    std::shared_ptr<ProtobufPool> out(new ProtobufPool());
    Parts &p = *out->m_parts;
    p.setDb = std::make_unique<pb::SimpleDescriptorDatabase>();
    for (const pb::FileDescriptorProto &f : set.file()) {
        if (!p.setDb->Add(f))
            return Error(QStringLiteral("%1: holds %2 twice").arg(path, fromStd(f.name())));
    }
    if (auto s = out->finish(set.file(set.file_size() - 1).name()); !s)
        return Error(QStringLiteral("%1: %2").arg(path, s.error().text));
    for (const pb::FileDescriptorProto &f : set.file()) {
        if (!p.pool->FindFileByName(f.name()) || p.errors.any())
            return Error(QStringLiteral("%1: %2").arg(
                path, p.errors.error(fromStd(f.name()) + QStringLiteral(": cannot be built")).text));
    }
    return std::shared_ptr<const ProtobufPool>(std::move(out));
}

QStringList ProtobufPool::messageNames() const
{
    QStringList out;
    for (int i = 0; i < m_main->message_type_count(); ++i)
        collectNames(m_main->message_type(i), out);
    return out;
}

Result<QString> ProtobufPool::messageNameAt(const QList<int> &indexes) const
{
    const QList<int> path = indexes.isEmpty() ? QList<int>{0} : indexes;
    const auto pathText = [&path] {
        QStringList parts;
        for (int i : path)
            parts << QString::number(i);
        return QStringLiteral("[%1]").arg(parts.join(QStringLiteral(", ")));
    };
    const pb::Descriptor *type = nullptr;
    for (int i : path) {
        const int count = type ? type->nested_type_count() : m_main->message_type_count();
        if (i < 0 || i >= count)
            return Error(type ? QStringLiteral("message index path %1: %2 has %3 nested message type(s)")
                                    .arg(pathText(), fromStd(type->full_name()))
                                    .arg(count)
                              : QStringLiteral("message index path %1: %2 has %3 top-level message type(s)")
                                    .arg(pathText(), fromStd(m_main->name()))
                                    .arg(count));
        type = type ? type->nested_type(i) : m_main->message_type(i);
    }
    return fromStd(type->full_name());
}

Result<const pb::Descriptor *> ProtobufPool::findMessage(const QString &name) const
{
    const QString file = fromStd(m_main->name());
    if (name.isEmpty()) {
        if (m_main->message_type_count() == 0)
            return Error(QStringLiteral("%1 has no message type").arg(file));
        return m_main->message_type(0);
    }
    const std::string wanted = (name.startsWith(QLatin1Char('.')) ? name.mid(1) : name).toStdString();
    const pb::Descriptor *found = m_parts->pool->FindMessageTypeByName(wanted);
    if (!found && !m_main->package().empty())
        found = m_parts->pool->FindMessageTypeByName(m_main->package() + "." + wanted);
    if (found && !found->options().map_entry())
        return found;
    QStringList names = messageNames();
    if (names.size() > 12)
        names = names.mid(0, 12) << QStringLiteral("...");
    return Error(QStringLiteral("message type '%1' is not in %2 (%3)")
                     .arg(name, file,
                          names.isEmpty() ? QStringLiteral("it has none")
                                          : QStringLiteral("it has ") + names.join(QStringLiteral(", "))));
}

std::unique_ptr<pb::Message> ProtobufPool::newMessage(const pb::Descriptor *type) const
{
    return std::unique_ptr<pb::Message>(m_parts->factory->GetPrototype(type)->New());
}

std::string ProtobufPool::typeUrl(const pb::Descriptor *type)
{
    return "type.googleapis.com/" + type->full_name();
}

} // namespace kbatch::core

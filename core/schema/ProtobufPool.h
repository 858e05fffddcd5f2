#pragma once

#include "Schema.h"
#include "core/model/Error.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace google::protobuf {
class Descriptor;
class DescriptorPool;
class FileDescriptor;
class Message;
namespace util {
class TypeResolver;
}
} // namespace google::protobuf

namespace kbatch::core {

// Compiled .proto files: a descriptor pool and what feeds it, built once from one of three sources. libprotobuf's
// own well-known types (google/protobuf/timestamp.proto, duration.proto, wrappers.proto, ...) are always there, so
// that a schema importing them needs neither a registry reference nor the files on disk (Confluent's serializers
// leave those imports out of the references too).
//
// Thread-safe once built: descriptor pools and the dynamic message factory lock what they change.
class ProtobufPool
{
public:
    ~ProtobufPool();

    // A registry schema: its .proto text, and every referenced schema under the import path its reference names.
    // Errors: "orders-value.proto:4:3: Expected ";"." (the text's own, the file named after the subject), a missing
    // import ("money.proto: File not found; orders-value.proto:5:1: Import \"money.proto\" was not found or had
    // errors"), a reference that the resolved schemas do not hold.
    static Result<std::shared_ptr<const ProtobufPool>> fromRegistry(const ResolvedSchema &schema);
    // .proto files on disk, imports looked up in `importDirs` and then in each file's own directory. The first file is
    // the main file. Errors: a file that does not exist, parse errors ("/x/orders.proto:4:3: ..."), missing imports.
    static Result<std::shared_ptr<const ProtobufPool>> fromFiles(const QStringList &protoFiles,
                                                                 const QStringList &importDirs);
    // A FileDescriptorSet (protoc --descriptor_set_out, with or without --include_imports); the last file of the set
    // is the main file (protoc writes the files it was given after their imports). Errors: unreadable file, not a
    // descriptor set, files whose imports are missing from the set.
    static Result<std::shared_ptr<const ProtobufPool>> fromDescriptorSet(const QString &path);

    const google::protobuf::FileDescriptor *mainFile() const { return m_main; }
    // `name` fully qualified ("kbatch.Order", a leading dot allowed), or relative to the main file's package
    // ("Order", "Order.Line"); empty: the first message of the main file. Errors: "message type 'Ordr' is not in
    // orders.proto (it has kbatch.Order, kbatch.Order.Line, kbatch.Header)", "orders.proto has no message type".
    Result<const google::protobuf::Descriptor *> findMessage(const QString &name) const;
    // A new empty message of `type` (a type of this pool), owned by the caller. Any thread.
    std::unique_ptr<google::protobuf::Message> newMessage(const google::protobuf::Descriptor *type) const;
    // For libprotobuf's JSON conversion of this pool's types. Thread-safe (it only reads the pool).
    google::protobuf::util::TypeResolver &typeResolver() const { return *m_resolver; }
    // "type.googleapis.com/<full name>", as typeResolver() knows `type`.
    static std::string typeUrl(const google::protobuf::Descriptor *type);

    // Every message type of the main file, nested ones after their parent, in declaration order.
    QStringList messageNames() const;
    // The full name of the main file's message type at a Confluent message-index path ([0]: the first top-level
    // message, [1, 0]: the first type nested in the second), as a frame carries it (ConfluentFrame::parseProtobuf).
    // An empty path is [0]. Errors: "message index path [3]: orders.proto has 2 top-level message types".
    Result<QString> messageNameAt(const QList<int> &indexes) const;

private:
    struct Parts;
    ProtobufPool();
    Status finish(const std::string &mainName);

    std::unique_ptr<Parts> m_parts;
    const google::protobuf::FileDescriptor *m_main = nullptr;
    std::unique_ptr<google::protobuf::util::TypeResolver> m_resolver;
};

} // namespace kbatch::core

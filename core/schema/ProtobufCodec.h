#pragma once

#include "IdlePool.h"

#include "PayloadCodec.h"
#include "core/model/SerializerSettings.h"

#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace google::protobuf {
class Descriptor;
}

namespace kbatch::core {

class ProtobufPool;
class ProtobufJsonEncoder;

// PayloadCodec for Protobuf: one message type of compiled .proto files (ProtobufPool), rows read as the canonical
// JSON mapping (ProtobufJsonEncoder says what it takes), bytes written deterministically (fields by number, map
// entries by key) so that decode() and encode() round-trip byte for byte. decode() writes the JSON mapping with the
// .proto field names.
//
// Thread-safe: each encode() borrows an encoder (a dynamic message, a JSON reader) from a small pool.
class ProtobufCodec final : public PayloadCodec
{
public:
    // A registry schema and its references; `messageType` as ProtobufPool::findMessage() takes it (empty: the
    // first message of the schema). The type must be declared in the schema itself, not in one it imports: the frame's
    // index path points into the schema's own file. Errors: ProtobufPool::fromRegistry()'s and findMessage()'s.
    static Result<std::shared_ptr<const ProtobufCodec>> compile(const ResolvedSchema &schema,
                                                                const QString &messageType = {});
    // Without a registry (the payload goes out unframed): `settings.descriptorSet`, or else the .proto files and
    // import directories of `settings.protoPaths` (an entry ending in ".proto" is a file, the first file the main
    // one; any other entry an import directory), with `settings.messageType`. Relative paths are taken from
    // `baseDir` (a template's directory); with no `baseDir` (a template not saved yet) a relative path is an error
    // that says to save first or give absolute paths. Errors: that, "no .proto file or descriptor set given", the
    // pool's, findMessage()'s.
    static Result<std::shared_ptr<const ProtobufCodec>> compileLocal(const SerializerSettings &settings,
                                                                     const QString &baseDir);
    static Result<std::shared_ptr<const ProtobufCodec>> fromPool(std::shared_ptr<const ProtobufPool> pool,
                                                                 const QString &messageType);
    ~ProtobufCodec() override;

    SchemaFormat format() const override { return SchemaFormat::Protobuf; }
    Status encode(QByteArrayView json, QByteArray &out) const override;
    Result<QByteArray> decode(QByteArrayView payload) const override;
    QByteArray skeleton() const override;
    QByteArray randomValue(Random &random) const override;
    QString recordName() const override;
    QList<int> messageIndexes() const override { return m_indexes; }

    // The message types the main file declares (nested ones after their parent), for picking one.
    QStringList messageTypes() const;
    // The main file as .proto text (libprotobuf's rendering: the same for a descriptor set as for the file), to show.
    QByteArray mainFileText() const;
    const ProtobufPool &pool() const { return *m_pool; }
    const google::protobuf::Descriptor *type() const { return m_type; }

private:
    ProtobufCodec(std::shared_ptr<const ProtobufPool> pool, const google::protobuf::Descriptor *type);
    std::unique_ptr<ProtobufJsonEncoder> takeEncoder() const;
    void giveBack(std::unique_ptr<ProtobufJsonEncoder> encoder) const;

    std::shared_ptr<const ProtobufPool> m_pool;
    const google::protobuf::Descriptor *m_type;
    QList<int> m_indexes;
    IdlePool<ProtobufJsonEncoder> m_idle; // for encode() and the like on any thread
};

} // namespace kbatch::core

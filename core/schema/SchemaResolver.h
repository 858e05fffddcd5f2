#pragma once

#include "CodecCache.h"
#include "RegistryClient.h"
#include "Schema.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace kbatch::core {

// What a send needs for one part (key or value) of one record type: the codec and the schema id that frames go
// out with.
struct ResolvedCodec
{
    Schema schema; // id always; subject and version when a subject was asked (not for VersionSelector::SchemaId)
    std::shared_ptr<const PayloadCodec> codec;
    // False for a payload sent without the Confluent frame: Protobuf from .proto files or a descriptor set, no
    // registry (`schema` then has id 0, no subject, and the main file's text as libprotobuf prints it).
    bool framed = true;
    // Where an unframed part's schema came from, as the settings name it: the descriptor set or the first .proto file.
    QString source = {};
};

// A Protobuf part from .proto files or a descriptor set (SerializerSettings::sendsUnframed()), compiled without a
// registry; relative paths are taken from `baseDir`, the template's folder (empty: not saved yet, and relative paths
// are an error). Errors: ProtobufCodec::compileLocal()'s. Any thread.
Result<ResolvedCodec> resolveUnframed(const SerializerSettings &settings, const QString &baseDir);

// Turns SerializerSettings into a ready codec and schema id, asking the registry as little as possible: once per
// send and part and record name (make one resolver per send; a second resolve() of the same question answers from
// memory, and one asked while the first is on its way waits for it), with compiled codecs kept per schema id in a
// CodecCache that outlives the resolver.
//
// The record name: for the RecordName and TopicRecordName strategies the subject depends on the row's record type.
// With a schema from the registry, the caller says which (`recordName`, e.g. a column of the row); with a local
// schema text, an empty `recordName` means the text's own root type. A registry schema whose root is another record
// than the one asked for is refused.
//
// Errors are RegistryError values: the client's (Unreachable, NotFound, Incompatible on auto-register, ...), and
// Settings for what the settings cannot do ("the value is set to bytes: there is no schema to resolve", "subject
// 'x' version 2 is a Protobuf schema, not Avro", the schema's own errors from compiling it).
//
// Thread: the client's (see RegistryClient). The codecs it returns may then be used on any thread.
class SchemaResolver : public QObject
{
    Q_OBJECT
public:
    explicit SchemaResolver(RegistryClient &client, std::shared_ptr<CodecCache> codecs = {}, QObject *parent = nullptr);
    ~SchemaResolver() override;

    void resolve(const SerializerSettings &settings, const QString &topic, PayloadPart part, const QString &recordName,
                 QObject *context, RegistryClient::Callback<ResolvedCodec> done);

    CodecCache &codecs() { return *m_codecs; }
    // The folder relative .proto and descriptor set paths are taken from (see resolveUnframed()); empty by default.
    void setBaseDir(const QString &dir) { m_baseDir = dir; }

private:
    using Finish = std::function<void(const RegistryResult<ResolvedCodec> &)>;
    void resolveLocal(const SerializerSettings &settings, SchemaFormat format, const QString &topic, PayloadPart part,
                      const QString &recordName, const Finish &finish);
    void resolveRegistered(const SerializerSettings &settings, SchemaFormat format, const QString &topic,
                           PayloadPart part, const QString &recordName, const Finish &finish);
    void compileFetched(const ResolvedSchema &schema, SchemaFormat format, const QString &messageType,
                        const QString &recordName, SubjectNameStrategy strategy, const Finish &finish);
    static RegistryError settingsError(const QString &text);

    RegistryClient &m_client;
    std::shared_ptr<CodecCache> m_codecs;
    QString m_baseDir;
    QHash<QString, ResolvedCodec> m_done;
    QHash<QString, QList<RegistryClient::Callback<ResolvedCodec>>> m_waiting;
};

} // namespace kbatch::core

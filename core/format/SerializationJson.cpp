#include "SerializationJson.h"

#include "JsonWriter.h"
#include "core/model/Printable.h"

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;

bool expectObject(JsonContext &ctx)
{
    JsonReader &reader = ctx.reader();
    const auto where = reader.mark();
    const Kind k = reader.peek();
    if (k != Kind::Object)
        return ctx.failType(where, QStringLiteral("an object"), k);
    return reader.beginObject();
}

// An Avro full name: identifiers ([A-Za-z_][A-Za-z0-9_]*) joined by dots.
bool isFullName(const QString &name)
{
    for (const QString &part : name.split(QLatin1Char('.'))) {
        if (part.isEmpty() || part.front().isDigit())
            return false;
        for (QChar c : part) {
            if (!(c.isDigit() || c == QLatin1Char('_') || (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                  (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))))
                return false;
        }
    }
    return true;
}

bool readPart(JsonContext &ctx, SerializerSettings &out)
{
    if (!expectObject(ctx))
        return false;
    JsonReader &reader = ctx.reader();
    enum Field {
        KindField,
        Strategy,
        Version,
        AutoRegister,
        Subject,
        RecordName,
        SchemaText,
        MessageType,
        ProtoPaths,
        DescriptorSet,
        FieldCount
    };
    static const char *const names[FieldCount] = {"kind",       "subjectStrategy", "version", "autoRegister",
                                                  "subject",    "recordName",      "schema",  "messageType",
                                                  "protoPaths", "descriptorSet"};
    bool seen[FieldCount] = {};
    JsonReader::Mark autoRegisterAt, protobufAt;
    QByteArray protobufField; // the first of messageType, protoPaths, descriptorSet: only for kind protobuf
    QByteArray name;
    while (reader.nextMember(name)) {
        int field = 0;
        while (field < FieldCount && name != names[field])
            ++field;
        if (field == FieldCount)
            return ctx.failUnknown(name, "kind, subjectStrategy, version, autoRegister, subject, recordName, schema, "
                                         "messageType, protoPaths, descriptorSet");
        if (seen[field])
            return ctx.failDuplicate(name);
        seen[field] = true;
        ctx.push(name);
        const auto valueAt = reader.mark();
        QString text;
        switch (Field(field)) {
        case KindField: {
            if (!ctx.readQString(text))
                return false;
            const auto kind = payloadKindFromString(text);
            if (!kind)
                return ctx.fail(
                    valueAt,
                    QStringLiteral("unknown kind %1 (expected \"bytes\", \"avro\", \"protobuf\" or \"jsonSchema\")")
                        .arg(quotedName(text)));
            out.kind = *kind;
            break;
        }
        case Strategy: {
            if (!ctx.readQString(text))
                return false;
            const auto strategy = subjectNameStrategyFromString(text);
            if (!strategy)
                return ctx.fail(valueAt, QStringLiteral("unknown subject strategy %1 (expected \"topicName\", "
                                                        "\"recordName\" or \"topicRecordName\")")
                                             .arg(quotedName(text)));
            out.subjectStrategy = *strategy;
            break;
        }
        case Version: {
            if (!ctx.readQString(text))
                return false;
            auto version = VersionSelector::parse(text);
            if (!version)
                return ctx.fail(valueAt, version.error().text);
            out.version = *version;
            break;
        }
        case AutoRegister:
            autoRegisterAt = valueAt;
            if (!ctx.readBool(out.autoRegister))
                return false;
            break;
        case Subject:
        case RecordName:
            if (!ctx.readQString(text))
                return false;
            if (text.isEmpty() || hasUnprintable(text))
                return ctx.fail(valueAt,
                                QStringLiteral("expected a name without control characters, found %1")
                                    .arg(text.isEmpty() ? QStringLiteral("an empty string") : quotedName(text)));
            // A subject becomes a segment of the registry's URL: "." and ".." would name another path there.
            if (field == Subject && (text == QLatin1String(".") || text == QLatin1String("..")))
                return ctx.fail(valueAt, QStringLiteral("%1 is not a subject name").arg(quotedName(text)));
            if (field == RecordName && !isFullName(text))
                return ctx.fail(valueAt, QStringLiteral("%1 is not an Avro full name (such as "
                                                        "\"com.example.Click\")")
                                             .arg(quotedName(text)));
            (field == Subject ? out.subject : out.recordName) = text;
            break;
        case SchemaText:
            if (!ctx.readString(out.schemaText))
                return false;
            if (out.schemaText.isEmpty())
                return ctx.fail(valueAt, QStringLiteral("an empty schema: leave \"schema\" out to use the "
                                                        "registry's"));
            break;
        case MessageType:
            if (!ctx.readQString(text))
                return false;
            // A Protobuf full name has the form of an Avro one: identifiers joined by dots (a leading dot allowed).
            if (!isFullName(text.startsWith(QLatin1Char('.')) ? text.mid(1) : text))
                return ctx.fail(valueAt, QStringLiteral("%1 is not a message type name (such as "
                                                        "\"com.example.Order\")")
                                             .arg(quotedName(text)));
            out.messageType = text;
            break;
        case ProtoPaths: {
            // Paths as written: relative ones are relative to the template's directory (ProtobufCodec::compileLocal).
            const Kind k = reader.peek();
            if (k != Kind::Array)
                return ctx.failType(valueAt, QStringLiteral("an array of .proto files and import directories"), k);
            if (!reader.beginArray())
                return false;
            qsizetype index = 0;
            while (reader.nextElement()) {
                ctx.push(index++);
                const auto at = reader.mark();
                if (!ctx.readQString(text))
                    return false;
                if (text.isEmpty() || hasUnprintable(text))
                    return ctx.fail(at, QStringLiteral("expected a path without control characters"));
                out.protoPaths.append(text);
                ctx.pop();
            }
            if (reader.hasError())
                return false;
            break;
        }
        case DescriptorSet:
            if (!ctx.readQString(text))
                return false;
            if (text.isEmpty() || hasUnprintable(text))
                return ctx.fail(valueAt, QStringLiteral("expected a path without control characters"));
            out.descriptorSet = text;
            break;
        case FieldCount:
            break;
        }
        if ((field == MessageType || field == ProtoPaths || field == DescriptorSet) && protobufField.isEmpty()) {
            protobufField = name;
            protobufAt = valueAt;
        }
        ctx.pop();
    }
    if (reader.hasError())
        return false;
    if (!protobufField.isEmpty() && out.kind != PayloadKind::Protobuf) {
        ctx.push(protobufField);
        return ctx.fail(
            protobufAt,
            QStringLiteral("only a \"protobuf\" kind takes %1").arg(quotedName(QString::fromUtf8(protobufField))));
    }
    if (!out.descriptorSet.isEmpty() && !out.protoPaths.isEmpty()) {
        ctx.push(QByteArrayLiteral("descriptorSet"));
        return ctx.fail(protobufAt, QStringLiteral("give \"protoPaths\" or \"descriptorSet\", not both"));
    }
    if ((!out.descriptorSet.isEmpty() || !out.protoPaths.isEmpty()) && !out.schemaText.isEmpty()) {
        ctx.push(QByteArrayLiteral("schema"));
        return ctx.fail(protobufAt, QStringLiteral("a local .proto schema comes from \"schema\" (registered) or from "
                                                   "\"protoPaths\"/\"descriptorSet\" (sent unframed), not both"));
    }
    if (out.autoRegister && out.schemaText.isEmpty()) {
        ctx.push(QByteArrayLiteral("autoRegister"));
        return ctx.fail(autoRegisterAt, QStringLiteral("autoRegister needs a \"schema\" to register"));
    }
    return true;
}

void writePart(QByteArray &out, const SerializerSettings &s)
{
    out.append("{\"kind\": ");
    appendJsonString(out, toString(s.kind).toUtf8());
    // Protobuf from files asks no registry: its subject, version and registering would be noise in the file (the
    // reader still takes them, as templates written before this did).
    if (s.usesRegistry() && !s.sendsUnframed()) {
        out.append(", \"subjectStrategy\": ");
        appendJsonString(out, toString(s.subjectStrategy).toUtf8());
        out.append(", \"version\": ");
        appendJsonString(out, s.version.toString().toUtf8());
        out.append(", \"autoRegister\": ");
        out.append(s.autoRegister ? "true" : "false");
    }
    if (!s.subject.isEmpty()) {
        out.append(", \"subject\": ");
        appendJsonString(out, s.subject.toUtf8());
    }
    if (!s.recordName.isEmpty()) {
        out.append(", \"recordName\": ");
        appendJsonString(out, s.recordName.toUtf8());
    }
    if (!s.schemaText.isEmpty()) {
        out.append(", \"schema\": ");
        appendJsonString(out, s.schemaText);
    }
    if (!s.messageType.isEmpty()) {
        out.append(", \"messageType\": ");
        appendJsonString(out, s.messageType.toUtf8());
    }
    if (!s.protoPaths.isEmpty()) {
        out.append(", \"protoPaths\": [");
        for (qsizetype i = 0; i < s.protoPaths.size(); ++i) {
            if (i > 0)
                out.append(", ");
            appendJsonString(out, s.protoPaths.at(i).toUtf8());
        }
        out.append(']');
    }
    if (!s.descriptorSet.isEmpty()) {
        out.append(", \"descriptorSet\": ");
        appendJsonString(out, s.descriptorSet.toUtf8());
    }
    out.append('}');
}

} // namespace

bool readSerialization(JsonContext &ctx, Serialization &out)
{
    if (!expectObject(ctx))
        return false;
    JsonReader &reader = ctx.reader();
    bool seenKey = false;
    bool seenValue = false;
    QByteArray name;
    while (reader.nextMember(name)) {
        const bool isKey = name == "key";
        if (!isKey && name != "value")
            return ctx.failUnknown(name, "key, value");
        bool &seen = isKey ? seenKey : seenValue;
        if (seen)
            return ctx.failDuplicate(name);
        seen = true;
        ctx.push(name);
        if (!readPart(ctx, isKey ? out.key : out.value))
            return false;
        ctx.pop();
    }
    return !reader.hasError();
}

void writeSerialization(QByteArray &out, const Serialization &serialization, int level)
{
    const QByteArray inner(qsizetype(level + 1) * 2, ' ');
    out.append("{\n");
    out.append(inner);
    out.append("\"key\": ");
    writePart(out, serialization.key);
    out.append(",\n");
    out.append(inner);
    out.append("\"value\": ");
    writePart(out, serialization.value);
    out.append('\n');
    out.append(QByteArray(qsizetype(level) * 2, ' '));
    out.append('}');
}

} // namespace kbatch::core

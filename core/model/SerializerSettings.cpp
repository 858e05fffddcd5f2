#include "SerializerSettings.h"

#include "Printable.h"

#include <algorithm>

namespace kbatch::core {

QString toString(PayloadKind kind)
{
    switch (kind) {
    case PayloadKind::Bytes:
        return QStringLiteral("bytes");
    case PayloadKind::Avro:
        return QStringLiteral("avro");
    case PayloadKind::Protobuf:
        return QStringLiteral("protobuf");
    case PayloadKind::JsonSchema:
        return QStringLiteral("jsonSchema");
    }
    return {};
}

std::optional<PayloadKind> payloadKindFromString(QStringView text)
{
    for (PayloadKind k : {PayloadKind::Bytes, PayloadKind::Avro, PayloadKind::Protobuf, PayloadKind::JsonSchema}) {
        if (text == toString(k))
            return k;
    }
    return std::nullopt;
}

QString toString(SubjectNameStrategy strategy)
{
    switch (strategy) {
    case SubjectNameStrategy::TopicName:
        return QStringLiteral("topicName");
    case SubjectNameStrategy::RecordName:
        return QStringLiteral("recordName");
    case SubjectNameStrategy::TopicRecordName:
        return QStringLiteral("topicRecordName");
    }
    return {};
}

std::optional<SubjectNameStrategy> subjectNameStrategyFromString(QStringView text)
{
    for (SubjectNameStrategy s :
         {SubjectNameStrategy::TopicName, SubjectNameStrategy::RecordName, SubjectNameStrategy::TopicRecordName}) {
        if (text == toString(s))
            return s;
    }
    return std::nullopt;
}

QString VersionSelector::toString() const
{
    switch (kind) {
    case Kind::Latest:
        return QStringLiteral("latest");
    case Kind::Version:
        return QString::number(number);
    case Kind::SchemaId:
        return QStringLiteral("id:") + QString::number(number);
    }
    return {};
}

Result<VersionSelector> VersionSelector::parse(QStringView text)
{
    if (text == u"latest")
        return latest();
    const bool isId = text.startsWith(u"id:");
    const QStringView digits = isId ? text.mid(3) : text;
    bool ok = false;
    const int n = digits.toInt(&ok);
    // Digits only: toInt() would take "+3" and " 3".
    const bool plain =
        !digits.isEmpty() && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (ok && plain && n >= 1)
        return isId ? schemaId(n) : version(n);
    return Error(QStringLiteral("version selector %1: expected latest, a version number (1 or more) or id:N")
                     .arg(quotedName(text)));
}

} // namespace kbatch::core

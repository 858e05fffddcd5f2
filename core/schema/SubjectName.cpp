#include "SubjectName.h"

namespace kbatch::core {

QString topicNameSubject(const QString &topic, PayloadPart part)
{
    return topic + (part == PayloadPart::Key ? QLatin1String("-key") : QLatin1String("-value"));
}

QString recordNameSubject(const QString &recordFullName)
{
    return recordFullName;
}

QString topicRecordNameSubject(const QString &topic, const QString &recordFullName)
{
    return topic + QLatin1Char('-') + recordFullName;
}

Result<QString> subjectName(SubjectNameStrategy strategy, const QString &topic, PayloadPart part,
                            const QString &recordFullName)
{
    if (strategy != SubjectNameStrategy::TopicName && recordFullName.isEmpty())
        return Error(QStringLiteral("subject name strategy %1 needs the record's full name").arg(toString(strategy)));
    if (strategy != SubjectNameStrategy::RecordName && topic.isEmpty())
        return Error(QStringLiteral("subject name strategy %1 needs a topic").arg(toString(strategy)));
    switch (strategy) {
    case SubjectNameStrategy::TopicName:
        return topicNameSubject(topic, part);
    case SubjectNameStrategy::RecordName:
        return recordNameSubject(recordFullName);
    case SubjectNameStrategy::TopicRecordName:
        return topicRecordNameSubject(topic, recordFullName);
    }
    return Error(QStringLiteral("unknown subject name strategy"));
}

} // namespace kbatch::core

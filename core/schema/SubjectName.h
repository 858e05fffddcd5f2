#pragma once

#include "Schema.h"
#include "core/model/Error.h"

#include <QString>

namespace kbatch::core {

// Confluent's subject name strategies, which Apicurio's compatible API and every Confluent serializer share.
// Any thread.

// TopicNameStrategy: "<topic>-key" or "<topic>-value".
QString topicNameSubject(const QString &topic, PayloadPart part);
// RecordNameStrategy: the record's full name ("com.example.Order").
QString recordNameSubject(const QString &recordFullName);
// TopicRecordNameStrategy: "<topic>-<full name>".
QString topicRecordNameSubject(const QString &topic, const QString &recordFullName);

// The subject for `strategy`. Errors: the record name strategies without a record name ("subject name strategy
// recordName needs the record's full name"), and an empty topic where the strategy uses it. TopicName ignores
// `recordFullName`.
Result<QString> subjectName(SubjectNameStrategy strategy, const QString &topic, PayloadPart part,
                            const QString &recordFullName = {});

} // namespace kbatch::core

#pragma once

// Internal to core/schema: the registry's JSON answers as RegistryClient reads them.

#include "RegistryClient.h"

#include <QByteArrayView>

namespace kbatch::core {

// The members of the registry's answers that KBatch reads; the others are skipped.
struct RegistryClient::Answer
{
    QByteArray schema;
    bool hasSchema = false;
    QString schemaType;
    qint64 id = -1;
    qint64 version = -1;
    QString subject;
    QList<SchemaReference> references;
    QString message;
    int errorCode = 0;
    int isCompatible = -1; // -1: absent
    QStringList messages;

    // False when the body is not a JSON object of the expected member types.
    bool parse(QByteArrayView body);
};

} // namespace kbatch::core

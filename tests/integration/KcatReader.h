#pragma once

// Reads a topic back with kcat, a separate program, so that our own consumer is never the only witness.

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace kbatch::test {

struct KcatRecord
{
    int partition = -1;
    qint64 offset = -1;
    qint64 timestamp = -1;
    std::optional<QByteArray> key;
    std::optional<QByteArray> value;
    QList<QPair<QByteArray, std::optional<QByteArray>>> headers; // from kcat -J: text header values only
};

// Every record of `topic` from the beginning to the current end, in partition then offset order.
// `extra` are more kcat arguments (e.g. {"-X", "isolation.level=read_committed"}). Fails the calling test on error.
QList<KcatRecord> kcatReadAll(const QString &bootstrap, const QString &topic, const QStringList &extra = {});

// Produces lines with kcat (for import tests that need real kcat -J output).
bool kcatProduce(const QString &bootstrap, const QString &topic, const QByteArray &input,
                 const QStringList &extra = {});

} // namespace kbatch::test

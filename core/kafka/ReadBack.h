#pragma once

#include "core/model/Batch.h"
#include "core/model/DeliveryResult.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

namespace kbatch::core {

struct VerifyProblem
{
    qsizetype row = -1;
    QString text; // what differs or why it could not be read
};

struct VerifyReport
{
    qsizetype checked = 0;  // delivered rows looked for
    qsizetype verified = 0; // found at their offset with identical key, value, headers (and timestamp if set)
    QList<VerifyProblem> problems;
    bool ok() const { return problems.isEmpty() && verified == checked; }
};

// Reads every delivered row back from its partition and offset with a consumer of its own (read_committed) and
// compares key, value and headers byte for byte, and the timestamp where the row set one. `sent` are the rows the
// results index. Blocks up to timeoutMs: call it from a worker thread. Errors: no connection, a refused property.
Result<VerifyReport> readBack(const Properties &connection, const QString &topic, const Batch &sent,
                              const DeliveryResults &results, int timeoutMs);

} // namespace kbatch::core

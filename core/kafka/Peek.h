#pragma once

#include "CancelFlag.h"
#include "core/model/Error.h"
#include "core/model/Message.h"
#include "core/model/ProducerSettings.h"

#include <QList>
#include <QString>

#include <cstdint>

namespace kbatch::core {

// One message read back from a topic by peekTopic(): where it is, and its key, value and headers as a Message
// (text payloads when valid UTF-8, else base64) so it can be copied into a batch and sent again.
struct PeekedMessage
{
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::int64_t timestamp = -1; // ms since the epoch; -1 unknown
    Message message;             // partition and timestamp left unset: a re-send goes through the partitioner
};

// The last `count` messages of `topic`: of one partition when `partition` >= 0, else the newest `count` across all
// partitions (by timestamp). Result ordered by partition, then offset. Reads with a throw-away consumer (no group
// offsets committed, read_committed). Blocks up to timeoutMs: call it from a worker thread, never the UI thread.
// Like fetchMetadata(), it gives up early when no broker can be reached or TLS or authentication fail, and within
// 100 ms of `cancel` being set while it connects or reads. Errors: no connection, unknown topic or partition, a
// refused property, "cancelled". Any thread.
Result<QList<PeekedMessage>> peekTopic(const Properties &connection, const QString &topic, int partition, int count,
                                       int timeoutMs, const CancelFlag *cancel = nullptr);

} // namespace kbatch::core

#pragma once

#include "core/model/Error.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// What the producer says when a message or the client fails: librdkafka's code turned into a line that names what is
// at fault and what to do. Pure functions of plain values (a librdkafka error code is an int here, its
// rd_kafka_resp_err_t value), so that each case is tested with the codes librdkafka really gives, without a cluster.
// Any thread.

// The producer's fatal error as rd_kafka_fatal_error() tells it: code 0 when it has none.
struct FatalError
{
    int code = 0;
    QString text; // librdkafka's description, empty when it gave none
    bool isSet() const { return code != 0; }
};

// What the explanations need to know about the job and the row at fault.
struct ProduceFacts
{
    QString topic;
    qint64 messageMaxBytes = 1000000; // message.max.bytes as librdkafka got it
    qint64 messageTimeoutMs = 300000; // message.timeout.ms as librdkafka got it
    qint64 rowBytes = 0;              // key and value of the row at fault
    std::optional<std::int32_t> rowPartition;
    FatalError fatal; // the producer's, when it has one
};

// The fatal error in one line, "<text> (<NAME>)", with what to do where librdkafka's text does not say it.
QString fatalErrorText(const FatalError &fatal, const QString &topic);

// Why a message failed with `err` (from the produce call or its delivery report).
QString explainProduceError(int err, const ProduceFacts &facts);

// The client could not be created (rd_kafka_new() refused the configuration): librdkafka's reason, with what to do
// where it does not say it. Sets the kind where a caller may act on it (PrivateKeyUnreadable).
Error explainClientCreation(Error error);

// Whether an error reported by the client's error callback means that waiting for the cluster longer cannot help:
// a refused login or a failed TLS handshake. Transport errors are not: a broker may still come up.
bool connectionIsHopeless(int clientErrorCode);

} // namespace kbatch::core

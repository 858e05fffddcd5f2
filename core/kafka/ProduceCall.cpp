#include "ProduceCall.h"

namespace kbatch::core {

namespace {

const char EmptyBytes[1] = {0}; // a non-null pointer for empty (not null) keys, values and header values

} // namespace

rd_kafka_resp_err_t produceRow(rd_kafka_t *rk, rd_kafka_topic_t *topic, const Batch::SendView &row,
                               std::int64_t timestampMs, void *opaque)
{
    const QByteArrayView key = row.key;
    const QByteArrayView value = row.value;
    const void *keyPtr = row.keyIsNull ? nullptr : (key.isEmpty() ? EmptyBytes : key.data());
    void *valuePtr = row.valueIsNull ? nullptr : const_cast<char *>(value.isEmpty() ? EmptyBytes : value.data());

    rdk::HeadersPtr headers;
    if (const Headers &hs = *row.headers; !hs.isEmpty()) {
        headers.reset(rd_kafka_headers_new(std::size_t(hs.size())));
        for (const Header &h : hs) {
            const char *v =
                h.value.isNull() ? nullptr : (h.value.bytes->isEmpty() ? EmptyBytes : h.value.bytes->constData());
            rd_kafka_header_add(headers.get(), h.name.constData(), h.name.size(), v,
                                h.value.isNull() ? 0 : h.value.bytes->size());
        }
    }
    // rd_kafka_produceva: the RD_KAFKA_V_* macros of producev are C casts.
    rd_kafka_vu_t vu[8];
    int n = 0;
    vu[n].vtype = RD_KAFKA_VTYPE_RKT;
    vu[n++].u.rkt = topic;
    vu[n].vtype = RD_KAFKA_VTYPE_PARTITION;
    vu[n++].u.i32 = row.partition.value_or(RD_KAFKA_PARTITION_UA);
    vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vu[n++].u.i = 0; // no copy: the caller keeps the value until its delivery report (librdkafka copies keys)
    vu[n].vtype = RD_KAFKA_VTYPE_KEY;
    vu[n].u.mem.ptr = const_cast<void *>(keyPtr);
    vu[n++].u.mem.size = std::size_t(key.size());
    vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
    vu[n].u.mem.ptr = valuePtr;
    vu[n++].u.mem.size = std::size_t(value.size());
    vu[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    vu[n++].u.i64 = timestampMs;
    vu[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vu[n++].u.ptr = opaque;
    if (headers) {
        vu[n].vtype = RD_KAFKA_VTYPE_HEADERS;
        vu[n++].u.headers = headers.get();
    }
    const rdk::ErrorPtr error(rd_kafka_produceva(rk, vu, std::size_t(n)));
    if (error)
        return rd_kafka_error_code(error.get());
    (void)headers.release(); // librdkafka owns them now
    return RD_KAFKA_RESP_ERR_NO_ERROR;
}

} // namespace kbatch::core

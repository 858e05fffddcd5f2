// The ceiling any librdkafka client can reach on this machine: a bare producer loop against librdkafka's C API, no
// Qt, no model, no per-message bookkeeping beyond counting delivery reports. Written for bench/compare/run.
//
// Usage: bare_producer BOOTSTRAP TOPIC COUNT SIZE [-X prop=value]...
// Produces COUNT values of SIZE bytes (no key; a decimal sequence number, then filler) with RD_KAFKA_MSG_F_COPY,
// calls rd_kafka_poll() every 1,000 messages (and waits in it when the queue is full), flushes, and prints one JSON
// line: {"messages":N,"delivered":N,"failed":N,"elapsed_s":S,"first_error":"..."}. elapsed_s runs from the first
// produce call to the end of the flush. Exit status 0 when every message was delivered, 1 otherwise, 2 bad usage.

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Counts
{
    long long delivered = 0;
    long long failed = 0;
    std::string firstError;
};

void onDelivery(rd_kafka_t *, const rd_kafka_message_t *message, void *opaque)
{
    auto *counts = static_cast<Counts *>(opaque);
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++counts->delivered;
    } else {
        if (counts->failed++ == 0)
            counts->firstError = rd_kafka_err2name(message->err);
    }
}

int usage()
{
    std::fprintf(stderr, "usage: bare_producer BOOTSTRAP TOPIC COUNT SIZE [-X prop=value]...\n");
    return 2;
}

struct HandleDeleter
{
    void operator()(rd_kafka_t *rk) const { rd_kafka_destroy(rk); }
};
struct TopicDeleter
{
    void operator()(rd_kafka_topic_t *rkt) const { rd_kafka_topic_destroy(rkt); }
};

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 5)
        return usage();
    const char *bootstrap = argv[1];
    const char *topicName = argv[2];
    const long long count = std::atoll(argv[3]);
    const long long size = std::atoll(argv[4]);
    if (count <= 0 || size < 0)
        return usage();

    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    auto set = [&](const char *name, const char *value) {
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
            std::fprintf(stderr, "bare_producer: %s\n", errstr);
            return false;
        }
        return true;
    };
    if (!set("bootstrap.servers", bootstrap))
        return 2;
    for (int i = 5; i < argc; ++i) {
        if (std::strcmp(argv[i], "-X") != 0 || i + 1 >= argc)
            return usage();
        const std::string prop = argv[++i];
        const auto eq = prop.find('=');
        if (eq == std::string::npos || eq == 0)
            return usage();
        if (!set(prop.substr(0, eq).c_str(), prop.substr(eq + 1).c_str()))
            return 2;
    }
    Counts counts;
    rd_kafka_conf_set_opaque(conf, &counts);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);

    std::unique_ptr<rd_kafka_t, HandleDeleter> rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    if (!rk) {
        std::fprintf(stderr, "bare_producer: %s\n", errstr);
        return 2;
    }
    std::unique_ptr<rd_kafka_topic_t, TopicDeleter> rkt(rd_kafka_topic_new(rk.get(), topicName, nullptr));

    std::vector<char> value(static_cast<std::size_t>(size), 'x');
    const auto start = std::chrono::steady_clock::now();
    long long produceErrors = 0;
    for (long long i = 0; i < count; ++i) {
        // A distinct value per message, as the other tools send: the sequence number, zero-padded, then filler.
        char digits[24];
        const int n = std::snprintf(digits, sizeof digits, "%012lld", i);
        std::memcpy(value.data(), digits, std::min<std::size_t>(static_cast<std::size_t>(n), value.size()));
        for (;;) {
            if (rd_kafka_produce(rkt.get(), RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value.data(), value.size(),
                                 nullptr, 0, nullptr) == 0)
                break;
            const rd_kafka_resp_err_t err = rd_kafka_last_error();
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                if (produceErrors++ == 0 && counts.firstError.empty())
                    counts.firstError = rd_kafka_err2name(err);
                break;
            }
            rd_kafka_poll(rk.get(), 10);
        }
        if (i % 1000 == 999)
            rd_kafka_poll(rk.get(), 0);
    }
    const rd_kafka_resp_err_t flushed = rd_kafka_flush(rk.get(), 300000);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR && counts.firstError.empty())
        counts.firstError = rd_kafka_err2name(flushed);
    std::printf("{\"messages\":%lld,\"delivered\":%lld,\"failed\":%lld,\"elapsed_s\":%.3f,\"first_error\":\"%s\","
                "\"librdkafka\":\"%s\"}\n",
                count, counts.delivered, counts.failed + produceErrors, elapsed, counts.firstError.c_str(),
                rd_kafka_version_str());
    std::fflush(stdout);
    return counts.delivered == count ? 0 : 1;
}

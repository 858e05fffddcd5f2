#pragma once

// Connecting a short-lived client (metadata, peek) without waiting out its whole timeout when waiting cannot help.
// Internal to core/kafka.

#include "CancelFlag.h"
#include "RdKafkaHandles.h"

#include <QDeadlineTimer>
#include <QHash>

#include <algorithm>

namespace kbatch::core::rdk {

// What librdkafka's error callback said while a client connected. The callback runs on the thread that calls
// rd_kafka_poll() on the client, which is the one that waits in waitUntilConnected().
struct ConnectErrors
{
    // `bootstrap`: the client's bootstrap.servers, to tell when every address of it has failed.
    explicit ConnectErrors(const QString &bootstrap);

    QString specific;      // the first error that says why ("Failed to resolve ...", "SSL handshake failed ...")
    QString allDown;       // "1/1 brokers are down", which says less
    bool hopeless = false; // waiting longer will not help: see note()
    int bootstrapCount = 0;
    QHash<QString, int>
        failures; // per broker ("host:port/bootstrap"): a failed resolution counts 2, a failed connect 1

    QString text() const { return specific.isEmpty() ? allDown : specific; }
    // Hopeless: TLS or authentication failed (for every broker alike), librdkafka says every broker is down, or every
    // bootstrap address failed for good: its name did not resolve, or connecting to it failed twice (a name with two
    // addresses, such as localhost's ::1 and 127.0.0.1, gets its second address tried before it counts as failed).
    void note(rd_kafka_resp_err_t code, const QString &reason);
};

// Routes the client's error callback into `errors` (which must outlive the client; it becomes the conf's opaque).
void collectConnectErrors(rd_kafka_conf_t *conf, ConnectErrors *errors);

// One query's bounds: the cluster it is for (named in errors), its timeout and the flag that cancels it.
struct QueryBounds
{
    QString bootstrap;
    int timeoutMs = 0;
    QDeadlineTimer deadline; // timeoutMs from when the query began
    const CancelFlag *cancel = nullptr;

    QueryBounds(QString servers, int timeout, const CancelFlag *flag)
        : bootstrap(std::move(servers)), timeoutMs(timeout), deadline(timeout), cancel(flag)
    {}
    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    int remainingMs() const { return int(std::max<qint64>(1, deadline.remainingTime())); }
};

// Waits until a broker of the client answers (a brokers-only Metadata request), or a hopeless error comes, or the
// deadline passes, or the query is cancelled; checks the last two at least every 100 ms. librdkafka's own
// rd_kafka_metadata() waits for a usable broker for its whole timeout, even after name resolution or the TLS
// handshake failed for good.
Status waitUntilConnected(rd_kafka_t *rk, ConnectErrors &errors, const QueryBounds &bounds);

// The error for a query given up on because `cancel` was set.
Error cancelledError();

} // namespace kbatch::core::rdk

#include "ClientConnect.h"

#include "KafkaLog.h"

namespace kbatch::core::rdk {

namespace {
constexpr int SliceMs = 100;

void onError(rd_kafka_t *, int err, const char *reason, void *opaque)
{
    // A C callback: nothing may escape it.
    try {
        static_cast<ConnectErrors *>(opaque)->note(rd_kafka_resp_err_t(err), QString::fromUtf8(reason));
    } catch (...) {
        qCCritical(lcKafka) << "exception in the error callback";
    }
}
} // namespace

ConnectErrors::ConnectErrors(const QString &bootstrap)
    : bootstrapCount(int(bootstrap.split(QLatin1Char(','), Qt::SkipEmptyParts).size()))
{}

void ConnectErrors::note(rd_kafka_resp_err_t code, const QString &reason)
{
    const QString text = QStringLiteral("%1 (%2)").arg(reason, errorName(code));
    // "1/1 brokers are down" says less than the reason that took the last one down, which came first.
    QString &slot = code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? allDown : specific;
    if (slot.isEmpty())
        slot = text;
    if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__SSL ||
        code == RD_KAFKA_RESP_ERR__AUTHENTICATION) {
        hopeless = true;
        return;
    }
    if (code != RD_KAFKA_RESP_ERR__RESOLVE && code != RD_KAFKA_RESP_ERR__TRANSPORT)
        return;
    // librdkafka's reasons start with the broker: "host:port/bootstrap: Connect to ... failed: ...".
    failures[reason.section(QStringLiteral(": "), 0, 0)] += code == RD_KAFKA_RESP_ERR__RESOLVE ? 2 : 1;
    int failed = 0;
    for (const int count : std::as_const(failures))
        failed += count >= 2;
    if (bootstrapCount > 0 && failed >= bootstrapCount)
        hopeless = true;
}

void collectConnectErrors(rd_kafka_conf_t *conf, ConnectErrors *errors)
{
    rd_kafka_conf_set_error_cb(conf, onError);
    rd_kafka_conf_set_opaque(conf, errors);
}

Error cancelledError()
{
    return Error(QStringLiteral("cancelled"));
}

Status waitUntilConnected(rd_kafka_t *rk, ConnectErrors &errors, const QueryBounds &bounds)
{
    const auto failed = [&](const QString &reason) {
        return Error(QStringLiteral("cannot connect to %1: %2").arg(bounds.bootstrap, reason), {}, 0, 0,
                     QStringLiteral("bootstrap.servers"));
    };
    for (;;) {
        rd_kafka_poll(rk, 0); // serves the error callback
        if (errors.hopeless)
            return failed(errors.text());
        if (bounds.cancelled())
            return cancelledError();
        if (bounds.deadline.hasExpired())
            return Error(QStringLiteral("cannot connect to %1 within %2 ms: %3")
                             .arg(bounds.bootstrap)
                             .arg(bounds.timeoutMs)
                             .arg(errors.text().isEmpty() ? QStringLiteral("no broker answered") : errors.text()),
                         {}, 0, 0, QStringLiteral("bootstrap.servers"));
        const int slice = std::min(SliceMs, bounds.remainingMs());
        const rd_kafka_metadata_t *raw = nullptr;
        // Brokers only (no topics): cheap, and it returns at once when a broker is usable. Without one it waits
        // `slice` and returns _TRANSPORT having sent nothing.
        const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, nullptr, &raw, slice);
        MetadataPtr md(raw);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__TIMED_OUT)
            return Ok{}; // a broker is up (a slow answer is the caller's timeout to wait for)
        if (err != RD_KAFKA_RESP_ERR__TRANSPORT)
            return failed(errors.text().isEmpty() ? errorText(err) : errors.text());
    }
}

} // namespace kbatch::core::rdk

#pragma once

#include "core/kafka/RowFeed.h"
#include "core/model/Batch.h"
#include "core/model/DeliveryResult.h"
#include "core/model/ProducerSettings.h"
#include "core/model/PropertyPolicy.h"

#include <QList>
#include <QString>

#include <memory>

namespace kbatch::core {

// An immutable snapshot of what to publish: the rows (generator rows already expanded), where, and how.
// DeliveryResult::row indexes `rows`; `sourceRows` maps a job row back to the editor's row when the job is a
// subset (send selected, resend failed), and is empty when job rows are the editor's rows.
struct PublishJob
{
    QString topic;
    Batch rows;
    QList<qsizetype> sourceRows;
    ProducerSettings settings; // the template's (or the send bar's): only delivery properties (PropertyPolicy)
    Properties connection;     // bootstrap.servers, security.*, sasl.*, ssl.* (from a profile)
    SettingOrigin connectionOrigin = SettingOrigin::Profile; // CommandLine for kbatch-cli --bootstrap
    Properties overrides;         // kbatch-cli -X: the user's own, applied last; never a secret
    int connectTimeoutMs = 10000; // how long to wait for the cluster before the job fails as "no connection"
    // Rows that arrive while the job runs (a send that starts before its template is read to the end), appended
    // after `rows` in order; their DeliveryResult::row counts on from `rows`. The pieces hold no generator rows.
    std::shared_ptr<RowFeed> feed;
    // False: delivered rows are counted (summary, progress) but not reported one by one; every other outcome is.
    // For kbatch-cli without --report or --verify, which prints only the failures. Atomic jobs report everything.
    bool reportDelivered = true;
};

// How a job ended, reported once after the last DeliveryResult.
struct JobSummary
{
    qsizetype total = 0;
    qsizetype delivered = 0;
    qsizetype failed = 0;
    qsizetype possiblyWritten = 0;
    qsizetype cancelled = 0;
    bool committed = false;           // atomic mode: the transaction committed
    bool commitUnknown = false;       // atomic mode: the commit went out and no answer came; it may have taken
    bool connectionFailed = false;    // the cluster was never reached (or refused us): nothing was sent
    bool configurationFailed = false; // a property was refused or the client could not be created: nothing was sent
    bool fatal = false;               // a fatal producer error stopped the job
    bool inputFailed = false;         // the feed ended with a mistake: rows after it were never read or sent
    QString error;                    // job-level error (connection, configuration, transaction, fatal); empty if none
    qint64 elapsedMs = 0;
    qint64 payloadBytes = 0;
    qint64 queueFullWaits = 0; // times librdkafka's queue was full and the producer waited for delivery reports

    bool allDelivered() const { return total == delivered; }
};

} // namespace kbatch::core

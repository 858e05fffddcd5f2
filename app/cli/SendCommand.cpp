#include "Commands.h"

#include "CliSupport.h"
#include "Connection.h"
#include "ReportWriter.h"
#include "SchemaSend.h"
#include "core/format/ResultExport.h"
#include "core/format/TemplateReader.h"
#include "core/kafka/Producer.h"
#include "core/kafka/ReadBack.h"
#include "core/model/Printable.h"
#include "core/model/TopicName.h"
#include "core/schema/SchemaFill.h"
#include "core/send/JobPreparation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRandomGenerator>

#include <memory>

namespace kbatch::cli {

namespace {

constexpr int MaxErrorLines = 10;

// -X: the user's own overrides, applied last. Any setting may be overridden, a connection setting too, but no secret.
core::Status applyOverrides(core::Properties &overrides, const QStringList &props)
{
    for (const QString &p : props) {
        const qsizetype eq = p.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return core::Error(QStringLiteral("-X takes property=value, got '%1'").arg(p), {}, 0, 0,
                               QStringLiteral("-X"));
        const QString name = p.left(eq).trimmed();
        const QString value = p.mid(eq + 1);
        if (auto allowed = core::checkCommandLineProperty(name, value); !allowed)
            return allowed;
        overrides.append({name, value});
    }
    return core::Ok{};
}

} // namespace

int runSend(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Publish the messages of a template and report each message's outcome.\n"
        "Exit status: 0 every message delivered (and verified, with --verify); 1 some message not delivered or not "
        "verified; 2 bad usage, unreadable or invalid input, or no connection."));
    parser.addPositionalArgument(QStringLiteral("TEMPLATE"), QStringLiteral("A *.kbatch.json template."));
    ConnectionOptions conn;
    conn.addTo(parser);
    const QCommandLineOption topic(
        QStringLiteral("topic"), QStringLiteral("Send to this topic instead of the template's."), QStringLiteral("T"));
    const QCommandLineOption prop(QStringLiteral("X"),
                                  QStringLiteral("A librdkafka property (repeatable), e.g. -X linger.ms=5."),
                                  QStringLiteral("prop=value"));
    const QCommandLineOption atomic(QStringLiteral("atomic"),
                                    QStringLiteral("All or nothing: send the batch in one Kafka transaction."));
    const QCommandLineOption independent(QStringLiteral("independent"),
                                         QStringLiteral("Send each message on its own (overrides the template)."));
    const QCommandLineOption verify(QStringLiteral("verify"),
                                    QStringLiteral("Read every delivered message back with a separate consumer and "
                                                   "compare key, value and headers byte for byte."));
    const QCommandLineOption report(QStringLiteral("report"),
                                    QStringLiteral("Write one JSON object per message to FILE ('-' for stdout)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed for generated rows (reproducible {{uuid}}, {{random.*}})."),
                                  QStringLiteral("N"));
    const QCommandLineOption checkFirst(
        QStringLiteral("check-first"),
        QStringLiteral("Read and check the whole template before sending anything (by default sending starts while "
                       "the rest of a large template is read)."));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("Print only errors."));
    parser.addOptions({topic, prop, atomic, independent, verify, report, seed, checkFirst, quiet});
    SchemaSendOptions schemaOptions;
    schemaOptions.addTo(parser);
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow))
        return code;
    if (parser.positionalArguments().size() != 1)
        return fail(QStringLiteral("send takes one template file (see 'kbatch-cli send --help')"));
    if (parser.isSet(atomic) && parser.isSet(independent))
        return fail(QStringLiteral("--atomic and --independent exclude each other"));

    const QString path = parser.positionalArguments().constFirst();
    auto openedTemplate = core::TemplateStream::open(path);
    if (!openedTemplate)
        return fail(openedTemplate.error());
    core::TemplateStream stream = std::move(openedTemplate.value());
    auto head = stream.readHead(); // the rows too, when "messages" is not the template's last member
    if (!head)
        return fail(head.error());
    core::Template tpl = std::move(head.value());

    auto connection = resolveConnection(parser, conn);
    if (!connection)
        return fail(connection.error());

    core::PublishJob job;
    job.topic = parser.isSet(topic) ? parser.value(topic) : tpl.topic;
    if (job.topic.isEmpty())
        return fail(QStringLiteral("%1: no topic: the template names none and --topic was not given").arg(path));
    if (auto named = core::checkTopicName(job.topic); !named)
        return fail(named.error()); // before connecting: one line, not one per message
    // Through a Schema Registry: the schemas are resolved once, and every row is encoded before the first message
    // goes out, so that a registry that is down or a row that does not fit sends nothing.
    if (auto s = applySchemaOverrides(parser, schemaOptions, tpl.serialization); !s)
        return fail(s.error());
    const bool viaRegistry = tpl.serialization.usesRegistry();
    ResolvedSendCodecs schemas;
    if (viaRegistry) {
        auto resolved = resolveSendCodecs(parser, schemaOptions, conn, tpl.serialization, job.topic,
                                          QFileInfo(path).absolutePath());
        if (!resolved)
            return fail(resolved.error());
        schemas = std::move(resolved.value());
        // The typed parts' JSON is parsed again by their codecs: no need to make it compact while reading.
        stream.setJsonAsWritten(schemas.codecs.key.has_value(), schemas.codecs.value.has_value());
    }
    job.settings = tpl.producer;
    if (parser.isSet(atomic))
        job.settings.mode = core::PublishMode::Atomic;
    if (parser.isSet(independent))
        job.settings.mode = core::PublishMode::Independent;
    if (auto s = applyOverrides(job.overrides, parser.values(prop)); !s)
        return fail(s.error());
    job.connection = connection->properties;
    job.connectionOrigin = connection->origin;
    job.connectTimeoutMs = connection->connectTimeoutMs;
    // Without --report or --verify only the failures are printed: the delivered ones need only be counted.
    job.reportDelivered = parser.isSet(report) || parser.isSet(verify);

    std::uint64_t seedValue = QRandomGenerator::system()->generate64();
    if (parser.isSet(seed)) {
        bool ok = false;
        seedValue = parser.value(seed).toULongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--seed: '%1' is not a whole number").arg(parser.value(seed)));
    }
    const bool keepResults = parser.isSet(verify); // --verify compares every result with what it reads back
    // Through a registry every row is expanded and encoded before the producer starts (the two overlap).
    core::TakeAll encodeAll;
    if (viaRegistry)
        encodeAll = [&](core::GeneratorExpander &expander, const core::MoreRows &more) -> core::Result<core::Batch> {
            core::RowSerializeFailure failure;
            auto encoded = core::serializeRows(expander, schemas.codecs, core::JobFeeder::PieceRows, &failure, more);
            if (!encoded && failure.row >= 0) // a row that does not fit; a read error names the file already
                return core::Error(QStringLiteral("%1: %2").arg(path, encoded.error().message()));
            return encoded;
        };
    // Generator rows that fill a part from its schema draw from the codecs resolved above.
    auto prepared = core::prepareTemplateRows(std::move(stream), std::move(tpl.messages), path, seedValue,
                                              parser.isSet(checkFirst), keepResults, viaRegistry, encodeAll,
                                              viaRegistry ? core::schemaFill(schemas.codecs) : core::SchemaFill());
    if (!prepared)
        return fail(prepared.error());
    core::Batch sentRows = prepared->rows; // shares the bytes: for --verify
    prepared->moveInto(job);
    const std::unique_ptr<core::JobFeeder> feeder = std::move(prepared->feeder); // reads on while the job runs
    std::unique_ptr<ReportWriter> reportFile;
    if (parser.isSet(report)) {
        reportFile = std::make_unique<ReportWriter>();
        if (auto opened = reportFile->open(parser.value(report), path); !opened)
            return fail(opened.error());
    }

    const bool beQuiet = parser.isSet(quiet);
    core::Producer producer;
    // Every result is kept only for --verify, which compares them with what it reads back; otherwise a million
    // results would be collected for nothing.
    core::DeliveryResults all;
    if (keepResults)
        all.reserve(job.rows.size());
    core::JobSummary summary;
    int errorLines = 0;
    qsizetype moreErrors = 0;
    bool reportStopped = false;

    QObject::connect(
        &producer, &core::Producer::deliveriesReported, &producer, [&](const core::DeliveryResults &batch) {
            QByteArray lines;
            for (const core::DeliveryResult &r : batch) {
                if (reportFile) {
                    QByteArray line = core::resultToJsonLine(r.row, r);
                    addSchemaIds(line, schemas.codecs);
                    lines += line;
                    lines += '\n';
                }
                if (r.status != core::DeliveryStatus::Delivered) {
                    if (errorLines < MaxErrorLines) {
                        ++errorLines;
                        // The error text may come from the broker: shown escaped.
                        err() << "kbatch-cli: message " << r.row << ": " << core::statusText(r.status) << ": "
                              << core::printable(
                                     QString((r.errorName.isEmpty() ? QString() : r.errorName + QStringLiteral(": ")) +
                                             r.errorText))
                              << Qt::endl;
                    } else {
                        ++moreErrors;
                    }
                }
                if (keepResults)
                    all.append(r);
            }
            if (reportFile && !reportFile->write(lines) && !reportStopped) {
                // The report can no longer tell the truth: stop the send (unsent rows end as cancelled).
                reportStopped = true;
                err() << "kbatch-cli: " << core::printable(reportFile->error()) << "; stopping the send" << Qt::endl;
                producer.cancel();
            }
        });
    QObject::connect(&producer, &core::Producer::jobFinished, &producer, [&](const core::JobSummary &s) {
        summary = s;
        QCoreApplication::quit();
    });
    watchTerminationSignals([&producer](int) {
        err() << "kbatch-cli: cancelling: unsent messages end as cancelled" << Qt::endl;
        producer.cancel();
    });

    const QString target = job.topic;
    // --verify reads back from where the messages went: the connection with the command line's overrides of it.
    core::Properties connProps = job.connection;
    for (const core::Property &p : std::as_const(job.overrides))
        if (!core::isDeliveryProperty(p.first))
            connProps.append(p);
    const int connectTimeout = job.connectTimeoutMs;
    const bool atomicJob = job.settings.mode == core::PublishMode::Atomic;
    if (feeder)
        feeder->start(); // reads on while the producer connects and sends
    if (auto s = producer.start(std::move(job)); !s)
        return fail(s.error());
    QCoreApplication::exec();
    if (feeder) {
        feeder->wait(); // the job took every row the feeder handed over, up to the end or a mistake
        sentRows.append(feeder->keptRows());
    }
    if (reportFile && !reportFile->finish() && !reportStopped) {
        reportStopped = true;
        err() << "kbatch-cli: " << core::printable(reportFile->error()) << Qt::endl;
    }

    if (moreErrors > 0)
        err() << "kbatch-cli: ... and " << moreErrors << " more messages not delivered (see --report)" << Qt::endl;
    if (!summary.error.isEmpty())
        fail(summary.error, 0);
    if (summary.inputFailed && !atomicJob && summary.total > 0)
        err() << "kbatch-cli: sending stopped at that mistake; the " << summary.total
              << " messages before it were handed to the producer, with the outcomes below. --check-first checks "
                 "the whole template before sending anything."
              << Qt::endl;

    const QLocale c = QLocale::c();
    if (!beQuiet) {
        const double secs = std::max<qint64>(summary.elapsedMs, 1) / 1000.0;
        err() << "kbatch-cli: " << summary.delivered << "/" << summary.total << " delivered to " << target;
        if (summary.failed)
            err() << ", " << summary.failed << " failed";
        if (summary.possiblyWritten)
            err() << ", " << summary.possiblyWritten << " possibly written";
        if (summary.cancelled)
            err() << ", " << summary.cancelled << " cancelled";
        err() << " in " << c.toString(secs, 'f', 2) << " s (" << qint64(summary.delivered / secs) << " msg/s)"
              << Qt::endl;
        if (viaRegistry) {
            // Protobuf from files alone asks no registry: the heading says what the line is about either way.
            const bool framed = (schemas.codecs.key && schemas.codecs.key->framed) ||
                                (schemas.codecs.value && schemas.codecs.value->framed);
            err() << (framed ? "kbatch-cli: Schema Registry:" : "kbatch-cli: serialized without a registry:");
            for (const auto *part : {&schemas.codecs.key, &schemas.codecs.value}) {
                if (!*part)
                    continue;
                const core::Schema &s = (*part)->schema;
                if (!(*part)->framed) { // Protobuf from local files
                    err() << (part == &schemas.codecs.key ? " key" : " value") << " Protobuf "
                          << (*part)->codec->recordName() << " unframed;";
                    continue;
                }
                err() << (part == &schemas.codecs.key ? " key" : " value") << " schema id " << s.id;
                if (!s.subject.isEmpty())
                    err() << " (" << core::printable(s.subject) << (s.version ? " version " : "")
                          << (s.version ? QString::number(s.version) : QString()) << ")";
                err() << ";";
            }
            if (schemas.registryRequests > 0)
                err() << " " << schemas.registryRequests << " registry requests";
            err() << Qt::endl;
        }
    }
    if (summary.connectionFailed || summary.configurationFailed || summary.inputFailed)
        return ExitUsage;
    if (reportStopped) {
        fail(QStringLiteral("the report %1 is incomplete: it lacks the outcomes of messages after the failed write")
                 .arg(reportFile->target() == QLatin1String("-") ? QStringLiteral("on standard output")
                                                                 : reportFile->target()),
             0);
        return ExitNotAll;
    }

    int exitCode = summary.allDelivered() ? ExitOk : ExitNotAll;
    if (parser.isSet(verify) && summary.delivered > 0) {
        auto verified = core::readBack(connProps, target, sentRows, all, std::max(connectTimeout, 30000));
        if (!verified)
            return fail(verified.error(), ExitNotAll); // sent, but not verified: not a usage error
        for (qsizetype i = 0; i < verified->problems.size() && i < MaxErrorLines; ++i)
            err() << "kbatch-cli: message " << verified->problems[i].row
                  << ": not verified: " << core::printable(verified->problems[i].text) << Qt::endl;
        if (verified->problems.size() > MaxErrorLines)
            err() << "kbatch-cli: ... and " << verified->problems.size() - MaxErrorLines << " more not verified"
                  << Qt::endl;
        if (!beQuiet)
            err() << "kbatch-cli: " << verified->verified << "/" << verified->checked
                  << " verified by reading them back" << Qt::endl;
        if (!verified->ok())
            exitCode = ExitNotAll;
    }
    return exitCode;
}

} // namespace kbatch::cli

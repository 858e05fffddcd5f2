#include "Commands.h"

#include "CliSupport.h"
#include "Connection.h"
#include "core/kafka/Metadata.h"
#include "core/model/Printable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kbatch::cli {

int runTopics(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the cluster's topics with partition counts and leaders."));
    ConnectionOptions conn;
    conn.addTo(parser);
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    const QCommandLineOption internal(QStringLiteral("internal"), QStringLiteral("Include internal topics (__*)."));
    parser.addOptions({json, internal});
    int code = 0;
    bool exitNow = false;
    if (!parseOrExplain(parser, arguments, code, exitNow))
        return code;
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("topics takes no arguments (see 'kbatch-cli topics --help')"));
    auto connection = resolveConnection(parser, conn);
    if (!connection)
        return fail(connection.error());
    auto info = core::fetchMetadata(connection->properties, connection->connectTimeoutMs);
    if (!info)
        return fail(info.error());

    QJsonArray topics;
    for (const core::TopicInfo &t : info->topics) {
        if (!parser.isSet(internal) && t.name.startsWith(QLatin1String("__")))
            continue;
        if (parser.isSet(json)) {
            QJsonArray parts;
            for (const core::PartitionInfo &p : t.partitions)
                parts.append(QJsonObject{{QStringLiteral("partition"), p.id}, {QStringLiteral("leader"), p.leader}});
            topics.append(
                QJsonObject{{QStringLiteral("name"), t.name},
                            {QStringLiteral("partitions"), parts},
                            {QStringLiteral("error"), t.error.isEmpty() ? QJsonValue() : QJsonValue(t.error)}});
            continue;
        }
        QStringList leaders;
        for (const core::PartitionInfo &p : t.partitions)
            leaders << QStringLiteral("%1:%2").arg(p.id).arg(p.leader);
        // Names and errors come from the broker: shown escaped.
        out() << core::printable(t.name).leftJustified(40) << ' '
              << QString::number(t.partitions.size()).rightJustified(4) << "  leaders "
              << leaders.join(QLatin1Char(' '));
        if (!t.error.isEmpty())
            out() << "  (" << core::printable(t.error) << ")";
        out() << Qt::endl;
    }
    if (parser.isSet(json))
        out() << QJsonDocument(topics).toJson(QJsonDocument::Compact) << Qt::endl;
    return ExitOk;
}

} // namespace kbatch::cli

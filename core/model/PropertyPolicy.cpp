#include "PropertyPolicy.h"

#include "Printable.h"
#include "ProducerSettings.h"

#include <algorithm>

namespace kbatch::core {

namespace {

// Sorted. librdkafka's producer and topic properties that shape how messages are batched, delivered and retried,
// and their aliases. Everything else is refused in a template, whatever it does.
const QStringList &allowList()
{
    static const QStringList names = [] {
        QStringList n{
            QStringLiteral("acks"),
            QStringLiteral("allow.auto.create.topics"),
            QStringLiteral("batch.num.messages"),
            QStringLiteral("batch.size"),
            QStringLiteral("compression.codec"),
            QStringLiteral("compression.level"),
            QStringLiteral("compression.type"),
            QStringLiteral("delivery.timeout.ms"),
            QStringLiteral("enable.gapless.guarantee"),
            QStringLiteral("enable.idempotence"),
            QStringLiteral("linger.ms"),
            QStringLiteral("max.in.flight"),
            QStringLiteral("max.in.flight.requests.per.connection"),
            QStringLiteral("message.copy.max.bytes"),
            QStringLiteral("message.max.bytes"),
            QStringLiteral("message.send.max.retries"),
            QStringLiteral("message.timeout.ms"),
            QStringLiteral("partitioner"),
            QStringLiteral("queue.buffering.backpressure.threshold"),
            QStringLiteral("queue.buffering.max.kbytes"),
            QStringLiteral("queue.buffering.max.messages"),
            QStringLiteral("queue.buffering.max.ms"),
            QStringLiteral("request.required.acks"),
            QStringLiteral("request.timeout.ms"),
            QStringLiteral("retries"),
            QStringLiteral("retry.backoff.max.ms"),
            QStringLiteral("retry.backoff.ms"),
            QStringLiteral("sticky.partitioning.linger.ms"),
            QStringLiteral("transaction.timeout.ms"),
        };
        std::sort(n.begin(), n.end());
        return n;
    }();
    return names;
}

bool startsWithAny(const QString &name, std::initializer_list<const char *> prefixes)
{
    for (const char *p : prefixes)
        if (name.startsWith(QLatin1String(p)))
            return true;
    return false;
}

// Why a property that is not on the allow-list is refused, in the user's terms.
QString refusalReason(const QString &name)
{
    if (isSecretProperty(name))
        return QStringLiteral("it holds a secret");
    if (name == QLatin1String("sasl.kerberos.kinit.cmd"))
        return QStringLiteral("it runs a shell command");
    if (name == QLatin1String("plugin.library.paths") || startsWithAny(name, {"ssl.engine."}))
        return QStringLiteral("it loads a shared library");
    if (name.endsWith(QLatin1String(".location")) || name.endsWith(QLatin1String(".path")) ||
        name.endsWith(QLatin1String(".paths")) || name.endsWith(QLatin1String(".keytab")) ||
        name.endsWith(QLatin1String(".file")))
        return QStringLiteral("it names a local file");
    if (name == QLatin1String("debug") || name == QLatin1String("log_level") ||
        startsWithAny(name, {"log.", "log_", "statistics."}))
        return QStringLiteral("it turns on logging");
    if (name == QLatin1String("transactional.id"))
        return QStringLiteral("a template names its transactional id with \"transactionalId\" in the producer block");
    if (name == QLatin1String("bootstrap.servers") || name == QLatin1String("metadata.broker.list") ||
        startsWithAny(name, {"security.", "sasl.", "ssl.", "ssl_", "enable.ssl.", "enable.sasl.", "https.", "client.",
                             "socket.", "broker.", "reconnect.", "connections.", "resolve", "group."}))
        return QStringLiteral("it says where or how to connect");
    return QStringLiteral("it is not a message or delivery setting");
}

} // namespace

QString toString(SettingOrigin origin)
{
    switch (origin) {
    case SettingOrigin::Default:
        return QStringLiteral("default");
    case SettingOrigin::Profile:
        return QStringLiteral("profile");
    case SettingOrigin::Template:
        return QStringLiteral("template");
    case SettingOrigin::CommandLine:
        return QStringLiteral("command line");
    }
    return {};
}

Status checkPropertyName(const QString &name)
{
    if (name.isEmpty())
        return Error(QStringLiteral("a property without a name"));
    bool ok = name.size() <= 128;
    for (qsizetype i = 0; ok && i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' || c == u'_';
    }
    if (ok)
        return Ok{};
    return Error(QStringLiteral("property %1 is not a property name: names are lower-case letters, digits, '.' and "
                                "'_' (as librdkafka spells them)")
                     .arg(quotedName(name)),
                 {}, 0, 0, printable(name.left(128)));
}

bool isDeliveryProperty(const QString &name)
{
    const QStringList &names = allowList();
    return std::binary_search(names.cbegin(), names.cend(), name);
}

const QStringList &deliveryProperties()
{
    return allowList();
}

Status checkTemplateProperty(const QString &name, const QString &value)
{
    if (auto named = checkPropertyName(name); !named)
        return named;
    if (!isDeliveryProperty(name))
        return Error(QStringLiteral("property \"%1\" is not allowed in a template: %2. A template carries only message "
                                    "and delivery settings (%3); connection, security and logging settings belong "
                                    "in a connection profile or on kbatch-cli's command line (-X)")
                         .arg(name, refusalReason(name), deliveryProperties().join(QStringLiteral(", "))),
                     {}, 0, 0, name);
    if (hasUnprintable(value))
        return Error(
            QStringLiteral("property \"%1\" has a control character in its value: %2").arg(name, quotedName(value)), {},
            0, 0, name);
    return Ok{};
}

Status checkTemplateTransactionalId(const QString &id)
{
    if (hasUnprintable(id))
        return Error(QStringLiteral("transactional id %1 has a control character").arg(quotedName(id)), {}, 0, 0,
                     QStringLiteral("transactionalId"));
    if (id.size() > 200)
        return Error(QStringLiteral("transactional id %1 is longer than 200 characters").arg(quotedName(id)), {}, 0, 0,
                     QStringLiteral("transactionalId"));
    if (!id.startsWith(QLatin1String(TemplateTransactionalIdPrefix)) ||
        id.size() == qsizetype(sizeof TemplateTransactionalIdPrefix) - 1)
        return Error(QStringLiteral("transactional id %1 must start with \"%2\" and go on after it: a template may not "
                                    "take over another application's transactional id (that would fence its producer); "
                                    "name any other id in a connection profile's properties or with -X "
                                    "transactional.id=...")
                         .arg(quotedName(id), QLatin1String(TemplateTransactionalIdPrefix)),
                     {}, 0, 0, QStringLiteral("transactionalId"));
    return Ok{};
}

Status checkCommandLineProperty(const QString &name, const QString &value)
{
    if (auto named = checkPropertyName(name); !named)
        return named;
    if (isSecretProperty(name))
        return Error(QStringLiteral("-X %1: secrets are not taken on the command line, where every user of this "
                                    "machine can read them (/proc/PID/cmdline): use --password-stdin, or a "
                                    "connection profile whose secrets are in the keychain")
                         .arg(name),
                     {}, 0, 0, QStringLiteral("-X"));
    if (hasUnprintable(value))
        return Error(QStringLiteral("-X %1: the value has a control character: %2").arg(name, quotedName(value)), {}, 0,
                     0, QStringLiteral("-X"));
    return Ok{};
}

} // namespace kbatch::core

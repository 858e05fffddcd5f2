#pragma once

#include "PublishJob.h"
#include "core/model/PropertyPolicy.h"

#include <QList>
#include <QString>

namespace kbatch::core {

// One librdkafka property as a send uses it, and where it came from.
struct EffectiveSetting
{
    QString name;
    QString value; // "(secret)" for a secret: this list is shown and logged
    SettingOrigin origin = SettingOrigin::Default;

    friend bool operator==(const EffectiveSetting &, const EffectiveSetting &) = default;
};
using EffectiveSettings = QList<EffectiveSetting>;

// The producer configuration of a job: the one place that decides which property wins.
//
// Order (a later value of the same name wins): the connection (profile or --bootstrap), KBatch's defaults and the
// template's settings (acks, compression, idempotence, linger, batch size, message timeout, transactional id), the
// template's extra properties, then the command line's -X. The trust model is enforced here too, whoever built the
// job: a template property off the allow-list or a template transactional id without the "kbatch-" prefix is an
// error (checkTemplateProperty()), and so is a secret or a malformed name in the overrides.
struct ProducerConfig
{
    Properties properties;       // in the order librdkafka gets them; holds secrets: never log it
    EffectiveSettings effective; // one entry per name, the winning value, secrets hidden; sorted by name
    QString transactionalId;     // atomic mode: the id in use (the template's, an override, or generated)
    qint64 messageTimeoutMs = 0; // message.timeout.ms (or its alias delivery.timeout.ms) as librdkafka gets it

    QString value(const QString &name, const QString &fallback = {}) const; // the winning value of `name`
};

inline constexpr int DefaultMessageTimeoutMs = 30000;

// Any thread. Errors name the property and where it came from.
Result<ProducerConfig> buildProducerConfig(const PublishJob &job);

} // namespace kbatch::core

#include "ProducerConfig.h"

#include "core/model/Printable.h"

#include <QUuid>

#include <algorithm>

namespace kbatch::core {

namespace {

class Builder
{
public:
    void add(const QString &name, const QString &value, SettingOrigin origin)
    {
        m_config.properties.append({name, value});
        m_origins.append(origin);
    }
    // A setting of the template's producer block: "template" when it differs from KBatch's default.
    void addField(const char *name, const QString &value, bool fromTemplate)
    {
        add(QLatin1String(name), value, fromTemplate ? SettingOrigin::Template : SettingOrigin::Default);
    }
    ProducerConfig finish()
    {
        const Properties &props = m_config.properties;
        for (qsizetype i = 0; i < props.size(); ++i) {
            const QString &name = props[i].first; // not a structured binding: clang 14 cannot capture those
            const QString &value = props[i].second;
            const QString shown = isSecretProperty(name) ? QStringLiteral("(secret)") : printable(value);
            auto it = std::find_if(m_config.effective.begin(), m_config.effective.end(),
                                   [&name](const EffectiveSetting &s) { return s.name == name; });
            if (it == m_config.effective.end())
                m_config.effective.append({name, shown, m_origins[i]});
            else
                *it = {name, shown, m_origins[i]};
        }
        std::sort(m_config.effective.begin(), m_config.effective.end(),
                  [](const EffectiveSetting &a, const EffectiveSetting &b) { return a.name < b.name; });
        return std::move(m_config);
    }
    ProducerConfig &config() { return m_config; }

private:
    ProducerConfig m_config;
    QList<SettingOrigin> m_origins;
};

} // namespace

QString ProducerConfig::value(const QString &name, const QString &fallback) const
{
    QString out = fallback;
    for (const auto &[n, v] : properties)
        if (n == name)
            out = v;
    return out;
}

Result<ProducerConfig> buildProducerConfig(const PublishJob &job)
{
    const ProducerSettings &s = job.settings;
    const ProducerSettings defaults;
    Builder b;
    for (const auto &[name, value] : job.connection)
        b.add(name, value, job.connectionOrigin);

    b.add(QStringLiteral("client.id"), QStringLiteral("kbatch"), SettingOrigin::Default);
    b.addField("enable.idempotence", s.idempotence ? QStringLiteral("true") : QStringLiteral("false"),
               s.idempotence != defaults.idempotence);
    b.addField("acks", s.acks, s.acks != defaults.acks);
    b.addField("compression.codec", s.compression, s.compression != defaults.compression);
    if (s.lingerMs)
        b.addField("linger.ms", QString::number(*s.lingerMs), true);
    if (s.batchSize)
        b.addField("batch.size", QString::number(*s.batchSize), true);
    b.addField("message.timeout.ms", QString::number(s.messageTimeoutMs.value_or(DefaultMessageTimeoutMs)),
               s.messageTimeoutMs.has_value());
    if (s.mode == PublishMode::Atomic) {
        if (!s.transactionalId.isEmpty()) {
            if (auto id = checkTemplateTransactionalId(s.transactionalId); !id)
                return id.error();
            b.addField("transactional.id", s.transactionalId, true);
        } else {
            b.addField("transactional.id",
                       QStringLiteral("kbatch-") + QUuid::createUuid().toString(QUuid::WithoutBraces), false);
        }
    }
    for (const auto &[name, value] : s.properties) {
        if (auto allowed = checkTemplateProperty(name, value); !allowed) {
            Error e = allowed.error();
            e.text = QStringLiteral("template: ") + e.text;
            return e;
        }
        b.add(name, value, SettingOrigin::Template);
    }
    for (const auto &[name, value] : job.overrides) {
        if (auto allowed = checkCommandLineProperty(name, value); !allowed)
            return allowed.error();
        b.add(name, value, SettingOrigin::CommandLine);
    }

    ProducerConfig config = b.finish();
    if (s.mode == PublishMode::Atomic)
        config.transactionalId = config.value(QStringLiteral("transactional.id"));
    for (const auto &[name, value] : std::as_const(config.properties)) // delivery.timeout.ms is librdkafka's alias
        if (name == QLatin1String("message.timeout.ms") || name == QLatin1String("delivery.timeout.ms"))
            config.messageTimeoutMs = value.toLongLong();
    return config;
}

} // namespace kbatch::core

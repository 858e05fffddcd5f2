// buildProducerConfig(): the one place that decides which producer setting wins and where it came from.
#include "core/kafka/ProducerConfig.h"

#include <QTest>

using namespace kbatch::core;

namespace {

PublishJob profileJob()
{
    PublishJob job;
    job.topic = QStringLiteral("orders");
    job.connection = {{QStringLiteral("bootstrap.servers"), QStringLiteral("prod:9093")},
                      {QStringLiteral("security.protocol"), QStringLiteral("sasl_ssl")},
                      {QStringLiteral("sasl.username"), QStringLiteral("alice")},
                      {QStringLiteral("sasl.password"), QStringLiteral("hunter2")},
                      {QStringLiteral("linger.ms"), QStringLiteral("1")}};
    return job;
}

const EffectiveSetting *find(const EffectiveSettings &all, const char *name)
{
    for (const EffectiveSetting &s : all)
        if (s.name == QLatin1String(name))
            return &s;
    return nullptr;
}

} // namespace

class TestProducerConfig : public QObject
{
    Q_OBJECT

private slots:
    void originsOfEverySetting();
    void templateCannotRedirectTheConnection_data();
    void templateCannotRedirectTheConnection();
    void commandLineWinsAndMayRedirect();
    void commandLineSecretRefused();
    void secretsNeverShown();
    void templateTransactionalIdChecked();
};

void TestProducerConfig::originsOfEverySetting()
{
    PublishJob job = profileJob();
    job.settings.compression = QStringLiteral("zstd"); // differs from the default
    job.settings.lingerMs = 20;                        // the template's, over the profile's 1
    job.settings.properties = {{QStringLiteral("retries"), QStringLiteral("3")}};
    job.overrides = {{QStringLiteral("request.timeout.ms"), QStringLiteral("7000")}};
    const auto config = buildProducerConfig(job);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message()));
    const EffectiveSettings &e = config->effective;
    QCOMPARE(toString(find(e, "bootstrap.servers")->origin), toString(SettingOrigin::Profile));
    QCOMPARE(find(e, "bootstrap.servers")->value, QStringLiteral("prod:9093"));
    QCOMPARE(toString(find(e, "acks")->origin), toString(SettingOrigin::Default));
    QCOMPARE(find(e, "enable.idempotence")->value, QStringLiteral("true"));
    QCOMPARE(toString(find(e, "compression.codec")->origin), toString(SettingOrigin::Template));
    QCOMPARE(find(e, "linger.ms")->value, QStringLiteral("20"));
    QCOMPARE(toString(find(e, "linger.ms")->origin), toString(SettingOrigin::Template));
    QCOMPARE(toString(find(e, "retries")->origin), toString(SettingOrigin::Template));
    QCOMPARE(toString(find(e, "request.timeout.ms")->origin), toString(SettingOrigin::CommandLine));
    QCOMPARE(find(e, "message.timeout.ms")->value, QString::number(DefaultMessageTimeoutMs));
    QCOMPARE(config->messageTimeoutMs, DefaultMessageTimeoutMs);
    // One entry per name, sorted; librdkafka gets every value in order, the winner last.
    for (qsizetype i = 1; i < e.size(); ++i)
        QVERIFY(e[i - 1].name < e[i].name);
    QCOMPARE(config->value(QStringLiteral("linger.ms")), QStringLiteral("20"));
}

void TestProducerConfig::templateCannotRedirectTheConnection_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::newRow("bootstrap") << QStringLiteral("bootstrap.servers") << QStringLiteral("attacker.invalid:9092");
    QTest::newRow("protocol") << QStringLiteral("security.protocol") << QStringLiteral("sasl_plaintext");
    QTest::newRow("kinit") << QStringLiteral("sasl.kerberos.kinit.cmd") << QStringLiteral("touch /tmp/pwned");
    QTest::newRow("plugin") << QStringLiteral("plugin.library.paths") << QStringLiteral("/tmp/evil.so");
    QTest::newRow("NUL trick") << QStringLiteral("sasl.password") + QChar(0) << QStringLiteral("x");
}

void TestProducerConfig::templateCannotRedirectTheConnection()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    // Whoever built the job (the window's send bar, a test, a future caller), a template setting off the
    // allow-list never reaches librdkafka.
    PublishJob job = profileJob();
    job.settings.properties = {{name, value}};
    const auto config = buildProducerConfig(job);
    QVERIFY(!config.ok());
    QVERIFY2(config.error().text.startsWith(QLatin1String("template: property")), qPrintable(config.error().text));
}

void TestProducerConfig::commandLineWinsAndMayRedirect()
{
    PublishJob job = profileJob();
    job.settings.properties = {{QStringLiteral("linger.ms"), QStringLiteral("50")}};
    job.overrides = {{QStringLiteral("bootstrap.servers"), QStringLiteral("other:9093")},
                     {QStringLiteral("linger.ms"), QStringLiteral("0")}};
    const auto config = buildProducerConfig(job);
    QVERIFY(config.ok());
    QCOMPARE(config->value(QStringLiteral("bootstrap.servers")), QStringLiteral("other:9093"));
    QCOMPARE(toString(find(config->effective, "bootstrap.servers")->origin), toString(SettingOrigin::CommandLine));
    QCOMPARE(config->value(QStringLiteral("linger.ms")), QStringLiteral("0"));
    QCOMPARE(config->properties.constLast(), Property(QStringLiteral("linger.ms"), QStringLiteral("0")));
}

void TestProducerConfig::commandLineSecretRefused()
{
    PublishJob job = profileJob();
    job.overrides = {{QStringLiteral("sasl.password"), QStringLiteral("typed-on-the-command-line")}};
    const auto config = buildProducerConfig(job);
    QVERIFY(!config.ok());
    QVERIFY(!config.error().message().contains(QLatin1String("typed-on-the-command-line")));
}

void TestProducerConfig::secretsNeverShown()
{
    const auto config = buildProducerConfig(profileJob());
    QVERIFY(config.ok());
    QCOMPARE(find(config->effective, "sasl.password")->value, QStringLiteral("(secret)"));
    for (const EffectiveSetting &s : config->effective)
        QVERIFY(!s.value.contains(QLatin1String("hunter2")));
    QCOMPARE(config->value(QStringLiteral("sasl.password")), QStringLiteral("hunter2")); // librdkafka still gets it
}

void TestProducerConfig::templateTransactionalIdChecked()
{
    PublishJob job = profileJob();
    job.settings.mode = PublishMode::Atomic;
    auto generated = buildProducerConfig(job);
    QVERIFY(generated.ok());
    QVERIFY(generated->transactionalId.startsWith(QLatin1String("kbatch-")));
    QCOMPARE(toString(find(generated->effective, "transactional.id")->origin), toString(SettingOrigin::Default));

    job.settings.transactionalId = QStringLiteral("payments-service-0");
    QVERIFY(!buildProducerConfig(job).ok());

    // The user's own command line may name any id.
    job.settings.transactionalId.clear();
    job.overrides = {{QStringLiteral("transactional.id"), QStringLiteral("payments-service-0")}};
    auto overridden = buildProducerConfig(job);
    QVERIFY(overridden.ok());
    QCOMPARE(overridden->transactionalId, QStringLiteral("payments-service-0"));
}

QTEST_GUILESS_MAIN(TestProducerConfig)
#include "tst_producerconfig.moc"

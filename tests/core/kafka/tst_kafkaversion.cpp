// The librdkafka KBatch is linked with: new enough to log in with SCRAM to Kafka 4 (2.6.1 or newer), the same one
// its header came from, built with the features KBatch offers, and described that way for --version and About.

#include "core/kafka/KafkaVersion.h"

#include <QRegularExpression>
#include <QTest>

using namespace kbatch::core;

class TestKafkaVersion : public QObject
{
    Q_OBJECT
private slots:
    void linkedLibrdkafkaLogsInToKafka4();
    void headerAndLibraryAgree();
    void featuresKBatchOffers_data();
    void featuresKBatchOffers();
    void descriptionNamesVersionLinkageAndFeatures();
};

void TestKafkaVersion::linkedLibrdkafkaLogsInToKafka4()
{
    // librdkafka before 2.6.1 sends a SCRAM client-final message that Kafka 4 refuses ("invalid credentials").
    QVERIFY2(librdkafkaVersionNumber() >= librdkafkaMinimumVersionNumber(),
             qPrintable(QStringLiteral("linked librdkafka %1 (0x%2) is older than %3")
                            .arg(librdkafkaVersion())
                            .arg(librdkafkaVersionNumber(), 8, 16, QLatin1Char('0'))
                            .arg(librdkafkaMinimumVersion())));
    QCOMPARE(librdkafkaMinimumVersionNumber(), 0x020601ff);
    // The string and the number name the same release.
    const int v = librdkafkaVersionNumber();
    const QString fromNumber =
        QStringLiteral("%1.%2.%3").arg((v >> 24) & 0xff).arg((v >> 16) & 0xff).arg((v >> 8) & 0xff);
    QVERIFY2(librdkafkaVersion().startsWith(fromNumber),
             qPrintable(librdkafkaVersion() + QStringLiteral(" vs ") + fromNumber));
}

void TestKafkaVersion::headerAndLibraryAgree()
{
    // A different librdkafka at run time than at build time (e.g. Debian's 2.0.2 found first) would show here.
    QCOMPARE(QString::number(librdkafkaVersionNumber(), 16), QString::number(librdkafkaHeaderVersionNumber(), 16));
}

void TestKafkaVersion::featuresKBatchOffers_data()
{
    QTest::addColumn<QString>("feature");
    // TLS and every SASL mechanism of the Profiles dialog, and every compression codec of the templates.
    for (const char *f : {"ssl", "sasl_plain", "sasl_scram", "sasl_oauthbearer", "gzip", "snappy", "lz4", "zstd"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestKafkaVersion::featuresKBatchOffers()
{
    QFETCH(QString, feature);
    const QStringList features = librdkafkaFeatures();
    QVERIFY2(features.contains(feature), qPrintable(features.join(QLatin1Char(','))));
}

void TestKafkaVersion::descriptionNamesVersionLinkageAndFeatures()
{
    const QString d = librdkafkaDescription();
    QVERIFY2(d.startsWith(QStringLiteral("librdkafka ") + librdkafkaVersion() + QStringLiteral(" (")), qPrintable(d));
    QVERIFY2(d.contains(librdkafkaLinkage()), qPrintable(d));
    QVERIFY2(QRegularExpression(QStringLiteral("^(bundled, static, Debian source \\S+|system, shared)$"))
                 .match(librdkafkaLinkage())
                 .hasMatch(),
             qPrintable(librdkafkaLinkage()));
    QVERIFY2(d.contains(QStringLiteral("features: ") + librdkafkaFeatures().join(QStringLiteral(", "))), qPrintable(d));
}

QTEST_GUILESS_MAIN(TestKafkaVersion)
#include "tst_kafkaversion.moc"

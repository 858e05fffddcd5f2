// Subject name strategies, version selectors and the names the template stores for the serializer settings.

#include "core/model/Printable.h"
#include "core/schema/SubjectName.h"

#include <QTest>

using namespace kbatch::core;

class TestSubjectName : public QObject
{
    Q_OBJECT

private slots:
    void strategies_data();
    void strategies();
    void needsWhatItUses();
    void selectors_data();
    void selectors();
    void badSelectors_data();
    void badSelectors();
    void names();
    void registryTypes();
};

void TestSubjectName::strategies_data()
{
    QTest::addColumn<SubjectNameStrategy>("strategy");
    QTest::addColumn<PayloadPart>("part");
    QTest::addColumn<QString>("subject");
    QTest::newRow("topic, value") << SubjectNameStrategy::TopicName << PayloadPart::Value
                                  << QStringLiteral("orders-value");
    QTest::newRow("topic, key") << SubjectNameStrategy::TopicName << PayloadPart::Key << QStringLiteral("orders-key");
    QTest::newRow("record") << SubjectNameStrategy::RecordName << PayloadPart::Value
                            << QStringLiteral("com.example.Order");
    QTest::newRow("record, key too") << SubjectNameStrategy::RecordName << PayloadPart::Key
                                     << QStringLiteral("com.example.Order");
    QTest::newRow("topic and record") << SubjectNameStrategy::TopicRecordName << PayloadPart::Value
                                      << QStringLiteral("orders-com.example.Order");
}

void TestSubjectName::strategies()
{
    QFETCH(SubjectNameStrategy, strategy);
    QFETCH(PayloadPart, part);
    QFETCH(QString, subject);
    const auto s = subjectName(strategy, QStringLiteral("orders"), part, QStringLiteral("com.example.Order"));
    QVERIFY(s.ok());
    QCOMPARE(*s, subject);
}

void TestSubjectName::needsWhatItUses()
{
    const auto noRecord =
        subjectName(SubjectNameStrategy::TopicRecordName, QStringLiteral("orders"), PayloadPart::Value, {});
    QVERIFY(!noRecord.ok());
    QCOMPARE(noRecord.error().message(),
             QStringLiteral("subject name strategy topicRecordName needs the record's full name"));
    const auto noTopic = subjectName(SubjectNameStrategy::TopicName, {}, PayloadPart::Key);
    QVERIFY(!noTopic.ok());
    QCOMPARE(noTopic.error().message(), QStringLiteral("subject name strategy topicName needs a topic"));
    // The record name strategy does not use the topic at all.
    QVERIFY(subjectName(SubjectNameStrategy::RecordName, {}, PayloadPart::Value, QStringLiteral("a.B")).ok());
}

void TestSubjectName::selectors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<VersionSelector>("selector");
    QTest::newRow("latest") << QStringLiteral("latest") << VersionSelector::latest();
    QTest::newRow("version") << QStringLiteral("3") << VersionSelector::version(3);
    QTest::newRow("schema id") << QStringLiteral("id:17") << VersionSelector::schemaId(17);
}

void TestSubjectName::selectors()
{
    QFETCH(QString, text);
    QFETCH(VersionSelector, selector);
    const auto parsed = VersionSelector::parse(text);
    QVERIFY(parsed.ok());
    QVERIFY(*parsed == selector);
    QCOMPARE(selector.toString(), text);
}

void TestSubjectName::badSelectors_data()
{
    QTest::addColumn<QString>("text");
    for (const char *bad : {"", "Latest", "0", "-1", "+3", " 3", "id:", "id:0", "id:x", "3.0", "99999999999"})
        QTest::newRow(bad) << QString::fromLatin1(bad);
}

void TestSubjectName::badSelectors()
{
    QFETCH(QString, text);
    const auto parsed = VersionSelector::parse(text);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message(),
             QStringLiteral("version selector %1: expected latest, a version number (1 or more) or id:N")
                 .arg(quotedName(text)));
}

void TestSubjectName::names()
{
    for (PayloadKind k : {PayloadKind::Bytes, PayloadKind::Avro, PayloadKind::Protobuf, PayloadKind::JsonSchema})
        QVERIFY(payloadKindFromString(toString(k)) == std::optional<PayloadKind>(k));
    for (SubjectNameStrategy s :
         {SubjectNameStrategy::TopicName, SubjectNameStrategy::RecordName, SubjectNameStrategy::TopicRecordName})
        QVERIFY(subjectNameStrategyFromString(toString(s)) == std::optional<SubjectNameStrategy>(s));
    QVERIFY(payloadKindFromString(u"json") == std::nullopt);
    QVERIFY(schemaFormatOf(PayloadKind::Bytes) == std::nullopt);
    QVERIFY(schemaFormatOf(PayloadKind::JsonSchema) == std::optional<SchemaFormat>(SchemaFormat::JsonSchema));
    SerializerSettings settings;
    QVERIFY(!settings.usesRegistry());
    QVERIFY(!settings.autoRegister); // off unless asked for
    QVERIFY(settings.subjectStrategy == SubjectNameStrategy::TopicName);
    QVERIFY(settings.version == VersionSelector::latest());
}

void TestSubjectName::registryTypes()
{
    QVERIFY(formatFromRegistryType(u"") == std::optional<SchemaFormat>(SchemaFormat::Avro)); // absent means AVRO
    QVERIFY(formatFromRegistryType(u"AVRO") == std::optional<SchemaFormat>(SchemaFormat::Avro));
    QVERIFY(formatFromRegistryType(u"PROTOBUF") == std::optional<SchemaFormat>(SchemaFormat::Protobuf));
    QVERIFY(formatFromRegistryType(u"JSON") == std::optional<SchemaFormat>(SchemaFormat::JsonSchema));
    QVERIFY(formatFromRegistryType(u"XML") == std::nullopt);
    for (SchemaFormat f : {SchemaFormat::Avro, SchemaFormat::Protobuf, SchemaFormat::JsonSchema})
        QVERIFY(formatFromRegistryType(registryTypeName(f)) == std::optional<SchemaFormat>(f));
}

QTEST_GUILESS_MAIN(TestSubjectName)
#include "tst_subjectname.moc"

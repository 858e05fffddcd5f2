// The Confluent wire format: header, Protobuf message-index paths (zigzag varints, the single 0x00 for [0]), and
// the errors for bytes that are not a frame.

#include "core/schema/ConfluentFrame.h"

#include <QTest>

using namespace kbatch::core;

class TestConfluentFrame : public QObject
{
    Q_OBJECT

private slots:
    void header();
    void messageIndexes_data();
    void messageIndexes();
    void zigzag_data();
    void zigzag();
    void parsesFrames();
    void refuses_data();
    void refuses();
};

void TestConfluentFrame::header()
{
    QCOMPARE(ConfluentFrame::frame(1, "xy").toHex(), QByteArray("00000000017879"));
    QCOMPARE(ConfluentFrame::frame(0x7fffffff, {}).toHex(), QByteArray("007fffffff"));
    // Ids are unsigned on the wire: a registry's ids never come near 2^31, but the bytes must not be sign-mangled.
    QCOMPARE(ConfluentFrame::frame(-1, {}).toHex(), QByteArray("00ffffffff"));
}

void TestConfluentFrame::messageIndexes_data()
{
    QTest::addColumn<QList<int>>("indexes");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("first message: one 0x00") << QList<int>{0} << QByteArray("00");
    QTest::newRow("empty path is the first message") << QList<int>{} << QByteArray("00");
    QTest::newRow("second message") << QList<int>{1} << QByteArray("0202");
    QTest::newRow("nested") << QList<int>{0, 2} << QByteArray("040004");
    QTest::newRow("index 64 needs two bytes") << QList<int>{64} << QByteArray("028001");
    QTest::newRow("deep") << QList<int>{3, 1, 0} << QByteArray("06060200");
}

void TestConfluentFrame::messageIndexes()
{
    QFETCH(QList<int>, indexes);
    QFETCH(QByteArray, hex);
    QByteArray out;
    ConfluentFrame::appendMessageIndexes(out, indexes);
    QCOMPARE(out.toHex(), hex);
    const QByteArray framed = ConfluentFrame::frame(7, indexes, "PB");
    QCOMPARE(framed.toHex(), "0000000007" + hex + "5042");
    const auto parsed = ConfluentFrame::parseProtobuf(framed);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
    QCOMPARE(parsed->schemaId, 7);
    QCOMPARE(parsed->messageIndexes, indexes.isEmpty() ? QList<int>{0} : indexes);
    QCOMPARE(parsed->payload.toByteArray(), QByteArray("PB"));
}

void TestConfluentFrame::zigzag_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("0") << 0 << QByteArray("00");
    QTest::newRow("-1") << -1 << QByteArray("01");
    QTest::newRow("1") << 1 << QByteArray("02");
    QTest::newRow("-64") << -64 << QByteArray("7f");
    QTest::newRow("64") << 64 << QByteArray("8001");
    QTest::newRow("int max") << 2147483647 << QByteArray("feffffff0f");
    QTest::newRow("int min") << int(-2147483647 - 1) << QByteArray("ffffffff0f");
}

void TestConfluentFrame::zigzag()
{
    QFETCH(int, value);
    QFETCH(QByteArray, hex);
    QByteArray out;
    ConfluentFrame::appendZigzagVarint(out, value);
    QCOMPARE(out.toHex(), hex);
}

void TestConfluentFrame::parsesFrames()
{
    // A frame's payload is a view into the bytes parsed: they must outlive it.
    const QByteArray bytes = QByteArray::fromHex("00000001f40278");
    const auto f = ConfluentFrame::parse(bytes);
    QVERIFY(f.ok());
    QCOMPARE(f->schemaId, 500);
    QCOMPARE(f->payload.toByteArray().toHex(), QByteArray("0278"));
    QVERIFY(f->messageIndexes.isEmpty());
    const QByteArray noPayload = QByteArray::fromHex("0000000001");
    const auto empty = ConfluentFrame::parse(noPayload);
    QVERIFY(empty.ok());
    QVERIFY(empty->payload.isEmpty());
}

void TestConfluentFrame::refuses_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<bool>("protobuf");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << false
                           << QStringLiteral("0 bytes: too short for a Schema Registry frame (5 bytes at least)");
    QTest::newRow("short") << QByteArray("00000001") << false
                           << QStringLiteral("4 bytes: too short for a Schema Registry frame (5 bytes at least)");
    QTest::newRow("JSON text") << QByteArray("7b226122") << false
                               << QStringLiteral("4 bytes: too short for a Schema Registry frame (5 bytes at least)");
    QTest::newRow("no magic byte") << QByteArray("7b22612231") << false
                                   << QStringLiteral(
                                          "first byte is 0x7b, not the magic byte 0x00: not Schema Registry framed");
    QTest::newRow("protobuf without a path") << QByteArray("0000000001") << true
                                             << QStringLiteral("message index path: truncated or overlong count "
                                                               "after the schema id");
    QTest::newRow("protobuf negative count") << QByteArray("000000000101") << true
                                             << QStringLiteral("message index path: count -1 is not between 0 and "
                                                               "1024");
    QTest::newRow("protobuf truncated index")
        << QByteArray("00000000010480") << true
        << QStringLiteral("message index path: index 1 of 2 is truncated or overlong");
    QTest::newRow("protobuf negative index")
        << QByteArray("00000000010201") << true << QStringLiteral("message index path: index 1 is negative (-1)");
    QTest::newRow("protobuf overlong varint") << QByteArray("0000000001ffffffffff01") << true
                                              << QStringLiteral("message index path: truncated or overlong count "
                                                                "after the schema id");
    QTest::newRow("protobuf huge count") << QByteArray("0000000001feffffff0f") << true
                                         << QStringLiteral(
                                                "message index path: count 2147483647 is not between 0 and 1024");
}

void TestConfluentFrame::refuses()
{
    QFETCH(QByteArray, hex);
    QFETCH(bool, protobuf);
    QFETCH(QString, message);
    const QByteArray bytes = QByteArray::fromHex(hex);
    const auto parsed = protobuf ? ConfluentFrame::parseProtobuf(bytes) : ConfluentFrame::parse(bytes);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message(), message);
}

QTEST_GUILESS_MAIN(TestConfluentFrame)
#include "tst_confluentframe.moc"

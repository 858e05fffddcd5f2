#include "core/format/Importers.h"
#include "core/format/JsonReader.h"
#include "core/format/JsonText.h"
#include "core/format/ResultExport.h"

#include <QTest>

using namespace kbatch::core;

class TestResultExport : public QObject
{
    Q_OBJECT
private slots:
    void jsonLine_data();
    void jsonLine();
    void matchesCliDocs();
    void jsonLinesWithKeys();
    void csvWithKeys();
};

static DeliveryResult delivered()
{
    DeliveryResult r;
    r.row = 0;
    r.status = DeliveryStatus::Delivered;
    r.persisted = Persisted::Persisted;
    r.partition = 2;
    r.offset = 41;
    r.timestamp = 1767225600000;
    r.latencyUs = 812;
    return r;
}

void TestResultExport::jsonLine_data()
{
    QTest::addColumn<DeliveryResult>("result");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("delivered") << delivered()
                               << QByteArray(R"({"index":0,"status":"delivered","persisted":"persisted","partition":2,)"
                                             R"("offset":41,"timestamp":1767225600000,"latencyUs":812,"error":null})");
    DeliveryResult failed;
    failed.status = DeliveryStatus::Failed;
    failed.errorCode = 10;
    failed.errorName = QStringLiteral("MSG_SIZE_TOO_LARGE");
    failed.errorText = QStringLiteral("Message size \"too\" large");
    QTest::newRow("failed") << failed
                            << QByteArray(R"({"index":0,"status":"failed","persisted":"not_persisted",)"
                                          R"("partition":-1,)"
                                          R"("offset":-1,"timestamp":-1,"latencyUs":-1,"error":{"code":10,)"
                                          R"("name":"MSG_SIZE_TOO_LARGE","message":"Message size \"too\" large"}})");
    DeliveryResult possibly = delivered();
    possibly.status = DeliveryStatus::PossiblyWritten;
    possibly.persisted = Persisted::PossiblyPersisted;
    possibly.errorCode = -192;
    possibly.errorName = QStringLiteral("_MSG_TIMED_OUT");
    QTest::newRow("possibly written")
        << possibly
        << QByteArray(R"({"index":0,"status":"possibly_written","persisted":"possibly_persisted","partition":2,)"
                      R"("offset":41,"timestamp":1767225600000,"latencyUs":812,"error":{"code":-192,)"
                      R"("name":"_MSG_TIMED_OUT","message":""}})");
    DeliveryResult cancelled;
    cancelled.status = DeliveryStatus::Cancelled;
    QTest::newRow("cancelled") << cancelled
                               << QByteArray(R"({"index":0,"status":"cancelled","persisted":"not_persisted",)"
                                             R"("partition":-1,"offset":-1,"timestamp":-1,"latencyUs":-1,)"
                                             R"("error":null})");
    QTest::newRow("pending") << DeliveryResult()
                             << QByteArray(R"({"index":0,"status":"pending","persisted":"not_persisted",)"
                                           R"("partition":-1,"offset":-1,"timestamp":-1,"latencyUs":-1,)"
                                           R"("error":null})");
}

void TestResultExport::jsonLine()
{
    QFETCH(DeliveryResult, result);
    QFETCH(QByteArray, line);
    QCOMPARE(resultToJsonLine(0, result), line);
    QVERIFY(validateJson(line).ok());
}

void TestResultExport::matchesCliDocs()
{
    // The two report lines shown in docs/cli.md.
    QCOMPARE(resultToJsonLine(0, delivered()),
             QByteArray(R"({"index":0,"status":"delivered","persisted":"persisted","partition":2,"offset":41,)"
                        R"("timestamp":1767225600000,"latencyUs":812,"error":null})"));
    DeliveryResult failed;
    failed.row = 5;
    failed.status = DeliveryStatus::Failed;
    failed.errorCode = 10;
    failed.errorName = QStringLiteral("MSG_SIZE_TOO_LARGE");
    failed.errorText = QStringLiteral("message of 1200003 bytes is larger than ...");
    QCOMPARE(resultToJsonLine(5, failed),
             QByteArray(R"({"index":5,"status":"failed","persisted":"not_persisted","partition":-1,"offset":-1,)"
                        R"("timestamp":-1,"latencyUs":-1,"error":{"code":10,"name":"MSG_SIZE_TOO_LARGE",)"
                        R"("message":"message of 1200003 bytes is larger than ..."}})"));
}

static Batch keyedBatch()
{
    Batch b;
    Message m;
    m.key = Payload::text("k,1");
    b.append(m);
    m.key = Payload();
    b.append(m);
    m.key = Payload(QByteArray("\xff\x00", 2), Encoding::Base64);
    b.append(m);
    m.key = Payload::text("");
    b.append(m);
    return b;
}

static DeliveryResults resultsFor(qsizetype n)
{
    DeliveryResults rs;
    for (qsizetype i = 0; i < n; ++i) {
        DeliveryResult r = delivered();
        r.row = i;
        r.offset = 100 + i;
        rs.append(r);
    }
    rs[1].status = DeliveryStatus::Failed;
    rs[1].persisted = Persisted::NotPersisted;
    rs[1].partition = -1;
    rs[1].offset = -1;
    rs[1].errorCode = 3;
    rs[1].errorName = QStringLiteral("UNKNOWN_TOPIC_OR_PART");
    rs[1].errorText = QStringLiteral("Broker: Unknown topic, or partition");
    return rs;
}

void TestResultExport::jsonLinesWithKeys()
{
    const QByteArray out = exportResultsJsonLines(keyedBatch(), resultsFor(4));
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines.last().isEmpty());
    QVERIFY(lines[0].startsWith(R"({"index":0,"key":"k,1","status":"delivered")"));
    QVERIFY(lines[1].startsWith(R"({"index":1,"key":null,"status":"failed")"));
    QVERIFY(lines[1].endsWith(R"("error":{"code":3,"name":"UNKNOWN_TOPIC_OR_PART",)"
                              R"("message":"Broker: Unknown topic, or partition"}})"));
    QVERIFY(lines[2].startsWith(R"({"index":2,"key":{"base64":"/wA="},"status")"));
    QVERIFY(lines[3].startsWith(R"({"index":3,"key":"","status")"));
    // Every line is a KBatch JSON Lines row as far as "key" goes: the importer reads the keys back.
    QByteArray keysOnly;
    for (int i = 0; i < 4; ++i) {
        const qsizetype end = lines[i].indexOf(",\"status\"");
        keysOnly += "{" + lines[i].mid(lines[i].indexOf("\"key\""), end - lines[i].indexOf("\"key\"")) + "}\n";
    }
    const auto back = importJsonLines(keysOnly, QStringLiteral("keys"));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message()));
    QCOMPARE(back->key(0).toByteArray(), QByteArray("k,1"));
    QVERIFY(back->keyIsNull(1));
    QCOMPARE(back->key(2).toByteArray(), QByteArray("\xff\x00", 2));
    QVERIFY(!back->keyIsNull(3));
}

void TestResultExport::csvWithKeys()
{
    const QByteArray out = exportResultsCsv(keyedBatch(), resultsFor(4));
    const QByteArray expected =
        "index,key,key_encoding,status,persisted,partition,offset,timestamp,latency_us,error_code,error_name,"
        "error_message\r\n"
        "0,\"k,1\",text,delivered,persisted,2,100,1767225600000,812,,,\r\n"
        "1,,null,failed,not_persisted,,,1767225600000,812,3,UNKNOWN_TOPIC_OR_PART,\"Broker: Unknown topic, or "
        "partition\"\r\n"
        "2,/wA=,base64,delivered,persisted,2,102,1767225600000,812,,,\r\n"
        "3,\"\",text,delivered,persisted,2,103,1767225600000,812,,,\r\n";
    QCOMPARE(out, expected);
}

QTEST_GUILESS_MAIN(TestResultExport)
#include "tst_resultexport.moc"

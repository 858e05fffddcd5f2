// Rows out as TSV and JSON Lines, and back in through the importers: every row, every byte.
#include "core/format/Importers.h"
#include "core/format/RowExport.h"

#include <QTest>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Payload)
Q_DECLARE_METATYPE(kbatch::core::Batch)

namespace {
Message row(Payload key, Payload value)
{
    Message m;
    m.key = std::move(key);
    m.value = std::move(value);
    return m;
}

QList<qsizetype> allRows(const Batch &b)
{
    QList<qsizetype> rows;
    for (qsizetype r = 0; r < b.size(); ++r)
        rows << r;
    return rows;
}
} // namespace

class TestRowExport : public QObject
{
    Q_OBJECT
private slots:
    void tsvCells_data();
    void tsvCells();
    void roundTrip_data();
    void roundTrip();
    void base64CellsOnImport_data();
    void base64CellsOnImport();
};

void TestRowExport::tsvCells_data()
{
    QTest::addColumn<Payload>("key");
    QTest::addColumn<QByteArray>("cell");
    QTest::newRow("text") << Payload("order-1") << QByteArray("order-1");
    QTest::newRow("null") << Payload::null() << QByteArray("");
    QTest::newRow("empty") << Payload("") << QByteArray("\"\"");
    QTest::newRow("tab and quote") << Payload("a\t\"b\"") << QByteArray("\"a\t\"\"b\"\"\"");
    QTest::newRow("carriage return") << Payload("a\r") << QByteArray("\"a\r\"");
    QTest::newRow("binary") << Payload(QByteArray("\x00\x01\x02\xff", 4), Encoding::Base64)
                            << QByteArray("{\"base64\":\"AAEC/w==\"}");
    QTest::newRow("text that is not UTF-8")
        << Payload(QByteArray("caf\xe9")) << QByteArray("{\"base64\":\"Y2Fm6Q==\"}");
    QTest::newRow("text with a NUL") << Payload(QByteArray("a\0b", 3)) << QByteArray("{\"base64\":\"YQBi\"}");
    QTest::newRow("base64 that is text") << Payload(QByteArray("hi"), Encoding::Base64) << QByteArray("hi");
    QTest::newRow("text that reads as a base64 cell")
        << Payload("{\"base64\":\"AA==\"}") << QByteArray("{\"base64\":\"eyJiYXNlNjQiOiJBQT09In0=\"}");
    QTest::newRow("json") << Payload("{\"a\":1}", Encoding::Json) << QByteArray("\"{\"\"a\"\":1}\"");
}

void TestRowExport::tsvCells()
{
    QFETCH(Payload, key);
    QFETCH(QByteArray, cell);
    Batch b;
    b.append(row(key, Payload("v")));
    QCOMPARE(rowsToTsv(b, {0}), "key\tvalue\theaders\tpartition\ttimestamp\n" + cell + "\tv\t\t\t\n");
}

void TestRowExport::roundTrip_data()
{
    QTest::addColumn<Batch>("rows");
    Batch b;
    b.append(row(Payload("order-1"), Payload("{\"id\":1}", Encoding::Json)));
    b.append(row(Payload::null(), Payload::null()));
    b.append(row(Payload(""), Payload("")));
    Message m = row(Payload(QByteArray("\x00\x01\x02\xff", 4), Encoding::Base64), Payload("Grüße, 日本"));
    m.headers = {{"bin", Payload(QByteArray("\xff\x00", 2), Encoding::Base64)},
                 {"null", Payload::null()},
                 {"json", Payload("{\"v\":1}", Encoding::Json)},
                 {"bin", Payload("second, same name")}};
    m.partition = 3;
    m.timestamp = 1767225600000;
    b.append(m);
    b.append(row(Payload("tab\tand\nnewline"), Payload(QByteArray("\0 NUL and \"quotes\"", 18))));
    b.append(row(Payload("{\"base64\":\"AA==\"}"), Payload(QByteArray("\xc3", 1))));
    QTest::newRow("mixed") << b;
}

void TestRowExport::roundTrip()
{
    QFETCH(Batch, rows);
    const QByteArray tsv = rowsToTsv(rows, allRows(rows));
    QVERIFY(!tsv.contains('\0')); // clipboards and spreadsheets cut text at a NUL
    const auto fromTsv = importTsvPaste(QString::fromUtf8(tsv));
    QVERIFY2(fromTsv.ok(), qPrintable(fromTsv.ok() ? QString() : fromTsv.error().message()));
    const auto fromJson = importJsonLines(rowsToJsonLines(rows, allRows(rows)), QStringLiteral("rows"));
    QVERIFY(fromJson.ok());
    QCOMPARE(fromTsv->size(), rows.size());
    QCOMPARE(fromJson->size(), rows.size());
    for (qsizetype r = 0; r < rows.size(); ++r) {
        for (const Batch *back : {&*fromTsv, &*fromJson}) {
            QCOMPARE(back->keyIsNull(r), rows.keyIsNull(r));
            QCOMPARE(back->key(r), rows.key(r));
            QCOMPARE(back->valueIsNull(r), rows.valueIsNull(r));
            QCOMPARE(back->value(r), rows.value(r));
            QCOMPARE(back->headers(r).size(), rows.headers(r).size());
            for (qsizetype h = 0; h < rows.headers(r).size(); ++h) {
                QCOMPARE(back->headers(r)[h].name, rows.headers(r)[h].name);
                QCOMPARE(back->headers(r)[h].value.bytes, rows.headers(r)[h].value.bytes);
            }
            QCOMPARE(back->partition(r), rows.partition(r));
            QCOMPARE(back->timestamp(r), rows.timestamp(r));
        }
        // JSON Lines keeps the encodings too, but for text that is no UTF-8: written and read back as base64.
        if (r != 5)
            QCOMPARE(fromJson->at(r), rows.at(r));
    }
}

void TestRowExport::base64CellsOnImport_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("encoding");
    QTest::newRow("base64 cell") << QStringLiteral("{\"base64\":\"AAEC/w==\"}") << QByteArray("\x00\x01\x02\xff", 4)
                                 << int(Encoding::Base64);
    QTest::newRow("spaces inside") << QStringLiteral("{ \"base64\" : \"AAE=\" }") << QByteArray("\x00\x01", 2)
                                   << int(Encoding::Base64);
    QTest::newRow("quoted cell") << QStringLiteral("\"{\"\"base64\"\":\"\"AAE=\"\"}\"") << QByteArray("\x00\x01", 2)
                                 << int(Encoding::Base64);
    QTest::newRow("not base64: text") << QStringLiteral("{\"base64\":\"!\"}") << QByteArray("{\"base64\":\"!\"}")
                                      << int(Encoding::Text);
    QTest::newRow("other member: text") << QStringLiteral("{\"json\":1}") << QByteArray("{\"json\":1}")
                                        << int(Encoding::Text);
    QTest::newRow("two members: text") << QStringLiteral("{\"base64\":\"AA==\",\"x\":1}")
                                       << QByteArray("{\"base64\":\"AA==\",\"x\":1}") << int(Encoding::Text);
    QTest::newRow("space around: text") << QStringLiteral(" {\"base64\":\"AA==\"}")
                                        << QByteArray(" {\"base64\":\"AA==\"}") << int(Encoding::Text);
}

void TestRowExport::base64CellsOnImport()
{
    QFETCH(QString, cell);
    QFETCH(QByteArray, bytes);
    QFETCH(int, encoding);
    const auto tsv = importTsvPaste(QStringLiteral("key\tvalue\n") + cell + QStringLiteral("\tv\n"));
    QVERIFY(tsv.ok());
    QCOMPARE(tsv->key(0), bytes);
    QCOMPARE(int(tsv->keyEncoding(0)), encoding);
    // CSV cells follow the same rule.
    QString csvCell = cell;
    if (!cell.startsWith(QLatin1Char('"')))
        csvCell = QLatin1Char('"') + QString(cell).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    const auto csv = importCsv((QStringLiteral("key,value\n") + csvCell + QStringLiteral(",v\n")).toUtf8(),
                               QStringLiteral("cells.csv"));
    QVERIFY2(csv.ok(), qPrintable(csv.ok() ? QString() : csv.error().message()));
    QCOMPARE(csv->key(0), bytes);
    QCOMPARE(int(csv->keyEncoding(0)), encoding);
}

QTEST_GUILESS_MAIN(TestRowExport)
#include "tst_rowexport.moc"

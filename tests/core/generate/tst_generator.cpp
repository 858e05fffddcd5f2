#include "core/generate/Generator.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace kbatch::core;

class TestGenerator : public QObject
{
    Q_OBJECT
private slots:
    void expandsInPlaceAndInOrder();
    void keepsRowProperties();
    void headerValuesExpand();
    void sameSeedSameBytes_data();
    void sameSeedSameBytes();
    void differentSeedsDiffer();
    void rowSeedWinsOverDefault();
    void seedlessRowsDoNotRepeatEachOther();
    void nowReadsTheClock();
    void base64Untouched();
    void jsonValueStaysValid();
    void errorsNameRowFieldAndColumn_data();
    void errorsNameRowFieldAndColumn();
    void tooManyMessages();
    void preview();
    void previewMatchesExpansion();
    void millionRowsExpand();
    void piecesExpandAsTheWholeBatch();
    void laterPieceErrorsCountEveryRow();
};

// QVERIFY2 evaluates its message even when the check passes.
template <typename T> static QString errorText(const Result<T> &r)
{
    return r.ok() ? QString() : r.error().message();
}

static Message generatorRow(const char *key, const char *value, std::int64_t count,
                            std::optional<std::uint64_t> seed = std::nullopt)
{
    Message m;
    m.key = key ? Payload(QByteArray(key)) : Payload();
    m.value = value ? Payload(QByteArray(value)) : Payload();
    m.generate = GenerateSpec{count, seed};
    return m;
}

static Message plainRow(const char *key, const char *value)
{
    Message m;
    m.key = Payload(QByteArray(key));
    m.value = Payload(QByteArray(value));
    return m;
}

static QList<QByteArray> values(const Batch &b)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < b.size(); ++i)
        out.append(b.value(i).toByteArray());
    return out;
}

void TestGenerator::expandsInPlaceAndInOrder()
{
    Batch in;
    in.append(plainRow("a", "{{seq}} is literal here"));
    in.append(generatorRow("user-{{seq}}", "i={{index}}", 3));
    in.append(plainRow("b", "after"));
    in.append(generatorRow("g2-{{seq}}", "i={{index}}", 2));
    const auto out = expandGenerators(in, 1);
    QVERIFY2(out.ok(), qPrintable(errorText(out)));
    QCOMPARE(out->size(), 7);
    QVERIFY(!out->hasGenerator());
    QCOMPARE(values(*out), (QList<QByteArray>{"{{seq}} is literal here", "i=1", "i=2", "i=3", "after", "i=5", "i=6"}));
    QCOMPARE(out->key(1), QByteArrayView("user-1"));
    QCOMPARE(out->key(3), QByteArrayView("user-3"));
    QCOMPARE(out->key(5), QByteArrayView("g2-1"));
    QCOMPARE(out->key(6), QByteArrayView("g2-2"));
    QCOMPARE(out->at(0), in.at(0));
}

void TestGenerator::keepsRowProperties()
{
    Message m = generatorRow(nullptr, "v{{seq}}", 2);
    m.key.encoding = Encoding::Text;
    m.partition = 3;
    m.timestamp = 1767225600000;
    Batch in;
    in.append(m);
    const auto out = expandGenerators(in, 1);
    QVERIFY(out.ok());
    QCOMPARE(out->size(), 2);
    for (qsizetype i = 0; i < 2; ++i) {
        QVERIFY(out->keyIsNull(i));
        QCOMPARE(out->partition(i), std::optional<std::int32_t>(3));
        QCOMPARE(out->timestamp(i), std::optional<std::int64_t>(1767225600000));
        QVERIFY(!out->generate(i));
    }
}

void TestGenerator::headerValuesExpand()
{
    Message m = generatorRow("k", "v", 2);
    m.headers = {{"trace", Payload(QByteArray("t-{{seq}}"))},
                 {"null", Payload()},
                 {"bin", Payload(QByteArray("{{seq}}"), Encoding::Base64)},
                 {"trace", Payload(QByteArray("fixed"))}};
    Batch in;
    in.append(m);
    const auto out = expandGenerators(in, 1);
    QVERIFY(out.ok());
    const Headers h2 = out->headers(1);
    QCOMPARE(h2.size(), 4);
    QCOMPARE(h2[0].name, QByteArray("trace"));
    QCOMPARE(h2[0].value, Payload(QByteArray("t-2")));
    QVERIFY(h2[1].value.isNull());
    QCOMPARE(h2[2].value, Payload(QByteArray("{{seq}}"), Encoding::Base64));
    QCOMPARE(h2[3].value, Payload(QByteArray("fixed")));
    QCOMPARE(out->headers(0)[0].value, Payload(QByteArray("t-1")));
}

void TestGenerator::sameSeedSameBytes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("uuid") << QByteArray("{{uuid}}");
    QTest::newRow("random.int") << QByteArray("{{random.int -5 1000000000000}}");
    QTest::newRow("random.hex") << QByteArray("{{random.hex 33}}");
    QTest::newRow("pick") << QByteArray("{{pick a|b|c|d|e}}");
    QTest::newRow("now") << QByteArray("{{now}} {{now.ms}}");
    QTest::newRow("mixed") << QByteArray("{{seq}}:{{uuid}}:{{pick x|y}}:{{random.int 1 6}}");
}

void TestGenerator::sameSeedSameBytes()
{
    QFETCH(QByteArray, value);
    Batch in;
    in.append(generatorRow("{{uuid}}", value.constData(), 50));
    const FixedClock clock(1795774530123);
    const auto a = expandGenerators(in, 1234, clock);
    const auto b = expandGenerators(in, 1234, clock);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(*a, *b);
}

void TestGenerator::differentSeedsDiffer()
{
    Batch in;
    in.append(generatorRow("{{uuid}}", "{{random.hex 32}}", 100));
    const auto a = expandGenerators(in, freshSeed());
    const auto b = expandGenerators(in, freshSeed());
    QVERIFY(a.ok() && b.ok());
    QSet<QByteArray> keys;
    for (const Batch *batch : {&*a, &*b}) {
        for (qsizetype i = 0; i < batch->size(); ++i)
            keys.insert(batch->key(i).toByteArray());
    }
    QCOMPARE(keys.size(), 200);
}

void TestGenerator::rowSeedWinsOverDefault()
{
    Batch in;
    in.append(generatorRow("{{uuid}}", "x", 3, 77));
    const auto a = expandGenerators(in, 1);
    const auto b = expandGenerators(in, 2);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(*a, *b); // the default seed does not matter

    // ... nor do the rows before it.
    Batch shifted;
    shifted.append(generatorRow("{{uuid}}", "y", 5));
    shifted.append(generatorRow("{{uuid}}", "x", 3, 77));
    const auto c = expandGenerators(shifted, 9);
    QVERIFY(c.ok());
    for (qsizetype i = 0; i < 3; ++i)
        QCOMPARE(c->key(5 + i), a->key(i));
}

void TestGenerator::seedlessRowsDoNotRepeatEachOther()
{
    Batch in;
    in.append(generatorRow("{{uuid}}", "a", 10));
    in.append(generatorRow("{{uuid}}", "b", 10));
    const auto out = expandGenerators(in, 5);
    QVERIFY(out.ok());
    QSet<QByteArray> keys;
    for (qsizetype i = 0; i < out->size(); ++i)
        keys.insert(out->key(i).toByteArray());
    QCOMPARE(keys.size(), 20);
}

void TestGenerator::nowReadsTheClock()
{
    class SteppingClock : public Clock
    {
    public:
        std::int64_t nowMs() const override { return m_next++; }
        mutable std::int64_t m_next = 1000;
    } clock;
    Batch in;
    in.append(generatorRow("{{now.ms}}", "{{now.ms}}", 3));
    const auto out = expandGenerators(in, 1, clock);
    QVERIFY(out.ok());
    // Once per message: key and value of one message see the same instant.
    QCOMPARE(values(*out), (QList<QByteArray>{"1000", "1001", "1002"}));
    QCOMPARE(out->key(2), QByteArrayView("1002"));
}

void TestGenerator::base64Untouched()
{
    Message m = generatorRow(nullptr, nullptr, 2);
    m.key = Payload(QByteArray("{{uuid", 6), Encoding::Base64);
    m.value = Payload(QByteArray("\x00{{seq}}\xff", 9), Encoding::Base64);
    Batch in;
    in.append(m);
    const auto out = expandGenerators(in, 1);
    QVERIFY2(out.ok(), qPrintable(errorText(out)));
    for (qsizetype i = 0; i < 2; ++i) {
        QCOMPARE(out->key(i), QByteArrayView("{{uuid"));
        QCOMPARE(out->value(i), QByteArrayView("\x00{{seq}}\xff", 9));
        QCOMPARE(out->valueEncoding(i), Encoding::Base64);
    }
}

void TestGenerator::jsonValueStaysValid()
{
    Message m = generatorRow("k", nullptr, 20);
    m.value = Payload(QByteArray(R"({"id":"{{uuid}}","n":"{{seq}}","tag":"{{pick a\"b|c\\d|e\nf}}","at":"{{now}}"})"),
                      Encoding::Json);
    Batch in;
    in.append(m);
    const auto out = expandGenerators(in, 3, FixedClock(0));
    QVERIFY2(out.ok(), qPrintable(errorText(out)));
    QSet<QString> tags;
    for (qsizetype i = 0; i < out->size(); ++i) {
        QCOMPARE(out->valueEncoding(i), Encoding::Json);
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(out->value(i).toByteArray(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, out->value(i).toByteArray().constData());
        QCOMPARE(doc.object().value(QStringLiteral("n")).toString(), QString::number(i + 1));
        QCOMPARE(doc.object().value(QStringLiteral("at")).toString(), QStringLiteral("1970-01-01T00:00:00.000Z"));
        tags.insert(doc.object().value(QStringLiteral("tag")).toString());
    }
    QCOMPARE(tags, (QSet<QString>{QStringLiteral("a\"b"), QStringLiteral("c\\d"), QStringLiteral("e\nf")}));
}

void TestGenerator::errorsNameRowFieldAndColumn_data()
{
    QTest::addColumn<Message>("row");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("column");
    const QString known =
        QStringLiteral("(known: seq, index, uuid, now, now.ms, random.int A B, random.hex N, pick a|b|c)");

    QTest::newRow("value") << generatorRow("k", "{\"id\": \"{{uuidd}}\"}", 1)
                           << QStringLiteral("row 4, value, column 9: unknown placeholder {{uuidd}} ") + known << 9;
    QTest::newRow("key") << generatorRow("k-{{seq", "v", 1)
                         << QStringLiteral("row 4, key, column 3: unterminated {{: close the placeholder with }}") << 3;
    Message header = generatorRow("k", "v", 1);
    header.headers = {
        {"a", Payload(QByteArray("ok"))}, {"b", Payload()}, {"c", Payload(QByteArray("x{{random.hex -1}}"))}};
    QTest::newRow("header")
        << header
        << QStringLiteral("row 4, headers[2].value, column 2: {{random.hex -1}}: expected a count N from 1 to 65536 "
                          "(e.g. {{random.hex 16}})")
        << 2;
    QTest::newRow("count") << generatorRow("k", "v", 0)
                           << QStringLiteral("row 4: generate count must be at least 1 (it is 0)") << 0;
}

void TestGenerator::errorsNameRowFieldAndColumn()
{
    QFETCH(Message, row);
    QFETCH(QString, message);
    QFETCH(int, column);
    Batch in;
    in.append(plainRow("a", "{{not a placeholder here}}"));
    in.append(generatorRow("fine", "{{seq}}", 2));
    in.append(plainRow("b", "c"));
    in.append(row);
    const auto out = expandGenerators(in, 1);
    QVERIFY(!out.ok());
    QCOMPARE(out.error().message(), message);
    QCOMPARE(out.error().column, column);
}

void TestGenerator::tooManyMessages()
{
    Batch in;
    in.append(generatorRow("k", "v", 30'000'000));
    in.append(generatorRow("k", "v", 30'000'000));
    const auto out = expandGenerators(in, 1);
    QVERIFY(!out.ok());
    // The sum is too much, not the row that crosses the line.
    QCOMPARE(out.error().message(), QStringLiteral("the expanded batch would have more than 50,000,000 messages: row 2 "
                                                   "makes 30,000,000, on top of 30,000,000 from the rows before it"));
    Batch one;
    one.append(generatorRow("k", "v", 60'000'000));
    const auto alone = expandGenerators(one, 1);
    QVERIFY(!alone.ok());
    QCOMPARE(
        alone.error().message(),
        QStringLiteral("the expanded batch would have more than 50,000,000 messages: row 1 alone makes 60,000,000"));
}

void TestGenerator::preview()
{
    const Message row = generatorRow("user-{{seq}}", "{{index}}", 1000);
    const auto out = previewGenerator(row, 5, 1);
    QVERIFY(out.ok());
    QCOMPARE(values(*out), (QList<QByteArray>{"0", "1", "2", "3", "4"}));
    QCOMPARE(out->key(4), QByteArrayView("user-5"));

    QCOMPARE(previewGenerator(generatorRow("k", "v", 3), 10, 1)->size(), 3); // never more than count
    QVERIFY(!previewGenerator(plainRow("k", "v"), 10, 1).ok());
    const auto bad = previewGenerator(generatorRow("{{x}}", "v", 3), 10, 1);
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message().startsWith(QStringLiteral("row 1, key, column 1: unknown placeholder {{x}}")));
}

void TestGenerator::previewMatchesExpansion()
{
    const Message row = generatorRow("{{uuid}}", "{{random.int 1 100}}", 10);
    const FixedClock clock(5);
    const auto preview = previewGenerator(row, 4, 99, clock);
    Batch in;
    in.append(row);
    const auto all = expandGenerators(in, 99, clock);
    QVERIFY(preview.ok() && all.ok());
    for (qsizetype i = 0; i < 4; ++i)
        QCOMPARE(preview->at(i), all->at(i));
}

void TestGenerator::piecesExpandAsTheWholeBatch()
{
    // A streamed send adds rows piece by piece and takes messages in pieces of another size: the bytes must be
    // those of expanding the whole batch at once (shared stream, {{index}}, {{seq}}, a row's own seed).
    QList<Message> rows;
    rows.append(plainRow("a", "plain {{seq}}"));
    rows.append(generatorRow("u-{{seq}}", "i={{index}} r={{random.int 1 1000000}} {{uuid}}", 7));
    rows.append(plainRow("b", "plain"));
    rows.append(generatorRow("own-{{seq}}", "{{random.hex 8}}", 5, 42));
    rows.append(generatorRow(nullptr, "{{index}}:{{random.int 1 1000000}}", 9));
    rows.append(plainRow("c", "last"));
    Batch whole;
    for (const Message &m : rows)
        whole.append(m);
    const FixedClock clock(7);
    const auto expected = expandGenerators(whole, 1234, clock);
    QVERIFY(expected.ok());
    QCOMPARE(expected->size(), 3 + 7 + 5 + 9);

    for (const qsizetype addEvery : {qsizetype(1), qsizetype(2), qsizetype(4)}) {
        for (const qsizetype takeEvery : {qsizetype(1), qsizetype(3), qsizetype(100)}) {
            GeneratorExpander expander(1234, clock);
            Batch got;
            for (qsizetype first = 0; first < rows.size(); first += addEvery) {
                Batch piece;
                for (qsizetype i = first; i < std::min(first + addEvery, rows.size()); ++i)
                    piece.append(rows[i]);
                QVERIFY(expander.add(std::move(piece)).ok());
                qint64 added = 0;
                for (qsizetype i = 0; i < std::min(first + addEvery, rows.size()); ++i)
                    added += rows[i].generate ? rows[i].generate->count : 1;
                QCOMPARE(expander.pendingMessages() + expander.messagesOut(), added);
                // Take some, not all, before the next piece arrives.
                got.append(expander.take(takeEvery));
            }
            while (!expander.isEmpty())
                got.append(expander.take(takeEvery));
            QVERIFY(expander.take(takeEvery).isEmpty());
            QCOMPARE(expander.messagesOut(), expected->size());
            QVERIFY2(got == *expected, qPrintable(QStringLiteral("add %1, take %2").arg(addEvery).arg(takeEvery)));
        }
    }
}

void TestGenerator::laterPieceErrorsCountEveryRow()
{
    GeneratorExpander expander(1);
    Batch first;
    first.append(plainRow("a", "b"));
    first.append(generatorRow("k", "v", 2));
    QVERIFY(expander.add(first).ok());
    Batch second;
    second.append(plainRow("c", "d"));
    second.append(generatorRow("k", "{{nope}}", 2));
    const Status bad = expander.add(second);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message().startsWith(QStringLiteral("row 4, value, column 1: unknown placeholder {{nope}}")),
             qPrintable(bad.error().message()));
    // Nothing of the bad piece was queued: only the first piece's three messages come out.
    QCOMPARE(expander.take(100).size(), 3);
    QVERIFY(expander.isEmpty());
}

void TestGenerator::millionRowsExpand()
{
    Batch in;
    in.append(generatorRow("order-{{seq}}",
                           R"({"id":"{{uuid}}","n":{{seq}},"at":"{{now}}","qty":{{random.int 1 9}},"x":"abcdefgh"})",
                           1'000'000));
    QElapsedTimer timer;
    timer.start();
    const auto out = expandGenerators(in, 1);
    const qint64 ms = timer.elapsed();
    QVERIFY(out.ok());
    QCOMPARE(out->size(), 1'000'000);
    QCOMPARE(out->key(999'999), QByteArrayView("order-1000000"));
    qInfo("1,000,000 messages of ~%lld bytes expanded in %lld ms", qlonglong(out->value(0).size()), ms);
    // Timing targets live in bench/, not in tests: this only checks the million rows are right.
    QCOMPARE(out->key(0), QByteArrayView("order-1"));
    QVERIFY(out->value(123'456).startsWith("{\"id\":\""));
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"

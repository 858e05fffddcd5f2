#include "core/model/Batch.h"

#include <QTest>

#include <functional>

using namespace kbatch::core;

class TestBatch : public QObject
{
    Q_OBJECT
private slots:
    void nullIsDistinctFromEmpty();
    void rareFieldsRoundTrip();
    void editsKeepOtherRows();
    void moveRow();
    void copiesAreIndependent();
    void appendBatchKeepsEveryField();
    void sendViewMatchesTheAccessors();
    void largePayloadsKeepSmallOnesIntact();
    void compactsAfterManyEdits();
    void aMillionRowsFitWellUnder500MB();
    void locationsAreCheckedNotCut_data();
    void locationsAreCheckedNotCut();
};

static Message msg(const char *key, const char *value)
{
    Message m;
    m.key = key ? Payload(QByteArray(key)) : Payload();
    m.value = value ? Payload(QByteArray(value)) : Payload();
    return m;
}

void TestBatch::nullIsDistinctFromEmpty()
{
    Batch b;
    b.append(msg(nullptr, nullptr));
    b.append(msg("", ""));
    QVERIFY(b.keyIsNull(0));
    QVERIFY(b.valueIsNull(0));
    QVERIFY(!b.keyIsNull(1));
    QVERIFY(!b.valueIsNull(1));
    QVERIFY(b.at(0).key.isNull());
    QVERIFY(!b.at(1).key.isNull());
    QCOMPARE(b.at(1).key.bytes->size(), 0);
    QVERIFY(!(b.at(0) == b.at(1)));
}

void TestBatch::rareFieldsRoundTrip()
{
    Message m = msg("k", "v");
    m.key.encoding = Encoding::Base64;
    m.value = Payload(QByteArray("{\"a\":1}"), Encoding::Json);
    m.headers = {{"trace", Payload(QByteArray("1"))},
                 {"trace", Payload()},
                 {"bin", Payload(QByteArray("\0\xff", 2), Encoding::Base64)}};
    m.partition = 2;
    m.timestamp = 1767225600000;
    m.generate = GenerateSpec{10, 42};
    Batch b;
    b.append(msg("a", "b"));
    b.append(m);
    QCOMPARE(b.at(1), m);
    QCOMPARE(b.headers(1).size(), 3);
    QCOMPARE(b.headers(0).size(), 0);
    QVERIFY(b.hasGenerator());
    b.remove(1);
    QVERIFY(!b.hasGenerator());
    QCOMPARE(b.size(), 1);
    QCOMPARE(b.at(0), msg("a", "b"));
}

void TestBatch::editsKeepOtherRows()
{
    Batch b;
    for (int i = 0; i < 100; ++i)
        b.append(msg(QByteArray::number(i).constData(), QByteArray(i, 'x').constData()));
    b.replace(50, msg("fifty", nullptr));
    b.insert(0, msg("first", "v"));
    b.remove(10, 5);
    QCOMPARE(b.size(), 96);
    QCOMPARE(b.at(0), msg("first", "v"));
    QCOMPARE(b.key(1).toByteArray(), QByteArray("0"));
    QCOMPARE(b.key(10).toByteArray(), QByteArray("14"));
    QCOMPARE(b.at(46), msg("fifty", nullptr));
    QCOMPARE(b.value(95).toByteArray(), QByteArray(99, 'x'));
}

void TestBatch::moveRow()
{
    Batch b;
    for (const char *k : {"a", "b", "c", "d"})
        b.append(msg(k, k));
    b.move(0, 2); // b c a d
    QCOMPARE(b.key(2).toByteArray(), QByteArray("a"));
    b.move(3, 0); // d b c a
    QCOMPARE(b.key(0).toByteArray(), QByteArray("d"));
    QCOMPARE(b.key(3).toByteArray(), QByteArray("a"));
}

void TestBatch::copiesAreIndependent()
{
    Batch a;
    a.append(msg("k1", "v1"));
    Batch b = a;
    a.append(msg("k2", "from a"));
    b.append(msg("k2", "from b"));
    QCOMPARE(a.value(1).toByteArray(), QByteArray("from a"));
    QCOMPARE(b.value(1).toByteArray(), QByteArray("from b"));
    QCOMPARE(a.value(0).toByteArray(), QByteArray("v1"));
    QCOMPARE(b.value(0).toByteArray(), QByteArray("v1"));

    // Row records and the side table are shared until a write: every kind of edit, on either side, leaves the
    // other copy exactly as it was.
    Message withHeaders = msg("h", "with headers");
    withHeaders.headers = {{QByteArray("trace"), Payload(QByteArray("t1"))}};
    withHeaders.timestamp = 1700000000000;
    Batch original;
    for (int i = 0; i < 5; ++i)
        original.append(i == 2 ? withHeaders : msg(QByteArray::number(i).constData(), "v"));
    const Batch pristine = original;
    // Checked against literals too, since `pristine` shares the same storage and a broken detach would change both.
    const auto unchanged = [](const Batch &x) {
        return x.size() == 5 && x.key(0) == QByteArrayView("0") && x.key(4) == QByteArrayView("4") &&
               x.value(2) == QByteArrayView("with headers") && x.headers(2).size() == 1 &&
               x.timestamp(2) == std::optional<std::int64_t>(1700000000000);
    };
    using Edit = std::function<void(Batch &)>;
    const QList<QPair<const char *, Edit>> edits{
        {"append", [](Batch &x) { x.append(msg("n", "new")); }},
        {"insert", [](Batch &x) { x.insert(0, msg("n", "new")); }},
        {"replace", [](Batch &x) { x.replace(2, msg("r", "replaced")); }},
        {"remove", [](Batch &x) { x.remove(1, 2); }},
        {"move", [](Batch &x) { x.move(0, 4); }},
        {"clear", [](Batch &x) { x.clear(); }},
    };
    for (const auto &[name, edit] : edits) {
        Batch copy = original;
        edit(copy);
        QVERIFY2(original == pristine && unchanged(original), name);
        Batch other = original;
        edit(original);
        QVERIFY2(other == pristine && unchanged(other), name);
        original = pristine;
    }
}

void TestBatch::appendBatchKeepsEveryField()
{
    // What a streamed send does: pieces read one after another are appended to the job's rows.
    Message rare = msg(nullptr, "v");
    rare.headers = {{"h", Payload(QByteArray("\0\x01", 2), Encoding::Base64)}, {"h", Payload()}};
    rare.timestamp = 1767225600000;
    rare.partition = 3;
    Message gen = msg("k{{seq}}", "");
    gen.generate = GenerateSpec{5, std::nullopt};

    Batch first;
    first.append(msg("a", "1"));
    first.append(rare);
    Batch second;
    second.append(msg("", nullptr));
    second.append(gen);
    second.append(msg(QByteArray(300 * 1024, 'x').constData(), "big")); // a chunk of its own

    Batch all = first;
    all.append(second);
    QCOMPARE(all.size(), 5);
    const QList<Message> expected = {first.at(0), first.at(1), second.at(0), second.at(1), second.at(2)};
    for (qsizetype i = 0; i < all.size(); ++i)
        QCOMPARE(all.at(i), expected[i]);
    QVERIFY(all.hasGenerator());
    QCOMPARE(all.payloadBytes(), first.payloadBytes() + second.payloadBytes());

    // Both sides go on independently: the source appends into its own tail, the target into a new one.
    second.append(msg("after", "source"));
    all.append(msg("after", "target"));
    QCOMPARE(second.size(), 4);
    QCOMPARE(second.at(3), msg("after", "source"));
    QCOMPARE(all.size(), 6);
    for (qsizetype i = 0; i < 5; ++i)
        QCOMPARE(all.at(i), expected[i]);
    QCOMPARE(all.at(5), msg("after", "target"));
    all.remove(1); // the appended extras belong to the target alone
    QCOMPARE(first.at(1), rare);
    QCOMPARE(all.at(2), second.at(1));

    Batch empty;
    empty.append(first); // onto an empty batch: shares everything
    QCOMPARE(empty, first);
}

void TestBatch::sendViewMatchesTheAccessors()
{
    Message rare = msg("k", "");
    rare.headers = {{"h", Payload(QByteArray("v"))}};
    rare.timestamp = 1767225600000;
    rare.partition = 0;
    Message keyOnly = msg("key", nullptr);
    keyOnly.partition = 7;
    Batch b;
    for (const Message &m : {msg(nullptr, nullptr), msg("", ""), rare, keyOnly, msg(nullptr, "value only")})
        b.append(m);
    for (qsizetype i = 0; i < b.size(); ++i) {
        const Batch::SendView v = b.sendView(i);
        QCOMPARE(v.keyIsNull, b.keyIsNull(i));
        QCOMPARE(v.valueIsNull, b.valueIsNull(i));
        QCOMPARE(v.key, b.key(i));
        QCOMPARE(v.value, b.value(i));
        QCOMPARE(v.partition, b.partition(i));
        QCOMPARE(v.timestamp, b.timestamp(i));
        QVERIFY(v.headers);
        QCOMPARE(*v.headers, b.headers(i));
    }
    QCOMPARE(b.sendView(3).key, QByteArrayView("key"));
    QCOMPARE(b.sendView(3).partition, std::optional<std::int32_t>(7));
    QCOMPARE(b.sendView(2).headers->size(), 1);
}

void TestBatch::largePayloadsKeepSmallOnesIntact()
{
    Batch b;
    const QByteArray big(3 << 20, 'B');
    b.append(msg("small1", "s1"));
    b.append(msg("big", big.constData()));
    b.append(msg("small2", "s2"));
    QCOMPARE(b.value(1).size(), big.size());
    QCOMPARE(b.value(0).toByteArray(), QByteArray("s1"));
    QCOMPARE(b.value(2).toByteArray(), QByteArray("s2"));
    QVERIFY(b.memoryUsage() < qint64(big.size()) + (3 << 20));
}

void TestBatch::compactsAfterManyEdits()
{
    Batch b;
    const QByteArray value(1000, 'v');
    for (int i = 0; i < 1000; ++i)
        b.append(msg("k", value.constData()));
    for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 1000; ++i)
            b.replace(i, msg("k", value.constData()));
    }
    QCOMPARE(b.payloadBytes(), qint64(1000) * 1001);
    // Without compaction 50 rounds would hold ~50 MB of stale bytes.
    QVERIFY2(b.memoryUsage() < 16 * 1024 * 1024, qPrintable(QString::number(b.memoryUsage())));
    QCOMPARE(b.value(999).toByteArray(), value);
}

void TestBatch::aMillionRowsFitWellUnder500MB()
{
    // Not a timing test: the figure is the model's own account of its heap, which is deterministic.
    Batch b;
    QByteArray value(100, 'v');
    for (int i = 0; i < 1'000'000; ++i) {
        Message m;
        m.key = Payload(QByteArray::number(i));
        value[0] = char(i);
        m.value = Payload(value);
        b.append(m);
    }
    QCOMPARE(b.size(), 1'000'000);
    const qint64 perRow = b.memoryUsage() / b.size();
    const qint64 payloadPerRow = b.payloadBytes() / b.size();
    // Payload + at most 64 bytes of bookkeeping per row (issue 5's target), so ~170 MB in all.
    QVERIFY2(perRow <= payloadPerRow + 64, qPrintable(QStringLiteral("%1 bytes per row").arg(perRow)));
    QVERIFY(b.memoryUsage() < 250'000'000);
    QCOMPARE(b.value(999'999).size(), 100);
    QCOMPARE(b.key(123'456).toByteArray(), QByteArray("123456"));
}

void TestBatch::locationsAreCheckedNotCut_data()
{
    // Where a row's bytes are packs a chunk index and a position into 32 bits each. Past either limit the packing
    // would silently point at another chunk; it must refuse instead (Batch then treats it as out of memory: 2^32
    // chunks are a petabyte). Checked without allocating anything like that.
    QTest::addColumn<quint64>("chunk");
    QTest::addColumn<quint64>("position");
    QTest::addColumn<bool>("fits");
    QTest::newRow("first byte") << quint64(0) << quint64(0) << true;
    QTest::newRow("last chunk, last position") << quint64(0xffffffff) << quint64(0xffffffff) << true;
    QTest::newRow("one chunk too many") << (quint64(1) << 32) << quint64(0) << false;
    QTest::newRow("one position too far") << quint64(0) << (quint64(1) << 32) << false;
}

void TestBatch::locationsAreCheckedNotCut()
{
    QFETCH(quint64, chunk);
    QFETCH(quint64, position);
    QFETCH(bool, fits);
    const auto packed = Batch::packLocation(std::size_t(chunk), std::size_t(position));
    QCOMPARE(packed.has_value(), fits);
    if (fits) {
        QCOMPARE(*packed >> 32, chunk);
        QCOMPARE(*packed & 0xffffffffu, position);
    }
}

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"

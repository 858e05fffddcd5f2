// core/send: which rows a send takes, generator rows streamed with bounded memory, and the map from job rows back to
// the rows they came from, as the window and kbatch-cli both use them.

#include "core/format/TemplateWriter.h"
#include "core/send/JobPreparation.h"
#include "tests/common/NumberedRows.h"

#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using kbatch::test::numberedRows;

class TestJobPreparation : public QObject
{
    Q_OBJECT
private slots:
    void sourcesAreKeptAsRuns_data();
    void sourcesAreKeptAsRuns();
    void scopeTakesTheRows_data();
    void scopeTakesTheRows();
    void aSmallExpansionIsDoneAtOnce();
    void aLargeExpansionStreamsInPieces();
    void aGeneratorMistakeIsAnError();
    void templateRowsStreamAfterTheFirstPiece();
    void anEmptyTemplateIsAnError();

private:
    // Every row the feeder hands over, checking that no piece is larger than a piece.
    static Batch drain(PreparedRows &prepared, qsizetype *largestPiece = nullptr);
};

Batch TestJobPreparation::drain(PreparedRows &prepared, qsizetype *largestPiece)
{
    Batch all;
    if (!prepared.feeder)
        return prepared.rows;
    prepared.feeder->start();
    Batch piece;
    for (;;) {
        const RowFeed::Take t = prepared.feeder->feed()->take(piece, 1000);
        if (t == RowFeed::Take::Piece) {
            if (largestPiece)
                *largestPiece = std::max(*largestPiece, piece.size());
            all.append(piece);
        } else if (t != RowFeed::Take::Later) {
            break;
        }
    }
    prepared.feeder->wait();
    return all;
}

void TestJobPreparation::sourcesAreKeptAsRuns_data()
{
    QTest::addColumn<QList<quint64>>("keys");
    QTest::addColumn<QList<qint64>>("counts");
    QTest::addColumn<int>("runs");
    QTest::newRow("consecutive keys") << QList<quint64>{10, 11, 12, 13} << QList<qint64>{1, 1, 1, 1} << 1;
    QTest::newRow("a gap") << QList<quint64>{10, 11, 20, 21} << QList<qint64>{1, 1, 1, 1} << 2;
    QTest::newRow("moved rows") << QList<quint64>{3, 1, 2} << QList<qint64>{1, 1, 1} << 2;
    QTest::newRow("a generator in between") << QList<quint64>{1, 2, 3} << QList<qint64>{1, 5, 1} << 3;
    QTest::newRow("generators alike") << QList<quint64>{7, 8} << QList<qint64>{4, 4} << 1;
}

void TestJobPreparation::sourcesAreKeptAsRuns()
{
    QFETCH(QList<quint64>, keys);
    QFETCH(QList<qint64>, counts);
    QFETCH(int, runs);
    JobSources sources;
    for (qsizetype i = 0; i < keys.size(); ++i)
        sources.append(keys[i], counts[i]);
    QCOMPARE(sources.runs(), runs);
    qint64 jobRow = 0;
    for (qsizetype i = 0; i < keys.size(); ++i)
        for (qint64 n = 0; n < counts[i]; ++n, ++jobRow)
            QCOMPARE(sources.keyOf(jobRow), std::optional<std::uint64_t>(keys[i]));
    QCOMPARE(sources.jobRows(), jobRow);
    QVERIFY(!sources.keyOf(jobRow));
    QVERIFY(!sources.keyOf(-1));
}

void TestJobPreparation::scopeTakesTheRows_data()
{
    QTest::addColumn<int>("rowCount");
    QTest::addColumn<int>("scope");
    QTest::addColumn<QList<qsizetype>>("rows");
    QTest::addColumn<QList<int>>("expected"); // values of the job's rows; empty: an error
    QTest::addColumn<QString>("error");
    QTest::newRow("all") << 4 << int(SendScope::All) << QList<qsizetype>{2} << QList<int>{0, 1, 2, 3} << QString();
    QTest::newRow("selected, unsorted, twice")
        << 5 << int(SendScope::Selected) << QList<qsizetype>{3, 1, 3} << QList<int>{1, 3} << QString();
    QTest::newRow("failed") << 5 << int(SendScope::Failed) << QList<qsizetype>{4} << QList<int>{4} << QString();
    QTest::newRow("nothing selected") << 3 << int(SendScope::Selected) << QList<qsizetype>{} << QList<int>{}
                                      << QStringLiteral("no rows selected");
    QTest::newRow("rows that are gone") << 3 << int(SendScope::Selected) << QList<qsizetype>{7, -1} << QList<int>{}
                                        << QStringLiteral("no rows selected");
    QTest::newRow("nothing failed") << 3 << int(SendScope::Failed) << QList<qsizetype>{} << QList<int>{}
                                    << QStringLiteral("no failed rows to resend");
    QTest::newRow("empty batch") << 0 << int(SendScope::All) << QList<qsizetype>{} << QList<int>{}
                                 << QStringLiteral("the batch has no rows");
}

void TestJobPreparation::scopeTakesTheRows()
{
    QFETCH(int, rowCount);
    QFETCH(int, scope);
    QFETCH(QList<qsizetype>, rows);
    QFETCH(QList<int>, expected);
    QFETCH(QString, error);
    const Batch batch = numberedRows(0, rowCount);
    // Keys far from the row numbers, as the window's row ids are after edits.
    auto prepared = prepareBatchRows(
        batch, SendScope(scope), rows, [](qsizetype r) { return 1000 + 2 * r; }, 1);
    if (!error.isEmpty()) {
        QVERIFY(!prepared.ok());
        QCOMPARE(prepared.error().message(), error);
        return;
    }
    QVERIFY2(prepared.ok(), prepared.ok() ? "" : qPrintable(prepared.error().message()));
    QVERIFY(!prepared->feeder);
    QCOMPARE(prepared->messages, expected.size());
    QCOMPARE(prepared->rows.size(), expected.size());
    QList<qsizetype> taken;
    if (SendScope(scope) != SendScope::All)
        for (int v : std::as_const(expected))
            taken.append(v);
    QCOMPARE(prepared->batchRows, taken);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(prepared->rows.value(i), QByteArrayView(QByteArray::number(expected[i])));
        QCOMPARE(prepared->sources.keyOf(i), std::optional<std::uint64_t>(1000 + 2 * expected[i]));
    }
}

void TestJobPreparation::aSmallExpansionIsDoneAtOnce()
{
    Batch batch = numberedRows(0, 2);
    Message generator;
    generator.key = Payload(QByteArray("k-{{seq}}"));
    generator.value = Payload(QByteArray("v"));
    generator.generate = GenerateSpec{10, 7};
    batch.insert(1, generator);
    auto prepared = prepareBatchRows(batch, SendScope::All, {}, {}, 1);
    QVERIFY(prepared.ok());
    QVERIFY(!prepared->feeder);
    QCOMPARE(prepared->messages, 12);
    QCOMPARE(prepared->rows.size(), 12);
    QVERIFY(!prepared->rows.hasGenerator());
    QCOMPARE(prepared->rows.key(1), QByteArrayView("k-1"));
    // Job rows 1..10 came from row 1; without keys a row is its index.
    QCOMPARE(prepared->sources.keyOf(0), std::optional<std::uint64_t>(0));
    QCOMPARE(prepared->sources.keyOf(10), std::optional<std::uint64_t>(1));
    QCOMPARE(prepared->sources.keyOf(11), std::optional<std::uint64_t>(2));
}

void TestJobPreparation::aLargeExpansionStreamsInPieces()
{
    // 200,000 generated messages: handed over a piece at a time, with the bytes expandGenerators() gives for the
    // same seed and clock, never more than a piece in one go.
    constexpr qsizetype Count = 200'000;
    Batch batch = numberedRows(0, 1);
    Message generator;
    generator.key = Payload(QByteArray("user-{{seq}}"));
    generator.value = Payload(QByteArray(R"({"id":"{{uuid}}","at":"{{now}}"})"));
    generator.generate = GenerateSpec{Count, std::nullopt};
    batch.append(generator);
    const FixedClock clock(1767225600000);
    auto prepared = prepareBatchRows(
        batch, SendScope::Selected, {1, 0}, [](qsizetype r) { return 50 + r; }, 99, clock);
    QVERIFY(prepared.ok());
    QVERIFY(prepared->feeder);
    QVERIFY(prepared->rows.isEmpty());
    QCOMPARE(prepared->messages, Count + 1);
    PublishJob job;
    prepared->moveInto(job);
    QCOMPARE(job.feed, prepared->feeder->feed());
    qsizetype largest = 0;
    const Batch sent = drain(*prepared, &largest);
    QVERIFY(largest <= JobFeeder::PieceRows);
    auto whole = expandGenerators(batch, 99, clock);
    QVERIFY(whole.ok());
    QCOMPARE(sent, whole.value());
    QCOMPARE(prepared->sources.keyOf(0), std::optional<std::uint64_t>(50));
    QCOMPARE(prepared->sources.keyOf(Count), std::optional<std::uint64_t>(51));
    QCOMPARE(prepared->sources.runs(), 2);
}

void TestJobPreparation::aGeneratorMistakeIsAnError()
{
    Batch batch = numberedRows(0, 1);
    Message generator;
    generator.value = Payload(QByteArray("{{nosuch}}"));
    generator.generate = GenerateSpec{3, std::nullopt};
    batch.append(generator);
    auto prepared = prepareBatchRows(batch, SendScope::All, {}, {}, 1);
    QVERIFY(!prepared.ok());
    QVERIFY2(prepared.error().message().contains(QLatin1String("row 2")), qPrintable(prepared.error().message()));
    QVERIFY(prepared.error().message().contains(QLatin1String("nosuch")));
}

void TestJobPreparation::templateRowsStreamAfterTheFirstPiece()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.kbatch.json"));
    Template tpl;
    tpl.topic = QStringLiteral("t");
    tpl.messages = numberedRows(0, JobFeeder::PieceRows * 2 + 5);
    QVERIFY(saveTemplate(tpl, path).ok());

    for (const bool checkFirst : {false, true}) {
        auto stream = TemplateStream::open(path);
        QVERIFY(stream.ok());
        auto head = stream->readHead();
        QVERIFY(head.ok());
        auto prepared =
            prepareTemplateRows(std::move(stream.value()), std::move(head->messages), path, 1, checkFirst, true);
        QVERIFY(prepared.ok());
        // Read whole before anything is sent with checkFirst, and then counted; handed over in pieces either way.
        QVERIFY(prepared->feeder);
        QCOMPARE(prepared->messages, checkFirst ? tpl.messages.size() : -1);
        QVERIFY(prepared->sources.isEmpty());
        const Batch sent = drain(*prepared);
        QCOMPARE(sent, tpl.messages);
        QCOMPARE(prepared->feeder->keptRows(), tpl.messages);
    }
}

void TestJobPreparation::anEmptyTemplateIsAnError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty.kbatch.json"));
    Template tpl;
    tpl.topic = QStringLiteral("t");
    QVERIFY(saveTemplate(tpl, path).ok());
    auto stream = TemplateStream::open(path);
    QVERIFY(stream.ok());
    auto head = stream->readHead();
    QVERIFY(head.ok());
    auto prepared = prepareTemplateRows(std::move(stream.value()), std::move(head->messages), path, 1, false, false);
    QVERIFY(!prepared.ok());
    QCOMPARE(prepared.error().message(), path + QStringLiteral(": the template has no messages"));
}

QTEST_GUILESS_MAIN(TestJobPreparation)
#include "tst_jobpreparation.moc"

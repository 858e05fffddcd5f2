// kbatch-cli end to end: the sandbox runs as a separate process (CTest fixture), kbatch-cli runs as a process,
// and kcat reads the topic back: our own code is never the only witness.

#include "CliProcess.h"
#include "KcatReader.h"
#include "core/format/TemplateReader.h"
#include "core/generate/Generator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using kbatch::test::CliRun;
using kbatch::test::kcatProduce;
using kbatch::test::kcatReadAll;
using kbatch::test::KcatRecord;

namespace {

// What a row of the M1 template is, to compare with what kcat reads.
struct Expected
{
    std::optional<QByteArray> key;
    std::optional<QByteArray> value;
    QList<QPair<QByteArray, std::optional<QByteArray>>> headers;
    int partition = -1;
    qint64 timestamp = -1;
};

QJsonValue payloadJson(const std::optional<QByteArray> &bytes, bool binary)
{
    if (!bytes)
        return QJsonValue::Null;
    if (binary)
        return QJsonObject{{QStringLiteral("base64"), QString::fromLatin1(bytes->toBase64())}};
    return QString::fromUtf8(*bytes);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void sendsM1AndKcatSeesTheSameBytes();
    void sampleTemplateSendsAndVerifies();
    void atomicSend();
    void generatedRowsAreReproducibleWithASeed();
    void badBootstrapIsExit2();
    void unknownTopicWithAutoCreateOffIsExit2();
    void messageTooLargeIsExit1();
    void invalidPropertyIsExit2();
    void illegalTopicNameIsExit2EvenOnTheSandbox();
    void invalidTemplateNamesFileLineColumn();
    void mistakeInTheFirstPieceSendsNothing();
    void mistakeInALaterPieceStopsTheSendThere();
    void checkFirstSendsNothingOnAMistake();
    void largeGenerateRowStreamsTheBytesOfAWholeExpansion();
    void topicsListsPartitions();
    void readerAskingForAMissingTopicCreatesIt();
    void kcatJsonOutputCanBeImportedAndResent();
    void helpForEverySubcommand_data();
    void helpForEverySubcommand();
    void versionNamesLibrdkafkaAndItsFeatures();

private:
    CliRun cli(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 120000);
    QString writeFile(const QString &name, const QByteArray &content);

    QString m_bootstrap;
    QTemporaryDir m_dir;
};

CliRun TestCli::cli(const QStringList &args, const QByteArray &input, int timeoutMs)
{
    return kbatch::test::runCli(QStringLiteral(KBATCH_CLI), args, input, timeoutMs);
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile f(QStringLiteral(KBATCH_SANDBOX_DIR "/bootstrap"));
    QVERIFY2(f.open(QIODevice::ReadOnly), "the sandbox fixture did not run (ctest -L integration starts it)");
    m_bootstrap = QString::fromUtf8(f.readAll()).trimmed();
    QVERIFY(!m_bootstrap.isEmpty());
}

void TestCli::sendsM1AndKcatSeesTheSameBytes()
{
    // Scenario M1: 1,000 messages with keys, null keys, tombstones, binary values, repeated headers, 3 partitions.
    QList<Expected> expected;
    QJsonArray messages;
    for (int i = 0; i < 1000; ++i) {
        Expected e;
        QJsonObject m;
        bool binary = false;
        switch (i % 5) {
        case 0:
            e.key = QByteArray("key-") + QByteArray::number(i);
            e.value = QByteArray("value ") + QByteArray::number(i) + " — ünïcødé ✓";
            break;
        case 1:
            e.value = QByteArray("no key ") + QByteArray::number(i);
            break;
        case 2:
            e.key = QByteArray("tombstone-") + QByteArray::number(i);
            break;
        case 3:
            binary = true;
            e.key = QByteArray();
            e.value = QByteArray();
            for (int c = 0; c < 256; ++c)
                e.value->append(char((c * 7 + i) & 0xff));
            break;
        case 4:
            e.key = QByteArray("h-") + QByteArray::number(i);
            e.value = QByteArray("");
            e.headers = {{"trace", QByteArray("first")},
                         {"trace", QByteArray("second")},
                         {"nil", std::nullopt},
                         {"empty", QByteArray("")}};
            e.timestamp = 1767225600000 + i;
            break;
        }
        if (i % 3 == 0)
            e.partition = (i / 3) % 3;
        m[QStringLiteral("key")] = payloadJson(e.key, false);
        m[QStringLiteral("value")] = payloadJson(e.value, binary);
        if (!e.headers.isEmpty()) {
            QJsonArray hs;
            for (const auto &[n, v] : e.headers)
                hs.append(QJsonArray{QString::fromUtf8(n), payloadJson(v, false)});
            m[QStringLiteral("headers")] = hs;
        }
        if (e.partition >= 0)
            m[QStringLiteral("partition")] = e.partition;
        if (e.timestamp >= 0)
            m[QStringLiteral("timestamp")] = e.timestamp;
        messages.append(m);
        expected.append(e);
    }
    const QJsonObject tpl{{QStringLiteral("format"), QStringLiteral("kbatch-template")},
                          {QStringLiteral("version"), 1},
                          {QStringLiteral("name"), QStringLiteral("M1")},
                          {QStringLiteral("topic"), QStringLiteral("m1")},
                          {QStringLiteral("messages"), messages}};
    const QString path = writeFile(QStringLiteral("m1.kbatch.json"), QJsonDocument(tpl).toJson());
    const QString report = m_dir.filePath(QStringLiteral("m1-report.jsonl"));

    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--report"), report, QStringLiteral("--verify")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("1000/1000 delivered to m1"), run.err.constData());
    QVERIFY2(run.err.contains("1000/1000 verified"), run.err.constData());

    // The report: one JSON object per message, each delivered, with partition and offset.
    QFile rf(report);
    QVERIFY(rf.open(QIODevice::ReadOnly));
    QHash<QPair<int, qint64>, int> rowAt;
    int lines = 0;
    for (const QByteArray &line : rf.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        ++lines;
        QJsonParseError perr;
        const QJsonObject o = QJsonDocument::fromJson(line, &perr).object();
        QVERIFY2(perr.error == QJsonParseError::NoError, line.constData());
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QVERIFY(o.value(QStringLiteral("error")).isNull());
        const int index = o.value(QStringLiteral("index")).toInt();
        rowAt.insert(
            {o.value(QStringLiteral("partition")).toInt(), qint64(o.value(QStringLiteral("offset")).toDouble())},
            index);
    }
    QCOMPARE(lines, 1000);
    QCOMPARE(rowAt.size(), 1000);

    // kcat sees exactly the bytes, headers, partitions and per-partition order.
    const QList<KcatRecord> records = kcatReadAll(m_bootstrap, QStringLiteral("m1"));
    QCOMPARE(records.size(), 1000);
    QHash<int, int> lastRow;
    for (const KcatRecord &r : records) {
        const auto it = rowAt.constFind({r.partition, r.offset});
        QVERIFY(it != rowAt.constEnd());
        const Expected &e = expected[*it];
        QCOMPARE(r.key, e.key);
        QCOMPARE(r.value, e.value);
        QCOMPARE(r.headers, e.headers);
        if (e.partition >= 0)
            QCOMPARE(r.partition, e.partition);
        if (e.timestamp >= 0)
            QCOMPARE(r.timestamp, e.timestamp);
        QVERIFY2(lastRow.value(r.partition, -1) < *it, "per-partition order must be the send order");
        lastRow[r.partition] = *it;
    }
}

void TestCli::sampleTemplateSendsAndVerifies()
{
    const QString sample = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    QVERIFY(QFile::exists(sample));
    const auto before = kcatReadAll(m_bootstrap, QStringLiteral("orders")).size();
    const CliRun run = cli({QStringLiteral("send"), sample, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--verify"), QStringLiteral("--report"), QStringLiteral("-")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const qsizetype sent = run.out.count('\n');
    QVERIFY(sent > 0);
    QCOMPARE(kcatReadAll(m_bootstrap, QStringLiteral("orders")).size(), before + sent);
}

void TestCli::atomicSend()
{
    const QString path = writeFile(QStringLiteral("atomic.kbatch.json"), R"({
  "format": "kbatch-template", "version": 1, "name": "atomic", "topic": "atomic-cli",
  "messages": [ {"key": "a", "value": "1"}, {"key": "b", "value": "2", "partition": 1}, {"key": "c", "value": "3", "partition": 2} ]
})");
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--atomic"), QStringLiteral("--verify")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(kcatReadAll(m_bootstrap, QStringLiteral("atomic-cli")).size(), 3);
}

void TestCli::generatedRowsAreReproducibleWithASeed()
{
    const QString path = writeFile(QStringLiteral("gen.kbatch.json"), R"({
  "format": "kbatch-template", "version": 1, "name": "gen", "topic": "gen-a",
  "messages": [ {"key": "user-{{seq}}", "value": "{{uuid}} {{random.int 1 6}}", "generate": {"count": 50}} ]
})");
    for (const char *topic : {"gen-a", "gen-b"}) {
        const CliRun run =
            cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--topic"),
                 QString::fromLatin1(topic), QStringLiteral("--seed"), QStringLiteral("42"), QStringLiteral("-X"),
                 QStringLiteral("enable.idempotence=true"), QStringLiteral("--verify")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }
    auto a = kcatReadAll(m_bootstrap, QStringLiteral("gen-a"));
    auto b = kcatReadAll(m_bootstrap, QStringLiteral("gen-b"));
    QCOMPARE(a.size(), 50);
    QCOMPARE(b.size(), 50);
    QSet<QByteArray> keysA, valuesA, valuesB;
    for (const auto &r : a) {
        keysA.insert(*r.key);
        valuesA.insert(*r.value);
    }
    for (const auto &r : b)
        valuesB.insert(*r.value);
    QCOMPARE(keysA.size(), 50);
    QVERIFY(keysA.contains("user-1") && keysA.contains("user-50"));
    QCOMPARE(valuesA.size(), 50); // uuids differ between rows
    QCOMPARE(valuesA, valuesB);   // and the same seed gives the same values
}

void TestCli::badBootstrapIsExit2()
{
    const QString sample = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const CliRun run =
        cli({QStringLiteral("send"), sample, QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:1"),
             QStringLiteral("--connect-timeout"), QStringLiteral("1500")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("cannot connect to 127.0.0.1:1 within 1500 ms"), run.err.constData());
}

void TestCli::unknownTopicWithAutoCreateOffIsExit2()
{
    const QString sample = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const CliRun run =
        cli({QStringLiteral("send"), sample, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--topic"),
             QStringLiteral("no-such-topic"), QStringLiteral("-X"), QStringLiteral("allow.auto.create.topics=false")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("topic 'no-such-topic' does not exist"), run.err.constData());
    QVERIFY(kcatReadAll(m_bootstrap, QStringLiteral("no-such-topic")).isEmpty());
}

void TestCli::messageTooLargeIsExit1()
{
    const QByteArray big(1'200'000, 'x');
    const QString path = writeFile(QStringLiteral("big.kbatch.json"),
                                   R"({"format": "kbatch-template", "version": 1, "name": "big", "topic": "big-cli",
  "messages": [ {"key": "small", "value": "ok"}, {"key": "big", "value": ")" +
                                       big + R"("} ]})");
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--report"), QStringLiteral("-")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("message 1: failed: MSG_SIZE_TOO_LARGE: message of 1200003 bytes"), run.err.constData());
    QVERIFY2(run.err.contains("1/2 delivered"), run.err.constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(kcatReadAll(m_bootstrap, QStringLiteral("big-cli")).size(), 1);
}

void TestCli::invalidPropertyIsExit2()
{
    const QString sample = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const CliRun run = cli({QStringLiteral("send"), sample, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("-X"), QStringLiteral("compression.codec=brotli")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("compression.codec"), run.err.constData());
}

// librdkafka's mock cluster takes any topic name; a real broker refuses this one. KBatch refuses it everywhere.
void TestCli::illegalTopicNameIsExit2EvenOnTheSandbox()
{
    const QString sample = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const CliRun run = cli({QStringLiteral("send"), sample, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--topic"), QStringLiteral("orders smoke!")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("topic: 'orders smoke!' has a space at position 7; Kafka topic names allow only ASCII "
                              "letters, digits, '.', '_' and '-'"),
             run.err.constData());
    QCOMPARE(run.err.count('\n'), 1); // one line, not one per message
    // The sandbox subcommand checks its --topic alike, before it prints a bootstrap line.
    const CliRun sandbox = cli({QStringLiteral("sandbox"), QStringLiteral("--topic"), QStringLiteral("bad/topic")});
    QCOMPARE(sandbox.exitCode, 2);
    QVERIFY2(sandbox.err.contains("'bad/topic' has '/' at position 4"), sandbox.err.constData());
    QVERIFY(sandbox.out.isEmpty());
    // So does import, before it reads the input or writes the template.
    const QString lines = writeFile(QStringLiteral("two.txt"), "a\nb\n");
    const QString target = m_dir.filePath(QStringLiteral("never-written.kbatch.json"));
    const CliRun imported = cli({QStringLiteral("import"), lines, QStringLiteral("-o"), target,
                                 QStringLiteral("--topic"), QStringLiteral("orders?")});
    QCOMPARE(imported.exitCode, 2);
    QVERIFY2(imported.err.contains("topic: 'orders?' has '?' at position 7"), imported.err.constData());
    QVERIFY(!QFile::exists(target));
}

void TestCli::invalidTemplateNamesFileLineColumn()
{
    const QString path = writeFile(QStringLiteral("broken.kbatch.json"),
                                   "{\n  \"format\": \"kbatch-template\",\n  \"version\": 7,\n  \"messages\": []\n}\n");
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QByteArray(path.toUtf8() + ":3:")), run.err.constData());
    QVERIFY2(run.err.contains("version"), run.err.constData());
}

// A template of `rows` rows ("value 0", "value 1", ...) whose row `bad` has a negative partition.
static QByteArray templateWithMistake(int rows, int bad, const char *topic)
{
    QByteArray text = R"({"format": "kbatch-template", "version": 1, "name": "mistake", "topic": ")" +
                      QByteArray(topic) + "\",\n  \"messages\": [\n";
    for (int i = 0; i < rows; ++i) {
        text += R"({"key": "k)" + QByteArray::number(i) + R"(", "value": "value )" + QByteArray::number(i) + '"';
        text += i == bad ? ", \"partition\": -1}" : "}";
        text += i + 1 < rows ? ",\n" : "\n";
    }
    return text + "]}\n";
}

// The send contract (docs/cli.md): the first piece of rows (16,384) is checked whole before the first message goes
// out, so a template that fits in it sends nothing when any row is wrong.
void TestCli::mistakeInTheFirstPieceSendsNothing()
{
    const int rows = 16000;
    const QString path =
        writeFile(QStringLiteral("early-mistake.kbatch.json"), templateWithMistake(rows, rows - 1, "early-mistake"));
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    const QByteArray where = path.toUtf8() + ':' + QByteArray::number(rows + 2) + ':';
    QVERIFY2(run.err.contains(where), run.err.constData());
    QVERIFY2(run.err.contains("messages[15999].partition"), run.err.constData());
    QVERIFY2(!run.err.contains("delivered"), run.err.constData());
    // An independent reader: the topic has no message at all (kcat reads to its end).
    QVERIFY(kcatReadAll(m_bootstrap, QStringLiteral("early-mistake")).isEmpty());
}

// A larger template streams: sending starts while the rest is read, piece by piece. A mistake in a later piece
// stops it there: exit 2, the error names line and field, the pieces before it went out with their outcomes
// reported, and kcat finds exactly those messages.
void TestCli::mistakeInALaterPieceStopsTheSendThere()
{
    const int rows = 40000;
    const int bad = 35000; // in the third piece: rows 32,768-49,151
    const int sent = 2 * 16384;
    const QString path =
        writeFile(QStringLiteral("late-mistake.kbatch.json"), templateWithMistake(rows, bad, "late-mistake"));
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--report"), QStringLiteral("-")});
    QCOMPARE(run.exitCode, 2);
    const QByteArray where = path.toUtf8() + ':' + QByteArray::number(bad + 3) + ':';
    QVERIFY2(run.err.contains(where), run.err.constData());
    QVERIFY2(run.err.contains("messages[35000].partition"), run.err.constData());
    QVERIFY2(run.err.contains("sending stopped at that mistake; the 32768 messages before it"), run.err.constData());
    QVERIFY2(run.err.contains("32768/32768 delivered to late-mistake"), run.err.constData());

    // One report line per message handed over, no more.
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), sent);
    QSet<int> reported;
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o[QStringLiteral("status")].toString(), QStringLiteral("delivered"));
        reported.insert(o[QStringLiteral("index")].toInt(-1));
    }
    QCOMPARE(reported.size(), sent);
    QVERIFY(reported.contains(0) && reported.contains(sent - 1));

    const QList<KcatRecord> records = kcatReadAll(m_bootstrap, QStringLiteral("late-mistake"));
    QCOMPARE(records.size(), sent);
    QSet<QByteArray> values;
    for (const KcatRecord &r : records)
        values.insert(r.value.value_or(QByteArray()));
    QCOMPARE(values.size(), sent);
    QVERIFY(values.contains("value 0") && values.contains("value 32767") && !values.contains("value 32768"));
}

void TestCli::checkFirstSendsNothingOnAMistake()
{
    const QString path =
        writeFile(QStringLiteral("check-first.kbatch.json"), templateWithMistake(40000, 39999, "check-first"));
    const CliRun run = cli(
        {QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--check-first")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QByteArray(path.toUtf8() + ":40002:")), run.err.constData());
    QVERIFY2(!run.err.contains("delivered"), run.err.constData());
    QVERIFY(kcatReadAll(m_bootstrap, QStringLiteral("check-first")).isEmpty());
}

// A generate row of 40,000 messages is expanded piece by piece while the producer sends; the bytes must be those
// of expanding it whole (the same seed, the shared random stream, {{seq}} and {{index}} running across pieces).
void TestCli::largeGenerateRowStreamsTheBytesOfAWholeExpansion()
{
    const QString path = writeFile(QStringLiteral("gen-large.kbatch.json"), R"({
  "format": "kbatch-template", "version": 1, "name": "gen", "topic": "gen-large",
  "messages": [ {"value": "before"},
                {"key": "user-{{seq}}", "value": "{{index}} {{uuid}} {{random.int 1 1000000}}", "generate": {"count": 40000}},
                {"value": "after"} ]
})");
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--verify")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("40002/40002 verified"), run.err.constData());

    auto tpl = kbatch::core::loadTemplate(path);
    QVERIFY(tpl.ok());
    const auto expected = kbatch::core::expandGenerators(tpl->messages, 7);
    QVERIFY(expected.ok());
    QCOMPARE(expected->size(), 40002);
    QHash<QByteArray, QByteArray> byValue; // value -> key; every value is unique ({{index}})
    for (qsizetype i = 0; i < expected->size(); ++i)
        byValue.insert(expected->value(i).toByteArray(), expected->key(i).toByteArray());
    const QList<KcatRecord> records = kcatReadAll(m_bootstrap, QStringLiteral("gen-large"));
    QCOMPARE(records.size(), 40002);
    QSet<QByteArray> seen;
    for (const KcatRecord &r : records) {
        const QByteArray value = r.value.value_or(QByteArray());
        QVERIFY2(byValue.contains(value), value.constData());
        QCOMPARE(r.key.value_or(QByteArray()), byValue.value(value));
        seen.insert(value);
    }
    QCOMPARE(seen.size(), 40002);
}

void TestCli::topicsListsPartitions()
{
    const CliRun run =
        cli({QStringLiteral("topics"), QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonArray topics = QJsonDocument::fromJson(run.out).array();
    bool found = false;
    for (const QJsonValue &t : topics) {
        if (t[QStringLiteral("name")].toString() == QLatin1String("m1")) {
            found = true;
            QCOMPARE(t[QStringLiteral("partitions")].toArray().size(), 3);
        }
    }
    QVERIFY2(found, run.out.constData());
    const CliRun bad = cli({QStringLiteral("topics"), QStringLiteral("--bootstrap"), QStringLiteral("127.0.0.1:1"),
                            QStringLiteral("--connect-timeout"), QStringLiteral("1000")});
    QCOMPARE(bad.exitCode, 2);
}

void TestCli::readerAskingForAMissingTopicCreatesIt()
{
    // As documented: topics that any client asks for are created with 4 partitions, readers included. (librdkafka's
    // mock creates them for readers only because the sandbox serves Metadata up to v3, without the
    // AllowAutoTopicCreation flag that consumers clear.)
    const QString topic = QStringLiteral("asked-for-by-kcat");
    QProcess kcat;
    kcat.start(QStringLiteral("kcat"), {QStringLiteral("-C"), QStringLiteral("-q"), QStringLiteral("-e"),
                                        QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"), topic});
    QVERIFY(kcat.waitForFinished(30000));
    QVERIFY2(kcat.exitCode() == 0, kcat.readAllStandardError().constData()); // not "Unknown topic or partition"
    QCOMPARE(kcat.readAllStandardOutput(), QByteArray());
    const CliRun run =
        cli({QStringLiteral("topics"), QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    qsizetype partitions = -1;
    for (const QJsonValue &t : QJsonDocument::fromJson(run.out).array())
        if (t[QStringLiteral("name")].toString() == topic)
            partitions = t[QStringLiteral("partitions")].toArray().size();
    QCOMPARE(partitions, 4);
}

void TestCli::kcatJsonOutputCanBeImportedAndResent()
{
    // Real kcat -J output, produced by kcat against the sandbox.
    QVERIFY(kcatProduce(m_bootstrap, QStringLiteral("kcat-src"), "k1:v1\nk2:{\"a\":1}\n:no key\n",
                        {QStringLiteral("-K:"), QStringLiteral("-H"), QStringLiteral("h=1"), QStringLiteral("-p"),
                         QStringLiteral("0")}));
    QProcess kcat;
    kcat.start(QStringLiteral("kcat"),
               {QStringLiteral("-C"), QStringLiteral("-q"), QStringLiteral("-e"), QStringLiteral("-J"),
                QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"), QStringLiteral("kcat-src")});
    QVERIFY(kcat.waitForFinished(30000));
    const QString consumed = writeFile(QStringLiteral("consumed.jsonl"), kcat.readAllStandardOutput());
    const QString tpl = m_dir.filePath(QStringLiteral("from-kcat.kbatch.json"));
    const CliRun imported = cli({QStringLiteral("import"), consumed, QStringLiteral("-o"), tpl,
                                 QStringLiteral("--topic"), QStringLiteral("kcat-copy")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const CliRun sent =
        cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--verify")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());

    auto src = kcatReadAll(m_bootstrap, QStringLiteral("kcat-src"));
    auto copy = kcatReadAll(m_bootstrap, QStringLiteral("kcat-copy"));
    QCOMPARE(copy.size(), src.size());
    auto content = [](const QList<KcatRecord> &rs) {
        QList<QByteArray> out;
        for (const auto &r : rs) {
            QByteArray line = r.key.value_or("<null>") + '|' + r.value.value_or("<null>");
            for (const auto &[n, v] : r.headers)
                line += '|' + n + '=' + v.value_or("<null>");
            out.append(line);
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    QCOMPARE(content(copy), content(src));
}

void TestCli::helpForEverySubcommand_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"sandbox", "send", "topics", "import", "profile"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TestCli::helpForEverySubcommand()
{
    QFETCH(QString, command);
    const CliRun run = cli({command, QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    // The usage line shows how to call the subcommand, not the program's path alone.
    const QByteArray usage = QByteArray("Usage: kbatch-cli ") + command.toUtf8() + ' ';
    QVERIFY2(run.out.startsWith(usage), run.out.constData());
    const CliRun wrong = cli({command, QStringLiteral("--no-such-option")});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.err.contains("no-such-option"), wrong.err.constData());
}

void TestCli::versionNamesLibrdkafkaAndItsFeatures()
{
    // Everything a bug report needs about librdkafka, from the program itself.
    const CliRun run = cli({QStringLiteral("--version")});
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = QString::fromUtf8(run.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QRegularExpression first(
        QStringLiteral("^kbatch-cli (\\d+\\.\\d+\\.\\d+) \\(librdkafka (\\d+)\\.(\\d+)\\.(\\d+), Qt [0-9.]+\\)$"));
    const QRegularExpressionMatch m = first.match(lines[0]);
    QVERIFY2(m.hasMatch(), qPrintable(lines[0]));
    QCOMPARE(m.captured(1), QStringLiteral(KBATCH_VERSION));
    // 2.6.1 or newer: older ones cannot log in with SCRAM to Kafka 4.
    const QList<int> v{m.captured(2).toInt(), m.captured(3).toInt(), m.captured(4).toInt()};
    QVERIFY2(v >= (QList<int>{2, 6, 1}), qPrintable(lines[0]));
    const QRegularExpression second(QStringLiteral("^librdkafka ([0-9.]+) \\((bundled, static, Debian source \\S+|"
                                                   "system, shared)\\); features: (.+)$"));
    const QRegularExpressionMatch f = second.match(lines[1]);
    QVERIFY2(f.hasMatch(), qPrintable(lines[1]));
    QCOMPARE(f.captured(1), QStringLiteral("%1.%2.%3").arg(v[0]).arg(v[1]).arg(v[2]));
    const QStringList features = f.captured(3).split(QStringLiteral(", "));
    for (const char *wanted : {"ssl", "sasl_scram", "sasl_oauthbearer", "zstd", "lz4", "snappy", "gzip"})
        QVERIFY2(features.contains(QLatin1String(wanted)), qPrintable(lines[1]));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

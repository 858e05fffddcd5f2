// kbatch-cli with inputs that misbehave: a template that changes while it is sent, inputs that are not regular files,
// text in other encodings, kcat -J dumps of binary messages. The sandbox runs as a separate process (CTest fixture),
// kbatch-cli runs as a process, and kcat reads the topics back.

#include "CliProcess.h"
#include "KcatReader.h"
#include "core/format/JsonReader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using kbatch::test::CliRun;
using kbatch::test::kcatReadAll;

namespace {

// QByteArray::contains() takes no QStringBuilder expression.
bool has(const QByteArray &text, const QByteArray &part)
{
    return text.contains(part);
}

// Lines of `text` without the last empty one.
QList<QByteArray> linesOf(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestCliInput : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void templateTruncatedWhileStreamingIsAnInputError();
    void fifoWithoutAWriterIsAnErrorNotAHang();
    void devicesAreRefused();
    void templateFromAPipe();
    void csvWithOnlyAHeaderIsNotImported();
    void utf16TextIsImportedAsText();
    void binaryTemplateNamesTheByte();
    void kcatDumpOfBinaryMessagesRoundTrips();

private:
    CliRun cli(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 120000);
    QString writeFile(const QString &name, const QByteArray &content);
    // A topic name no earlier run of this test used on the same sandbox.
    QString freshTopic(const char *name) const;

    QString m_bootstrap;
    QTemporaryDir m_dir;
};

CliRun TestCliInput::cli(const QStringList &args, const QByteArray &input, int timeoutMs)
{
    return kbatch::test::runCli(QStringLiteral(KBATCH_CLI), args, input, timeoutMs);
}

QString TestCliInput::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString TestCliInput::freshTopic(const char *name) const
{
    return QStringLiteral("%1-%2").arg(QLatin1String(name)).arg(QDateTime::currentMSecsSinceEpoch());
}

void TestCliInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile f(QStringLiteral(KBATCH_SANDBOX_DIR "/bootstrap"));
    QVERIFY2(f.open(QIODevice::ReadOnly), "the sandbox fixture did not run (ctest -L integration starts it)");
    m_bootstrap = QString::fromUtf8(f.readAll()).trimmed();
    QVERIFY(!m_bootstrap.isEmpty());
}

// An editor saving in place while a large template is sent: the file is rewritten, shorter, under the reader. That
// is a mistake in the input at the row where it was noticed: exit 2, one line naming the file, line and row, the
// summary of what went out, and a report with one whole line per message handed over.
void TestCliInput::templateTruncatedWhileStreamingIsAnInputError()
{
    const QString topic = freshTopic("input-truncated");
    const int rows = 200000;
    // A rate limit keeps the send going for seconds; the reader runs at most a few pieces of rows ahead of it.
    QByteArray text = R"({"format": "kbatch-template", "version": 1, "topic": ")" + topic.toUtf8() +
                      R"(", "producer": {"rateLimit": 50000}, "messages": [)" + '\n';
    for (int i = 0; i < rows; ++i)
        text += R"(  {"key": "k)" + QByteArray::number(i) + R"(", "value": "value )" + QByteArray::number(i) + "\"}" +
                (i + 1 < rows ? ",\n" : "\n");
    text += "]}\n";
    const QString path = writeFile(QStringLiteral("truncated.kbatch.json"), text);
    const QString report = m_dir.filePath(QStringLiteral("truncated.report.jsonl"));

    QProcess send;
    send.start(QStringLiteral(KBATCH_CLI), {QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap,
                                            QStringLiteral("--report"), report});
    QVERIFY(send.waitForStarted(10000));
    // Sending has begun (the report is written as results come in): save a shorter file in place, as an editor does.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(report).size() > 0, 60000);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate)); // same inode, O_TRUNC
        QVERIFY(f.write(text.left(4096)) == 4096);
    }
    QVERIFY(send.waitForFinished(120000));
    QCOMPARE(send.exitStatus(), QProcess::NormalExit); // no SIGBUS
    const QByteArray err = send.readAllStandardError();
    QVERIFY2(send.exitCode() == 2, err.constData());

    // One clear line: the file, the line and column of the row, the row, what happened.
    const QRegularExpression where(QRegularExpression::escape(path) +
                                   QStringLiteral(":(\\d+):\\d+: messages\\[(\\d+)\\]: the file changed while it "
                                                  "was read"));
    const auto match = where.match(QString::fromUtf8(err));
    QVERIFY2(match.hasMatch(), err.constData());
    const int row = match.captured(2).toInt();
    QCOMPARE(match.captured(1).toInt(), row + 2); // one row per line after the head's
    QVERIFY2(row > 0 && row < rows, err.constData());

    // The summary: the messages handed over before that row (whole pieces of rows) went out, and no other.
    const QRegularExpression summary(QStringLiteral("kbatch-cli: (\\d+)/(\\d+) delivered to ") +
                                     QRegularExpression::escape(topic));
    const auto counted = summary.match(QString::fromUtf8(err));
    QVERIFY2(counted.hasMatch(), err.constData());
    const int delivered = counted.captured(1).toInt();
    QCOMPARE(counted.captured(2).toInt(), delivered);
    QVERIFY2(delivered > 0 && delivered <= row, err.constData());
    const QByteArray stopped = "sending stopped at that mistake; the " + QByteArray::number(delivered) + " messages";
    QVERIFY2(err.contains(stopped), err.constData());

    // The report: whole lines only, one per message handed over, each delivered once.
    QFile r(report);
    QVERIFY(r.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = linesOf(r.readAll());
    QCOMPARE(lines.size(), delivered);
    QSet<qint64> indexes;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        indexes.insert(qint64(o.value(QStringLiteral("index")).toDouble()));
    }
    QCOMPARE(indexes.size(), delivered);
    // And an independent reader finds exactly those messages in the topic.
    QCOMPARE(kcatReadAll(m_bootstrap, topic).size(), delivered);
}

// A FIFO that no program writes to used to block send and import forever. Both commands run side by side here: each
// gives up after 10 s without data, with an error naming the file, and import writes nothing.
void TestCliInput::fifoWithoutAWriterIsAnErrorNotAHang()
{
    const QString templateFifo = m_dir.filePath(QStringLiteral("nobody.kbatch.json"));
    const QString csvFifo = m_dir.filePath(QStringLiteral("nobody.csv"));
    for (const QString &f : {templateFifo, csvFifo})
        QVERIFY(::mkfifo(QFile::encodeName(f).constData(), 0600) == 0);
    const QString output = m_dir.filePath(QStringLiteral("from-nobody.kbatch.json"));
    QProcess send;
    QProcess import;
    send.start(QStringLiteral(KBATCH_CLI),
               {QStringLiteral("send"), templateFifo, QStringLiteral("--bootstrap"), m_bootstrap});
    import.start(QStringLiteral(KBATCH_CLI), {QStringLiteral("import"), csvFifo, QStringLiteral("-o"), output});
    QVERIFY(send.waitForStarted(10000) && import.waitForStarted(10000));
    const bool sendEnded = send.waitForFinished(60000);
    const bool importEnded = import.waitForFinished(60000);
    if (!sendEnded || !importEnded) {
        send.kill();
        import.kill();
        send.waitForFinished();
        import.waitForFinished();
        QFAIL("kbatch-cli still waits for a FIFO nobody writes to");
    }
    const QByteArray sendErr = send.readAllStandardError();
    const QByteArray importErr = import.readAllStandardError();
    QCOMPARE(send.exitCode(), 2);
    QCOMPARE(import.exitCode(), 2);
    QVERIFY2(has(sendErr, templateFifo.toUtf8() + ": no data for 10 s: a FIFO with no writer?"), sendErr.constData());
    QVERIFY2(has(importErr, csvFifo.toUtf8() + ": no data for 10 s: a FIFO with no writer?"), importErr.constData());
    QVERIFY(!QFileInfo::exists(output));
}

// A link to /dev/zero used to be read until 2.1 GB were in memory: devices are refused before a byte is read.
void TestCliInput::devicesAreRefused()
{
    const QString csv = m_dir.filePath(QStringLiteral("zeros.csv"));
    const QString tpl = m_dir.filePath(QStringLiteral("zeros.kbatch.json"));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), csv));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), tpl));
    const QString output = m_dir.filePath(QStringLiteral("from-zeros.kbatch.json"));
    const CliRun imported = cli({QStringLiteral("import"), csv, QStringLiteral("-o"), output}, {}, 30000);
    QCOMPARE(imported.exitCode, 2);
    QVERIFY2(
        has(imported.err, csv.toUtf8() + ": not a regular file (a character device): only files and pipes are read"),
        imported.err.constData());
    QVERIFY(!QFileInfo::exists(output));
    const CliRun sent = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap}, {}, 30000);
    QCOMPARE(sent.exitCode, 2);
    QVERIFY2(has(sent.err, tpl.toUtf8() + ": not a regular file (a character device)"), sent.err.constData());
}

// Pipes are still welcome: a template generated by another program, given on standard input.
void TestCliInput::templateFromAPipe()
{
    const QString topic = freshTopic("input-pipe");
    const QByteArray text = R"({"format": "kbatch-template", "version": 1, "topic": ")" + topic.toUtf8() +
                            R"(", "messages": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]})";
    const CliRun run =
        cli({QStringLiteral("send"), QStringLiteral("/dev/stdin"), QStringLiteral("--bootstrap"), m_bootstrap}, text);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(has(run.err, "2/2 delivered to " + topic.toUtf8()), run.err.constData());
    QCOMPARE(kcatReadAll(m_bootstrap, topic).size(), 2);
}

// It used to write a template without messages, which send then refused.
void TestCliInput::csvWithOnlyAHeaderIsNotImported()
{
    const QString csv = writeFile(QStringLiteral("header-only.csv"), "key,value,headers\r\n");
    const QString output = m_dir.filePath(QStringLiteral("header-only.kbatch.json"));
    const CliRun run = cli({QStringLiteral("import"), csv, QStringLiteral("-o"), output});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(has(run.err, csv.toUtf8() + ": no rows after the header row"), run.err.constData());
    QVERIFY(!QFileInfo::exists(output));
}

// Notepad's "Unicode" and PowerShell's > write UTF-16 with a byte order mark: the rows are text, not UTF-16 bytes.
void TestCliInput::utf16TextIsImportedAsText()
{
    QByteArray utf16("\xFF\xFE");
    for (const QChar c : QStringLiteral("caf\u00e9\r\nna\u00efve\r\n")) {
        utf16 += char(c.unicode() & 0xff);
        utf16 += char(c.unicode() >> 8);
    }
    const QString txt = writeFile(QStringLiteral("unicode.txt"), utf16);
    const QString output = m_dir.filePath(QStringLiteral("unicode.kbatch.json"));
    const CliRun run = cli({QStringLiteral("import"), txt, QStringLiteral("-o"), output});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QFile f(output);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray written = f.readAll();
    QVERIFY2(written.contains("\"value\": \"caf\xC3\xA9\""), written.constData());
    QVERIFY2(written.contains("\"value\": \"na\xC3\xAFve\""), written.constData());
    QVERIFY(!written.contains("base64"));
}

void TestCliInput::binaryTemplateNamesTheByte()
{
    const QString path = writeFile(QStringLiteral("nul.kbatch.json"),
                                   QByteArray("{\n  \"format\": \"kbatch-template\",\n  \"n\x00\": 1}", 43));
    const CliRun run = cli({QStringLiteral("send"), path, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(has(run.err, path.toUtf8() + ":3:5: not a KBatch template: the file holds binary data, not JSON text "
                                          "(byte 0x00 at byte offset 37)"),
             run.err.constData());
}

namespace {

// What kcat -J shows of each message: headers, key and payload as kcat writes them (bytes as they are, control
// characters escaped), without where the message was. Sorted: the copy went through the partitioner.
QList<QByteArray> kcatContents(const QString &bootstrap, const QString &topic)
{
    QProcess kcat;
    kcat.start(QStringLiteral("kcat"),
               {QStringLiteral("-C"), QStringLiteral("-q"), QStringLiteral("-e"), QStringLiteral("-J"),
                QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), topic});
    if (!kcat.waitForFinished(60000) || kcat.exitCode() != 0)
        return {};
    QList<QByteArray> out;
    for (const QByteArray &line : linesOf(kcat.readAllStandardOutput())) {
        const qsizetype broker = line.indexOf("\"broker\":");
        const qsizetype after = broker < 0 ? -1 : line.indexOf(',', broker);
        out.append(after < 0 ? line : line.mid(after + 1));
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

// How people copy a real topic: kcat -J dumps it, kbatch-cli imports the dump and sends it elsewhere. Binary keys,
// values and header values must come out byte for byte.
void TestCliInput::kcatDumpOfBinaryMessagesRoundTrips()
{
    const QString source = freshTopic("kcat-binary-src");
    const QString copy = freshTopic("kcat-binary-copy");
    // Every byte value somewhere, bytes that are no UTF-8, control characters, quotes and backslashes, text, empty
    // and null parts.
    QByteArray every;
    for (int c = 0; c < 256; ++c)
        every += char(c);
    const auto b64 = [](const QByteArray &bytes) {
        return QJsonObject{{QStringLiteral("base64"), QString::fromLatin1(bytes.toBase64())}};
    };
    QJsonArray messages;
    messages.append(QJsonObject{{QStringLiteral("key"), b64("\xFF\x00\x01\x80\xC0")},
                                {QStringLiteral("value"), b64(every)},
                                {QStringLiteral("headers"),
                                 QJsonArray{QJsonArray{QStringLiteral("bin"), b64(QByteArray("\xFF\x80\x00\"\\", 5))},
                                            QJsonArray{QStringLiteral("null"), QJsonValue::Null},
                                            QJsonArray{QStringLiteral("empty"), QString()},
                                            QJsonArray{QStringLiteral("bin"), b64("\xC3\x28\n\t")}}}});
    messages.append(QJsonObject{{QStringLiteral("key"), QJsonValue::Null},
                                {QStringLiteral("value"), QStringLiteral("text \u00e9 \"q\" \\ / \u007f")}});
    messages.append(QJsonObject{{QStringLiteral("key"), QString()}, {QStringLiteral("value"), QJsonValue::Null}});
    for (int i = 0; i < 20; ++i)
        messages.append(QJsonObject{{QStringLiteral("key"), b64(QByteArray::number(i) + '\xFE')},
                                    {QStringLiteral("value"), b64(every.mid(i * 12, 40))}});
    const QJsonObject tpl{{QStringLiteral("format"), QStringLiteral("kbatch-template")},
                          {QStringLiteral("version"), 1},
                          {QStringLiteral("topic"), source},
                          {QStringLiteral("messages"), messages}};
    const QString first = writeFile(QStringLiteral("binary-src.kbatch.json"), QJsonDocument(tpl).toJson());
    const CliRun produced = cli({QStringLiteral("send"), first, QStringLiteral("--bootstrap"), m_bootstrap});
    QVERIFY2(produced.exitCode == 0, produced.err.constData());
    // And one written by kcat itself, from a file of raw bytes (one message: kcat -P sends a file argument whole).
    const QString raw = writeFile(QStringLiteral("raw.bin"), QByteArray("k\xFF\x00\x01:v\xFE\x80\x00a\x7F\x1B\n", 13));
    QProcess kcatProduce;
    kcatProduce.start(QStringLiteral("kcat"),
                      {QStringLiteral("-P"), QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"), source, raw});
    QVERIFY(kcatProduce.waitForFinished(30000));
    QCOMPARE(kcatProduce.exitCode(), 0);

    QProcess dump;
    dump.start(QStringLiteral("kcat"),
               {QStringLiteral("-C"), QStringLiteral("-q"), QStringLiteral("-e"), QStringLiteral("-J"),
                QStringLiteral("-b"), m_bootstrap, QStringLiteral("-t"), source});
    QVERIFY(dump.waitForFinished(30000));
    const QByteArray dumped = dump.readAllStandardOutput();
    QCOMPARE(linesOf(dumped).size(), 24);
    QVERIFY(!kbatch::core::JsonReader::isValidUtf8(dumped)); // kcat wrote bytes that are no UTF-8: the case at stake
    const QString dumpFile = writeFile(QStringLiteral("binary-dump.jsonl"), dumped);
    const QString imported = m_dir.filePath(QStringLiteral("binary-copy.kbatch.json"));
    const CliRun import =
        cli({QStringLiteral("import"), dumpFile, QStringLiteral("-o"), imported, QStringLiteral("--topic"), copy});
    QVERIFY2(import.exitCode == 0, import.err.constData());
    const CliRun sent =
        cli({QStringLiteral("send"), imported, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--verify")});
    QVERIFY2(sent.exitCode == 0, sent.err.constData());

    // Keys and values byte for byte (kcat's length-prefixed output), headers as kcat shows them.
    auto keysAndValues = [](const QList<kbatch::test::KcatRecord> &records) {
        QList<QByteArray> out;
        for (const auto &r : records)
            out.append((r.key ? "K" + *r.key : QByteArray("-")) + '|' + (r.value ? "V" + *r.value : QByteArray("-")));
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto src = kcatReadAll(m_bootstrap, source);
    QCOMPARE(src.size(), 24);
    QCOMPARE(keysAndValues(kcatReadAll(m_bootstrap, copy)), keysAndValues(src));
    QCOMPARE(kcatContents(m_bootstrap, copy), kcatContents(m_bootstrap, source));
}

QTEST_GUILESS_MAIN(TestCliInput)
#include "tst_cli_input.moc"

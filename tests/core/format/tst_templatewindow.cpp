// The template reader reads a file through a window that moves on between rows (TemplateStream, loadTemplate). Its
// rows and its errors (text, line, column, path) must not depend on where the window's edges fall, and a file that
// changes under it must be an error at the row where that was noticed, never a crash.

#include "core/format/TemplateReader.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace kbatch::core;

namespace {

const int Windows[] = {1, 2, 3, 7, 64, 4096};

QByteArray readSample(const QString &name)
{
    QFile f(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return f.readAll();
}

QByteArray wrap(const QByteArray &messages)
{
    return "{\n\"format\": \"kbatch-template\",\n\"version\": 1,\n\"messages\": [\n" + messages + "\n]\n}\n";
}

// Rows with everything that a window's edge may cut: multi-byte characters, escapes and surrogate pairs, numbers,
// literals, nested JSON, base64, headers.
QByteArray varietyRows(int count, const char *separator)
{
    // Plain literals: moc does not follow raw strings with escapes in them.
    QByteArray rows;
    for (int i = 0; i < count; ++i) {
        if (i)
            rows += separator;
        rows += "{\"key\": \"k" + QByteArray::number(i) +
                " \xC3\xA9\xF0\x9F\x98\x80\\u00e9\\ud83d\\ude00\\n\\\"\", \"value\": {\"json\": {\"n\": " +
                QByteArray::number(i * 1.5) +
                ", \"t\": true, \"f\": false, \"z\": null, \"a\": [1, -2e3, \"x\"]}}, \"headers\": [[\"h\", "
                "{\"base64\": \"/wD/\"}], [\"n\", null], [\"e\", \"\"]], \"partition\": " +
                QByteArray::number(i % 3) + ", \"timestamp\": 17672256000" + QByteArray::number(i % 10) + "}";
    }
    return rows;
}

bool sameTemplate(const Template &a, const Template &b)
{
    return a.name == b.name && a.topic == b.topic && a.producer == b.producer && a.messages == b.messages;
}

// Same rows, or the same error in every part.
QString difference(const Result<Template> &whole, const Result<Template> &windowed)
{
    if (whole.ok() != windowed.ok())
        return QStringLiteral("whole: %1, windowed: %2")
            .arg(whole.ok() ? QStringLiteral("ok") : whole.error().message(),
                 windowed.ok() ? QStringLiteral("ok") : windowed.error().message());
    if (whole.ok())
        return sameTemplate(*whole, *windowed) ? QString() : QStringLiteral("different rows");
    const Error &a = whole.error();
    const Error &b = windowed.error();
    if (a.text != b.text || a.file != b.file || a.line != b.line || a.column != b.column || a.field != b.field)
        return QStringLiteral("whole: %1, windowed: %2").arg(a.message(), b.message());
    return {};
}

// Reads `path` as kbatch-cli send does, through a window of `window` bytes, `piece` rows at a time.
Result<Template> readStreamed(const QString &path, qsizetype window, qsizetype piece)
{
    auto stream = TemplateStream::open(path, window);
    if (!stream)
        return stream.error();
    auto head = stream->readHead();
    if (!head)
        return head.error();
    Template t = std::move(head.value());
    for (;;) {
        Batch rows;
        auto more = stream->readRows(rows, piece);
        if (!more)
            return more.error();
        t.messages.append(rows);
        if (!*more)
            return t;
    }
}

} // namespace

class TestTemplateWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void anyWindowReadsAlike_data();
    void anyWindowReadsAlike();
    void mutationsFailAlikeInAnyWindow_data();
    void mutationsFailAlikeInAnyWindow();
    void truncatedWhileStreamed();
    void rewrittenWhileStreamed();
    void grownWhileStreamed();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    QTemporaryDir m_dir;
};

void TestTemplateWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QString TestTemplateWindow::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestTemplateWindow::anyWindowReadsAlike_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<bool>("valid");

    const QDir samples(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates"));
    for (const QString &f : samples.entryList({QStringLiteral("*.kbatch.json")}, QDir::Files, QDir::Name)) {
        QTest::newRow(qPrintable(f)) << readSample(f) << true;
        QTest::newRow(qPrintable(f + QStringLiteral(" with a byte order mark")))
            << QByteArray("\xEF\xBB\xBF" + readSample(f)) << true;
    }
    QTest::newRow("variety, one row a line") << wrap(varietyRows(40, ",\n")) << true;
    QTest::newRow("variety, all on one line") << wrap(varietyRows(40, ", ")).replace('\n', ' ') << true;
    QTest::newRow("CRLF and tabs") << wrap(varietyRows(10, ",\r\n\t")).replace("\n", "\r\n") << true;
    QTest::newRow("a head larger than the windows")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "name": ")" + QByteArray(5000, 'n') +
                      R"(", "producer": {"properties": {"linger.ms": "5"}}, "messages": [)" + varietyRows(3, ",") +
                      "]}")
        << true;
    QTest::newRow("messages not last") << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": [)" +
                                                     varietyRows(20, ",\n") + R"(], "topic": "t", "name": "n"})")
                                       << true;
    QTest::newRow("empty messages") << wrap("") << true;
    QTest::newRow("trailing whitespace") << QByteArray(wrap(varietyRows(3, ",")) + QByteArray(10000, ' ')) << true;

    // Mistakes: each must come out with the same text, line, column and path.
    QTest::newRow("mistake at the end of a long line")
        << wrap(varietyRows(30, ", ") + R"(, {"value": "x", "partition": -1})") << false;
    QTest::newRow("wrong type late on one line")
        << QByteArray(wrap(varietyRows(30, ", ") + R"(, {"value": "é😀", "timestamp": "soon"})")).replace('\n', ' ')
        << false;
    QTest::newRow("unterminated string at the end")
        << QByteArray(wrap(varietyRows(5, ",\n")).chopped(8) + "\"abc") << false;
    QTest::newRow("number cut by the end")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": [{"partition": 12)") << false;
    QTest::newRow("literal cut by the end")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": [{"value": tru)") << false;
    QTest::newRow("escape cut by the end")
        << QByteArray(R"({"format": "kbatch-template", "version": 1, "messages": [{"value": "\ud83d\ude)") << false;
    QTest::newRow("lone surrogate") << wrap(varietyRows(8, ",\n") + R"(, {"value": "\ud83d x"})") << false;
    QTest::newRow("invalid UTF-8 after the first 4 KiB")
        << wrap(varietyRows(30, ",\n") + ",\n{\"value\": \"caf\xe9\"}") << false;
    QTest::newRow("no end") << QByteArray(wrap(varietyRows(5, ",\n")).chopped(5)) << false;
    QTest::newRow("content after the end") << QByteArray(wrap(varietyRows(5, ",\n")) + "{}") << false;
    QTest::newRow("content after the end of a template without rows")
        << QByteArray("{\"format\": \"kbatch-template\", \"version\": 1, \"name\": \"n\"}\n  },\n  \"messages\": []}")
        << false;
    QTest::newRow("missing version after the rows")
        << QByteArray(R"({"format": "kbatch-template", "messages": [)" + varietyRows(10, ",\n") + R"(], "topic": "t"})")
        << false;
    QTest::newRow("missing format, long line")
        << QByteArray(QByteArray(3000, ' ') + R"({"version": 1, "messages": [)" + varietyRows(10, ", ") + "]}")
        << false;
    QTest::newRow("deep nesting") << wrap(R"({"value": {"json": )" + QByteArray(600, '[') + QByteArray(600, ']') + "}}")
                                  << false;
    QTest::newRow("empty") << QByteArray(" \n\t ") << false;
    QTest::newRow("only whitespace for a while") << QByteArray(QByteArray(9000, ' ') + "[1]") << false;
}

void TestTemplateWindow::anyWindowReadsAlike()
{
    QFETCH(QByteArray, document);
    QFETCH(bool, valid);
    const QString name = QStringLiteral("doc.kbatch.json");
    const auto whole = parseTemplate(document, name);
    QCOMPARE(whole.ok(), valid);
    for (int window : Windows) {
        const QString diff = difference(whole, parseTemplate(document, name, window));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("window %1: %2").arg(window).arg(diff)));
    }
    // From a file, as kbatch-cli send reads it (the file name in errors is then the path).
    const QString path = writeFile(name, document);
    const auto fromFile = loadTemplate(path);
    for (int window : {1, 7, 64}) {
        for (int piece : {1, 3, 1000}) {
            const QString diff = difference(fromFile, readStreamed(path, window, piece));
            QVERIFY2(diff.isEmpty(),
                     qPrintable(QStringLiteral("window %1, %2 rows a piece: %3").arg(window).arg(piece).arg(diff)));
        }
    }
    if (valid)
        QVERIFY(sameTemplate(*fromFile, *whole));
    else
        QCOMPARE(fromFile.error().line, whole.error().line);
}

void TestTemplateWindow::mutationsFailAlikeInAnyWindow_data()
{
    QTest::addColumn<QByteArray>("original");
    const QByteArray sample = readSample(QStringLiteral("binary-and-nulls.kbatch.json"));
    QTest::newRow("as written") << sample;
    QTest::newRow("on one line") << QByteArray(sample).replace('\n', ' ');
    QTest::newRow("variety") << wrap(varietyRows(6, ",\n"));
}

void TestTemplateWindow::mutationsFailAlikeInAnyWindow()
{
    // Every mutation of a valid template reads the same through any window as whole, or fails the same way.
    QFETCH(QByteArray, original);
    QRandomGenerator rng(1212);
    static const char interesting[] = "{}[]\",:\\ \n0-1e.nutfalse\xff\xc3\x80\xf0";
    int failures = 0;
    int accepted = 0;
    for (int i = 0; i < 1500; ++i) {
        QByteArray mutated = original;
        const int edits = rng.bounded(1, 4);
        for (int e = 0; e < edits; ++e) {
            const int pos = rng.bounded(int(mutated.size()));
            switch (rng.bounded(3)) {
            case 0:
                mutated[pos] = interesting[rng.bounded(int(sizeof interesting) - 1)];
                break;
            case 1:
                mutated.remove(pos, rng.bounded(1, 8));
                break;
            default:
                mutated.insert(pos, interesting[rng.bounded(int(sizeof interesting) - 1)]);
            }
        }
        if (rng.bounded(4) == 0)
            mutated.truncate(rng.bounded(int(mutated.size()) + 1));
        const auto whole = parseTemplate(mutated, QStringLiteral("m"));
        whole.ok() ? ++accepted : ++failures;
        const int window = Windows[i % 5]; // 1 to 64 bytes: the edges fall everywhere
        const QString diff = difference(whole, parseTemplate(mutated, QStringLiteral("m"), window));
        QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("mutation %1, window %2: %3\n%4")
                                                .arg(i)
                                                .arg(window)
                                                .arg(diff, QString::fromUtf8(mutated.toPercentEncoding(" {}[]\":,")))));
    }
    QVERIFY(failures > 500);
    QVERIFY(accepted > 20);
}

// Truncated in place (an editor saving a shorter file, O_TRUNC then write) while the rows are read: an error at the
// row where it was noticed, with the file, its line and column, and what happened.
void TestTemplateWindow::truncatedWhileStreamed()
{
    QByteArray rows;
    for (int i = 0; i < 60000; ++i)
        rows += (i ? ",\n" : "") + QByteArray(R"({"key": "k)") + QByteArray::number(i) + R"(", "value": ")" +
                QByteArray(100, 'v') + "\"}";
    const QByteArray text = wrap(rows);
    const QString path = writeFile(QStringLiteral("truncated.kbatch.json"), text);
    auto stream = TemplateStream::open(path); // the default window: ~1 MiB of ~7 MB
    QVERIFY(stream.ok());
    QVERIFY(stream->readHead().ok());
    Batch first;
    const auto more = stream->readRows(first, 1000);
    QVERIFY(more.ok() && *more);
    QCOMPARE(first.size(), 1000);

    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(text.left(300)), 300);
    }
    qsizetype read = first.size();
    Result<bool> next = true;
    while (next.ok() && *next) {
        Batch piece;
        next = stream->readRows(piece, 1000);
        read += piece.size();
    }
    QVERIFY(!next.ok());
    const Error &e = next.error();
    QCOMPARE(e.file, path);
    QVERIFY2(e.text.startsWith(QLatin1String("the file changed while it was read: it is 300 bytes now, it was ")),
             qPrintable(e.message()));
    // The row that could not be read, and its line (one row a line, after four lines of head).
    QVERIFY(e.field.startsWith(QLatin1String("messages[")));
    const int row = e.field.mid(9).chopped(1).toInt();
    QVERIFY2(row >= read && row < 60000, qPrintable(e.message()));
    QVERIFY2(e.line == row + 5 || e.line == row + 4, qPrintable(e.message()));
    QVERIFY(e.column >= 1);
}

// Rewritten with other bytes of the same length: the size alone would not tell.
void TestTemplateWindow::rewrittenWhileStreamed()
{
    QByteArray rows;
    for (int i = 0; i < 30000; ++i)
        rows += (i ? ",\n" : "") + QByteArray(R"({"value": ")") + QByteArray(100, 'a') + "\"}";
    const QByteArray text = wrap(rows);
    const QString path = writeFile(QStringLiteral("rewritten.kbatch.json"), text);
    auto stream = TemplateStream::open(path);
    QVERIFY(stream.ok());
    QVERIFY(stream->readHead().ok());
    Batch first;
    QVERIFY(stream->readRows(first, 10).ok());
    QByteArray other = text;
    other.replace('a', 'b');
    writeFile(QStringLiteral("rewritten.kbatch.json"), other);
    // A file system with coarse timestamps could give the rewrite the same time: make it differ.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(f.fileTime(QFileDevice::FileModificationTime).addSecs(5), QFileDevice::FileModificationTime));
    f.close();
    Result<bool> next = true;
    while (next.ok() && *next) {
        Batch piece;
        next = stream->readRows(piece, 1000);
        // Nothing of the new content ever comes out as a row.
        for (qsizetype i = 0; i < piece.size(); ++i)
            QVERIFY(!piece.value(i).contains('b'));
    }
    QVERIFY(!next.ok());
    QCOMPARE(next.error().text, QStringLiteral("the file changed while it was read: it was written to after reading "
                                               "began"));
    QVERIFY(next.error().field.startsWith(QLatin1String("messages[")));
}

void TestTemplateWindow::grownWhileStreamed()
{
    QByteArray rows;
    for (int i = 0; i < 30000; ++i)
        rows += (i ? ",\n" : "") + QByteArray(R"({"value": ")") + QByteArray(100, 'a') + "\"}";
    const QByteArray text = wrap(rows);
    const QString path = writeFile(QStringLiteral("grown.kbatch.json"), text);
    auto stream = TemplateStream::open(path);
    QVERIFY(stream.ok());
    QVERIFY(stream->readHead().ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write("\n\n");
    f.close();
    Result<bool> next = true;
    while (next.ok() && *next) {
        Batch piece;
        next = stream->readRows(piece, 1000);
    }
    QVERIFY(!next.ok());
    QVERIFY2(next.error().text.startsWith(QLatin1String("the file changed while it was read: it is ")),
             qPrintable(next.error().message()));
}

QTEST_GUILESS_MAIN(TestTemplateWindow)
#include "tst_templatewindow.moc"

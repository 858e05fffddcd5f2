// Inputs may come from anyone: reading one never hangs, never takes unbounded memory, and says what it refused.

#include "core/format/InputFile.h"
#include "core/format/TemplateReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace kbatch::core;

class TestInputFile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void regularFileIsRead();
    void fifoWithoutAWriterGivesUp();
    void fifoIsReadToItsEnd();
    void fifoOverTheLimitIsRefused();
    void templateFromAFifo();
    void devicesAreRefused_data();
    void devicesAreRefused();
    void directoryIsRefused();
    void missingFile();

private:
    QString fifo(const QString &name);
    QTemporaryDir m_dir;
};

void TestInputFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A writer thread whose reader gave up gets EPIPE, not a signal that ends the test.
    std::signal(SIGPIPE, SIG_IGN);
}

QString TestInputFile::fifo(const QString &name)
{
    const QString path = m_dir.filePath(name);
    if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
        qFatal("mkfifo %s failed", qPrintable(path));
    return path;
}

void TestInputFile::regularFileIsRead()
{
    const QString path = m_dir.filePath(QStringLiteral("plain.txt"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("one\ntwo\n");
    f.close();
    const auto data = readInputFile(path);
    QVERIFY(data.ok());
    QCOMPARE(*data, QByteArray("one\ntwo\n"));
}

// A FIFO that nobody writes to would block open() and read() forever: it is given up after a time without data.
void TestInputFile::fifoWithoutAWriterGivesUp()
{
    const QString path = fifo(QStringLiteral("nobody.fifo"));
    const auto data = readInputFile(path, InputLimits{1 << 20, 300});
    QVERIFY(!data.ok());
    QCOMPARE(data.error().file, path);
    QCOMPARE(data.error().text, QStringLiteral("no data for 0.3 s: a FIFO with no writer? (0 bytes read so far)"));
}

void TestInputFile::fifoIsReadToItsEnd()
{
    const QString path = fifo(QStringLiteral("writer.fifo"));
    QByteArray expected;
    for (int i = 0; i < 20000; ++i)
        expected += "line " + QByteArray::number(i) + '\n';
    std::thread writer([&] {
        QFile w(path);
        if (w.open(QIODevice::WriteOnly)) {
            // In parts, with pauses shorter than the limit: time without data is what counts, not the total.
            for (qsizetype at = 0; at < expected.size(); at += 40000) {
                w.write(expected.mid(at, 40000));
                w.flush();
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    });
    const auto data = readInputFile(path, InputLimits{1 << 20, 2000});
    writer.join();
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().message()));
    QCOMPARE(*data, expected);
}

void TestInputFile::fifoOverTheLimitIsRefused()
{
    const QString path = fifo(QStringLiteral("endless.fifo"));
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        QFile w(path);
        if (!w.open(QIODevice::WriteOnly))
            return;
        const QByteArray chunk(65536, 'z');
        while (!stop && w.write(chunk) == chunk.size())
            w.flush();
    });
    const auto data = readInputFile(path, InputLimits{1 << 20, 5000});
    stop = true;
    writer.join();
    QVERIFY(!data.ok());
    QCOMPARE(data.error().text, QStringLiteral("the file is too large (more than 1048576 bytes)"));
    QCOMPARE(data.error().file, path);
}

// A template through a pipe (kbatch-cli send /dev/stdin, or <(cmd)) is read whole and parsed like a file.
void TestInputFile::templateFromAFifo()
{
    const QString path = fifo(QStringLiteral("template.fifo"));
    const QByteArray text =
        R"({"format": "kbatch-template", "version": 1, "messages": [{"value": "a"}, {"value": "b"}]})";
    std::thread writer([&] {
        QFile w(path);
        if (w.open(QIODevice::WriteOnly))
            w.write(text);
    });
    const auto t = loadTemplate(path);
    writer.join();
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    QCOMPARE(t->messages.size(), 2);
    QCOMPARE(t->messages.value(1), QByteArrayView("b"));
}

void TestInputFile::devicesAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("a character device");
    QTest::newRow("/dev/null") << QStringLiteral("/dev/null") << QStringLiteral("a character device");
    const QString link = m_dir.filePath(QStringLiteral("zeros.csv"));
    QFile::remove(link);
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
    QTest::newRow("a link to /dev/zero") << link << QStringLiteral("a character device");
}

// Endless (/dev/zero took 2.1 GB before "too large") or meaningless: refused before a byte is read.
void TestInputFile::devicesAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, kind);
    const auto data = readInputFile(path);
    QVERIFY(!data.ok());
    QCOMPARE(data.error().file, path);
    QCOMPARE(data.error().text, QStringLiteral("not a regular file (%1): only files and pipes are read").arg(kind));
    const auto t = loadTemplate(path);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().text, data.error().text);
}

void TestInputFile::directoryIsRefused()
{
    const auto data = readInputFile(m_dir.path());
    QVERIFY(!data.ok());
    QCOMPARE(data.error().text, QStringLiteral("cannot read a directory"));
}

void TestInputFile::missingFile()
{
    const auto data = readInputFile(m_dir.filePath(QStringLiteral("absent.csv")));
    QVERIFY(!data.ok());
    QCOMPARE(data.error().text, QStringLiteral("cannot open the file: No such file or directory"));
}

QTEST_GUILESS_MAIN(TestInputFile)
#include "tst_inputfile.moc"

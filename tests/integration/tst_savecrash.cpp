// F1: saving a template is atomic. A process saving a large template over an existing file is killed with SIGKILL
// at random points inside saveTemplate(); afterwards the file is always the old or the new template, complete and
// valid, and the folder holds no stray temporary file. A save stopped by the file size limit (a full disk) fails
// with a message naming the file and the reason, and leaves the old file as it was.
//
// Why this can fail: a non-atomic save (QFile::open(WriteOnly | Truncate) then write) killed after the truncation
// leaves an empty or cut-off file, which the reader refuses (unexpected end of input) or which matches neither
// version byte for byte; a save through a named temporary file ("orders.kbatch.json.XXXXXX") killed before the
// rename leaves that file in the folder, which the listing check catches. The kill lands inside the save: after
// "begin N" and within the measured duration of a whole save.

#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace kbatch;

namespace {
constexpr int Rows = 200000;

// The same rows the helper writes (see save_crash_helper.cpp).
core::Template makeTemplate(char version, int rows)
{
    core::Template t;
    t.name = QStringLiteral("save crash %1").arg(QLatin1Char(version));
    t.topic = QStringLiteral("orders");
    t.messages.reserve(rows);
    for (int i = 0; i < rows; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("key-") + QByteArray::number(i));
        m.value = core::Payload(QByteArray("version ") + version + " row " + QByteArray::number(i) +
                                " padding padding padding");
        t.messages.append(m);
    }
    return t;
}
} // namespace

class TestSaveCrash : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void killDuringSaveLeavesOldOrNewFile();
    void fullDiskLeavesOldFileAndSaysWhy();

private:
    QByteArray m_a; // serialised "A": the file before any save, and every second save
    QByteArray m_b;
};

void TestSaveCrash::initTestCase()
{
    m_a = core::serializeTemplate(makeTemplate('A', Rows));
    m_b = core::serializeTemplate(makeTemplate('B', Rows));
    QVERIFY(m_a != m_b);
    QVERIFY(m_a.size() > 10 * 1024 * 1024);
}

void TestSaveCrash::killDuringSaveLeavesOldOrNewFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("orders.kbatch.json"));
    QVERIFY(core::saveTemplate(makeTemplate('A', Rows), path).ok());

    int sawOld = 0, sawNew = 0;
    constexpr int Kills = 6;
    for (int round = 0; round < Kills; ++round) {
        QProcess helper;
        helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        helper.start(QStringLiteral(KBATCH_SAVE_HELPER), {QStringLiteral("loop"), path, QString::number(Rows)});
        QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
        // Two whole saves give the duration of one; then the kill lands at a random point inside the next.
        qint64 saveMs = 0;
        int done = 0;
        QByteArray pending, last;
        while (done < 2 || last != "begin") {
            QVERIFY2(helper.waitForReadyRead(60000), "the helper stopped printing");
            pending += helper.readAllStandardOutput();
            while (pending.contains('\n')) {
                const qsizetype eol = pending.indexOf('\n');
                const QList<QByteArray> words = pending.left(eol).split(' ');
                pending.remove(0, eol + 1);
                last = words.first();
                QVERIFY2(last == "begin" || last == "done", words.join(' ').constData());
                if (last == "done" && words.size() == 3) {
                    saveMs = std::max(saveMs, words.at(2).toLongLong());
                    ++done;
                }
            }
        }
        // The third save has begun; stop it somewhere in its duration or just after (most kills land while it
        // serialises or writes, a few after the rename).
        QThread::msleep(QRandomGenerator::global()->bounded(std::max<qint64>(1, saveMs * 6 / 5)));
        helper.kill();
        QVERIFY(helper.waitForFinished(10000));
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit);

        // Only the template itself: no "orders.kbatch.json.XXXXXX" left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System),
                 QStringList{QStringLiteral("orders.kbatch.json")});
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        file.close();
        QVERIFY2(bytes == m_a || bytes == m_b,
                 qPrintable(QStringLiteral("round %1: %2 bytes, neither version").arg(round).arg(bytes.size())));
        (bytes == m_a ? sawOld : sawNew)++; // saves alternate B, A, B: the killed third save writes B
        const auto parsed = core::loadTemplate(path);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
        QCOMPARE(parsed->messages.size(), Rows);
    }
    qInfo("after %d kills: the file was the version before the killed save %d times, the one after it %d times", Kills,
          sawOld, sawNew);
}

void TestSaveCrash::fullDiskLeavesOldFileAndSaysWhy()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("orders.kbatch.json"));
    const QByteArray old = core::serializeTemplate(makeTemplate('A', 100));
    QVERIFY(core::saveTemplate(makeTemplate('A', 100), path).ok());

    // The new version (200,000 rows) does not fit under a 1 MB file size limit.
    QProcess helper;
    helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    helper.start(QStringLiteral(KBATCH_SAVE_HELPER),
                 {QStringLiteral("fsize"), path, QString::number(Rows), QString::number(1024 * 1024)});
    QVERIFY(helper.waitForFinished(120000));
    QCOMPARE(helper.exitStatus(), QProcess::NormalExit);
    const QString out = QString::fromLocal8Bit(helper.readAllStandardOutput()).trimmed();
    QVERIFY2(out.startsWith(QLatin1String("error: ")), qPrintable(out));
    QVERIFY2(out.contains(path), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("too large"), Qt::CaseInsensitive), qPrintable(out)); // EFBIG's text

    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System),
             QStringList{QStringLiteral("orders.kbatch.json")});
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), old);
}

QTEST_GUILESS_MAIN(TestSaveCrash)
#include "tst_savecrash.moc"

// The hostile-template suite (docs/security.md): a template may come from anyone, and must never do more than send
// its messages. Each case runs kbatch-cli as a process against the sandbox fixture, the way an attacker's template
// would reach a user. Code that must not run leaves a marker file if it does; a connection that must not happen
// reaches a listener of the test's own. Each kind of check has a control that shows it can fail: the user's own
// command line, which is trusted, does load the plugin and does reach the listener.

#include "CliProcess.h"
#include "KcatReader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using kbatch::test::CliRun;
using kbatch::test::kcatReadAll;

namespace {

// A TCP listener on loopback that only counts who connects: the attacker's host.
class FakeBroker
{
public:
    FakeBroker()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++m_connections;
                s->close();
                s->deleteLater();
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_server.serverPort()); }
    int connections()
    {
        QCoreApplication::processEvents(); // take in what is pending
        return m_connections;
    }

private:
    QTcpServer m_server;
    int m_connections = 0;
};

bool hasRawControl(const QByteArray &bytes)
{
    for (char c : bytes)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
            return true;
    return false;
}

QByteArray templateWith(const QString &topic, const QByteArray &producer, int rows = 3)
{
    QByteArray messages;
    for (int i = 0; i < rows; ++i)
        messages += (i ? "," : "") + QByteArray(R"({"key": "k)") + QByteArray::number(i) + R"(", "value": "v"})";
    return R"({"format": "kbatch-template", "version": 1, "topic": ")" + topic.toUtf8() + R"(", "producer": )" +
           producer + R"(, "messages": [)" + messages + "]}";
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void templateRunsNoCode_data();
    void templateRunsNoCode();
    void commandLineMayLoadAPlugin();
    void templateCannotRedirectAProfile();
    void commandLineRedirectIsNamedInTheError();
    void nulInAPropertyNameIsRefused();
    void secretOnTheCommandLineIsRefused();
    void reportToAFullDeviceIsExit1AndSaysIncomplete();
    void reportThatIsTheTemplateIsRefused_data();
    void reportThatIsTheTemplateIsRefused();
    void closedReportPipeEndsCleanly();
    void escapesInErrorsAreShownEscaped();
    void foreignTransactionalIdIsRefused();
    void tinyRateLimitIsRefused();
    void profileSetHelpNamesItsCommand();
    void passwordPromptDoesNotEcho();
    void settingsFileIsPrivate();
    void timestampReportedIsTheOneInTheTopic();

private:
    CliRun cli(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 120000);
    QString writeFile(const QString &name, const QByteArray &content);
    QString freshTopic(const char *prefix) const;
    QProcessEnvironment env() const;

    QString m_bootstrap;
    QTemporaryDir m_dir;
    QString m_marker;
};

void TestHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QFile f(QStringLiteral(KBATCH_SANDBOX_DIR "/bootstrap"));
    QVERIFY2(f.open(QIODevice::ReadOnly), "the sandbox fixture did not run (ctest -L integration starts it)");
    m_bootstrap = QString::fromUtf8(f.readAll()).trimmed();
    QVERIFY(!m_bootstrap.isEmpty());
    m_marker = m_dir.filePath(QStringLiteral("marker"));
    QVERIFY(QFileInfo::exists(QStringLiteral(KBATCH_EVIL_PLUGIN)));
}

QProcessEnvironment TestHostile::env() const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("KBATCH_TEST_MARKER"), m_marker);
    e.insert(QStringLiteral("HOME"), m_dir.path());
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    e.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // never the user's keychain
    return e;
}

CliRun TestHostile::cli(const QStringList &args, const QByteArray &input, int timeoutMs)
{
    return kbatch::test::runCli(QStringLiteral(KBATCH_CLI), args, input, timeoutMs, env());
}

QString TestHostile::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString TestHostile::freshTopic(const char *prefix) const
{
    return QLatin1String(prefix) + QLatin1Char('-') + QUuid::createUuid().toString(QUuid::Id128).left(8);
}

void TestHostile::templateRunsNoCode_data()
{
    QTest::addColumn<QByteArray>("producer");
    QTest::addColumn<QString>("property");
    const QByteArray plugin = KBATCH_EVIL_PLUGIN;
    QTest::newRow("kinit command") << QByteArray(
                                          R"({"properties": {"security.protocol": "sasl_plaintext", )"
                                          R"("sasl.mechanisms": "GSSAPI", "sasl.kerberos.kinit.cmd": "touch MARKER"}})")
                                   << QStringLiteral("security.protocol");
    QTest::newRow("kinit command alone") << QByteArray(R"({"properties": {"sasl.kerberos.kinit.cmd": "touch MARKER"}})")
                                         << QStringLiteral("sasl.kerberos.kinit.cmd");
    QTest::newRow("plugin") << QByteArray(R"({"properties": {"plugin.library.paths": ")" + plugin + R"("}})")
                            << QStringLiteral("plugin.library.paths");
    QTest::newRow("ssl engine") << QByteArray(R"({"properties": {"ssl.engine.location": ")" + plugin + R"("}})")
                                << QStringLiteral("ssl.engine.location");
}

void TestHostile::templateRunsNoCode()
{
    QFETCH(QByteArray, producer);
    QFETCH(QString, property);
    QFile::remove(m_marker);
    producer.replace("MARKER", m_marker.toUtf8());
    const QString topic = freshTopic("h-code");
    const QString tpl = writeFile(QStringLiteral("code.kbatch.json"), templateWith(topic, producer));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("property \"%1\" is not allowed in a template").arg(property).toUtf8()),
             run.err.constData());
    QVERIFY2(run.err.contains("connection profile"), run.err.constData());
    QVERIFY2(!QFile::exists(m_marker), "the template ran code");
    QCOMPARE(kcatReadAll(m_bootstrap, topic).size(), 0);
}

void TestHostile::commandLineMayLoadAPlugin()
{
    // The control for the marker: the user's own -X does load the library (whose constructor runs), so a missing
    // marker above means the template's did not.
    QFile::remove(m_marker);
    const QString tpl = writeFile(QStringLiteral("plain.kbatch.json"), templateWith(freshTopic("h-ctl"), "{}"));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("-X"), QStringLiteral("plugin.library.paths=" KBATCH_EVIL_PLUGIN)});
    QCOMPARE(run.exitCode, 2); // the plugin refuses to be used, after it was loaded
    QVERIFY2(QFile::exists(m_marker), run.err.constData());
}

void TestHostile::templateCannotRedirectAProfile()
{
    // The profile is the user's own; the template names the attacker's host and a clear-text SASL protocol.
    FakeBroker attacker;
    const CliRun set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("prod"),
                            QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(set.exitCode, 0);
    const QString topic = freshTopic("h-redirect");
    const QByteArray producer = R"({"properties": {"bootstrap.servers": ")" + attacker.address().toUtf8() +
                                R"(", "security.protocol": "sasl_plaintext", "sasl.mechanisms": "PLAIN"}})";
    const QString tpl = writeFile(QStringLiteral("redirect.kbatch.json"), templateWith(topic, producer));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--profile"), QStringLiteral("prod")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("property \"bootstrap.servers\" is not allowed in a template: it says where or how to "
                              "connect"),
             run.err);
    QTest::qWait(300);
    QCOMPARE(attacker.connections(), 0);
    QCOMPARE(kcatReadAll(m_bootstrap, topic).size(), 0);
}

void TestHostile::commandLineRedirectIsNamedInTheError()
{
    // The control for the listener, and the error names the address really used (the override's, not the
    // profile's).
    FakeBroker listener;
    const CliRun set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("prod"),
                            QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(set.exitCode, 0);
    const QString tpl = writeFile(QStringLiteral("plain.kbatch.json"), templateWith(freshTopic("h-ctl"), "{}"));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--profile"), QStringLiteral("prod"),
                            QStringLiteral("--connect-timeout"), QStringLiteral("1500"), QStringLiteral("-X"),
                            QStringLiteral("bootstrap.servers=") + listener.address()});
    QCOMPARE(run.exitCode, 2);
    QTRY_VERIFY(listener.connections() > 0);
    QVERIFY2(run.err.contains(QStringLiteral("cannot connect to %1").arg(listener.address()).toUtf8()),
             run.err.constData());
    QVERIFY2(!run.err.contains(m_bootstrap.toUtf8()), run.err.constData());
}

void TestHostile::nulInAPropertyNameIsRefused()
{
    const QString tpl = writeFile(QStringLiteral("nul.kbatch.json"),
                                  templateWith(freshTopic("h-nul"), R"({"properties": {"sasl.password\u0000": "x"}})"));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(R"("sasl.password\x00" is not a property name)"), run.err.constData());
    QVERIFY2(!hasRawControl(run.err), run.err.constData());
}

void TestHostile::secretOnTheCommandLineIsRefused()
{
    const QString tpl = writeFile(QStringLiteral("plain.kbatch.json"), templateWith(freshTopic("h-secret"), "{}"));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("-X"), QStringLiteral("sasl.password=hunter2")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("--password-stdin"), run.err.constData());
    QVERIFY2(!run.err.contains("hunter2"), run.err.constData());
}

void TestHostile::reportToAFullDeviceIsExit1AndSaysIncomplete()
{
    const QString topic = freshTopic("h-full");
    const QString tpl = writeFile(QStringLiteral("full.kbatch.json"), templateWith(topic, "{}", 50));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--report"), QStringLiteral("/dev/full")});
    QCOMPARE(run.exitCode, 1); // never "all delivered" with a cut report
    QVERIFY2(run.err.contains("--report /dev/full: write failed: No space left on device"), run.err.constData());
    QVERIFY2(run.err.contains("the report /dev/full is incomplete"), run.err.constData());
}

void TestHostile::reportThatIsTheTemplateIsRefused_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("same path") << QStringLiteral("same");
    QTest::newRow("symbolic link") << QStringLiteral("symlink");
    QTest::newRow("hard link") << QStringLiteral("hardlink");
    QTest::newRow("another spelling") << QStringLiteral("dotdot");
}

void TestHostile::reportThatIsTheTemplateIsRefused()
{
    QFETCH(QString, how);
    const QString topic = freshTopic("h-self");
    const QByteArray content = templateWith(topic, "{}", 20);
    const QString tpl = writeFile(QStringLiteral("self.kbatch.json"), content);
    QString report = tpl;
    const QString alias = m_dir.filePath(QStringLiteral("alias.jsonl"));
    QFile::remove(alias);
    if (how == QLatin1String("symlink")) {
        QVERIFY(QFile::link(tpl, alias));
        report = alias;
    } else if (how == QLatin1String("hardlink")) {
        QCOMPARE(::link(QFile::encodeName(tpl).constData(), QFile::encodeName(alias).constData()), 0);
        report = alias;
    } else if (how == QLatin1String("dotdot")) {
        report = m_dir.path() + QStringLiteral("/./../") + QFileInfo(m_dir.path()).fileName() +
                 QStringLiteral("/self.kbatch.json");
    }
    const CliRun run = cli(
        {QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap, QStringLiteral("--report"), report});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("is the template being sent"), run.err.constData());
    QFile f(tpl);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), content); // untouched
    QCOMPARE(kcatReadAll(m_bootstrap, topic).size(), 0);
}

void TestHostile::closedReportPipeEndsCleanly()
{
    // `kbatch-cli send T --report - | head -1`: once head exits, the next write meets a closed pipe. The send ends
    // through the cancellation path with a line on stderr and exit 1, not silently by SIGPIPE (141).
    const QString tpl = writeFile(
        QStringLiteral("pipe.kbatch.json"),
        R"({"format": "kbatch-template", "version": 1, "topic": ")" + freshTopic("h-pipe").toUtf8() +
            R"(", "producer": {"rateLimit": 20000}, "messages": [{"key": "k{{seq}}", "value": "v", "generate": {"count": 200000}}]})");
    const QString errFile = m_dir.filePath(QStringLiteral("pipe.err"));
    QProcess sh;
    sh.setProcessEnvironment(env());
    sh.start(QStringLiteral("bash"),
             {QStringLiteral("-c"),
              QStringLiteral("\"$0\" send \"$1\" --bootstrap \"$2\" --report - 2>\"$3\" | head -1; "
                             "echo \"status=${PIPESTATUS[0]}\""),
              QStringLiteral(KBATCH_CLI), tpl, m_bootstrap, errFile});
    QVERIFY(sh.waitForFinished(120000));
    const QByteArray out = sh.readAllStandardOutput();
    QFile errors(errFile);
    QVERIFY(errors.open(QIODevice::ReadOnly));
    const QByteArray err = errors.readAll();
    QVERIFY2(out.startsWith("{\"index\":"), out.constData()); // head got its line
    QVERIFY2(out.contains("status=1\n"), QByteArray(out + err).constData());
    QVERIFY2(err.contains("--report -: the reader closed the pipe; stopping the send"), err.constData());
    QVERIFY2(err.contains("cancelled"), err.constData());
}

void TestHostile::escapesInErrorsAreShownEscaped()
{
    // ESC ] 0 ; ... BEL sets the terminal's title; ESC [ 2 J clears the screen.
    const QString tpl = writeFile(
        QStringLiteral("escape.kbatch.json"),
        R"({"format": "kbatch-template", "version": 1, "topic": "t", "messages": [{"key": "k", "val\u001b]0;owned\u0007ue\u001b[2J": "v"}]})");
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(!hasRawControl(run.err), run.err.toHex(' '));
    QVERIFY2(run.err.contains(R"(val\x1b]0;owned\x07ue\x1b[2J)"), run.err.constData());

    const QString placeholder = writeFile(
        QStringLiteral("placeholder.kbatch.json"),
        R"({"format": "kbatch-template", "version": 1, "topic": "t", "messages": [{"key": "{{evil\u001b[2J}}", "value": "v", "generate": {"count": 2}}]})");
    const CliRun run2 = cli({QStringLiteral("send"), placeholder, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run2.exitCode, 2);
    QVERIFY2(!hasRawControl(run2.err), run2.err.toHex(' '));
    QVERIFY2(run2.err.contains(R"(\x1b[2J)"), run2.err.constData());
}

void TestHostile::foreignTransactionalIdIsRefused()
{
    const QString tpl =
        writeFile(QStringLiteral("txid.kbatch.json"),
                  templateWith(freshTopic("h-txid"), R"({"mode": "atomic", "transactionalId": "kbatch-\u0001x"})"));
    CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(R"(transactional id "kbatch-\x01x" has a control character)"), run.err.constData());
    writeFile(QStringLiteral("txid.kbatch.json"),
              templateWith(freshTopic("h-txid"), R"({"mode": "atomic", "transactionalId": "payments-service-0"})"));
    run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("must start with \"kbatch-\""), run.err.constData());
}

void TestHostile::tinyRateLimitIsRefused()
{
    const QString tpl =
        writeFile(QStringLiteral("rate.kbatch.json"), templateWith(freshTopic("h-rate"), R"({"rateLimit": 1e-300})"));
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("producer.rateLimit: rateLimit 1e-300 is too small"), run.err.constData());
}

void TestHostile::profileSetHelpNamesItsCommand()
{
    const CliRun run = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith("Usage: kbatch-cli profile set [options] NAME"), run.out.constData());
    const CliRun bad = cli({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("--nope")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("see 'kbatch-cli profile remove --help'"), bad.err.constData());
}

void TestHostile::passwordPromptDoesNotEcho()
{
    // On a terminal, --password-stdin prompts and turns echo off. The terminal here is a pseudo-terminal whose
    // master side is read back: what was typed must not come back.
    const QString tpl = writeFile(QStringLiteral("plain.kbatch.json"), templateWith(freshTopic("h-tty"), "{}"));
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    QVERIFY(pid >= 0);
    if (pid == 0) {
        const QByteArray program = KBATCH_CLI;
        const QByteArray file = QFile::encodeName(tpl), boot = m_bootstrap.toUtf8();
        ::execl(program.constData(), program.constData(), "send", file.constData(), "--bootstrap", boot.constData(),
                "-X", "security.protocol=plaintext", "--password-stdin", static_cast<char *>(nullptr));
        _exit(127);
    }
    QByteArray seen;
    auto readFor = [&](int ms) {
        QElapsedTimer t;
        t.start();
        char buf[512];
        while (t.elapsed() < ms) {
            fd_set fds;
            FD_ZERO(&fds);
            FD_SET(master, &fds);
            timeval tv{0, 50000};
            if (::select(master + 1, &fds, nullptr, nullptr, &tv) > 0) {
                const ssize_t n = ::read(master, buf, sizeof buf);
                if (n <= 0)
                    return;
                seen.append(buf, n);
            }
        }
    };
    readFor(1500);
    QVERIFY2(seen.contains("SASL password: "), seen.constData());
    QVERIFY(::write(master, "typed-secret-42\n", 16) == 16);
    readFor(8000);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(master);
    QVERIFY2(!seen.contains("typed-secret-42"), seen.constData());
}

void TestHostile::settingsFileIsPrivate()
{
    const CliRun set = cli({QStringLiteral("profile"), QStringLiteral("set"), QStringLiteral("private"),
                            QStringLiteral("--bootstrap"), QStringLiteral("broker.invalid:9092")});
    QCOMPARE(set.exitCode, 0);
    const QString dir = m_dir.filePath(QStringLiteral("config/KBatch"));
    const QString file = dir + QStringLiteral("/kbatch.conf");
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
    QCOMPARE(::stat(QFile::encodeName(dir).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    // A file left readable by an older version is tightened at the next start.
    QCOMPARE(::chmod(QFile::encodeName(file).constData(), 0644), 0);
    QCOMPARE(cli({QStringLiteral("profile"), QStringLiteral("list")}).exitCode, 0);
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
}

void TestHostile::timestampReportedIsTheOneInTheTopic()
{
    // A row without a timestamp gets its create time when it is produced; the report says that time, which is
    // what an independent reader finds in the topic. The wall clock is read once per few dozen messages and after
    // every wait: sent at 1,000 a second, the create times fall within the send and follow it.
    const QString topic = freshTopic("h-ts");
    const int rows = 300;
    const QString tpl =
        writeFile(QStringLiteral("ts.kbatch.json"), templateWith(topic, R"({"rateLimit": 1000})", rows));
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const CliRun run = cli({QStringLiteral("send"), tpl, QStringLiteral("--bootstrap"), m_bootstrap,
                            QStringLiteral("--report"), QStringLiteral("-")});
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(run.exitCode, 0);
    QHash<QPair<int, qint64>, qint64> reported;
    for (const QByteArray &line : run.out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        reported.insert(
            {o.value(QStringLiteral("partition")).toInt(), qint64(o.value(QStringLiteral("offset")).toDouble())},
            qint64(o.value(QStringLiteral("timestamp")).toDouble()));
    }
    const auto records = kcatReadAll(m_bootstrap, topic);
    QCOMPARE(records.size(), rows);
    qint64 first = after, last = before;
    for (const auto &r : records) {
        first = std::min(first, r.timestamp);
        last = std::max(last, r.timestamp);
        QCOMPARE(reported.value({r.partition, r.offset}, -1), r.timestamp);
        QVERIFY2(r.timestamp >= before && r.timestamp <= after,
                 qPrintable(QStringLiteral("%1 not within [%2, %3]").arg(r.timestamp).arg(before).arg(after)));
    }
    QVERIFY2(last - first >= 250, qPrintable(QStringLiteral("create times span %1 ms").arg(last - first)));
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"

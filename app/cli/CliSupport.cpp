#include "CliSupport.h"

#include "core/model/Printable.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace kbatch::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString &message, int code)
{
    QString line = message;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    err() << "kbatch-cli: " << core::printable(line) << Qt::endl;
    return code;
}

int fail(const core::Error &error, int code)
{
    return fail(error.message(), code);
}

bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, int &exitCode, bool &exitNow,
                    const QString &command)
{
    const QString name = command.isEmpty() ? arguments.value(0) : command;
    exitNow = false;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        exitCode = fail(parser.errorText() + QStringLiteral(" (see 'kbatch-cli %1 --help')").arg(name));
        exitNow = true;
        return false;
    }
    if (parser.isSet(help)) {
        // Qt's usage line names the program path only; a subcommand's help must show how to call it.
        QString text = parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (text.startsWith(QLatin1String("Usage: ") + program))
            text.replace(7, program.size(), QStringLiteral("kbatch-cli ") + name);
        out() << text;
        out().flush();
        exitCode = ExitOk;
        exitNow = true;
        return false;
    }
    return true;
}

namespace {
int signalPipe[2] = {-1, -1};

// The terminal's settings while a secret is typed with echo off, to restore them on a signal.
struct termios savedTerminal;
volatile sig_atomic_t terminalSaved = 0;

void restoreTerminalAndDie(int sig)
{
    if (terminalSaved)
        tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
    signal(sig, SIG_DFL);
    raise(sig);
}

core::Result<QByteArray> readSecretFromTerminal(const QString &what)
{
    const QByteArray prompt = QStringLiteral("%1: ").arg(what).toUtf8();
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, prompt.constData(), std::size_t(prompt.size()));
    if (tcgetattr(STDIN_FILENO, &savedTerminal) != 0)
        return core::Error(QStringLiteral("cannot turn off echo to read the %1: %2").arg(what, qt_error_string(errno)));
    struct sigaction restore = {}, oldInt = {}, oldTerm = {};
    restore.sa_handler = restoreTerminalAndDie;
    sigemptyset(&restore.sa_mask);
    sigaction(SIGINT, &restore, &oldInt);
    sigaction(SIGTERM, &restore, &oldTerm);
    terminalSaved = 1;
    struct termios quiet = savedTerminal;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    quiet.c_lflag |= ECHONL;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    QByteArray line;
    char c = 0;
    for (;;) {
        const ssize_t got = ::read(STDIN_FILENO, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || c == '\n')
            break;
        line += c;
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
    terminalSaved = 0;
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    c = 0;
    return line;
}

void onSignalRaw(int sig)
{
    const char byte = char(sig);
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &byte, 1);
}
} // namespace

core::Result<QByteArray> readSecret(const QString &what)
{
    QByteArray line;
    if (isatty(STDIN_FILENO)) {
        auto typed = readSecretFromTerminal(what);
        if (!typed)
            return typed;
        line = std::move(typed.value());
    } else {
        // One byte at a time: nothing after the first line is taken from standard input.
        char c = 0;
        for (;;) {
            const ssize_t got = ::read(STDIN_FILENO, &c, 1);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return core::Error(
                    QStringLiteral("cannot read the %1 from standard input: %2").arg(what, qt_error_string(errno)));
            if (got == 0 || c == '\n')
                break;
            line += c;
        }
    }
    while (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return core::Error(QStringLiteral("no %1 on standard input (give it on the first line)").arg(what));
    return line;
}

void sayKeychainIsWaiting()
{
    err() << "kbatch-cli: waiting for the system keychain: it may be asking for a password (to create or unlock a "
             "keyring) in your desktop session; Ctrl+C gives up"
          << Qt::endl;
}

void watchTerminationSignals(std::function<void(int)> onSignal)
{
    if (signalPipe[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(qintptr(signalPipe[0]), QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [onSignal = std::move(onSignal)] {
        char byte = 0;
        if (::read(signalPipe[0], &byte, 1) == 1)
            onSignal(int(byte));
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignalRaw;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

} // namespace kbatch::cli

#include "CliSupport.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
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
    err() << "kbatch-cli: " << line << Qt::endl;
    return code;
}

int fail(const core::Error &error, int code)
{
    return fail(error.message(), code);
}

bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, int &exitCode, bool &exitNow)
{
    exitNow = false;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        exitCode = fail(parser.errorText() + QStringLiteral(" (see 'kbatch-cli %1 --help')").arg(arguments.value(0)));
        exitNow = true;
        return false;
    }
    if (parser.isSet(help)) {
        // Qt's usage line names the program path only; a subcommand's help must show how to call it.
        QString text = parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (text.startsWith(QLatin1String("Usage: ") + program))
            text.replace(7, program.size(), QStringLiteral("kbatch-cli ") + arguments.value(0));
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

void onSignalRaw(int sig)
{
    const char byte = char(sig);
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &byte, 1);
}
} // namespace

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

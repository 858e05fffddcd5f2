#include "CliProcess.h"

#include <QProcess>

#include <sys/wait.h>

namespace kbatch::test {

CliRun runCli(const QString &program, const QStringList &args, const QByteArray &input, int timeoutMs,
              const QProcessEnvironment &env)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(program, args);
    CliRun run;
    if (!p.waitForStarted(10000))
        return run;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        qWarning("kbatch-cli %s did not finish", qPrintable(args.join(QLatin1Char(' '))));
        run.out = p.readAllStandardOutput();
        run.err = p.readAllStandardError();
        return run;
    }
    if (p.exitStatus() == QProcess::NormalExit)
        run.exitCode = p.exitCode();
    else
        run.signal = p.exitCode(); // QProcess reports the signal number as the exit code of a crash
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

} // namespace kbatch::test

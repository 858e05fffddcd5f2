#pragma once

// Runs kbatch-cli as a process of its own, as a user or a CI job would, and collects what it said.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>

namespace kbatch::test {

struct CliRun
{
    int exitCode = -1; // -1: killed by a signal or did not finish
    int signal = 0;    // the signal that ended it (QProcess::CrashExit), 0 otherwise
    QByteArray out;
    QByteArray err;
};

// `program` is KBATCH_CLI. `input` goes to standard input, which is then closed. `env` replaces the environment
// when not empty.
CliRun runCli(const QString &program, const QStringList &args, const QByteArray &input = {}, int timeoutMs = 120000,
              const QProcessEnvironment &env = {});

} // namespace kbatch::test

#pragma once

#include "core/model/Error.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

namespace kbatch::cli {

// Exit statuses of the command-line contract (docs/cli.md).
enum ExitCode {
    ExitOk = 0,     // every message delivered (and verified, with --verify)
    ExitNotAll = 1, // some message not delivered or not verified
    ExitUsage = 2,  // bad usage, unreadable or invalid input, or no connection
};

QTextStream &out();
QTextStream &err();

// Prints "kbatch-cli: <message>" on stderr, one line.
int fail(const QString &message, int code = ExitUsage);
int fail(const core::Error &error, int code = ExitUsage);

// Parses `arguments` (the subcommand first); on a usage error prints it with a pointer to --help and returns false.
// With --help prints the help and sets `exitNow`.
bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, int &exitCode, bool &exitNow);

// Ends the event loop on SIGINT/SIGTERM by calling `onSignal` in the main thread (self-pipe; nothing else runs
// in the signal handler).
void watchTerminationSignals(std::function<void(int)> onSignal);

} // namespace kbatch::cli

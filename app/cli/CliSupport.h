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

// Prints "kbatch-cli: <message>" on stderr, one line, with every control character escaped (core::printable()):
// messages quote names from files and text from brokers, which must not drive the terminal.
int fail(const QString &message, int code = ExitUsage);
int fail(const core::Error &error, int code = ExitUsage);

// Parses `arguments` (the subcommand first); on a usage error prints it with a pointer to --help and returns false.
// With --help prints the help and sets `exitNow`. `command` names the subcommand in both ("profile set"); empty:
// the first argument.
bool parseOrExplain(QCommandLineParser &parser, const QStringList &arguments, int &exitCode, bool &exitNow,
                    const QString &command = {});

// A secret from standard input, without its line end. On a terminal it prompts on the terminal ("<what>: ") and
// turns echo off while it is typed (restored on SIGINT/SIGTERM too); from a pipe or file it reads the first line.
// Secrets never come from the command line, where process lists and shell history would show them.
core::Result<QByteArray> readSecret(const QString &what);

// Ends the event loop on SIGINT/SIGTERM by calling `onSignal` in the main thread (self-pipe; nothing else runs
// in the signal handler).
// Says on stderr, once per call, that the system keychain has not answered yet and may be waiting for the user.
void sayKeychainIsWaiting();

void watchTerminationSignals(std::function<void(int)> onSignal);

} // namespace kbatch::cli

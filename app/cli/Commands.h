#pragma once

#include <QStringList>

namespace kbatch::cli {

// Each takes the arguments from the subcommand's name on and returns the process exit status.
int runSandbox(const QStringList &arguments);
int runSend(const QStringList &arguments);
int runTopics(const QStringList &arguments);
int runImport(const QStringList &arguments);
int runProfile(const QStringList &arguments);

} // namespace kbatch::cli

// kbatch-cli: the headless front end. Parses the subcommand and hands over; all work is in kbatch_core.

#include "CliSupport.h"
#include "Commands.h"

#include <QCoreApplication>

#include <csignal>

#include "core/kafka/KafkaVersion.h"
#include "core/profiles/ProfileStore.h"

using namespace kbatch::cli;

static const char Usage[] = R"(Usage: kbatch-cli COMMAND [options]

Compose and publish batches of Kafka messages from templates (*.kbatch.json).

Commands:
  sandbox   run the built-in sandbox cluster on loopback and print its bootstrap list
  send      publish a template's messages and report each one's outcome
  topics    list a cluster's topics with partitions and leaders
  import    turn a CSV, JSON Lines (also kcat -J output) or text file into a template
  profile   manage connection profiles (set, list, remove); secrets go to the system keychain

Run 'kbatch-cli COMMAND --help' for a command's options. --version prints the versions in use and librdkafka's
built-in features.
)";

int main(int argc, char *argv[])
{
    // A closed pipe (kbatch-cli send --report - | head -1) is a write error that the command handles and reports,
    // not a silent death by SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    kbatch::core::setApplicationIdentity(); // the app's: profiles are shared
    QCoreApplication::setApplicationVersion(QStringLiteral(KBATCH_VERSION));

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    const QString command = args.value(0);
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        out() << Usage;
        out().flush();
        return command.isEmpty() ? ExitUsage : ExitOk;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        // The second line is what a bug report needs about librdkafka: how it is linked and what it was built with.
        out() << "kbatch-cli " << KBATCH_VERSION << " (librdkafka " << kbatch::core::librdkafkaVersion() << ", Qt "
              << qVersion() << ")\n"
              << kbatch::core::librdkafkaDescription() << Qt::endl;
        return ExitOk;
    }
    if (command == QLatin1String("sandbox"))
        return runSandbox(args);
    if (command == QLatin1String("send"))
        return runSend(args);
    if (command == QLatin1String("topics"))
        return runTopics(args);
    if (command == QLatin1String("import"))
        return runImport(args);
    if (command == QLatin1String("profile"))
        return runProfile(args);
    return fail(QStringLiteral("unknown command '%1' (see 'kbatch-cli --help')").arg(command));
}

// kbatch: parses the command line and wires the main window. Nothing else lives here.

#include "core/kafka/KafkaVersion.h"
#include "core/profiles/ProfileStore.h"
#include "ui/MainWindow.h"
#include "ui/ScreenshotScript.h"
#include "ui/widgets/MessageBox.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTranslator>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    kbatch::core::setApplicationIdentity(); // kbatch-cli's too: profiles are shared
    QApplication::setApplicationDisplayName(QStringLiteral("KBatch"));
    QApplication::setApplicationVersion(QStringLiteral(KBATCH_VERSION));

    // English is the source language; its .qm only supplies plural forms ("1 row", "2 rows").
    QTranslator english;
    if (english.load(QStringLiteral(":/i18n/kbatch_en.qm")))
        QCoreApplication::installTranslator(&english);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Compose and publish batches of Kafka messages"));
    parser.addHelpOption();
    // Like kbatch-cli --version: the libraries in use matter in a bug report.
    QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                               QApplication::translate("main", "Displays version information."));
    parser.addOption(version);
    QCommandLineOption profile(QStringLiteral("profile"), QApplication::translate("main", "Connection profile to use."),
                               QStringLiteral("NAME"));
    QCommandLineOption screenshots(QStringLiteral("screenshot-script"),
                                   QApplication::translate("main", "Run a scripted send and save screenshots to DIR."),
                                   QStringLiteral("DIR"));
    parser.addOption(profile);
    parser.addOption(screenshots);
    parser.addPositionalArgument(QStringLiteral("template"), QApplication::translate("main", "Template to open."),
                                 QStringLiteral("[TEMPLATE]"));
    parser.process(app);
    if (parser.isSet(version)) {
        std::printf("kbatch %s (librdkafka %s, Qt %s)\n%s\n", KBATCH_VERSION,
                    qPrintable(kbatch::core::librdkafkaVersion()), qVersion(),
                    qPrintable(kbatch::core::librdkafkaDescription()));
        return 0;
    }

    kbatch::ui::MainWindow::Options options;
    if (!parser.positionalArguments().isEmpty())
        options.openFile = parser.positionalArguments().constFirst();
    options.profile = parser.value(profile);
    options.offerRestore = !parser.isSet(screenshots); // unattended: an autosaved batch waits for a normal start
    kbatch::ui::MainWindow window(options);
    window.show();

    if (parser.isSet(screenshots)) {
        // Unattended: any question gets "Discard"/"No" rather than blocking the script.
        kbatch::ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        auto *script = new kbatch::ui::ScreenshotScript(&window, parser.value(screenshots));
        script->start();
    }
    return app.exec();
}

// Opening a bad file (too large, binary, JSON that is not a template, a template with an error on a known line),
// through File > Open and through drag-and-drop, shows an error naming the file (and line and field where they
// apply) and leaves the batch as it was: rows, title, dirty flag and file path (issue 6).

#include "UiTestSupport.h"
#include "core/format/TemplateWriter.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/documents/DocumentController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QMimeData>
#include <QRandomGenerator>
#include <QTest>
#include <QUndoStack>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

class TestOpenErrors : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void badFileLeavesTheBatchAsItWas_data();
    void badFileLeavesTheBatchAsItWas();

private:
    QString writeFile(const QString &name, const QByteArray &bytes);
    void drop(const QString &path);

    QTemporaryDir m_config;
    QTemporaryDir m_files;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore m_secrets;
};

void TestOpenErrors::initTestCase()
{
    QVERIFY(m_config.isValid() && m_files.isValid());
    test::isolateSettings(m_config);
    QCoreApplication::setApplicationName(QStringLiteral("kbatch-openerrors-test"));

    // Over the readers' 1 GiB limit (InputLimits in core/format/InputFile.h), as a sparse file: the size is
    // refused before a byte is read.
    const QString huge = m_files.filePath(QStringLiteral("huge.kbatch.json"));
    QFile big(huge);
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize((qint64(1) << 30) + 1));
    big.close();

    QByteArray random(64 * 1024, '\0');
    auto *rng = QRandomGenerator::global();
    for (char &c : random)
        c = char(rng->bounded(256));
    random[10] = '\0';
    random[11] = '\0';
    writeFile(QStringLiteral("random.kbatch.json"), random);
    writeFile(QStringLiteral("package.json"),
              "{\n  \"name\": \"web-app\",\n  \"dependencies\": {\"left-pad\": \"1.3.0\"}\n}\n");
    // Line 12: a negative partition in the second message.
    writeFile(QStringLiteral("broken.kbatch.json"), "{\n"
                                                    "  \"format\": \"kbatch-template\",\n"
                                                    "  \"version\": 1,\n"
                                                    "  \"topic\": \"orders\",\n"
                                                    "  \"messages\": [\n"
                                                    "    {\n"
                                                    "      \"key\": \"a\",\n"
                                                    "      \"value\": \"1\"\n"
                                                    "    },\n"
                                                    "    {\n"
                                                    "      \"key\": \"b\",\n"
                                                    "      \"partition\": -1,\n"
                                                    "      \"value\": \"2\"\n"
                                                    "    }\n"
                                                    "  ]\n"
                                                    "}\n");
    // Hostile templates (docs/security.md): they may not run code, redirect the connection or drive a display
    // with control characters in what the window shows.
    writeFile(QStringLiteral("runs-command.kbatch.json"),
              R"({"format": "kbatch-template", "version": 1, "topic": "t", "producer": {"properties": )"
              R"({"sasl.kerberos.kinit.cmd": "touch /tmp/kbatch-open-marker"}}, "messages": [{"value": "v"}]})");
    writeFile(QStringLiteral("redirect.kbatch.json"),
              R"({"format": "kbatch-template", "version": 1, "topic": "t", "producer": {"properties": )"
              R"({"bootstrap.servers": "attacker.invalid:9092"}}, "messages": [{"value": "v"}]})");
    writeFile(QStringLiteral("escapes.kbatch.json"),
              R"({"format": "kbatch-template", "version": 1, "messages": [{"val\u001b]0;x\u0007ue": "v"}]})");
}

void TestOpenErrors::init()
{
    test::resetSettings();
    ui::MessageBox::clearLast();
}

void TestOpenErrors::cleanup()
{
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
}

QString TestOpenErrors::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestOpenErrors::drop(const QString &path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QWidget *target = m_window->view()->viewport();
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
    QVERIFY(dropEvent.isAccepted());
}

void TestOpenErrors::badFileLeavesTheBatchAsItWas_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("byDrop");
    QTest::addColumn<bool>("dirty");
    QTest::addColumn<QStringList>("expected"); // parts of the error text besides the file name

    const struct
    {
        const char *tag;
        const char *file;
        QStringList expected;
    } files[] = {
        {"too large", "huge.kbatch.json", {QStringLiteral("too large")}},
        {"binary", "random.kbatch.json", {QStringLiteral("binary")}},
        {"not a template", "package.json", {}},
        {"error on line 12", "broken.kbatch.json", {QStringLiteral(":12:"), QStringLiteral("messages[1].partition")}},
        {"runs a command",
         "runs-command.kbatch.json",
         {QStringLiteral("\"sasl.kerberos.kinit.cmd\" is not allowed in a template: it runs a shell command"),
          QStringLiteral("connection profile")}},
        {"redirects the connection",
         "redirect.kbatch.json",
         {QStringLiteral("\"bootstrap.servers\" is not allowed in a template")}},
        {"control characters", "escapes.kbatch.json", {QStringLiteral("val\\x1b]0;x\\x07ue")}},
    };
    for (const auto &f : files) {
        for (bool byDrop : {false, true}) {
            for (bool dirty : {false, true}) {
                QTest::addRow("%s, %s, %s", f.tag, byDrop ? "drop" : "open", dirty ? "dirty" : "clean")
                    << QString::fromLatin1(f.file) << byDrop << dirty << f.expected;
            }
        }
    }
}

void TestOpenErrors::badFileLeavesTheBatchAsItWas()
{
    QFETCH(QString, file);
    QFETCH(bool, byDrop);
    QFETCH(bool, dirty);
    QFETCH(QStringList, expected);
    const QString path = m_files.filePath(file);
    QVERIFY(QFile::exists(path));

    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    options.secretStore = &m_secrets;
    m_window = new MainWindow(options);
    m_window->show();
    // A saved template, open, and (in the dirty rows) edited.
    const QString good = m_files.filePath(QStringLiteral("good.kbatch.json"));
    QFile::remove(good);
    QVERIFY(QFile::copy(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"), good));
    QFile::setPermissions(good, QFile::ReadOwner | QFile::WriteOwner);
    ui::FileDialog::setNextFileName(good);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    if (dirty) {
        BatchTableModel *model = m_window->model();
        QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("unsaved edit")));
    }
    QCOMPARE(m_window->isWindowModified(), dirty);
    const QByteArray rowsBefore = core::serializeTemplate(m_window->document()->snapshot());
    const QString titleBefore = m_window->windowTitle();
    const int undoBefore = m_window->model()->undoStack()->count();

    ui::MessageBox::clearLast();
    if (byDrop) {
        drop(path);
    } else {
        if (dirty)
            ui::MessageBox::setNextAnswer(QMessageBox::Discard); // "Save changes first?" — go on without saving
        ui::FileDialog::setNextFileName(path);
        m_window->action(QStringLiteral("actionOpen"))->trigger();
    }
    QTRY_VERIFY_WITH_TIMEOUT(!ui::MessageBox::lastError().isEmpty(), 30000);
    QTRY_VERIFY(!m_window->document()->isLoading());

    const QString error = ui::MessageBox::lastError();
    qInfo("%s", qPrintable(error)); // in the log, to read what a user reads
    QVERIFY2(error.contains(path), qPrintable(error));
    for (const QString &part : expected)
        QVERIFY2(error.contains(part), qPrintable(error));
    for (const QChar c : error)
        QVERIFY2(c == QLatin1Char('\n') || (c.unicode() >= 0x20 && c.unicode() != 0x7f), qPrintable(error));
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/kbatch-open-marker")));
    QCOMPARE(core::serializeTemplate(m_window->document()->snapshot()), rowsBefore);
    QCOMPARE(m_window->windowTitle(), titleBefore);
    QCOMPARE(m_window->isWindowModified(), dirty);
    QCOMPARE(m_window->document()->filePath(), good);
    QCOMPARE(m_window->model()->undoStack()->count(), undoBefore);
}

QTEST_MAIN(TestOpenErrors)
#include "tst_openerrors.moc"

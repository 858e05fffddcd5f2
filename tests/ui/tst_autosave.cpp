// Crash-safe editing (issue 6): unsaved batches are autosaved to the app's data folder and offered for restore at the
// next start. The real MainWindow, offscreen; questions answered through MessageBox's seam; a "crash" is a window
// deleted without closing (in process) or a helper process killed with SIGKILL.

#include "UiTestSupport.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/documents/AutosaveController.h"
#include "ui/documents/DocumentController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace kbatch;
using ui::BatchTableModel;
using ui::MainWindow;

namespace {
const QString AppName = QStringLiteral("kbatch-autosave-test");
}

class TestAutosave : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void editIsAutosavedAfterAShortDelay();
    void continuousEditingIsStillAutosaved();
    void restoreGivesIdenticalRowsAndKeepsThePath();
    void restoreOfAnUntitledBatch();
    void discardAtRestoreRemovesTheCopy();
    void discardOnCloseRemovesTheCopy();
    void savingOrUndoingToCleanRemovesTheCopy();
    void aRunningSessionsCopyIsNotOffered();
    void killedProcessIsRestored();

private:
    MainWindow *newWindow(QMessageBox::StandardButton restoreAnswer = QMessageBox::NoButton);
    void crash(); // the window goes without closing: its autosave stays, as after kill -9
    void editRow(int row, const QString &value);
    QStringList copies() const
    {
        return QDir(ui::AutosaveController::folder()).entryList({QStringLiteral("*.kbatch.json")}, QDir::Files);
    }
    static QByteArray valueOf(const QString &file, int row);

    QTemporaryDir m_home;
    QTemporaryDir m_config;
    QTemporaryDir m_files;
    MainWindow *m_window = nullptr;
    core::MemorySecretStore *m_secrets = nullptr;
};

void TestAutosave::initTestCase()
{
    QVERIFY(m_home.isValid() && m_config.isValid() && m_files.isValid());
    // A private HOME: QStandardPaths' test mode puts the data folder under it, never in the user's.
    qputenv("HOME", m_home.path().toLocal8Bit());
    test::isolateSettings(m_config);
    QCoreApplication::setApplicationName(AppName);
    QVERIFY(ui::AutosaveController::folder().startsWith(m_home.path()));
}

void TestAutosave::init()
{
    test::resetSettings();
    QDir(ui::AutosaveController::folder()).removeRecursively(); // every test starts with no autosave
}

void TestAutosave::cleanup()
{
    if (m_window) {
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }
    delete m_secrets;
    m_secrets = nullptr;
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
}

MainWindow *TestAutosave::newWindow(QMessageBox::StandardButton restoreAnswer)
{
    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    delete m_secrets;
    m_secrets = new core::MemorySecretStore;
    options.secretStore = m_secrets;
    ui::MessageBox::setNextAnswer(restoreAnswer);
    m_window = new MainWindow(options);
    m_window->show();
    m_window->autosave()->setDelays(100, 2000);
    return m_window;
}

void TestAutosave::crash()
{
    delete m_window;
    m_window = nullptr;
}

void TestAutosave::editRow(int row, const QString &value)
{
    BatchTableModel *model = m_window->model();
    QVERIFY(model->setData(model->index(row, BatchTableModel::Value), value));
}

QByteArray TestAutosave::valueOf(const QString &file, int row)
{
    const auto tpl = core::loadTemplate(file);
    if (!tpl.ok() || tpl->messages.size() <= row)
        return QByteArray("<unreadable>");
    return tpl->messages.value(row).toByteArray();
}

void TestAutosave::editIsAutosavedAfterAShortDelay()
{
    newWindow();
    const QString file = m_window->autosave()->filePath();
    QVERIFY(file.startsWith(ui::AutosaveController::folder()));
    QVERIFY(!QFile::exists(file)); // nothing unsaved yet
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("first edit"));
    QTRY_VERIFY(QFile::exists(file));
    QTRY_COMPARE(valueOf(file, 0), QByteArray("first edit"));
    // Later edits replace the copy.
    editRow(0, QStringLiteral("second edit"));
    QTRY_COMPARE(valueOf(file, 0), QByteArray("second edit"));
    QCOMPARE(copies().size(), 1);
}

void TestAutosave::continuousEditingIsStillAutosaved()
{
    newWindow();
    // Edits that never pause long enough for the short delay: the longest interval still writes the copy.
    m_window->autosave()->setDelays(60 * 60 * 1000, 200);
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("typing"));
    QTRY_COMPARE(valueOf(m_window->autosave()->filePath(), 0), QByteArray("typing"));
}

void TestAutosave::restoreGivesIdenticalRowsAndKeepsThePath()
{
    const QString path = m_files.filePath(QStringLiteral("orders.kbatch.json"));
    QFile::remove(path);
    QVERIFY(QFile::copy(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"), path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);

    newWindow();
    ui::FileDialog::setNextFileName(path);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QSignalSpy written(m_window->autosave(), &ui::AutosaveController::autosaved);
    // Edits of several kinds: a value, a null key, a new row with binary bytes, a removed row.
    BatchTableModel *model = m_window->model();
    editRow(0, QStringLiteral("{\"restored\": true}"));
    QVERIFY(model->setData(model->index(1, BatchTableModel::Key), QStringLiteral("ключ ✓")));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    model->removeRowList({2});
    QTRY_COMPARE(written.count(), 1);
    const QByteArray expected = core::serializeTemplate(m_window->document()->snapshot());
    const QString copy = m_window->autosave()->filePath();
    crash();
    QVERIFY(QFile::exists(copy));

    newWindow(QMessageBox::Open); // Restore
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("orders.kbatch.json")));
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("(4 row")));
    QCOMPARE(core::serializeTemplate(m_window->document()->snapshot()), expected);
    QCOMPARE(m_window->document()->filePath(), path);
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().startsWith(QLatin1String("orders.kbatch.json")));
    QCOMPARE(m_window->autosave()->filePath(), copy); // the session carries on with the restored copy

    // Save writes the restored rows to the original file, and the copy goes.
    m_window->action(QStringLiteral("actionSave"))->trigger();
    QVERIFY(!m_window->isWindowModified());
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), expected);
    QVERIFY(!QFile::exists(copy));
    QVERIFY(copies().isEmpty());
}

void TestAutosave::restoreOfAnUntitledBatch()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("never saved"));
    QTRY_COMPARE(valueOf(m_window->autosave()->filePath(), 0), QByteArray("never saved"));
    crash();

    newWindow(QMessageBox::Open);
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("untitled batch")));
    QCOMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->batch().value(0), QByteArrayView("never saved"));
    QVERIFY(m_window->document()->filePath().isEmpty());
    QVERIFY(m_window->isWindowModified());
}

void TestAutosave::discardAtRestoreRemovesTheCopy()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("to be discarded"));
    QTRY_VERIFY(QFile::exists(m_window->autosave()->filePath()));
    crash();
    QCOMPARE(copies().size(), 1);

    newWindow(QMessageBox::Discard);
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("Restore")));
    QCOMPARE(m_window->model()->rowCount(), 0);
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(copies().isEmpty());
    // Nothing is left to offer: the next window asks nothing (the prepared answer stays unused).
    crash();
    newWindow(QMessageBox::Open);
    QVERIFY(ui::MessageBox::hasNextAnswer());
    QCOMPARE(m_window->model()->rowCount(), 0);
}

void TestAutosave::discardOnCloseRemovesTheCopy()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("closing"));
    const QString copy = m_window->autosave()->filePath();
    QTRY_VERIFY(QFile::exists(copy));
    // Cancel keeps the window, the edits and the copy.
    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_window->close());
    QVERIFY(QFile::exists(copy));
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    QVERIFY(m_window->close());
    QVERIFY(!QFile::exists(copy));
    QVERIFY(copies().isEmpty());
}

void TestAutosave::savingOrUndoingToCleanRemovesTheCopy()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("saved soon"));
    const QString copy = m_window->autosave()->filePath();
    QTRY_VERIFY(QFile::exists(copy));
    const QString path = m_files.filePath(QStringLiteral("saved.kbatch.json"));
    ui::FileDialog::setNextFileName(path);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();
    QVERIFY(QFile::exists(path));
    QVERIFY(!QFile::exists(copy));

    // A new edit brings the copy back; undoing it (back to the saved state) removes it again.
    editRow(0, QStringLiteral("edited after save"));
    QTRY_VERIFY(QFile::exists(copy));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(!QFile::exists(copy));
}

void TestAutosave::aRunningSessionsCopyIsNotOffered()
{
    newWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    editRow(0, QStringLiteral("still running"));
    const QString copy = m_window->autosave()->filePath();
    QTRY_VERIFY(QFile::exists(copy));

    // A second window (as a second KBatch would) finds the copy locked by a live session and asks nothing.
    MainWindow::Options options;
    options.loadSampleOnFirstStart = false;
    options.secretStore = m_secrets;
    ui::MessageBox::setNextAnswer(QMessageBox::Open);
    {
        MainWindow second(options);
        QVERIFY(ui::MessageBox::hasNextAnswer());
        QCOMPARE(second.model()->rowCount(), 0);
        QVERIFY(second.autosave()->filePath() != copy);
    }
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
    QVERIFY(QFile::exists(copy));
}

void TestAutosave::killedProcessIsRestored()
{
    const QString marker = QStringLiteral("edit before kill -9");
    QProcess helper;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    helper.setProcessEnvironment(env);
    helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    helper.start(QStringLiteral(KBATCH_AUTOSAVE_HELPER), {m_config.path(), AppName, marker});
    QVERIFY2(helper.waitForStarted(), qPrintable(helper.errorString()));
    QByteArray out;
    QVERIFY(QTest::qWaitFor(
        [&] {
            helper.waitForReadyRead(100);
            out += helper.readAllStandardOutput();
            return out.contains("ready") || helper.state() == QProcess::NotRunning;
        },
        60000));
    QVERIFY2(out.startsWith("ready "), out.constData());
    const QString copy = QString::fromLocal8Bit(out.mid(6).trimmed());
    QVERIFY(QFile::exists(copy));
    helper.kill(); // SIGKILL: no destructor, no close event, the lock file stays with a dead pid
    QVERIFY(helper.waitForFinished(10000));
    QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
    QVERIFY(QFile::exists(copy));

    newWindow(QMessageBox::Open);
    QVERIFY(!ui::MessageBox::hasNextAnswer());
    QCOMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->batch().key(0), QByteArrayView("crash-key"));
    QCOMPARE(m_window->model()->batch().value(0), QByteArrayView(marker.toUtf8()));
    QVERIFY(m_window->isWindowModified());
    QCOMPARE(m_window->autosave()->filePath(), copy);
}

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"

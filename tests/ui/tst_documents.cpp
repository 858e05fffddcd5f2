// The batch as a document in the real window: the first-start sample, import by drop, save and reopen, the unsaved-
// changes question, the template library.

#include "MainWindowFixture.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/kafka/KafkaVersion.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "tests/integration/KcatReader.h"
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/connections/CreateTopicButton.h"
#include "ui/connections/PeekModel.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/TemplateLibrary.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/LogPanel.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace kbatch;

class TestDocuments : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void firstStartOpensSampleTemplate();
    void importByDrop();
    void saveCloseReopenKeepsBytes();
    void dirtyMarkerAndConfirmationBeforeLosingEdits();
    void templateLibraryStartsWithSamplesAndOpens();
    void registryTemplateKeepsItsSerializationAndIsNotSentAsText();
};

void TestDocuments::firstStartOpensSampleTemplate()
{
    newWindow(true);
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(child<QComboBox>("topicCombo")->currentText(), QStringLiteral("orders"));
    QCOMPARE(child<QComboBox>("profileCombo")->currentText(), QStringLiteral("Local sandbox"));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->action(QStringLiteral("actionSend"))->isEnabled());
}

void TestDocuments::importByDrop()
{
    newWindow();
    newEmptyBatch();
    const QString path = m_files.filePath(QStringLiteral("drop.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":null,\"value\":{\"json\":{\"x\":1}}}\n");
    file.close();

    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(path)});
    QWidget *target = m_window->view()->viewport();
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
    QTRY_COMPARE(m_window->model()->rowCount(), 2);
    QVERIFY(m_window->model()->batch().keyIsNull(1));
    QCOMPARE(m_window->model()->undoStack()->count(), 1);
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 0);
    delete mime;
}

void TestDocuments::saveCloseReopenKeepsBytes()
{
    const QString original = QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json");
    const QString first = m_files.filePath(QStringLiteral("first.kbatch.json"));
    const QString second = m_files.filePath(QStringLiteral("second.kbatch.json"));

    newWindow();
    ui::FileDialog::setNextFileName(original);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    ui::FileDialog::setNextFileName(first);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();
    QVERIFY(QFile::exists(first));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().startsWith(QLatin1String("first.kbatch.json")));
    QVERIFY(m_window->close());
    delete m_window;
    m_window = nullptr;

    newWindow();
    QVERIFY(m_window->document()->recentFiles().contains(first));
    ui::FileDialog::setNextFileName(first);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    ui::FileDialog::setNextFileName(second);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();

    QFile a(first), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly));
    QVERIFY(b.open(QIODevice::ReadOnly));
    const QByteArray firstBytes = a.readAll();
    QCOMPARE(b.readAll(), firstBytes);
    // And the same bytes core writes for the original: the window added or lost nothing.
    auto tpl = core::loadTemplate(original);
    QVERIFY(tpl.ok());
    QCOMPARE(firstBytes, core::serializeTemplate(tpl.value()));
}

void TestDocuments::dirtyMarkerAndConfirmationBeforeLosingEdits()
{
    newWindow();
    newEmptyBatch();
    QVERIFY(!m_window->isWindowModified());
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().contains(QLatin1String("[*]")));
    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    QVERIFY(!m_window->close());
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("unsaved changes")));
    QCOMPARE(m_window->model()->rowCount(), 1);
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 0);
    QVERIFY(!m_window->isWindowModified());
}

void TestDocuments::templateLibraryStartsWithSamplesAndOpens()
{
    const QString folder = m_files.filePath(QStringLiteral("library"));
    QSettings().setValue(QStringLiteral("templateFolder"), folder);
    newWindow();
    auto *library = child<ui::TemplateLibrary>("templateLibrary");
    QCOMPARE(library->folder(), folder);
    QCOMPARE(library->files().size(), 3); // the samples, copied on first use
    auto *list = child<QListWidget>("templateList");
    const auto items = list->findItems(QStringLiteral("orders-smoke"), Qt::MatchExactly);
    QCOMPARE(items.size(), 1);
    emit list->itemActivated(items.first());
    QTRY_COMPARE(m_window->model()->rowCount(), 4);
    QCOMPARE(m_window->document()->filePath(), folder + QStringLiteral("/orders-smoke.kbatch.json"));

    // A template saved into the folder shows up in the library.
    QFile::copy(folder + QStringLiteral("/orders-smoke.kbatch.json"), folder + QStringLiteral("/copy.kbatch.json"));
    QTRY_COMPARE(library->files().size(), 4);
}

// A version 2 template (Avro values through a Schema Registry) opened in the window: saving writes its
// serialization block back unchanged, and Send through a profile without a registry (the sandbox) refuses it at once
// instead of sending JSON text where consumers expect framed Avro (tests/registry/tst_registry_window sends such
// rows through a real registry).
void TestDocuments::registryTemplateKeepsItsSerializationAndIsNotSentAsText()
{
    const QString original = m_files.filePath(QStringLiteral("avro.kbatch.json"));
    const QString saved = m_files.filePath(QStringLiteral("saved.kbatch.json"));
    QFile f(original);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"format": "kbatch-template", "version": 2, "name": "avro", "topic": "orders",
  "serialization": {"value": {"kind": "avro", "subjectStrategy": "topicName", "version": "3"}},
  "messages": [{"key": "k-1", "value": {"json": {"id": 1}}}]})");
    f.close();
    auto tpl = core::loadTemplate(original);
    QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().message()));
    QVERIFY(tpl->serialization.usesRegistry());

    newWindow();
    ui::FileDialog::setNextFileName(original);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QTRY_COMPARE(m_window->model()->rowCount(), 1);
    ui::FileDialog::setNextFileName(saved);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();
    QVERIFY(QFile::exists(saved));
    auto back = core::loadTemplate(saved);
    QVERIFY(back.ok());
    QCOMPARE(back->serialization, tpl->serialization);
    QFile s(saved);
    QVERIFY(s.open(QIODevice::ReadOnly));
    QCOMPARE(s.readAll(), core::serializeTemplate(tpl.value()));

    const core::Status sent =
        m_window->sendController()->send(m_window->sendBar()->profile(), ui::SendController::Scope::All);
    QVERIFY(!sent.ok());
    QVERIFY2(sent.error().message().contains(QLatin1String("Schema Registry")), qPrintable(sent.error().message()));
    QVERIFY(!m_window->sendController()->isBusy());
}

QTEST_MAIN(TestDocuments)
#include "tst_documents.moc"

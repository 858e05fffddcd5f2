// The document's topic and producer settings have one owner, DocumentModel, through the real MainWindow: the send
// bar shows and edits it, DocumentController saves and loads it and marks it dirty, a send reads it. A rate limit
// keeps its fraction, and fields the bar has no widget for survive edits and a save.

#include "MainWindowFixture.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "tests/integration/KcatReader.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/DocumentModel.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace kbatch;

class TestDocument : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(Locale::EnglishUS); }
    void cleanup() { cleanupTest(); }
    void rateLimitKeepsItsFraction_data();
    void rateLimitKeepsItsFraction();
    void fieldsWithoutAWidgetSurviveEdits();
    void barAndSendFollowTheDocument();

private:
    QString writeTemplate(const core::Template &tpl, const QString &name);
    void open(const QString &path);
};

QString TestDocument::writeTemplate(const core::Template &tpl, const QString &name)
{
    const QString path = m_files.filePath(name);
    const core::Status saved = core::saveTemplate(tpl, path);
    return saved.ok() ? path : QString();
}

void TestDocument::open(const QString &path)
{
    QSignalSpy loaded(m_window->document(), &ui::DocumentController::loaded);
    m_window->document()->openFile(path);
    QVERIFY(loaded.wait(5000));
}

void TestDocument::rateLimitKeepsItsFraction_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<QString>("shown");
    QTest::newRow("half a message a second") << 0.5 << QStringLiteral("0.5 msg/s");
    QTest::newRow("the slowest rate") << core::MinRateLimit << QStringLiteral("0.001 msg/s");
    QTest::newRow("whole") << 1200.0 << QStringLiteral("1,200 msg/s");
}

void TestDocument::rateLimitKeepsItsFraction()
{
    QFETCH(double, rate);
    QFETCH(QString, shown);
    newWindow();
    core::Template tpl;
    tpl.topic = QStringLiteral("t");
    tpl.producer.rateLimit = rate;
    tpl.messages.append(core::Message{});
    open(writeTemplate(tpl, QStringLiteral("rate.kbatch.json")));

    auto *spin = child<QDoubleSpinBox>("rateSpin");
    QVERIFY(spin);
    QCOMPARE(spin->value(), rate);
    QCOMPARE(spin->text(), shown);
    QCOMPARE(m_window->documentModel()->producer().rateLimit, rate);
    QVERIFY(!m_window->isWindowModified());

    // Saved as it was, and an edit in the bar is kept to the thousandth.
    const QString again = m_files.filePath(QStringLiteral("rate-again.kbatch.json"));
    ui::FileDialog::setNextFileName(again);
    m_window->action(QStringLiteral("actionSaveAs"))->trigger();
    QCOMPARE(core::loadTemplate(again).value().producer.rateLimit, rate);
    spin->setValue(2.25);
    QCOMPARE(m_window->documentModel()->producer().rateLimit, 2.25);
    QVERIFY(m_window->isWindowModified());
    QVERIFY(child<QToolButton>("producerSettingsButton")->text().contains(QLatin1String("2.25/s")));
}

void TestDocument::fieldsWithoutAWidgetSurviveEdits()
{
    newWindow();
    core::Template tpl;
    tpl.name = QStringLiteral("Kept");
    tpl.topic = QStringLiteral("kept-topic");
    tpl.producer.batchSize = 65536;
    tpl.producer.messageTimeoutMs = 12000;
    tpl.producer.transactionalId = QStringLiteral("kbatch-kept");
    tpl.producer.lingerMs = 3;
    tpl.producer.properties = {{QStringLiteral("retries"), QStringLiteral("4")},
                               {QStringLiteral("batch.num.messages"), QStringLiteral("100")}};
    tpl.messages.append(core::Message{});
    const QString path = writeTemplate(tpl, QStringLiteral("kept.kbatch.json"));
    open(path);

    // One field edited in the bar: only that field changes.
    auto *acks = child<QComboBox>("acksCombo");
    acks->setCurrentIndex(acks->findData(QStringLiteral("1")));
    core::ProducerSettings expected = tpl.producer;
    expected.acks = QStringLiteral("1");
    QCOMPARE(m_window->documentModel()->producer(), expected);
    QVERIFY(m_window->isWindowModified());

    m_window->action(QStringLiteral("actionSave"))->trigger();
    QVERIFY(!m_window->isWindowModified());
    const core::Template saved = core::loadTemplate(path).value();
    QCOMPARE(saved.producer, expected);
    QCOMPARE(saved.name, tpl.name);
    QCOMPARE(saved.topic, tpl.topic);
}

void TestDocument::barAndSendFollowTheDocument()
{
    newWindow();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    ui::BatchTableModel *model = m_window->model();
    QVERIFY(model->setData(model->index(0, ui::BatchTableModel::Value), QStringLiteral("to the document's topic")));
    ui::FileDialog::setNextFileName(m_files.filePath(QStringLiteral("owned.kbatch.json")));
    m_window->action(QStringLiteral("actionSave"))->trigger();
    QVERIFY(!m_window->isWindowModified());

    // Set on the document (as picking a topic in Connections does): the bar shows it, the document is dirty, and
    // a send goes there.
    ui::DocumentModel *document = m_window->documentModel();
    QSignalSpy edited(document, &ui::DocumentModel::edited);
    const QString topic = QStringLiteral("document-owned-topic");
    document->setTopic(topic);
    QCOMPARE(edited.count(), 1);
    auto *combo = child<QComboBox>("topicCombo");
    QCOMPARE(combo->currentText(), topic);
    QVERIFY(m_window->isWindowModified());
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QCOMPARE(m_window->sendController()->stats().delivered, 1);
    const auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().value, std::optional<QByteArray>("to the document's topic"));

    // Typed in the bar: the document has it, trimmed, as it is typed.
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), QStringLiteral(" typed "));
    QCOMPARE(document->topic(), QStringLiteral("typed"));
    QCOMPARE(combo->currentText(), QStringLiteral(" typed ")); // what is being typed is left alone

    // Opening a template replaces the topic and settings without making the document dirty.
    core::Template tpl;
    tpl.topic = QStringLiteral("from-file");
    tpl.producer.mode = core::PublishMode::Atomic;
    tpl.messages.append(core::Message{});
    open(writeTemplate(tpl, QStringLiteral("other.kbatch.json")));
    QCOMPARE(combo->currentText(), QStringLiteral("from-file"));
    QVERIFY(child<QToolButton>("modeAtomic")->isChecked());
    QVERIFY(document->producer().mode == core::PublishMode::Atomic);
    QVERIFY(!m_window->isWindowModified());
}

QTEST_MAIN(TestDocument)
#include "tst_document.moc"

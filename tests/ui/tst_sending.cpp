// Sending from the real window to the in-process sandbox, read back with kcat: compose and send, resend failed rows,
// generator rows, the profile's connect timeout, and closing mid-batch (M9).

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
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>

using namespace kbatch;
using ui::BatchTableModel;

class TestSending : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void composeSendAndReadBackWithKcat();
    void resendFailedResendsOnlyNotWrittenRows();
    void generatorRowIsExpandedAtSend();
    void sendUsesTheProfilesConnectTimeout();
    void closingMidBatchRecordsEveryOutcome();
};

void TestSending::composeSendAndReadBackWithKcat()
{
    newWindow();
    newEmptyBatch();
    auto *view = m_window->view();
    BatchTableModel *model = m_window->model();
    view->setFocus();
    for (int i = 0; i < 3; ++i)
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QCOMPARE(model->rowCount(), 3);
    QVERIFY(model->setData(model->index(0, BatchTableModel::Key), QStringLiteral("order-1")));
    QVERIFY(model->setData(model->index(0, BatchTableModel::Value), QStringLiteral("first")));
    QVERIFY(model->setData(model->index(2, BatchTableModel::Key), QStringLiteral("order-3")));
    QVERIFY(model->setData(model->index(2, BatchTableModel::Value), QStringLiteral("third")));

    // Row 1: a header, through the detail editor.
    view->selectRow(0);
    QTest::mouseClick(child<QToolButton>("addHeaderButton"), Qt::LeftButton);
    auto *headers = child<QTableWidget>("headersTable");
    QCOMPARE(headers->rowCount(), 1);
    headers->item(0, 0)->setText(QStringLiteral("trace-id"));
    headers->item(0, 1)->setText(QStringLiteral("abc"));
    QCOMPARE(model->batch().headers(0).size(), 1);
    QCOMPARE(model->batch().headers(0).first().name, QByteArray("trace-id"));

    // Row 2: a null key (not empty), value typed in the detail editor.
    view->selectRow(1);
    QTest::mouseClick(child<QCheckBox>("keyNull"), Qt::LeftButton);
    QVERIFY(model->batch().keyIsNull(1));
    QTest::keyClicks(child<QPlainTextEdit>("valueEdit"), QStringLiteral("second"));
    QCOMPARE(model->batch().value(1), QByteArrayView("second"));
    QCOMPARE(cell(1, BatchTableModel::Key), QStringLiteral("null"));

    const QString topic = QStringLiteral("ui-compose");
    setTopic(topic);
    QTest::mouseClick(child<QPushButton>("sendButton"), Qt::LeftButton);
    QVERIFY(waitForSendToFinish());
    for (int row = 0; row < 3; ++row) {
        QTRY_COMPARE(cell(row, BatchTableModel::Status), QStringLiteral("delivered"));
        QVERIFY2(cell(row, BatchTableModel::Offset).contains(QLatin1String(" / ")), qPrintable(cell(row, 7)));
    }
    QVERIFY(child<QLabel>("statusSummary")->text().contains(QLatin1String("3 / 3 delivered")));

    const QString bootstrap = m_window->connectionService()->sandboxBootstrap();
    QVERIFY(!bootstrap.isEmpty());
    const auto records = test::kcatReadAll(bootstrap, topic);
    QCOMPARE(records.size(), 3);
    QMap<QString, test::KcatRecord> byValue;
    for (const auto &r : records)
        byValue.insert(QString::fromUtf8(r.value.value_or(QByteArray())), r);
    QCOMPARE(byValue.value(QStringLiteral("first")).key, std::optional<QByteArray>("order-1"));
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.size(), 1);
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.first().first, QByteArray("trace-id"));
    QCOMPARE(byValue.value(QStringLiteral("first")).headers.first().second, std::optional<QByteArray>("abc"));
    QCOMPARE(byValue.value(QStringLiteral("second")).key, std::nullopt);
    QCOMPARE(byValue.value(QStringLiteral("third")).key, std::optional<QByteArray>("order-3"));

    // The topic tree refreshes after the send and shows the topic with its partitions.
    QTRY_VERIFY(m_window->connectionsPanel()->topicNames().contains(topic));

    // Peek reads the three messages back; copying them into the batch is one undo step.
    ui::PeekPanel *peek = m_window->peekPanel();
    m_testers << new QAbstractItemModelTester(peek->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    peek->setTopic(topic);
    QTest::mouseClick(peek->findChild<QPushButton *>(QStringLiteral("peekButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(peek->model()->rowCount(), 3, 15000);
    peek->view()->selectAll();
    QTest::mouseClick(peek->findChild<QPushButton *>(QStringLiteral("peekCopyButton")), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 6);
    QList<QByteArray> copiedValues;
    for (int r = 3; r < 6; ++r)
        copiedValues << model->batch().value(r).toByteArray();
    std::sort(copiedValues.begin(), copiedValues.end());
    QCOMPARE(copiedValues, (QList<QByteArray>{"first", "second", "third"}));
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(model->rowCount(), 3);
}

void TestSending::resendFailedResendsOnlyNotWrittenRows()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    for (int i = 0; i < 3; ++i) {
        m_window->action(QStringLiteral("actionAddRow"))->trigger();
        QVERIFY(model->setData(model->index(i, BatchTableModel::Value), QStringLiteral("row %1").arg(i)));
    }
    // Row 1 goes to a partition the topic does not have: it fails and is not written.
    QVERIFY(model->setData(model->index(1, BatchTableModel::Partition), QStringLiteral("99")));
    const QString topic = QStringLiteral("ui-resend");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(1, BatchTableModel::Status), QStringLiteral("failed"));
    QCOMPARE(cell(0, BatchTableModel::Status), QStringLiteral("delivered"));
    QCOMPARE(cell(2, BatchTableModel::Status), QStringLiteral("delivered"));
    const QString offset0 = cell(0, BatchTableModel::Offset);

    // Pretend row 2 timed out after it was sent: possibly written, resent only when the user says so.
    core::DeliveryResult possibly;
    possibly.row = 2;
    possibly.status = core::DeliveryStatus::PossiblyWritten;
    possibly.persisted = core::Persisted::PossiblyPersisted;
    model->applyResults({possibly}, {});
    model->flushResultChanges();

    ui::MessageBox::setNextAnswer(QMessageBox::No);
    m_window->action(QStringLiteral("actionResendFailed"))->trigger();
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("1 row")));
    QCOMPARE(m_window->sendController()->stats().total, 1); // the failed row only
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(1, BatchTableModel::Status), QStringLiteral("failed"));
    QCOMPARE(cell(0, BatchTableModel::Offset), offset0);
    QCOMPARE(cell(2, BatchTableModel::Status), QStringLiteral("possibly written"));
    // Only the two rows of the first send are in the topic: neither the delivered nor the possibly written row
    // went again.
    QCOMPARE(test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size(), 2);

    // Rows are picked by state: the failed and the possibly written one.
    m_window->action(QStringLiteral("actionSelectFailed"))->trigger();
    QCOMPARE(m_window->view()->selectedRowList(), (QList<qsizetype>{1, 2}));
    m_window->action(QStringLiteral("actionSelectDelivered"))->trigger();
    QCOMPARE(m_window->view()->selectedRowList(), (QList<qsizetype>{0}));

    // Results export as the CLI's report lines, one per sent row.
    const QString report = m_files.filePath(QStringLiteral("results.jsonl"));
    ui::FileDialog::setNextFileName(report);
    m_window->action(QStringLiteral("actionExportResults"))->trigger();
    QFile exported(report);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = exported.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].contains("\"status\":\"delivered\""));
    QVERIFY(lines[1].contains("\"status\":\"failed\""));
    QVERIFY(lines[2].contains("\"status\":\"possibly_written\""));
    // With what the CLI's report has: the stored timestamp, and the error's code and name, not -1, 0 and "".
    const QJsonObject delivered = QJsonDocument::fromJson(lines[0]).object();
    QVERIFY2(delivered.value(QStringLiteral("timestamp")).toDouble() > 1.6e12, lines[0].constData());
    const QJsonObject failed = QJsonDocument::fromJson(lines[1]).object();
    const QJsonObject error = failed.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("name")).toString(), QStringLiteral("_UNKNOWN_PARTITION"));
    QVERIFY2(error.value(QStringLiteral("code")).toInt() != 0, lines[1].constData());
    QVERIFY2(error.value(QStringLiteral("message")).toString().contains(QLatin1String("partition 99")),
             lines[1].constData());

    // Answering Cancel sends nothing.
    ui::MessageBox::setNextAnswer(QMessageBox::Cancel);
    m_window->action(QStringLiteral("actionResendFailed"))->trigger();
    QVERIFY(!m_window->sendController()->isBusy());
}

void TestSending::generatorRowIsExpandedAtSend()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    core::Message generator;
    generator.key = core::Payload(QByteArray("g-{{seq}}"));
    generator.value = core::Payload(QByteArray("v"));
    generator.generate = core::GenerateSpec{10, 7};
    core::Batch rows;
    rows.append(generator);
    model->appendBatch(rows, QStringLiteral("generator"));
    const QString topic = QStringLiteral("ui-generated");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    QTRY_COMPARE(cell(0, BatchTableModel::Status), QStringLiteral("delivered"));
    QCOMPARE(m_window->sendController()->stats().total, 10);
    const auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    QCOMPARE(records.size(), 10);
    for (const auto &r : records)
        QVERIFY(r.key && r.key->startsWith("g-") && !r.key->contains("{{"));
}

void TestSending::sendUsesTheProfilesConnectTimeout()
{
    newWindow();
    ui::ProfilesDialog *dialog = m_window->openProfilesDialog();
    auto field = [dialog](const char *name) { return dialog->findChild<QLineEdit *>(QLatin1String(name)); };
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileNew")), Qt::LeftButton);
    QTest::keyClicks(field("profileName"), QStringLiteral("nobody-home"));
    QTest::keyClicks(field("profileBootstrap"), QStringLiteral("127.0.0.1:9"));
    dialog->findChild<QSpinBox *>(QStringLiteral("profileConnectTimeout"))->setValue(2);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("profileSave")), Qt::LeftButton);
    dialog->close();
    auto *profiles = child<QComboBox>("profileCombo");
    profiles->setCurrentIndex(profiles->findText(QStringLiteral("nobody-home")));
    setTopic(QStringLiteral("orders"));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QString error;
    connect(m_window->sendController(), &ui::SendController::finished, this,
            [&error](const core::JobSummary &s) { error = s.error; });
    ui::MessageBox::setNextAnswer(QMessageBox::Ok);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QTRY_VERIFY2_WITH_TIMEOUT(!error.isEmpty(), qPrintable(ui::MessageBox::lastError()), 30000);
    // The job gave up after the profile's 2 s, not the default 10 s, and says so.
    QVERIFY2(error.contains(QLatin1String("within 2000 ms")), qPrintable(error));
}

void TestSending::closingMidBatchRecordsEveryOutcome()
{
    // M9 for the window: closed while a batch is being sent, it cancels, every row gets its final outcome before
    // the window goes, the close ends within 10 s, and what the table says was delivered is what kcat reads.
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    const QString topic = QStringLiteral("ui-close");
    startSlowSend(topic, 3000, 300, "close"); // ten seconds of sending: the close comes in the middle
    QTRY_VERIFY_WITH_TIMEOUT(m_window->sendController()->stats().delivered >= 100, 15000);

    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    QElapsedTimer closing;
    closing.start();
    // No nested event loop: close() returns at once, the send still cancelling, and runs nothing queued before it
    // (a nested loop would run this timer). The window closes itself when the send has ended.
    bool ranInsideClose = false;
    QTimer::singleShot(0, this, [&ranInsideClose] { ranInsideClose = true; });
    QVERIFY(!m_window->close());
    QVERIFY(!ranInsideClose);
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->sendController()->isBusy());
    QVERIFY(ui::MessageBox::lastQuestion().contains(QLatin1String("unsaved changes")));
    ui::MessageBox::clearLast();
    m_window->close(); // a second close while it waits changes nothing, and asks nothing again
    QVERIFY(ui::MessageBox::lastQuestion().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 10000);
    QVERIFY2(closing.elapsed() < 10000, qPrintable(QString::number(closing.elapsed())));
    QVERIFY(!m_window->sendController()->isBusy());

    qsizetype delivered = 0, possibly = 0, cancelled = 0;
    for (qsizetype r = 0; r < model->results().size(); ++r) {
        const auto &res = model->results().at(r);
        QVERIFY2(res.sent() && core::isFinal(res.status()), qPrintable(QString::number(r)));
        delivered += res.status() == core::DeliveryStatus::Delivered;
        possibly += res.status() == core::DeliveryStatus::PossiblyWritten;
        cancelled += res.status() == core::DeliveryStatus::Cancelled;
    }
    QVERIFY(delivered >= 100);
    QVERIFY2(cancelled > 0, "the close came mid-batch: the unsent rows end cancelled");
    const auto inTopic = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size();
    QVERIFY2(inTopic >= delivered && inTopic <= delivered + possibly,
             qPrintable(QStringLiteral("%1 in the topic, %2 delivered, %3 possibly written")
                            .arg(inTopic)
                            .arg(delivered)
                            .arg(possibly)));
}

QTEST_MAIN(TestSending)
#include "tst_sending.moc"

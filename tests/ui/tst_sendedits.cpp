// Editing while a batch is being sent, through the real MainWindow on the in-process sandbox: a send names its rows
// by id, so rows inserted, pasted, imported or moved meanwhile keep every result on its own row (checked against what
// kcat reads back), and what would change a row the send still waits on (undo, delete, edit, Open, New) is refused
// with a message. Sends are rate-limited so that they are still running when the test edits.

#include "MainWindowFixture.h"
#include "core/kafka/SandboxCluster.h"
#include "tests/integration/KcatReader.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QLabel>
#include <QMimeData>
#include <QProgressBar>
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;

class TestSendEdits : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void rowsAddedAndMovedMidSendKeepTheirResults();
    void undoMidSendIsRefusedOnlyForRowsBeingSent();
    void openAndNewMidSendAreRefused();
    void deleteAndEditWaitForTheRowsOutcome();
    void generatorRowIsLockedFromTheMomentOfSend();
    void largeGeneratorRowStreamsItsMessages();
    void atomicSendShowsProgressBeforeItsCommit();
    void onlyDeliveredRowsHaveALatency();

private:
    // Every delivered row shows the partition and offset kcat finds its value at; rows never sent are not in the topic.
    void checkRowsAgainstTopic(const QString &topic);
    void dropFile(const QString &path);
};

void TestSendEdits::checkRowsAgainstTopic(const QString &topic)
{
    const auto records = test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic);
    QHash<QByteArray, QPair<int, qint64>> where;
    for (const auto &r : records)
        where.insert(r.value.value_or(QByteArray()), {r.partition, r.offset});
    qsizetype delivered = 0;
    for (qsizetype row = 0; row < m_window->model()->rowCount(); ++row) {
        const QByteArray value = m_window->model()->batch().value(row).toByteArray();
        const auto &result = m_window->model()->results().at(row);
        const QString what = QStringLiteral("row %1 (%2)").arg(row).arg(QString::fromUtf8(value));
        if (!result.sent()) {
            QVERIFY2(!where.contains(value), qPrintable(what + QStringLiteral(": not sent, yet in the topic")));
            continue;
        }
        QCOMPARE(result.status(), core::DeliveryStatus::Delivered);
        QVERIFY2(where.contains(value), qPrintable(what + QStringLiteral(": delivered, not in the topic")));
        QCOMPARE(qMakePair(int(result.partition), qint64(result.offset)), where.value(value));
        ++delivered;
    }
    QCOMPARE(delivered, records.size());
}

void TestSendEdits::dropFile(const QString &path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QWidget *target = m_window->view()->viewport();
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

void TestSendEdits::rowsAddedAndMovedMidSendKeepTheirResults()
{
    newWindow();
    const QString topic = QStringLiteral("mid-send-edits");
    startSlowSend(topic, 40, 20, "sent");
    QVERIFY(waitForDelivered(4));

    // Pasted under the first row: every row the send still waits on is now three rows further down.
    ui::BatchView *view = m_window->view();
    view->setFocus();
    view->selectSourceRow(0);
    view->setCurrentSourceIndex(m_window->model()->index(0, BatchTableModel::Key));
    QApplication::clipboard()->setText(QStringLiteral("{\"key\":\"p\",\"value\":\"pasted-0\"}\n"
                                                      "{\"key\":\"p\",\"value\":\"pasted-1\"}\n"
                                                      "{\"key\":\"p\",\"value\":\"pasted-2\"}\n"));
    m_window->action(QStringLiteral("actionPaste"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 43);
    QCOMPARE(m_window->model()->batch().value(1), QByteArrayView("pasted-0"));

    // Moved: a row still waiting goes to the top, the last one up, a new row is added under the current one.
    view->selectSourceRow(20);
    view->setCurrentSourceIndex(m_window->model()->index(20, BatchTableModel::Key));
    for (int i = 0; i < 20; ++i)
        m_window->action(QStringLiteral("actionMoveUp"))->trigger();
    QCOMPARE(m_window->model()->batch().value(0), QByteArrayView("sent-17"));
    view->setCurrentSourceIndex(m_window->model()->index(42, BatchTableModel::Key));
    m_window->action(QStringLiteral("actionMoveUp"))->trigger();
    QCOMPARE(m_window->model()->batch().value(41), QByteArrayView("sent-39"));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 44);

    // Imported by a drop: appended, not sent.
    const QString path = m_files.filePath(QStringLiteral("more.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"key\":\"i\",\"value\":\"imported-0\"}\n{\"key\":\"i\",\"value\":\"imported-1\"}\n");
    file.close();
    dropFile(path);
    QTRY_COMPARE(m_window->model()->rowCount(), 46);
    QVERIFY(m_window->sendController()->isBusy()); // all of it while the send ran

    QVERIFY(waitForSendToFinish());
    QCOMPARE(m_window->sendController()->stats().delivered, 40);
    checkRowsAgainstTopic(topic);
}

void TestSendEdits::undoMidSendIsRefusedOnlyForRowsBeingSent()
{
    newWindow();
    core::Batch one;
    core::Message m;
    m.value = core::Payload(QByteArray("before"));
    one.append(m);
    m_window->model()->appendBatch(one, QStringLiteral("row"));
    QVERIFY(m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Value), QStringLiteral("edited")));
    const QString topic = QStringLiteral("mid-send-undo");
    startSlowSend(topic, 30, 15, "undo"); // rows 1..30, one undo step

    // Taking back the last step would remove rows the send holds: refused, and said why.
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 31);
    QVERIFY2(statusSummary().contains(QLatin1String("Row 2 is being sent")), qPrintable(statusSummary()));

    // A row added meanwhile is not being sent: its undo and redo go through.
    QVERIFY(waitForDelivered(2));
    m_window->view()->setCurrentSourceIndex(m_window->model()->index(30, BatchTableModel::Key));
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 32);
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 31);
    m_window->action(QStringLiteral("actionRedo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 32);
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    // The edit under it still waits.
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 31);
    QVERIFY(m_window->sendController()->isBusy());

    QVERIFY(waitForSendToFinish());
    checkRowsAgainstTopic(topic);
    // With the send over, every step can be taken back.
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 1);
    m_window->action(QStringLiteral("actionUndo"))->trigger();
    QCOMPARE(m_window->model()->batch().value(0), QByteArrayView("before"));
}

void TestSendEdits::openAndNewMidSendAreRefused()
{
    newWindow();
    const QString topic = QStringLiteral("mid-send-open");
    startSlowSend(topic, 30, 15, "open");
    ui::FileDialog::setNextFileName(QStringLiteral(KBATCH_SOURCE_DIR "/resources/templates/orders-smoke.kbatch.json"));
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionOpen"))->trigger();
    QVERIFY2(ui::MessageBox::lastError().contains(QLatin1String("A send is running")),
             qPrintable(ui::MessageBox::lastError()));
    ui::MessageBox::clearLast();
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QVERIFY(ui::MessageBox::lastError().contains(QLatin1String("A send is running")));
    QVERIFY(ui::MessageBox::hasNextAnswer()); // nothing was asked: no "save changes?" for a refused step
    ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
    QTest::qWait(300); // an Open would read the file on a worker thread and replace the rows when done
    QCOMPARE(m_window->model()->rowCount(), 30);
    QCOMPARE(m_window->model()->batch().value(29), QByteArrayView("open-29"));
    ui::FileDialog::openFileName(nullptr, {}, {}, {}); // the answer prepared for an Open that never asked

    QVERIFY(waitForSendToFinish());
    checkRowsAgainstTopic(topic);
    QCOMPARE(m_window->sendController()->stats().delivered, 30);
}

void TestSendEdits::deleteAndEditWaitForTheRowsOutcome()
{
    newWindow();
    const QString topic = QStringLiteral("mid-send-delete");
    startSlowSend(topic, 30, 10, "delete");
    QVERIFY(waitForDelivered(3));
    ui::BatchView *view = m_window->view();
    view->setFocus();

    // The last row is still waiting: it cannot be deleted or changed, in the table or the detail editor.
    view->selectSourceRow(29);
    view->setCurrentSourceIndex(m_window->model()->index(29, BatchTableModel::Key));
    QVERIFY(!m_window->detailPanel()->isEnabled());
    m_window->action(QStringLiteral("actionDelete"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 30);
    QVERIFY2(statusSummary().contains(QLatin1String("Row 30 is being sent")), qPrintable(statusSummary()));
    QVERIFY(!(m_window->model()->flags(m_window->model()->index(29, BatchTableModel::Value)) & Qt::ItemIsEditable));
    QVERIFY(
        !m_window->model()->setData(m_window->model()->index(29, BatchTableModel::Value), QStringLiteral("changed")));

    // The first row has its outcome: it can be edited and deleted while the rest is sent.
    view->selectSourceRow(0);
    view->setCurrentSourceIndex(m_window->model()->index(0, BatchTableModel::Key));
    QCOMPARE(m_window->model()->results().at(0).status(), core::DeliveryStatus::Delivered);
    QVERIFY(m_window->detailPanel()->isEnabled());
    m_window->action(QStringLiteral("actionDelete"))->trigger();
    QCOMPARE(m_window->model()->rowCount(), 29);
    QCOMPARE(m_window->model()->batch().value(0), QByteArrayView("delete-1"));
    QVERIFY(m_window->sendController()->isBusy());

    QVERIFY(waitForSendToFinish());
    QCOMPARE(m_window->sendController()->stats().delivered, 30);
    QVERIFY(
        m_window->model()->setData(m_window->model()->index(28, BatchTableModel::Value), QStringLiteral("changed")));
}

void TestSendEdits::generatorRowIsLockedFromTheMomentOfSend()
{
    // The lock starts when Send is pressed, not once generator rows are expanded, and a generator row stays locked
    // until the last of its messages has its outcome.
    newWindow();
    core::Message generator;
    generator.key = core::Payload(QByteArray("g-{{seq}}"));
    generator.value = core::Payload(QByteArray("v-{{uuid}}"));
    generator.generate = core::GenerateSpec{60, 7};
    core::Batch rows;
    rows.append(generator);
    m_window->model()->appendBatch(rows, QStringLiteral("generator"));
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.rateLimit = 30;
    m_window->sendBar()->setSettings(settings);
    setTopic(QStringLiteral("mid-send-generator"));
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(!m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Key), QStringLiteral("changed")));

    QVERIFY(waitForDelivered(5));
    QVERIFY(m_window->sendController()->stats().delivered < 60);
    QCOMPARE(m_window->model()->results().at(0).status(),
             core::DeliveryStatus::Delivered); // the first outcomes are shown
    QVERIFY(!m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Key), QStringLiteral("changed")));
    QVERIFY(waitForSendToFinish());
    QCOMPARE(m_window->sendController()->stats().delivered, 60);
    QVERIFY(m_window->model()->setData(m_window->model()->index(0, BatchTableModel::Key), QStringLiteral("changed")));
}

void TestSendEdits::largeGeneratorRowStreamsItsMessages()
{
    // More messages than one piece: expanded as they are sent (core::JobFeeder), every one counted and written.
    newWindow();
    core::Message generator;
    generator.key = core::Payload(QByteArray("big-{{seq}}"));
    generator.value = core::Payload(QByteArray("0123456789-{{seq}}"));
    generator.generate = core::GenerateSpec{20000, 3};
    core::Batch rows;
    rows.append(generator);
    m_window->model()->appendBatch(rows, QStringLiteral("generator"));
    const QString topic = QStringLiteral("mid-send-large-generator");
    setTopic(topic);
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QCOMPARE(m_window->sendController()->stats().total, 20000);
    QVERIFY(waitForSendToFinish());
    const ui::SendStats stats = m_window->sendController()->stats();
    QCOMPARE(stats.delivered, 20000);
    QVERIFY(stats.megabytesPerSecond > 0);
    QCOMPARE(m_window->model()->results().at(0).status(), core::DeliveryStatus::Delivered);
    QCOMPARE(test::kcatReadAll(m_window->connectionService()->sandboxBootstrap(), topic).size(), 20000);
}

void TestSendEdits::atomicSendShowsProgressBeforeItsCommit()
{
    // In one transaction no row has its outcome before the commit: the status bar counts what the broker
    // acknowledged and the rows handed over say "in transaction" meanwhile.
    newWindow();
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.mode = core::PublishMode::Atomic;
    m_window->sendBar()->setSettings(settings);
    const QString topic = QStringLiteral("mid-send-atomic");
    startSlowSend(topic, 60, 30, "atomic");
    QVERIFY(QTest::qWaitFor([this] { return m_window->sendController()->stats().acknowledged >= 10; }, 20000));
    const ui::SendStats stats = m_window->sendController()->stats();
    QVERIFY(stats.running && stats.atomic);
    QCOMPARE(stats.done(), 0);
    QTRY_VERIFY2(statusSummary().contains(QLatin1String("acknowledged, not committed yet")),
                 qPrintable(statusSummary()));
    auto *progress = child<QProgressBar>("sendProgress");
    QVERIFY(progress->isVisible());
    QTRY_VERIFY(progress->value() >= 10);
    QTRY_COMPARE(m_window->model()->data(m_window->model()->index(0, BatchTableModel::Status)).toString(),
                 QStringLiteral("in transaction"));
    QCOMPARE(m_window->model()->data(m_window->model()->index(59, BatchTableModel::Status)).toString(),
             QStringLiteral("pending"));
    QVERIFY(m_window->model()->isRowLocked(0));

    QVERIFY(waitForSendToFinish());
    QCOMPARE(m_window->sendController()->stats().delivered, 60);
    QTRY_VERIFY2(statusSummary().startsWith(QLatin1String("60 / 60 delivered")), qPrintable(statusSummary()));
    QCOMPARE(m_window->model()->data(m_window->model()->index(0, BatchTableModel::Status)).toString(),
             QStringLiteral("delivered"));
    checkRowsAgainstTopic(topic);
}

void TestSendEdits::onlyDeliveredRowsHaveALatency()
{
    // Rows answered after message.timeout.ms end possibly written, having waited that long: their wait is no
    // delivery latency, neither in their row nor in p50/p99.
    newWindow();
    auto sandbox = m_window->connectionService()->sandbox();
    QVERIFY(sandbox.ok());
    const QString topic = QStringLiteral("latency-of-delivered");
    QVERIFY((*sandbox)->createTopic(topic, 1).ok());
    core::ProducerSettings settings = m_window->sendBar()->settings();
    settings.messageTimeoutMs = 1500;
    settings.lingerMs = 0;
    m_window->sendBar()->setSettings(settings);
    appendRows(4, "latency");
    setTopic(topic);
    QVERIFY((*sandbox)->delayResponses(1, QStringLiteral("produce"), 1, 4000).ok());
    m_window->action(QStringLiteral("actionSend"))->trigger();
    QVERIFY(waitForSendToFinish());
    const ui::SendStats stats = m_window->sendController()->stats();
    QVERIFY2(stats.possiblyWritten + stats.failed >= 1, "the delayed answer times the first rows out");
    int withLatency = 0;
    for (int row = 0; row < 4; ++row) {
        const QString latency =
            m_window->model()->data(m_window->model()->index(row, BatchTableModel::Latency)).toString();
        if (m_window->model()->results().at(row).status() == core::DeliveryStatus::Delivered) {
            QVERIFY2(!latency.isEmpty(), qPrintable(QString::number(row)));
            ++withLatency;
        } else {
            QVERIFY2(latency.isEmpty(), qPrintable(QStringLiteral("row %1: %2 ms").arg(row).arg(latency)));
        }
    }
    // The delivered ones were quick; had the timed-out ones counted, p99 would be about 1,500 ms.
    if (withLatency > 0)
        QVERIFY2(stats.p99Ms >= 0 && stats.p99Ms < 1000, qPrintable(QString::number(stats.p99Ms)));
    else
        QCOMPARE(stats.p99Ms, -1.0);
    QVERIFY(!child<QLabel>("statusRates")->text().contains(QLatin1String("1,5")));
}

QTEST_MAIN(TestSendEdits)
#include "tst_sendedits.moc"

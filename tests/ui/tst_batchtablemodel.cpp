// BatchTableModel on its own: structure, display rules, undo of every kind of edit and coalesced result updates.

#include "core/send/JobSources.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/StateFilterModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace kbatch::core;
using kbatch::ui::BatchTableModel;
using kbatch::ui::StateFilterModel;

namespace {
Message textMessage(const QByteArray &key, const QByteArray &value)
{
    Message m;
    m.key = Payload(key);
    m.value = Payload(value);
    return m;
}

Batch rows(int count, const QByteArray &prefix = "k")
{
    Batch b;
    for (int i = 0; i < count; ++i)
        b.append(textMessage(prefix + QByteArray::number(i), "v" + QByteArray::number(i)));
    return b;
}

QString cell(const BatchTableModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}
} // namespace

class TestBatchTableModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void displayRules();
    void nullKeyIsNotEmpty();
    void longValueIsElidedWithFullTooltip();
    void editThroughSetDataIsUndoable();
    void insertRemoveDuplicateMoveUndo();
    void removeNonContiguousUndoRestoresOrder();
    void resultsAreCoalescedIntoOneDataChanged();
    void resultsMapThroughSourceRows();
    void editingARowClearsItsResult();
    void rowsBeingSentAreLockedTheRestGoesOn();
    void undoThatWouldChangeASentRowIsRefused();
    void copyAsTsvAndJsonLines();
    void millionRows();
    void stateFilterShowsOnlyRowsInThatState();
    void sendingAllMarksEveryRowPendingAndForgetsOldOutcomes();
    void stateFilterOverAMillionRows();

private:
    BatchTableModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void TestBatchTableModel::init()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_model = new BatchTableModel(this);
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestBatchTableModel::cleanup()
{
    delete m_tester;
    delete m_model;
}

void TestBatchTableModel::displayRules()
{
    Batch b;
    Message m = textMessage("order-1", "{\"id\":1}");
    m.value.encoding = Encoding::Json;
    m.headers = {{"trace-id", Payload("a")}, {"trace-id", Payload("b")}, {"type", Payload()}};
    m.partition = 2;
    b.append(m);
    m_model->resetBatch(b);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->columnCount(), int(BatchTableModel::ColumnCount));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Key), QStringLiteral("order-1"));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Headers), QStringLiteral("3 · trace-id, type"));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Partition), QStringLiteral("2"));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Timestamp), QStringLiteral("auto"));
    QVERIFY(m_model->data(m_model->index(0, BatchTableModel::Key), Qt::FontRole).value<QFont>().fixedPitch() ||
            m_model->data(m_model->index(0, BatchTableModel::Key), Qt::FontRole).value<QFont>().styleHint() ==
                QFont::Monospace);
    const auto align =
        m_model->data(m_model->index(0, BatchTableModel::Partition), Qt::TextAlignmentRole).value<Qt::Alignment>();
    QVERIFY(align & Qt::AlignRight);
    QVERIFY(cell(*m_model, 0, BatchTableModel::Status).isEmpty());

    DeliveryResult r;
    r.row = 0;
    r.status = DeliveryStatus::Delivered;
    r.persisted = Persisted::Persisted;
    r.partition = 2;
    r.offset = 1234567;
    r.latencyUs = 1250;
    m_model->applyResults({r}, {});
    m_model->flushResultChanges();
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Status), QStringLiteral("delivered"));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Offset), QStringLiteral("2 / 1,234,567"));
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Latency), QStringLiteral("1.3"));
    QVERIFY(!m_model->data(m_model->index(0, BatchTableModel::Status), Qt::DecorationRole).value<QIcon>().isNull());

    // A generator row says how many messages it stands for; editing still sees the template text alone.
    Message g = textMessage("user-{{seq}}", "{{uuid}}");
    g.generate = GenerateSpec{1000, 7};
    Batch withGenerator;
    withGenerator.append(g);
    m_model->resetBatch(withGenerator);
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Value), QStringLiteral("×1,000 · {{uuid}}"));
    QVERIFY(m_model->data(m_model->index(0, BatchTableModel::Value), Qt::ToolTipRole)
                .toString()
                .startsWith(QLatin1String("Generates 1,000 messages")));
    QCOMPARE(m_model->data(m_model->index(0, BatchTableModel::Value), Qt::EditRole).toString(),
             QStringLiteral("{{uuid}}"));
}

void TestBatchTableModel::nullKeyIsNotEmpty()
{
    Batch b;
    Message nullKey = textMessage("", "x");
    nullKey.key = Payload::null();
    b.append(nullKey);
    b.append(textMessage("", "y"));
    m_model->resetBatch(b);
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Key), QStringLiteral("null"));
    QCOMPARE(cell(*m_model, 1, BatchTableModel::Key), QString());
}

void TestBatchTableModel::longValueIsElidedWithFullTooltip()
{
    Batch b;
    b.append(textMessage("k", QByteArray(10000, 'x')));
    m_model->resetBatch(b);
    QVERIFY(cell(*m_model, 0, BatchTableModel::Value).size() < 1000);
    QVERIFY(cell(*m_model, 0, BatchTableModel::Value, Qt::ToolTipRole).size() >
            cell(*m_model, 0, BatchTableModel::Value).size());
    QCOMPARE(cell(*m_model, 0, BatchTableModel::Value, Qt::EditRole).size(), 10000);
}

void TestBatchTableModel::editThroughSetDataIsUndoable()
{
    m_model->resetBatch(rows(3));
    QVERIFY(m_model->setData(m_model->index(1, BatchTableModel::Key), QStringLiteral("edited")));
    QVERIFY(m_model->setData(m_model->index(1, BatchTableModel::Partition), QStringLiteral("3")));
    QVERIFY(!m_model->setData(m_model->index(1, BatchTableModel::Partition), QStringLiteral("-1")));
    QCOMPARE(m_model->undoStack()->count(), 2);
    QCOMPARE(m_model->batch().key(1), QByteArrayView("edited"));
    QCOMPARE(m_model->batch().partition(1), std::optional<std::int32_t>(3));
    m_model->undoStack()->undo();
    m_model->undoStack()->undo();
    QCOMPARE(m_model->batch().key(1), QByteArrayView("k1"));
    QCOMPARE(m_model->batch().partition(1), std::nullopt);
    m_model->undoStack()->redo();
    QCOMPARE(m_model->batch().key(1), QByteArrayView("edited"));
}

void TestBatchTableModel::insertRemoveDuplicateMoveUndo()
{
    m_model->resetBatch(rows(3));
    const Batch original = m_model->batch();
    m_model->insertBatch(1, rows(2, "new"), QStringLiteral("Insert"));
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(m_model->batch().key(1), QByteArrayView("new0"));
    m_model->duplicateRowList({0});
    QCOMPARE(m_model->rowCount(), 6);
    QCOMPARE(m_model->batch().key(1), QByteArrayView("k0"));
    m_model->moveRowTo(0, 5);
    QCOMPARE(m_model->batch().key(5), QByteArrayView("k0"));
    m_model->moveRowTo(5, 0);
    m_model->removeRowList({0, 1});
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(m_model->undoStack()->count(), 5);
    while (m_model->undoStack()->canUndo())
        m_model->undoStack()->undo();
    QCOMPARE(m_model->batch(), original);
    while (m_model->undoStack()->canRedo())
        m_model->undoStack()->redo();
    QCOMPARE(m_model->rowCount(), 4);
}

void TestBatchTableModel::removeNonContiguousUndoRestoresOrder()
{
    m_model->resetBatch(rows(10));
    const Batch original = m_model->batch();
    m_model->removeRowList({7, 1, 2, 9, 4});
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(m_model->batch().key(0), QByteArrayView("k0"));
    QCOMPARE(m_model->batch().key(1), QByteArrayView("k3"));
    m_model->undoStack()->undo();
    QCOMPARE(m_model->batch(), original);
}

void TestBatchTableModel::resultsAreCoalescedIntoOneDataChanged()
{
    m_model->resetBatch(rows(1000));
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    for (int chunk = 0; chunk < 10; ++chunk) {
        DeliveryResults results;
        for (int i = chunk * 100; i < chunk * 100 + 100; ++i) {
            DeliveryResult r;
            r.row = i;
            r.status = DeliveryStatus::Delivered;
            r.partition = i % 4;
            r.offset = i;
            results.append(r);
        }
        m_model->applyResults(results, {});
    }
    QCOMPARE(changed.count(), 0); // nothing until the timer fires
    QTRY_COMPARE(changed.count(), 1);
    const auto topLeft = changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 0);
    QCOMPARE(bottomRight.row(), 999);
    QCOMPARE(cell(*m_model, 999, BatchTableModel::Status), QStringLiteral("delivered"));
}

void TestBatchTableModel::resultsMapThroughSourceRows()
{
    m_model->resetBatch(rows(5));
    DeliveryResult r;
    r.row = 1; // job row 1 is editor row 4
    r.status = DeliveryStatus::Failed;
    r.errorName = QStringLiteral("UNKNOWN_PARTITION");
    r.errorText = QStringLiteral("Local: Unknown partition");
    m_model->applyResults({r}, {2, 4});
    m_model->flushResultChanges();
    QCOMPARE(cell(*m_model, 4, BatchTableModel::Status), QStringLiteral("failed"));
    QVERIFY(cell(*m_model, 4, BatchTableModel::ErrorText).contains(QStringLiteral("Unknown partition")));
    QVERIFY(cell(*m_model, 2, BatchTableModel::Status).isEmpty());
}

void TestBatchTableModel::editingARowClearsItsResult()
{
    m_model->resetBatch(rows(2));
    DeliveryResult r;
    r.row = 0;
    r.status = DeliveryStatus::Delivered;
    r.offset = 5;
    r.partition = 0;
    m_model->applyResults({r}, {});
    m_model->flushResultChanges();
    QVERIFY(m_model->setData(m_model->index(0, BatchTableModel::Value), QStringLiteral("changed")));
    QVERIFY(cell(*m_model, 0, BatchTableModel::Status).isEmpty());
}

void TestBatchTableModel::rowsBeingSentAreLockedTheRestGoesOn()
{
    // A send names its rows by id: rows may be inserted and moved meanwhile, and results still land on their rows.
    // Only what the send still waits on is locked.
    m_model->resetBatch(rows(3));
    QSignalSpy refused(m_model, &BatchTableModel::editRefused);
    QSignalSpy sending(m_model, &BatchTableModel::sendingChanged);
    JobSources sources; // the job takes rows 0 and 1, as core::prepareBatchRows maps them
    sources.append(m_model->rowId(0));
    sources.append(m_model->rowId(1));
    m_model->beginSend({0, 1});
    QCOMPARE(sending.count(), 1);
    QVERIFY(m_model->isRowLocked(0) && m_model->isRowLocked(1) && !m_model->isRowLocked(2));

    m_model->removeRowList({2, 0});
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(refused.count(), 1);
    QVERIFY(refused.last().at(0).toString().startsWith(QLatin1String("Row 1 is being sent")));
    QVERIFY(!(m_model->flags(m_model->index(0, BatchTableModel::Key)) & Qt::ItemIsEditable));
    QVERIFY(!m_model->setData(m_model->index(1, BatchTableModel::Value), QStringLiteral("changed")));
    QVERIFY(m_model->flags(m_model->index(2, BatchTableModel::Key)) & Qt::ItemIsEditable);
    QVERIFY(m_model->setData(m_model->index(2, BatchTableModel::Value), QStringLiteral("not sent, free")));
    QVERIFY(!m_model->resetBatch(rows(1)));
    QCOMPARE(m_model->rowCount(), 3);

    // A row inserted on top and a move: the sent rows are now rows 2 and 0.
    m_model->insertBatch(0, rows(1, "new"), QStringLiteral("insert"));
    m_model->moveRowTo(2, 0);
    QCOMPARE(m_model->batch().key(0), QByteArrayView("k1"));
    QCOMPARE(m_model->batch().key(2), QByteArrayView("k0"));
    DeliveryResult delivered;
    delivered.row = 0; // job row 0: "k0"
    delivered.status = DeliveryStatus::Delivered;
    delivered.offset = 41;
    DeliveryResult failed;
    failed.row = 1; // job row 1: "k1"
    failed.status = DeliveryStatus::Failed;
    failed.errorText = QStringLiteral("no");
    m_model->applyJobResults({delivered}, sources);
    QCOMPARE(m_model->results().at(2).status(), DeliveryStatus::Delivered);
    QCOMPARE(m_model->results().at(2).offset, 41);
    QVERIFY(!m_model->results().at(1).sent()); // the inserted row
    // Its outcome is in: row 2 may be changed again; row 0 still waits.
    QVERIFY(!m_model->isRowLocked(2) && m_model->isRowLocked(0));
    m_model->applyJobResults({failed}, sources);
    QCOMPARE(m_model->results().at(0).status(), DeliveryStatus::Failed);
    m_model->endSend();
    QCOMPARE(sending.count(), 2);
    QVERIFY(!m_model->isRowLocked(0));
    QVERIFY(m_model->flags(m_model->index(0, BatchTableModel::Key)) & Qt::ItemIsEditable);
}

void TestBatchTableModel::undoThatWouldChangeASentRowIsRefused()
{
    m_model->resetBatch(rows(2));
    QVERIFY(m_model->setData(m_model->index(0, BatchTableModel::Value), QStringLiteral("edited")));
    m_model->beginSend({});
    QSignalSpy refused(m_model, &BatchTableModel::editRefused);
    // The edit of row 0 cannot be taken back while row 0 is being sent...
    QVERIFY(!m_model->undo());
    QCOMPARE(refused.count(), 1);
    QCOMPARE(m_model->batch().value(0), QByteArrayView("edited"));
    // ...but rows added meanwhile can be taken back and brought back.
    m_model->insertBatch(2, rows(1, "new"), QStringLiteral("insert"));
    QVERIFY(m_model->undo());
    QCOMPARE(m_model->rowCount(), 2);
    QVERIFY(m_model->redo());
    QCOMPARE(m_model->rowCount(), 3);
    QVERIFY(m_model->undo());
    QVERIFY(!m_model->undo());
    m_model->endSend();
    QVERIFY(m_model->undo());
    QCOMPARE(m_model->batch().value(0), QByteArrayView("v0"));
}

void TestBatchTableModel::copyAsTsvAndJsonLines()
{
    Batch b;
    Message m = textMessage("a\tb", "x");
    m.headers = {{"h", Payload("1")}};
    m.partition = 1;
    b.append(m);
    Message n = textMessage("", "y");
    n.key = Payload::null();
    b.append(n);
    m_model->resetBatch(b);
    QCOMPARE(m_model->tsv({0, 1}),
             QStringLiteral("key\tvalue\theaders\tpartition\ttimestamp\n\"a\tb\"\tx\t\"[[\"\"h\"\",\"\"1\"\"]]\"\t1\t\n"
                            "\ty\t\t\t\n"));
    QCOMPARE(m_model->jsonLines({1}), QByteArray("{\"key\":null,\"value\":\"y\"}\n"));
}

void TestBatchTableModel::millionRows()
{
    // Structure only (no timing): a million rows load, results apply in one coalesced signal, cells render.
    Batch b;
    b.reserve(1000000, 20000000);
    for (int i = 0; i < 1000000; ++i)
        b.append(textMessage("key-" + QByteArray::number(i), "value"));
    delete m_tester; // the tester walks every row on reset; not the point here
    m_tester = nullptr;
    m_model->resetBatch(std::move(b));
    QCOMPARE(m_model->rowCount(), 1000000);
    DeliveryResults results;
    results.reserve(1000000);
    for (int i = 0; i < 1000000; ++i) {
        DeliveryResult r;
        r.row = i;
        r.status = DeliveryStatus::Delivered;
        r.offset = i;
        r.partition = 0;
        results.append(r);
    }
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    m_model->applyResults(results, {});
    m_model->flushResultChanges();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(cell(*m_model, 999999, BatchTableModel::Offset), QStringLiteral("0 / 999,999"));
    QCOMPARE(m_model->headerData(999999, Qt::Vertical).toString(), QStringLiteral("1,000,000"));
}

namespace {
DeliveryResult result(int row, DeliveryStatus status)
{
    DeliveryResult r;
    r.row = row;
    r.status = status;
    r.partition = 0;
    r.offset = row;
    return r;
}
} // namespace

void TestBatchTableModel::stateFilterShowsOnlyRowsInThatState()
{
    m_model->resetBatch(rows(10));
    StateFilterModel filter;
    filter.setBatchModel(m_model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(filter.rowCount(), 10); // "all": the rows as they are
    m_model->applyResults({result(1, DeliveryStatus::Delivered), result(3, DeliveryStatus::Delivered),
                           result(5, DeliveryStatus::Failed), result(6, DeliveryStatus::PossiblyWritten)},
                          {});
    m_model->flushResultChanges();

    const QPersistentModelIndex third(filter.index(3, BatchTableModel::Key));
    filter.setFilter(StateFilterModel::Delivered);
    QCOMPARE(filter.rowCount(), 2);
    QCOMPARE(filter.data(filter.index(0, BatchTableModel::Key)).toString(), QStringLiteral("k1"));
    QCOMPARE(filter.data(filter.index(1, BatchTableModel::Key)).toString(), QStringLiteral("k3"));
    QCOMPARE(filter.headerData(1, Qt::Vertical).toString(), QStringLiteral("4")); // the row's own number
    QCOMPARE(third.row(), 1);                                                     // followed its source row
    filter.setFilter(StateFilterModel::Failed);
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.sourceRow(0), 5);
    QVERIFY(!third.isValid()); // filtered out
    filter.setFilter(StateFilterModel::PossiblyWritten);
    QCOMPARE(filter.sourceRow(0), 6);
    filter.setFilter(StateFilterModel::Pending);
    QCOMPARE(filter.rowCount(), 6); // never sent
    QCOMPARE(filter.proxyRow(5), -1);

    // Edits go through to the batch; structure changes keep the mapping right.
    filter.setFilter(StateFilterModel::Delivered);
    QVERIFY(filter.setData(filter.index(1, BatchTableModel::Key), QStringLiteral("edited")));
    QCOMPARE(m_model->batch().key(3), QByteArrayView("edited"));
    // An edit clears the row's result: the row leaves the filter on the next coalesced rebuild.
    QTRY_COMPARE(filter.rowCount(), 1);
    m_model->insertBatch(0, rows(2, "new"), QStringLiteral("insert"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.sourceRow(0), 3); // k1 moved down by two
    m_model->removeRowList({0, 1});
    QCOMPARE(filter.sourceRow(0), 1);

    // Results arriving move rows in, coalesced.
    m_model->applyResults({result(8, DeliveryStatus::Delivered), result(9, DeliveryStatus::Delivered)}, {});
    m_model->flushResultChanges();
    QTRY_COMPARE(filter.rowCount(), 3);
    QCOMPARE(filter.sourceRow(2), 9);
    m_model->resetBatch(rows(4));
    QCOMPARE(filter.rowCount(), 0);
    filter.setFilter(StateFilterModel::All);
    QCOMPARE(filter.rowCount(), 4);
}

void TestBatchTableModel::sendingAllMarksEveryRowPendingAndForgetsOldOutcomes()
{
    m_model->resetBatch(rows(5));
    DeliveryResult failed = result(2, DeliveryStatus::Failed);
    failed.errorName = QStringLiteral("MSG_TIMED_OUT");
    failed.errorText = QStringLiteral("timed out");
    m_model->applyResults({result(0, DeliveryStatus::Delivered), failed}, {});
    m_model->flushResultChanges();
    QCOMPARE(m_model->data(m_model->index(2, BatchTableModel::ErrorText)).toString(),
             QStringLiteral("MSG_TIMED_OUT: timed out"));

    m_model->markPending({}); // Send all
    for (int r = 0; r < 5; ++r) {
        QCOMPARE(m_model->data(m_model->index(r, BatchTableModel::Status), BatchTableModel::StatusRole).toInt(),
                 int(DeliveryStatus::Pending));
        QVERIFY(m_model->data(m_model->index(r, BatchTableModel::ErrorText)).toString().isEmpty());
        QVERIFY(m_model->data(m_model->index(r, BatchTableModel::Offset)).toString().isEmpty());
    }
    // The next outcome of the same row starts from a clean record.
    DeliveryResult again = result(2, DeliveryStatus::Delivered);
    m_model->applyResults({again}, {});
    m_model->flushResultChanges();
    QCOMPARE(m_model->data(m_model->index(2, BatchTableModel::Status), BatchTableModel::StatusRole).toInt(),
             int(DeliveryStatus::Delivered));
    QVERIFY(m_model->data(m_model->index(2, BatchTableModel::ErrorText)).toString().isEmpty());
}

void TestBatchTableModel::stateFilterOverAMillionRows()
{
    Batch b;
    b.reserve(1000000, 20000000);
    for (int i = 0; i < 1000000; ++i)
        b.append(textMessage("key-" + QByteArray::number(i), "value"));
    delete m_tester; // the tester walks every row on reset
    m_tester = nullptr;
    m_model->resetBatch(std::move(b));
    DeliveryResults results;
    results.reserve(1000000);
    for (int i = 0; i < 1000000; ++i)
        results.append(result(i, i % 10 == 0 ? DeliveryStatus::Failed : DeliveryStatus::Delivered));
    StateFilterModel filter;
    filter.setBatchModel(m_model);
    m_model->applyResults(results, {});
    m_model->flushResultChanges();
    // Correctness at full size only: how fast the switch is belongs in bench/gui, not in a test.
    filter.setFilter(StateFilterModel::Failed);
    QCOMPARE(filter.rowCount(), 100000);
    QCOMPARE(filter.sourceRow(0), 0);
    QCOMPARE(filter.sourceRow(99999), 999990);
    filter.setFilter(StateFilterModel::All);
    QCOMPARE(filter.rowCount(), 1000000);
    QCOMPARE(filter.sourceRow(123456), 123456);
}

QTEST_MAIN(TestBatchTableModel)
#include "tst_batchtablemodel.moc"

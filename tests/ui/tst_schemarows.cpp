// Rows checked against a schema as they are typed (RowChecker), marked in the table and explained in the detail
// panel (SchemaSection), with no registry: the codec is compiled from a local schema (core::compilePayloadCodec), as
// a registry would have served it. The same widgets against the real registry: tests/registry/tst_registry_rows.

#include "core/schema/PayloadCodec.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/schema/RowChecker.h"
#include "ui/schema/SchemaContext.h"
#include "ui/schema/SchemaSection.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUndoStack>

using namespace kbatch;
using core::PayloadPart;
using ui::BatchTableModel;

namespace {
const QByteArray OrderSchema = R"({"type":"record","name":"Order","namespace":"com.example","fields":[
  {"name":"id","type":"string"},
  {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
     {"name":"sku","type":"string"},{"name":"qty","type":"int"}]}}},
  {"name":"note","type":["null","string"],"default":null}]})";

const QByteArray Good = R"({"id":"o-1","items":[{"sku":"a","qty":1},{"sku":"b","qty":2}],"note":null})";
const QByteArray BadQty = R"({"id":"o-1","items":[{"sku":"a","qty":1},{"sku":"b","qty":"two"}],"note":null})";

core::ResolvedCodec orderCodec(int id = 42)
{
    core::ResolvedSchema schema;
    schema.schema.id = id;
    schema.schema.subject = QStringLiteral("orders-value");
    schema.schema.version = 3;
    schema.schema.text = OrderSchema;
    auto codec = core::compilePayloadCodec(schema);
    if (!codec)
        qFatal("the test schema does not compile: %s", qPrintable(codec.error().message()));
    return {schema.schema, codec.value()};
}

core::Message jsonRow(const QByteArray &value)
{
    core::Message m;
    m.key = core::Payload(QByteArray("k"));
    m.value = core::Payload(value, core::Encoding::Json);
    return m;
}

core::Batch jsonRows(int count, const QByteArray &value = Good)
{
    core::Batch b;
    for (int i = 0; i < count; ++i)
        b.append(jsonRow(value));
    return b;
}

QString cell(const BatchTableModel &m, int row, int column, int role)
{
    return m.data(m.index(row, column), role).toString();
}
bool marked(const BatchTableModel &m, int row)
{
    return !m.data(m.index(row, BatchTableModel::Value), Qt::DecorationRole).isNull();
}
} // namespace

class TestSchemaRows : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void check_data();
    void check();
    void typingAnInvalidFieldMarksOnlyThatRow();
    void bytesShownAreWhatCoreEncodes();
    void skeletonGoesIntoAnEmptyRowOrANewOne();
    void bigBatchIsCheckedInShortSlices();
    void firstMismatchFinishesAPassStillRunning();
    void editsDuringAPassAreNotMissed();
    void bytesPartIsNeverChecked();
    void contextSaysWhyThereIsNoSchema();
    void typingATopicAsksOnceItSettles();
    void aLateAnswerForAnOldTargetIsDropped();

private:
    BatchTableModel *m_model = nullptr;
    ui::SchemaContext *m_context = nullptr;
    ui::RowChecker *m_checker = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void TestSchemaRows::init()
{
    m_model = new BatchTableModel;
    m_tester = new QAbstractItemModelTester(m_model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_context = new ui::SchemaContext({});
    m_checker = new ui::RowChecker(m_model, m_context);
}

void TestSchemaRows::cleanup()
{
    delete m_checker;
    delete m_context;
    delete m_tester;
    delete m_model;
}

void TestSchemaRows::check_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("encoding");
    QTest::addColumn<bool>("generator");
    QTest::addColumn<QString>("expected"); // empty: fits; else every '|'-separated piece is in the message

    const int json = int(core::Encoding::Json), text = int(core::Encoding::Text), b64 = int(core::Encoding::Base64);
    QTest::newRow("fits") << Good << json << false << QString();
    QTest::newRow("tagged union fits") << QByteArray(R"({"id":"x","items":[],"note":{"string":"hi"}})") << json << false
                                       << QString();
    QTest::newRow("default-only field left out")
        << QByteArray(R"({"id":"x","items":[]})") << json << false << QString();
    QTest::newRow("wrong type deep") << BadQty << json << false << QStringLiteral("$.items[1].qty|int|string");
    QTest::newRow("missing field") << QByteArray(R"({"items":[]})") << json << false << QStringLiteral("id");
    QTest::newRow("text that is JSON fits") << Good << text << false << QString();
    QTest::newRow("text that is not JSON") << QByteArray("hello") << text << false << QStringLiteral("JSON");
    QTest::newRow("base64 refused") << QByteArray("\x01\x02", 2) << b64 << false << QStringLiteral("base64");
    QTest::newRow("generator row not checked") << BadQty << json << true << QString();
}

void TestSchemaRows::check()
{
    QFETCH(QByteArray, value);
    QFETCH(int, encoding);
    QFETCH(bool, generator);
    QFETCH(QString, expected);
    core::Batch batch;
    core::Message m;
    m.value = core::Payload(value, core::Encoding(encoding));
    if (generator)
        m.generate = core::GenerateSpec{5, 1};
    batch.append(m);
    QByteArray scratch;
    const auto codec = orderCodec();
    const auto error = ui::RowChecker::check(batch, 0, PayloadPart::Value, codec, scratch);
    if (expected.isEmpty()) {
        QVERIFY2(!error, error ? qPrintable(error->message()) : "");
        return;
    }
    QVERIFY(error);
    const QString message = error->message();
    for (const QString &piece : expected.split(QLatin1Char('|')))
        QVERIFY2(message.contains(piece), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("line ")), qPrintable(message)); // compact JSON: no line and column
}

void TestSchemaRows::typingAnInvalidFieldMarksOnlyThatRow()
{
    m_model->appendBatch(jsonRows(3), QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    panel.resize(400, 900);
    panel.show();
    m_context->setCodec(PayloadPart::Value, orderCodec());
    QVERIFY(!m_checker->isChecking());
    for (int r = 0; r < 3; ++r)
        QVERIFY(!marked(*m_model, r));

    panel.setRow(1);
    auto *edit = panel.findChild<QPlainTextEdit *>(QStringLiteral("valueEdit"));
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, QString::fromUtf8(BadQty));

    QVERIFY(marked(*m_model, 1));
    QVERIFY(!marked(*m_model, 0));
    QVERIFY(!marked(*m_model, 2));
    const QString tip = cell(*m_model, 1, BatchTableModel::Value, Qt::ToolTipRole);
    QVERIFY2(tip.contains(QLatin1String("$.items[1].qty")) && tip.contains(QLatin1String("orders-value")),
             qPrintable(tip));
    QVERIFY(!m_model->headerData(1, Qt::Vertical, Qt::DecorationRole).isNull());
    QVERIFY(m_model->headerData(1, Qt::Vertical, Qt::ToolTipRole).toString().contains(QLatin1String("$.items[1]")));
    auto *problem = panel.findChild<QLabel *>(QStringLiteral("schemaProblem_value"));
    QVERIFY(problem && problem->isVisible());
    QVERIFY2(problem->text().contains(QLatin1String("$.items[1].qty")), qPrintable(problem->text()));
    // Nothing else is disabled: the row stays editable in the table and in the panel, and the text is as typed.
    QVERIFY(m_model->flags(m_model->index(1, BatchTableModel::Value)) & Qt::ItemIsEditable);
    QVERIFY(panel.isEnabled() && edit->isEnabled() && !edit->isReadOnly());
    QCOMPARE(m_model->batch().value(1), BadQty);
    const auto first = m_checker->firstMismatch();
    QVERIFY(first);
    QCOMPARE(first->row, 1);
    QVERIFY(!m_checker->checkAll().ok());
    QVERIFY(m_checker->checkAll().error().message().contains(QLatin1String("Row 2")));

    // Fixing it clears the mark, in the table and in the panel.
    edit->selectAll();
    QTest::keyClicks(edit, QString::fromUtf8(Good));
    QVERIFY(!marked(*m_model, 1));
    QVERIFY(!problem->isVisible());
    QVERIFY(!m_checker->firstMismatch());
    QVERIFY(m_checker->checkAll().ok());
    // Undo and redo are edits too: each is checked.
    m_model->setMessage(1, jsonRow(BadQty), QStringLiteral("edit"));
    QVERIFY(marked(*m_model, 1));
    QVERIFY(m_model->undo());
    QVERIFY(!marked(*m_model, 1));
    QVERIFY(m_model->redo());
    QVERIFY(marked(*m_model, 1));
}

void TestSchemaRows::bytesShownAreWhatCoreEncodes()
{
    m_model->appendBatch(jsonRows(1), QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    const core::ResolvedCodec codec = orderCodec(0x01020304);
    m_context->setCodec(PayloadPart::Value, codec);
    panel.setRow(0);
    auto *bytes = panel.findChild<QPlainTextEdit *>(QStringLiteral("schemaBytes_value"));
    QVERIFY(bytes);
    QByteArray frame;
    QVERIFY(codec.codec->encodeFramed(codec.schema.id, Good, frame).ok());
    QCOMPARE(bytes->toPlainText(), ui::SchemaSection::frameHex(frame));
    const QStringList lines = bytes->toPlainText().split(QLatin1Char('\n'));
    QVERIFY(lines.size() >= 4);
    QCOMPARE(lines[0], QStringLiteral("magic byte  00"));
    QCOMPARE(lines[1], QStringLiteral("schema id   01 02 03 04  (16909060)"));
    // The datum's hex, read back, is the frame after its five header bytes.
    QByteArray datum;
    for (int i = 3; i < lines.size(); ++i)
        datum += QByteArray::fromHex(lines[i].mid(8).toLatin1());
    QCOMPARE(datum, frame.mid(5));
    auto *title = panel.findChild<QLabel *>(QStringLiteral("schemaTitle_value"));
    QVERIFY2(title->text().contains(QLatin1String("orders-value v3 (id 16909060)")), qPrintable(title->text()));
    auto *schema = panel.findChild<QPlainTextEdit *>(QStringLiteral("schemaText_value"));
    QVERIFY(schema->isReadOnly());
    QVERIFY(schema->toPlainText().contains(QLatin1String("\"name\": \"Order\"")));

    // The bytes follow an edit of the row.
    m_model->setMessage(0, jsonRow(R"({"id":"zz","items":[]})"), QStringLiteral("edit"));
    frame.clear();
    QVERIFY(codec.codec->encodeFramed(codec.schema.id, R"({"id":"zz","items":[]})", frame).ok());
    QCOMPARE(bytes->toPlainText(), ui::SchemaSection::frameHex(frame));
}

void TestSchemaRows::skeletonGoesIntoAnEmptyRowOrANewOne()
{
    core::Batch b;
    core::Message empty;
    empty.value = core::Payload(QByteArray(), core::Encoding::Json);
    b.append(empty);
    b.append(jsonRow(Good));
    m_model->appendBatch(b, QStringLiteral("rows"));
    ui::MessageDetailPanel panel(m_model);
    panel.setSchemaContext(m_context);
    const auto codec = orderCodec();
    m_context->setCodec(PayloadPart::Value, codec);
    auto *insert = panel.findChild<QAbstractButton *>(QStringLiteral("insertSkeleton_value"));
    QVERIFY(insert);

    panel.setRow(0);
    const int steps = m_model->undoStack()->count();
    insert->click();
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->batch().value(0), codec.codec->skeleton());
    QByteArray scratch;
    QVERIFY(!ui::RowChecker::check(m_model->batch(), 0, PayloadPart::Value, codec, scratch));
    QCOMPARE(m_model->undoStack()->count(), steps + 1);
    m_model->undo();
    QVERIFY(m_model->batch().value(0).isEmpty());

    panel.setRow(1); // not empty: a new row below it
    insert->click();
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->batch().value(1), Good);
    QCOMPARE(m_model->batch().value(2), codec.codec->skeleton());
    QVERIFY(!marked(*m_model, 2));
    m_model->undo();
    QCOMPARE(m_model->rowCount(), 2);
}

void TestSchemaRows::bigBatchIsCheckedInShortSlices()
{
    // QAbstractItemModelTester runs all its checks over every row on each headerDataChanged: its time is not the
    // checker's (the other tests keep it).
    delete m_tester;
    m_tester = nullptr;
    constexpr int Rows = 200000, Bad = 177777;
    core::Batch b = jsonRows(Rows);
    b.replace(Bad, jsonRow(BadQty));
    m_model->appendBatch(b, QStringLiteral("rows"));

    // The event loop's longest wait while the pass runs: a zero timer ticks between slices.
    QElapsedTimer gap, total;
    qint64 longest = 0;
    int ticks = 0;
    QTimer tick;
    tick.setInterval(0);
    connect(&tick, &QTimer::timeout, this, [&] {
        longest = std::max(longest, gap.restart());
        ++ticks;
    });
    QSignalSpy finished(m_checker, &ui::RowChecker::passFinished);
    total.start();
    m_context->setCodec(PayloadPart::Value, orderCodec());
    const qint64 firstSlice = total.elapsed();
    QVERIFY(m_checker->isChecking()); // 200,000 rows take longer than one slice
    gap.start();
    tick.start();
    QVERIFY(finished.wait(60000));
    const qint64 all = total.elapsed();
    tick.stop();
    qInfo("%d rows checked in %lld ms (%.0f rows/s) over %d event loop turns; first slice %lld ms, longest "
          "wait between turns %lld ms",
          Rows, all, Rows * 1000.0 / std::max<qint64>(all, 1), ticks, firstSlice, longest);
    QVERIFY(ticks > 10);
    // A slice is 8 ms of work; the bound leaves room for a loaded machine and a sanitizer build.
    QVERIFY2(longest < 150, qPrintable(QString::number(longest)));
    QVERIFY(marked(*m_model, Bad));
    QVERIFY(!marked(*m_model, Bad - 1));
    const auto first = m_checker->firstMismatch();
    QVERIFY(first);
    QCOMPARE(first->row, qsizetype(Bad));
}

void TestSchemaRows::firstMismatchFinishesAPassStillRunning()
{
    constexpr int Rows = 100000, Bad = 99998;
    core::Batch b = jsonRows(Rows);
    b.replace(Bad, jsonRow(BadQty));
    m_model->appendBatch(b, QStringLiteral("rows"));
    m_context->setCodec(PayloadPart::Value, orderCodec());
    QVERIFY(m_checker->isChecking());
    const auto first = m_checker->firstMismatch(); // Send pressed before the pass is done
    QVERIFY(!m_checker->isChecking());
    QVERIFY(first);
    QCOMPARE(first->row, qsizetype(Bad));
    QCOMPARE(first->part, PayloadPart::Value);
    QVERIFY2(first->problem.contains(QLatin1String("$.items[1].qty")), qPrintable(first->problem));
}

void TestSchemaRows::editsDuringAPassAreNotMissed()
{
    constexpr int Rows = 100000;
    m_model->appendBatch(jsonRows(Rows), QStringLiteral("rows"));
    m_context->setCodec(PayloadPart::Value, orderCodec());
    QVERIFY(m_checker->isChecking());
    // Behind the pass's place, ahead of it, and rows inserted and removed in front of it.
    m_model->setMessage(0, jsonRow(BadQty), QStringLiteral("edit"));
    m_model->setMessage(Rows - 1, jsonRow(BadQty), QStringLiteral("edit"));
    m_model->removeRowList({5, 6, 7});
    core::Batch two;
    two.append(jsonRow(BadQty));
    two.append(jsonRow(Good));
    m_model->insertBatch(3, two, QStringLiteral("insert"));
    QSignalSpy finished(m_checker, &ui::RowChecker::passFinished);
    QVERIFY(finished.wait(60000));
    QList<int> bad;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (marked(*m_model, r))
            bad << r;
    QCOMPARE(bad, (QList<int>{0, 3, m_model->rowCount() - 1}));
    // A codec that takes anything the rows hold clears every mark.
    m_context->setCodec(PayloadPart::Value, {});
    for (int r : bad)
        QVERIFY(!marked(*m_model, r));
    QVERIFY(!m_model->hasSchemaMarks());
}

void TestSchemaRows::bytesPartIsNeverChecked()
{
    core::Batch b;
    for (int i = 0; i < 2; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("k"));
        m.value = core::Payload(QByteArray("not JSON at all"));
        b.append(m);
    }
    m_model->appendBatch(b, QStringLiteral("rows"));
    m_context->setCodec(PayloadPart::Key, {});
    QVERIFY(!m_model->hasSchemaMarks());
    m_context->setCodec(PayloadPart::Key, orderCodec()); // the key "k" is not an Order
    QVERIFY(!m_model->schemaMark(0, PayloadPart::Key).isEmpty());
    QVERIFY(m_model->schemaMark(0, PayloadPart::Value).isEmpty()); // the value is bytes: anything goes
    QVERIFY(!m_model->data(m_model->index(0, BatchTableModel::Key), Qt::DecorationRole).isNull());
    QVERIFY(!marked(*m_model, 0));
}

namespace {
core::Serialization avroValue()
{
    core::Serialization s;
    s.value.kind = core::PayloadKind::Avro;
    return s;
}
} // namespace

void TestSchemaRows::contextSaysWhyThereIsNoSchema()
{
    // A profile without a registry, then a registry nobody listens on (a closed loopback port).
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const quint16 closed = server.serverPort();
    server.close();
    ui::SchemaContext context([closed](const QString &profile, QObject *, const ui::SchemaContext::RegistryDone &done) {
        if (profile == QLatin1String("plain"))
            return done(core::Error(QStringLiteral("Profile 'plain' has no Schema Registry")));
        core::RegistrySettings s;
        s.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed));
        s.timeoutMs = 3000;
        done(s);
    });
    QSignalSpy changed(&context, &ui::SchemaContext::changed);
    context.setTarget(avroValue(), QStringLiteral("orders"), QStringLiteral("plain"));
    QCOMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::Resolving);
    QTRY_COMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::Error);
    QVERIFY(context.part(PayloadPart::Value).error.contains(QLatin1String("no Schema Registry")));
    QCOMPARE(context.part(PayloadPart::Key).state, ui::SchemaContext::State::None); // the key is bytes
    const qsizetype emitted = changed.size();
    context.setTarget(avroValue(), QStringLiteral("orders"), QStringLiteral("plain")); // nothing changed
    QCOMPARE(changed.size(), emitted);

    context.setTarget(avroValue(), QStringLiteral("orders"), QStringLiteral("down"));
    QCOMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::Resolving);
    QVERIFY(context.isResolving());
    QTRY_VERIFY_WITH_TIMEOUT(!context.isResolving(), 10000);
    const ui::SchemaContext::Part &value = context.part(PayloadPart::Value);
    QCOMPARE(value.state, ui::SchemaContext::State::Error);
    QVERIFY2(value.error.contains(QString::number(closed)), qPrintable(value.error));
    QVERIFY2(ui::SchemaContext::describe(value) == value.error, qPrintable(ui::SchemaContext::describe(value)));

    // Back to bytes: nothing to resolve, nothing typed.
    context.setTarget({}, QStringLiteral("orders"), QStringLiteral("down"));
    QCOMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::None);
    QVERIFY(!context.part(PayloadPart::Value).typed());
}

void TestSchemaRows::typingATopicAsksOnceItSettles()
{
    int lookups = 0;
    ui::SchemaContext context([&lookups](const QString &, QObject *, const ui::SchemaContext::RegistryDone &done) {
        ++lookups;
        done(core::Error(QStringLiteral("no registry")));
    });
    QString topic;
    for (const QChar c : QStringLiteral("orders")) {
        topic += c;
        context.setTarget(avroValue(), topic, QStringLiteral("p"));
        QTest::qWait(20);
    }
    QCOMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::Resolving);
    QTRY_COMPARE(context.part(PayloadPart::Value).state, ui::SchemaContext::State::Error);
    QCOMPARE(lookups, 1);
    QCOMPARE(context.topic(), QStringLiteral("orders"));
}

void TestSchemaRows::aLateAnswerForAnOldTargetIsDropped()
{
    // Lookups answered later, in the order asked: the first one's answer arrives after the target moved on.
    QList<QPair<QPointer<QObject>, ui::SchemaContext::RegistryDone>> asked;
    ui::SchemaContext context([&asked](const QString &, QObject *guard, const ui::SchemaContext::RegistryDone &done) {
        asked.append({QPointer<QObject>(guard), done});
    });
    context.setTarget(avroValue(), QStringLiteral("a"), QStringLiteral("p"));
    context.refresh(); // asked at once, not after the settling pause
    context.setTarget(avroValue(), QStringLiteral("b"), QStringLiteral("p"));
    QTRY_COMPARE(asked.size(), 2);
    QVERIFY(!asked[0].first); // the first target's context is gone: its caller must not answer
    QVERIFY(asked[1].first);
    asked[1].second(core::Error(QStringLiteral("second")));
    QCOMPARE(context.part(PayloadPart::Value).error, QStringLiteral("second"));
    QCOMPARE(context.topic(), QStringLiteral("b"));
}

QTEST_MAIN(TestSchemaRows)
#include "tst_schemarows.moc"

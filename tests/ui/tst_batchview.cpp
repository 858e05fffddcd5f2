// The batch table through the real MainWindow: an empty filter result is not an empty batch, New and Add Row give
// the keyboard to the new row (typing never ends up in the toolbar), Tab goes from the table to the row's editor, and
// the result columns read whole at the design size.

#include "MainWindowFixture.h"
#include "core/schema/AvroCodec.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/documents/DocumentModel.h"
#include "ui/schema/SchemaContext.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTest>

using namespace kbatch;
using ui::BatchTableModel;

class TestBatchView : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(Locale::EnglishUS); }
    void cleanup() { cleanupTest(); }
    void emptyFilterResultIsNotAnEmptyBatch();
    void newRowTakesTheKeyboard();
    void tabGoesFromTheTableToTheRowsEditor();
    void resultColumnsReadWhole_data();
    void resultColumnsReadWhole();
    void rowColumnsHaveTheRoomUntilAnError();
    void schemaColumnShowsTheIdsWhileTyped();

private:
    // A window the keyboard goes to: the tests type into it.
    void newActiveWindow()
    {
        newWindow();
        activateWindow();
    }
};

void TestBatchView::emptyFilterResultIsNotAnEmptyBatch()
{
    newActiveWindow();
    auto *empty = child<QLabel>("emptyStateLabel");
    auto *noMatch = child<QWidget>("noMatchState");
    QVERIFY(empty && noMatch);
    QVERIFY(empty->isVisible());
    QVERIFY(!noMatch->isVisible());

    core::Batch rows;
    for (int i = 0; i < 200'000; ++i) {
        core::Message m;
        m.value = core::Payload(QByteArray::number(i));
        rows.append(m);
    }
    m_window->model()->appendBatch(rows, QStringLiteral("rows"));
    QVERIFY(!empty->isVisible());

    // Nothing was sent: no row is delivered. The table says the filter hides them, not that there are none.
    auto *filter = child<QComboBox>("stateFilter");
    filter->setCurrentIndex(ui::StateFilterModel::Delivered);
    QCOMPARE(m_window->view()->model()->rowCount(), 0);
    QVERIFY(!empty->isVisible());
    QVERIFY(noMatch->isVisible());
    const QString text = child<QLabel>("noMatchLabel")->text();
    QVERIFY2(text.startsWith(QStringLiteral("No row matches the filter “Delivered”")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("200,000")), qPrintable(text));

    // The way back: all rows again, and the filter box says so.
    QTest::mouseClick(child<QPushButton>("showAllRowsButton"), Qt::LeftButton);
    QCOMPARE(m_window->view()->model()->rowCount(), 200'000);
    QCOMPARE(filter->currentIndex(), int(ui::StateFilterModel::All));
    QVERIFY(!noMatch->isVisible());

    // Filtered and then emptied: an empty batch again.
    filter->setCurrentIndex(ui::StateFilterModel::Failed);
    QVERIFY(noMatch->isVisible());
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QVERIFY(empty->isVisible());
    QVERIFY(!noMatch->isVisible());
}

void TestBatchView::newRowTakesTheKeyboard()
{
    newActiveWindow();
    m_window->documentModel()->setTopic(QStringLiteral("orders"));
    child<QComboBox>("topicCombo")->setFocus(); // where typing once ended up
    ui::MessageBox::setNextAnswer(QMessageBox::Discard);
    m_window->action(QStringLiteral("actionNewTemplate"))->trigger();
    QVERIFY(m_window->view()->hasFocus());
    m_window->documentModel()->setTopic(QStringLiteral("orders"));

    // Ctrl+N, then typing: the key, Tab, the value, Enter.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
    BatchTableModel *model = m_window->model();
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(QApplication::focusWidget());
    QVERIFY2(m_window->view()->isAncestorOf(QApplication::focusWidget()),
             qPrintable(QApplication::focusWidget()->objectName()));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("typed-key"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("typed-value"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(model->batch().key(0), QByteArrayView("typed-key"));
    QTRY_COMPARE(model->batch().value(0), QByteArrayView("typed-value"));   // Return commits on the next turn
    QCOMPARE(m_window->documentModel()->topic(), QStringLiteral("orders")); // nothing typed went there

    // A second row, under the current one, the same way.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(model->rowCount(), 2);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("second"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(model->batch().key(1), QByteArrayView("second"));
}

void TestBatchView::tabGoesFromTheTableToTheRowsEditor()
{
    newActiveWindow();
    m_window->action(QStringLiteral("actionAddRow"))->trigger();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape); // no editing: the table itself has the focus
    QVERIFY(m_window->view()->hasFocus());
    QTest::keyClick(m_window->view(), Qt::Key_Tab);
    QWidget *focused = QApplication::focusWidget();
    QVERIFY(focused);
    QVERIFY2(m_window->detailPanel()->isAncestorOf(focused),
             qPrintable(QStringLiteral("Tab went to %1 (%2)")
                            .arg(focused->objectName(), QString::fromLatin1(focused->metaObject()->className()))));
    QTest::keyClick(focused, Qt::Key_Backtab);
    QVERIFY(m_window->view()->hasFocus());
}

void TestBatchView::resultColumnsReadWhole_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x800") << QSize(1280, 800);
    QTest::newRow("1920x1080") << QSize(1920, 1080); // room for the whole texts
}

// Typical outcomes, as the producer words them: what each result cell shows must fit its cell, so that nothing of it
// is elided (the issue found "possibly…", "0 / 133,…" and "_UNKNOWN_PA…" at 1280x800). Shorter forms only where
// the whole text does not fit.
void TestBatchView::resultColumnsReadWhole()
{
    QFETCH(QSize, size);
    newActiveWindow();
    m_window->resize(size);
    QTRY_COMPARE(m_window->size(), size);
    for (auto *dock : m_window->findChildren<QDockWidget *>())
        QVERIFY2(!dock->isFloating(), qPrintable(dock->objectName()));

    core::Batch rows;
    for (int i = 0; i < 6; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("order-") + QByteArray::number(i));
        m.value = core::Payload(QByteArray(R"({"id":)") + QByteArray::number(i) + R"(,"amount":12.5})");
        rows.append(m);
    }
    BatchTableModel *model = m_window->model();
    model->appendBatch(rows, QStringLiteral("rows"));

    auto outcome = [](qsizetype row, core::DeliveryStatus status, int partition, qint64 offset, const char *name,
                      const char *text) {
        core::DeliveryResult r;
        r.row = row;
        r.status = status;
        r.persisted = status == core::DeliveryStatus::Delivered         ? core::Persisted::Persisted
                      : status == core::DeliveryStatus::PossiblyWritten ? core::Persisted::PossiblyPersisted
                                                                        : core::Persisted::NotPersisted;
        r.partition = partition;
        r.offset = offset;
        r.latencyUs = status == core::DeliveryStatus::Delivered ? 1'234'567 : 30'000'000;
        r.errorName = QString::fromLatin1(name);
        r.errorText = QString::fromLatin1(text);
        return r;
    };
    using core::DeliveryStatus;
    const core::DeliveryResults results{
        outcome(0, DeliveryStatus::Delivered, 11, 133'456'789, "", ""),
        outcome(1, DeliveryStatus::Failed, -1, -1, "_UNKNOWN_PARTITION",
                "partition 99 does not exist in topic 'orders-eu-west'"),
        outcome(2, DeliveryStatus::PossiblyWritten, 3, -1, "_MSG_TIMED_OUT",
                "not acknowledged within message.timeout.ms (30,000 ms); the broker may have written it: check "
                "before resending"),
        outcome(3, DeliveryStatus::Failed, -1, -1, "MSG_SIZE_TOO_LARGE",
                "message of 2000000 bytes is larger than the producer's message.max.bytes (1000000); raise "
                "message.max.bytes (and the topic's max.message.bytes)"),
        outcome(4, DeliveryStatus::Cancelled, -1, -1, "_PURGE_QUEUE", "cancelled before it was sent"),
        outcome(5, DeliveryStatus::Delivered, 0, 7, "", ""),
    };
    model->applyResults(results, {});
    model->flushResultChanges();
    QCoreApplication::processEvents();

    ui::BatchView *view = m_window->view();
    QVERIFY(view->viewport()->width() > 300);
    const QStyle *style = view->style();
    const int textMargin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column :
             {BatchTableModel::Status, BatchTableModel::Offset, BatchTableModel::Latency, BatchTableModel::ErrorText}) {
            const QModelIndex index = model->index(row, column);
            const QString full = index.data().toString();
            const QString shown = view->shownText(index);
            const QString where = QStringLiteral("%1, row %2, column %3: \"%4\"")
                                      .arg(QLatin1String(QTest::currentDataTag()))
                                      .arg(row + 1)
                                      .arg(model->headerData(column, Qt::Horizontal).toString(), shown);
            if (full.isEmpty()) {
                QVERIFY2(shown.isEmpty(), qPrintable(where));
                continue;
            }
            QVERIFY2(!shown.isEmpty(), qPrintable(where));
            // The whole text, or one of the cell's own shorter forms; never a text of some other cell.
            QVERIFY2(shown == full || index.data(BatchTableModel::ShortTextRole).toStringList().contains(shown),
                     qPrintable(where));

            // As the style paints it: the text's room is the cell less its icon and margins; a wider text is elided.
            QStyleOptionViewItem option;
            option.initFrom(view);
            option.rect = view->visualRect(view->model()->index(row, column));
            option.text = shown;
            option.features = QStyleOptionViewItem::HasDisplay;
            option.decorationSize = view->iconSize().isValid()
                                        ? view->iconSize()
                                        : QSize(style->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view),
                                                style->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view));
            if (!index.data(Qt::DecorationRole).isNull())
                option.features |= QStyleOptionViewItem::HasDecoration;
            option.font = view->font();
            option.fontMetrics = QFontMetrics(option.font);
            const int room = style->subElementRect(QStyle::SE_ItemViewItemText, &option, view).width() - 2 * textMargin;
            QVERIFY2(option.rect.width() > 0 && option.rect.right() < view->viewport()->width(),
                     qPrintable(where + QStringLiteral(": not in view")));
            const int needed = option.fontMetrics.horizontalAdvance(shown);
            QVERIFY2(needed <= room, qPrintable(where + QStringLiteral(" needs %1 px, has %2").arg(needed).arg(room)));
            QVERIFY2(view->showsWhole(index), qPrintable(where));
        }
    }
    // What each outcome says, in words that matter: the status, where it went, what went wrong.
    const auto shown = [view, model](int row, int column) { return view->shownText(model->index(row, column)); };
    QCOMPARE(shown(0, BatchTableModel::Offset), QStringLiteral("11 / 133,456,789"));
    QVERIFY2(shown(1, BatchTableModel::ErrorText).contains(QLatin1String("partition")),
             qPrintable(shown(1, BatchTableModel::ErrorText)));
    QVERIFY2(shown(2, BatchTableModel::ErrorText).contains(QLatin1String("not acknowledged")) ||
                 shown(2, BatchTableModel::ErrorText).contains(QLatin1String("timed out")),
             qPrintable(shown(2, BatchTableModel::ErrorText)));
    // The whole outcome is in the detail panel, selectable to copy.
    view->setCurrentSourceIndex(model->index(2, BatchTableModel::Key));
    auto *detail = m_window->detailPanel()->findChild<QLabel *>(QStringLiteral("detailOutcome"));
    QVERIFY(detail && detail->isVisible());
    QVERIFY2(detail->text().startsWith(QLatin1String("possibly written")), qPrintable(detail->text()));
    QVERIFY2(detail->text().contains(QString(results[2].errorName + QLatin1String(": ") + results[2].errorText)),
             qPrintable(detail->text()));
    QVERIFY(detail->text().contains(QLatin1String("Partition / offset: 3")));
    view->setCurrentSourceIndex(model->index(0, BatchTableModel::Key));
    QVERIFY(detail->text().contains(QLatin1String("11 / 133,456,789")));
    QVERIFY(detail->text().contains(QLatin1String("Latency: 1,234.6 ms")));
    if (size.width() >= 1920) {
        QCOMPARE(shown(2, BatchTableModel::Status), QStringLiteral("possibly written"));
        QVERIFY(
            shown(1, BatchTableModel::ErrorText).endsWith(QLatin1String("does not exist in topic 'orders-eu-west'")));
    }
}

// At 1280x800 with the docks open, the row's own columns get the room the Error column does not need yet: the sample
// keys read whole and nothing scrolls sideways. The first error gives the Error column its share back.
void TestBatchView::rowColumnsHaveTheRoomUntilAnError()
{
    newActiveWindow();
    m_window->resize(1280, 800);
    QTRY_COMPARE(m_window->size(), QSize(1280, 800));
    core::Batch rows;
    for (int i = 0; i < 4; ++i) {
        core::Message m;
        m.key = core::Payload(QByteArray("order-") + QByteArray::number(i));
        m.value = core::Payload(QByteArray(R"({"id":)") + QByteArray::number(i) + R"(,"amount":12.5})");
        rows.append(m);
    }
    BatchTableModel *model = m_window->model();
    model->appendBatch(rows, QStringLiteral("rows"));
    core::DeliveryResults delivered;
    for (int i = 0; i < 4; ++i) {
        core::DeliveryResult r;
        r.row = i;
        r.status = core::DeliveryStatus::Delivered;
        r.persisted = core::Persisted::Persisted;
        r.partition = 0;
        r.offset = i;
        delivered.push_back(r);
    }
    model->applyResults(delivered, {});
    model->flushResultChanges();
    QCoreApplication::processEvents();

    ui::BatchView *view = m_window->view();
    const int errorWidthBefore = view->columnWidth(BatchTableModel::ErrorText);
    for (int row = 0; row < 4; ++row)
        QVERIFY2(view->showsWhole(model->index(row, BatchTableModel::Key)), qPrintable(QString::number(row)));
    QVERIFY(!view->horizontalScrollBar()->isVisible());

    core::DeliveryResult failed;
    failed.row = 3;
    failed.status = core::DeliveryStatus::Failed;
    failed.persisted = core::Persisted::NotPersisted;
    failed.errorName = QStringLiteral("_UNKNOWN_PARTITION");
    failed.errorText = QStringLiteral("partition 99 does not exist in topic 'orders'");
    model->applyResults({failed}, {});
    model->flushResultChanges();
    QCoreApplication::processEvents();
    QTRY_VERIFY2(view->columnWidth(BatchTableModel::ErrorText) >= 30 * view->fontMetrics().averageCharWidth(),
                 qPrintable(QStringLiteral("%1 px, before %2")
                                .arg(view->columnWidth(BatchTableModel::ErrorText))
                                .arg(errorWidthBefore)));
    QVERIFY(!view->horizontalScrollBar()->isVisible());
}

// Issue 15: each row's result shows the schema id it went out with, without hovering. The column is there only while
// the document types its key or value (a batch of bytes keeps its columns), and it reads whole.
void TestBatchView::schemaColumnShowsTheIdsWhileTyped()
{
    newWindow();
    newEmptyBatch();
    BatchTableModel *model = m_window->model();
    core::Batch rows;
    for (int i = 0; i < 3; ++i) {
        core::Message m;
        m.key = core::Payload("k");
        m.value = core::Payload(R"({"a":1})", core::Encoding::Json);
        rows.append(m);
    }
    model->appendBatch(rows, QStringLiteral("rows"));
    ui::BatchView *view = m_window->view();
    QVERIFY(view->isColumnHidden(BatchTableModel::Schema));
    QCOMPARE(model->headerData(BatchTableModel::Schema, Qt::Horizontal).toString(), QStringLiteral("Schema"));

    core::ResolvedSchema schema;
    schema.schema.text = R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]})";
    schema.schema.id = 7;
    const auto codec = core::AvroCodec::compile(schema);
    QVERIFY(codec.ok());
    m_window->schemaContext()->setCodec(core::PayloadPart::Value, core::ResolvedCodec{schema.schema, *codec});
    QVERIFY(!view->isColumnHidden(BatchTableModel::Schema));
    QVERIFY(view->columnWidth(BatchTableModel::Schema) > 0);

    const auto delivered = [](qsizetype row) {
        core::DeliveryResult r;
        r.row = row;
        r.status = core::DeliveryStatus::Delivered;
        r.persisted = core::Persisted::Persisted;
        r.partition = 0;
        r.offset = row;
        return r;
    };
    model->setSendSchemaIds(0, 7);
    model->applyResults({delivered(0), delivered(1)}, {});
    model->setSendSchemaIds(3, 12345);
    model->applyResults({delivered(2)}, {});
    model->flushResultChanges();
    QCoreApplication::processEvents();
    const QStringList expected{QStringLiteral("id 7"), QStringLiteral("id 7"), QStringLiteral("key 3 · value 12345")};
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = model->index(row, BatchTableModel::Schema);
        QCOMPARE(index.data().toString(), expected[row]);
        QCOMPARE(view->shownText(index), expected[row]);
        QVERIFY2(view->showsWhole(index), qPrintable(expected[row]));
    }
    // Past the 255 distinct pairs a window keeps, a new pair shows no ids, and the rows sent before keep theirs.
    for (int id = 100; id < 400; ++id) {
        model->setSendSchemaIds(0, id);
        model->applyResults({delivered(1)}, {});
    }
    model->flushResultChanges();
    QCOMPARE(model->index(0, BatchTableModel::Schema).data().toString(), QStringLiteral("id 7"));
    QCOMPARE(model->index(1, BatchTableModel::Schema).data().toString(), QString());
    QCOMPARE(model->index(2, BatchTableModel::Schema).data().toString(), QStringLiteral("key 3 · value 12345"));
    model->setSendSchemaIds(0, 7); // a pair it has: still shown
    model->applyResults({delivered(1)}, {});
    model->flushResultChanges();
    QCOMPARE(model->index(1, BatchTableModel::Schema).data().toString(), QStringLiteral("id 7"));
    // A row not sent by this send has no ids to show; rows sent again show the new ones.
    model->clearResults();
    QCOMPARE(model->index(0, BatchTableModel::Schema).data().toString(), QString());

    m_window->schemaContext()->setCodec(core::PayloadPart::Value, core::ResolvedCodec{});
    QVERIFY(view->isColumnHidden(BatchTableModel::Schema));
}

QTEST_MAIN(TestBatchView)
#include "tst_batchview.moc"

#include "ui/batch/RowActions.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/FindBar.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/widgets/Actions.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>

#include <algorithm>

namespace kbatch::ui {

RowActions::RowActions(QWidget *window, BatchTableModel *model, BatchView *view, DocumentController *document,
                       FindBar *find)
    : QObject(window), m_window(window), m_model(model), m_view(view), m_document(document)
{
    using K = QKeySequence;
    connect(makeAction(window, QStringLiteral("actionAddRow"), tr("&New Row"), K(Qt::CTRL | Qt::Key_N),
                       QStringLiteral("list-add"), QStringLiteral("add-row")),
            &QAction::triggered, this, &RowActions::addRow);
    connect(makeAction(window, QStringLiteral("actionDuplicate"), tr("&Duplicate Rows"), K(Qt::CTRL | Qt::Key_D),
                       QStringLiteral("edit-copy"), QStringLiteral("duplicate")),
            &QAction::triggered, this, [this] { m_model->duplicateRowList(m_view->selectedRowList()); });
    QAction *del = makeAction(window, QStringLiteral("actionDelete"), tr("De&lete Rows"), K::Delete,
                              QStringLiteral("edit-delete"), QStringLiteral("delete"));
    scopeShortcutTo(del, window, view);
    connect(del, &QAction::triggered, this, [this] { m_model->removeRowList(m_view->selectedRowList()); });
    connect(makeAction(window, QStringLiteral("actionMoveUp"), tr("Move Row &Up"), K(Qt::ALT | Qt::Key_Up)),
            &QAction::triggered, this, [this] { moveCurrentRow(-1); });
    connect(makeAction(window, QStringLiteral("actionMoveDown"), tr("Move Row Do&wn"), K(Qt::ALT | Qt::Key_Down)),
            &QAction::triggered, this, [this] { moveCurrentRow(1); });

    QAction *copy = makeAction(window, QStringLiteral("actionCopy"), tr("&Copy as TSV"), K::Copy);
    QAction *copyJson = makeAction(window, QStringLiteral("actionCopyJsonLines"), tr("Copy as &JSON Lines"),
                                   K(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QAction *paste = makeAction(window, QStringLiteral("actionPaste"), tr("&Paste Rows"), K::Paste);
    for (QAction *a : {copy, copyJson, paste})
        scopeShortcutTo(a, window, view);
    connect(copy, &QAction::triggered, m_view, [this] { m_view->copySelectedRows(false); });
    connect(copyJson, &QAction::triggered, m_view, [this] { m_view->copySelectedRows(true); });
    connect(paste, &QAction::triggered, this, &RowActions::pasteRows);

    auto selectByStatus = [this](std::initializer_list<core::DeliveryStatus> wanted) {
        const qsizetype n = m_view->selectRowsWhere([this, wanted](qsizetype r) {
            const auto &res = m_model->results().at(r);
            return res.sent() && std::find(wanted.begin(), wanted.end(), res.status()) != wanted.end();
        });
        emit messageShown(tr("%Ln row(s) selected", nullptr, int(n)));
    };
    connect(makeAction(window, QStringLiteral("actionSelectFailed"), tr("Select &Failed Rows"),
                       K(Qt::CTRL | Qt::ALT | Qt::Key_F)),
            &QAction::triggered, this, [selectByStatus] {
                selectByStatus({core::DeliveryStatus::Failed, core::DeliveryStatus::PossiblyWritten,
                                core::DeliveryStatus::Cancelled});
            });
    connect(makeAction(window, QStringLiteral("actionSelectDelivered"), tr("Select De&livered Rows"), K()),
            &QAction::triggered, this, [selectByStatus] { selectByStatus({core::DeliveryStatus::Delivered}); });
    connect(makeAction(window, QStringLiteral("actionFind"), tr("&Find…"), K::Find, QStringLiteral("edit-find"),
                       QStringLiteral("find")),
            &QAction::triggered, find, &FindBar::open);
    connect(makeAction(window, QStringLiteral("actionGenerate"), tr("&Generate Rows from This Row…"),
                       K(Qt::CTRL | Qt::Key_G), QString(), QStringLiteral("generate")),
            &QAction::triggered, this, &RowActions::openGenerateDialog);
}

void RowActions::addRow()
{
    const qsizetype current = m_view->currentRowIndex();
    const qsizetype at = current < 0 ? m_model->rowCount() : current + 1;
    core::Message m;
    m.key = core::Payload(QByteArray());
    m.value = core::Payload(QByteArray());
    core::Batch one;
    one.append(m);
    m_model->insertBatch(at, one, tr("New row"));
    m_view->selectSourceRow(at);
    // Typing goes into the new row's key at once (Tab on to its value).
    m_view->editSourceIndex(m_model->index(int(at), BatchTableModel::Key));
}

void RowActions::moveCurrentRow(int delta)
{
    const qsizetype row = m_view->currentRowIndex();
    const qsizetype to = row + delta;
    if (row < 0 || to < 0 || to >= m_model->rowCount())
        return;
    m_model->moveRowTo(row, to);
    m_view->selectSourceRow(to);
}

void RowActions::pasteRows()
{
    const QString text = QApplication::clipboard()->text();
    if (text.isEmpty())
        return;
    const qsizetype current = m_view->currentRowIndex();
    m_document->pasteText(text, current < 0 ? m_model->rowCount() : current + 1);
}

void RowActions::openGenerateDialog()
{
    const qsizetype row = m_view->currentRowIndex();
    if (row < 0) {
        emit messageShown(tr("Select the row to generate from first"));
        return;
    }
    GenerateDialog dialog(m_model->batch().at(row), m_window);
    if (m_schemaFill)
        dialog.setSchemaFill(m_schemaFill());
    if (dialog.exec() == QDialog::Accepted)
        generateFromRow(row, dialog.count(), dialog.seed(), dialog.fill());
}

bool RowActions::generateFromRow(qsizetype row, qsizetype count, std::uint64_t seed, const GenerateFill &fill)
{
    const auto rows = GenerateDialog::generate(m_model->batch().at(row), count, seed, fill);
    if (!rows.ok()) {
        MessageBox::error(m_window, tr("Generate"), rows.error().message());
        return false;
    }
    m_model->insertBatch(row + 1, rows.value(), tr("Generate %Ln row(s)", nullptr, int(count)));
    return true;
}

} // namespace kbatch::ui

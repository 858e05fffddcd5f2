#include "ui/documents/DocumentController.h"

#include "core/format/Importers.h"
#include "core/format/ResultExport.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/documents/DocumentModel.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QMenu>
#include <QSaveFile>
#include <QSettings>
#include <QUndoStack>
#include <QtConcurrent>

namespace kbatch::ui {

namespace {
constexpr int MaxRecent = 8;
const QString SampleTemplate = QStringLiteral(":/templates/orders-smoke.kbatch.json");

// QFuture needs a default-constructible result; Result<T> is not.
struct Loaded
{
    std::optional<core::Template> tpl;
    std::optional<core::Batch> rows;
    core::Error error;
};

QString templateFilter()
{
    return QCoreApplication::translate("DocumentController", "KBatch templates (*.kbatch.json);;All files (*)");
}
} // namespace

DocumentController::DocumentController(BatchTableModel *model, DocumentModel *document, QWidget *window)
    : QObject(window), m_model(model), m_undoStack(model->undoStack()), m_document(document), m_window(window),
      m_recentMenu(new QMenu(tr("Open &Recent"), window))
{
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    // The undo stack is the model's child: it can still signal while the model is being destroyed, so it is asked
    // directly (m_undoStack), never through the half-destroyed model.
    connect(m_undoStack, &QUndoStack::cleanChanged, this, &DocumentController::emitTitle);
    connect(m_undoStack, &QUndoStack::indexChanged, this, &DocumentController::edited);
    connect(m_document, &DocumentModel::edited, this, [this] {
        m_settingsDirty = true;
        emitTitle();
        emit edited();
    });
    updateRecentMenu();
}

QString DocumentController::displayName() const
{
    if (!m_path.isEmpty())
        return QFileInfo(m_path).fileName();
    return m_document->name().isEmpty() ? tr("Untitled") : m_document->name();
}

bool DocumentController::isDirty() const
{
    return m_settingsDirty || !m_undoStack->isClean();
}

core::Template DocumentController::snapshot() const
{
    core::Template t;
    t.name = m_document->name();
    t.topic = m_document->topic();
    t.producer = m_document->producer();
    t.serialization = m_document->serialization();
    t.messages = m_model->batch(); // shares the payload chunks
    return t;
}

bool DocumentController::refuseWhileSending()
{
    // Rows and results of a running send would be replaced under it.
    if (!m_model->isSending())
        return false;
    emit failed(tr("A send is running — wait for it to finish or cancel it (Ctrl+.) before opening or starting "
                   "another batch"));
    return true;
}

void DocumentController::setTemplate(core::Template tpl, const QString &path)
{
    if (refuseWhileSending())
        return;
    m_path = path;
    m_document->load(tpl);
    m_model->resetBatch(std::move(tpl.messages)); // a million rows: a copy here would stall the window
    m_model->undoStack()->setClean();
    m_settingsDirty = false;
    emitTitle();
}

void DocumentController::restoreTemplate(core::Template tpl, const QString &path)
{
    setTemplate(std::move(tpl), path);
    m_settingsDirty = true;
    emitTitle();
}

void DocumentController::newDocument()
{
    if (refuseWhileSending() || !maybeSave())
        return;
    setTemplate(core::Template(), QString());
}

void DocumentController::open()
{
    if (refuseWhileSending() || !maybeSave())
        return;
    const QString dir = m_path.isEmpty() ? QString() : QFileInfo(m_path).absolutePath();
    const QString path = FileDialog::openFileName(m_window, tr("Open template"), dir, templateFilter());
    if (!path.isEmpty())
        openFile(path);
}

void DocumentController::openFile(const QString &path)
{
    if (refuseWhileSending())
        return;
    setBusy(1, tr("Opening %1…").arg(QFileInfo(path).fileName()));
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        setBusy(-1, QString());
        Loaded result = watcher->future().takeResult(); // moved out, not copied
        if (!result.tpl) {
            emit failed(tr("Could not open the template: %1").arg(result.error.message()));
            return;
        }
        if (refuseWhileSending()) // a send started while the file was read
            return;
        setTemplate(std::move(*result.tpl), path.startsWith(QLatin1Char(':')) ? QString() : path);
        if (!path.startsWith(QLatin1Char(':')))
            addRecent(path);
        emit loaded(path);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        Loaded out;
        auto r = core::loadTemplate(path);
        if (r.ok())
            out.tpl = std::move(r.value());
        else
            out.error = r.error();
        return out;
    }));
}

void DocumentController::loadSample()
{
    openFile(SampleTemplate);
}

bool DocumentController::save()
{
    if (m_path.isEmpty())
        return saveAs();
    return saveTo(m_path);
}

bool DocumentController::saveAs()
{
    QString suggestion = m_path;
    if (suggestion.isEmpty())
        suggestion = (m_document->name().isEmpty() ? tr("batch") : m_document->name()) + QStringLiteral(".kbatch.json");
    QString path = FileDialog::saveFileName(m_window, tr("Save template"), suggestion, templateFilter());
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json")))
        path += QStringLiteral(".kbatch.json");
    return saveTo(path);
}

bool DocumentController::saveTo(const QString &path)
{
    // Synchronous on purpose: closing the window waits for the save it asked for, and serialising is fast.
    core::Template t = snapshot();
    if (t.name.isEmpty())
        t.name = QFileInfo(path).fileName().section(QLatin1Char('.'), 0, 0);
    const core::Status status = core::saveTemplate(t, path);
    if (!status.ok()) {
        emit failed(tr("Could not save the template: %1").arg(status.error().message()));
        return false;
    }
    m_document->setName(t.name);
    m_path = path;
    m_model->undoStack()->setClean();
    m_settingsDirty = false;
    addRecent(path);
    emitTitle();
    return true;
}

bool DocumentController::maybeSave()
{
    if (!isDirty())
        return true;
    const auto answer =
        MessageBox::question(m_window, tr("Unsaved changes"),
                             tr("The batch \"%1\" has unsaved changes. Save them before going on?").arg(displayName()),
                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void DocumentController::importFiles(const QStringList &paths)
{
    // One file after the other, so that the rows land in the order the files were chosen (or dropped) whichever
    // reads faster; each file is one undoable step, and a file that cannot be read does not stop the others.
    if (paths.isEmpty())
        return;
    const QString &path = paths.first();
    const QStringList rest = paths.mid(1);
    setBusy(1, tr("Importing %1…").arg(QFileInfo(path).fileName()));
    auto *watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, path, rest] {
        watcher->deleteLater();
        setBusy(-1, QString());
        Loaded result = watcher->future().takeResult(); // moved out, not copied
        if (result.rows)
            m_model->appendBatch(*result.rows, tr("Import %1").arg(QFileInfo(path).fileName()));
        else
            emit failed(tr("Could not import: %1").arg(result.error.message()));
        importFiles(rest);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        Loaded out;
        // importFile reads templates too (their rows); other formats by extension.
        auto r = core::importFile(path);
        if (r.ok())
            out.rows = std::move(r.value());
        else
            out.error = r.error();
        return out;
    }));
}

void DocumentController::pasteText(const QString &text, qsizetype atRow)
{
    const QString firstLine = text.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    auto rows = firstLine.startsWith(QLatin1Char('{')) ? core::importJsonLines(text.toUtf8(), tr("clipboard"))
                                                       : core::importTsvPaste(text);
    if (!rows.ok()) {
        emit failed(tr("Could not paste: %1").arg(rows.error().message()));
        return;
    }
    m_model->insertBatch(atRow, rows.value(), tr("Paste %n rows", nullptr, int(rows->size())));
}

bool DocumentController::exportResults()
{
    const QString path = FileDialog::saveFileName(m_window, tr("Export results"), tr("results.jsonl"),
                                                  tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    return !path.isEmpty() && exportResultsTo(path);
}

bool DocumentController::exportResultsTo(const QString &path)
{
    // Rebuilt from the compact store only for the rows that were sent; core writes the formats the CLI writes.
    core::DeliveryResults results;
    const ResultStore &store = m_model->results();
    for (qsizetype r = 0; r < store.size(); ++r) {
        const auto &row = store.at(r);
        if (!row.sent())
            continue;
        core::DeliveryResult d;
        d.row = r;
        d.status = row.status();
        d.persisted = row.persisted;
        d.partition = row.partition;
        d.offset = row.offset;
        d.timestamp = row.timestamp;
        d.latencyUs = row.latencyUs == 0xffffffffu ? -1 : qint64(row.latencyUs);
        if (const ResultStore::ErrorInfo *e = store.errorInfo(r)) {
            d.errorCode = e->code;
            d.errorName = e->name;
            d.errorText = e->text;
        }
        results.append(d);
    }
    const QByteArray bytes = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive)
                                 ? core::exportResultsCsv(m_model->batch(), results)
                                 : core::exportResultsJsonLines(m_model->batch(), results);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        emit failed(tr("Could not export the results to %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

QStringList DocumentController::recentFiles() const
{
    return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void DocumentController::addRecent(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > MaxRecent)
        files.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), files);
    updateRecentMenu();
}

void DocumentController::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (const QString &file : files) {
        QAction *a = m_recentMenu->addAction(QFileInfo(file).fileName());
        a->setToolTip(file);
        connect(a, &QAction::triggered, this, [this, file] {
            if (maybeSave())
                openFile(file);
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void DocumentController::emitTitle()
{
    emit titleChanged(displayName(), isDirty());
}

void DocumentController::setBusy(int delta, const QString &what)
{
    m_loading += delta;
    emit busyChanged(m_loading > 0, what);
}

} // namespace kbatch::ui

#include "ui/documents/AutosaveController.h"

#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "ui/documents/DocumentController.h"
#include "ui/widgets/MessageBox.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>
#include <QtConcurrent>

#include <optional>

namespace kbatch::ui {

namespace {
const QLatin1String TemplateSuffix(".kbatch.json");
const QLatin1String MetaSuffix(".meta.json");
const QLatin1String LockSuffix(".lock");

std::unique_ptr<QLockFile> makeLock(const QString &path)
{
    auto lock = std::make_unique<QLockFile>(path);
    // Never stale by age: a session may run for days without rewriting its lock. Only a lock whose process is gone
    // (QLockFile checks the pid and its executable) is stale.
    lock->setStaleLockTime(0);
    return lock;
}
} // namespace

AutosaveController::AutosaveController(DocumentController *document, QWidget *window)
    : QObject(document), m_document(document), m_window(window)
{
    m_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QDir dir(folder());
    m_file = dir.filePath(m_id + TemplateSuffix);
    m_meta = dir.filePath(m_id + MetaSuffix);
    m_editTimer.setSingleShot(true);
    m_editTimer.setInterval(2000);
    m_maxTimer.setSingleShot(true);
    m_maxTimer.setInterval(30000);
    connect(&m_editTimer, &QTimer::timeout, this, &AutosaveController::writeNow);
    connect(&m_maxTimer, &QTimer::timeout, this, &AutosaveController::writeNow);
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &AutosaveController::onWritten);
    connect(m_document, &DocumentController::edited, this, &AutosaveController::onEdited);
    connect(m_document, &DocumentController::titleChanged, this,
            [this](const QString &, bool dirty) { onTitleChanged(dirty); });
}

AutosaveController::~AutosaveController()
{
    // The copy stays (only save or discard remove it); the lock goes, so the next start may offer the copy.
    m_watcher.waitForFinished();
}

QString AutosaveController::folder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

void AutosaveController::setDelays(int afterEditMs, int maxIntervalMs)
{
    m_editTimer.setInterval(afterEditMs);
    m_maxTimer.setInterval(maxIntervalMs);
}

void AutosaveController::onEdited()
{
    if (m_restoring)
        return;
    m_discarded = false;
    m_editTimer.start();
    if (!m_maxTimer.isActive())
        m_maxTimer.start();
}

void AutosaveController::onTitleChanged(bool dirty)
{
    if (m_restoring || dirty)
        return;
    // Saved, or replaced by a new or opened document: nothing unsaved is left to keep.
    m_editTimer.stop();
    m_maxTimer.stop();
    m_again = false;
    // A write in flight would put the copy back: let it finish (a save is synchronous anyway), then remove.
    m_watcher.waitForFinished();
    removeFiles();
}

void AutosaveController::writeNow()
{
    m_editTimer.stop();
    m_maxTimer.stop();
    if (m_discarded || !m_document->isDirty())
        return;
    if (m_writing) {
        m_again = true;
        return;
    }
    if (!ensureLock()) {
        emit autosaveFailed(
            tr("Cannot autosave to %1: the folder is not writable or locked").arg(QDir::toNativeSeparators(folder())));
        return;
    }
    core::Template tpl = m_document->snapshot(); // shares the payload chunks with the editor
    QJsonObject meta{{QStringLiteral("path"), m_document->filePath()}, {QStringLiteral("name"), tpl.name}};
    const QByteArray metaBytes = QJsonDocument(meta).toJson(QJsonDocument::Compact);
    m_writing = true;
    m_watcher.setFuture(QtConcurrent::run([tpl = std::move(tpl), metaBytes, file = m_file, metaFile = m_meta] {
        QSaveFile m(metaFile);
        if (!m.open(QIODevice::WriteOnly) || m.write(metaBytes) != metaBytes.size() || !m.commit())
            return QStringLiteral("%1: %2").arg(metaFile, m.errorString());
        const core::Status status = core::saveTemplate(tpl, file); // QSaveFile: old copy or new, never half
        return status.ok() ? QString() : status.error().message();
    }));
}

void AutosaveController::onWritten()
{
    m_writing = false;
    if (m_stopped)
        return; // the copy stays for the next start
    const QString error = m_watcher.result();
    if (m_discarded || !m_document->isDirty()) {
        // Saved or discarded while the copy was being written: it must not outlive that.
        removeFiles();
        return;
    }
    if (!error.isEmpty())
        emit autosaveFailed(tr("Autosave failed: %1").arg(error));
    else
        emit autosaved(m_file);
    if (m_again) {
        m_again = false;
        m_editTimer.start();
        if (!m_maxTimer.isActive())
            m_maxTimer.start();
    }
}

void AutosaveController::discard()
{
    m_discarded = true;
    m_editTimer.stop();
    m_maxTimer.stop();
    m_watcher.waitForFinished();
    removeFiles();
}

void AutosaveController::stop()
{
    disconnect(m_document, nullptr, this, nullptr);
    m_editTimer.stop();
    m_maxTimer.stop();
    m_watcher.waitForFinished();
    m_again = false;
    m_stopped = true;
}

void AutosaveController::removeFiles()
{
    QFile::remove(m_file);
    QFile::remove(m_meta);
}

bool AutosaveController::ensureLock()
{
    if (m_lock)
        return true;
    if (!QDir().mkpath(folder()))
        return false;
    auto lock = makeLock(QDir(folder()).filePath(m_id + LockSuffix));
    if (!lock->tryLock(0))
        return false;
    m_lock = std::move(lock);
    return true;
}

bool AutosaveController::offerRestore()
{
    const QDir dir(folder());
    if (!dir.exists())
        return false;
    // Locks of sessions that ended without a copy (killed while clean): tidy them away.
    const QStringList locks = dir.entryList({QStringLiteral("*") + LockSuffix}, QDir::Files);
    for (const QString &lockName : locks) {
        const QString base = lockName.chopped(LockSuffix.size());
        if (base == m_id || dir.exists(base + TemplateSuffix))
            continue;
        auto lock = makeLock(dir.filePath(lockName));
        lock->tryLock(0); // takes a stale lock over; its destructor removes it
    }

    std::optional<Orphan> found;
    const QFileInfoList copies = dir.entryInfoList({QStringLiteral("*") + TemplateSuffix}, QDir::Files, QDir::Time);
    for (const QFileInfo &info : copies) {
        const QString base = info.fileName().chopped(TemplateSuffix.size());
        if (base == m_id)
            continue;
        auto lock = makeLock(dir.filePath(base + LockSuffix));
        if (!lock->tryLock(0))
            continue; // another running KBatch's copy
        Orphan orphan;
        orphan.file = info.absoluteFilePath();
        orphan.when = info.lastModified();
        orphan.lock = std::move(lock);
        QFile meta(dir.filePath(base + MetaSuffix));
        if (meta.open(QIODevice::ReadOnly)) {
            const QJsonObject o = QJsonDocument::fromJson(meta.readAll()).object();
            orphan.path = o.value(QStringLiteral("path")).toString();
            orphan.name = o.value(QStringLiteral("name")).toString();
        }
        found = std::move(orphan);
        break;
    }
    if (!found)
        return false;
    Orphan &orphan = *found;

    auto tpl = core::loadTemplate(orphan.file);
    if (!tpl.ok()) {
        // Cannot happen with atomic writes unless the file was changed by hand; set it aside rather than offering
        // it at every start.
        const QString aside = orphan.file + QStringLiteral(".unreadable");
        QFile::rename(orphan.file, aside);
        MessageBox::error(m_window, tr("Restore"),
                          tr("An autosaved batch could not be read and was set aside as %1: %2")
                              .arg(QDir::toNativeSeparators(aside), tpl.error().message()));
        return false;
    }

    QString what;
    if (!orphan.path.isEmpty())
        what = tr("\"%1\" (%2)").arg(QFileInfo(orphan.path).fileName(), QDir::toNativeSeparators(orphan.path));
    else if (!orphan.name.isEmpty())
        what = tr("the untitled batch \"%1\"").arg(orphan.name);
    else
        what = tr("an untitled batch");
    const QString text =
        tr("KBatch did not close normally. Unsaved changes to %1 were autosaved at %2 (%Ln row(s)).\n\n"
           "Restore them, or discard them?",
           nullptr, int(tpl->messages.size()))
            .arg(what, QLocale().toString(orphan.when, QLocale::ShortFormat));
    const auto answer = MessageBox::question(
        m_window, tr("Restore unsaved changes"), text, QMessageBox::Open | QMessageBox::Discard, QMessageBox::Open,
        {{QMessageBox::Open, tr("&Restore")}, {QMessageBox::Discard, tr("&Discard")}});
    if (answer == QMessageBox::Discard) {
        QFile::remove(orphan.file);
        QFile::remove(orphan.file.chopped(TemplateSuffix.size()) + MetaSuffix);
        return false; // the orphan's lock is released (and its file removed) on return
    }
    if (answer != QMessageBox::Open)
        return false; // closed without an answer: offered again next time

    adopt(orphan);
    m_restoring = true;
    m_document->restoreTemplate(tpl.value(), orphan.path);
    m_restoring = false;
    return true;
}

void AutosaveController::adopt(Orphan &orphan)
{
    // This session carries on with the orphan's files: its next autosave replaces the copy, and a save or discard
    // removes it.
    m_lock = std::move(orphan.lock);
    m_file = orphan.file;
    m_id = QFileInfo(m_file).fileName().chopped(TemplateSuffix.size());
    m_meta = QDir(folder()).filePath(m_id + MetaSuffix);
}

} // namespace kbatch::ui

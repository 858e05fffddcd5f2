#pragma once

#include <QDateTime>
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

class QLockFile;
class QWidget;

namespace kbatch::ui {

class DocumentController;

// Crash-safe editing: while the document has unsaved changes it is written (atomically, in the template format)
// to the app's data folder a short delay after the last edit and at least every maxInterval(); the copy goes away
// when the document is saved, or becomes clean otherwise, or the user discards it on close. A copy left behind by
// a crash or kill -9 is offered for restore at the next start.
//
// Each session writes "<id>.kbatch.json" (the rows) and "<id>.meta.json" (the template's own path and name) and holds
// "<id>.lock" (QLockFile) while it runs, so a second running instance never offers the first one's copy; a lock
// whose process is gone is stale and the copy is an orphan. Writing happens on a worker thread from a snapshot
// (payload chunks are shared, not copied), so a large batch does not stall typing.
class AutosaveController : public QObject
{
    Q_OBJECT
public:
    AutosaveController(DocumentController *document, QWidget *window);
    ~AutosaveController() override;

    static QString folder(); // QStandardPaths::AppDataLocation + "/autosave"
    QString filePath() const { return m_file; }

    // For tests: the delay after the last edit (2 s) and the longest time edits stay unsaved (30 s).
    void setDelays(int afterEditMs, int maxIntervalMs);
    int maxInterval() const { return m_maxTimer.interval(); }

    // At start: when an autosaved copy of a crashed session exists, asks Restore / Discard. Restore puts its rows
    // in the document (dirty, with the original template path) and returns true. Any other answer keeps the copy
    // for the next start, except Discard, which deletes it.
    bool offerRestore();

    // The user dropped the unsaved changes (or closed with the document clean): the copy goes. Waits for a write in
    // flight, so none lands after this.
    void discard();

    // The window is going away (without a close, as at a crash or quit): from now on nothing the dying document
    // signals touches the copy, which stays for the next start.
    void stop();

signals:
    void autosaved(const QString &path);
    void autosaveFailed(const QString &message);

private:
    struct Orphan
    {
        QString file;
        QString path; // the template's own file; empty when untitled
        QString name;
        QDateTime when;
        std::unique_ptr<QLockFile> lock;
    };
    void onEdited();
    void onTitleChanged(bool dirty);
    void writeNow();
    void onWritten();
    void removeFiles();
    bool ensureLock();
    void adopt(Orphan &orphan);

    DocumentController *m_document;
    QWidget *m_window;
    QTimer m_editTimer; // restarted by each edit
    QTimer m_maxTimer;  // started by the first unsaved edit, not restarted
    QFutureWatcher<QString> m_watcher;
    std::unique_ptr<QLockFile> m_lock;
    QString m_id;
    QString m_file;
    QString m_meta;
    bool m_writing = false;
    bool m_again = false; // an edit came while writing
    bool m_restoring = false;
    bool m_discarded = false;
    bool m_stopped = false;
};

} // namespace kbatch::ui

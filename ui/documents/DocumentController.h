#pragma once

#include "core/model/Template.h"

#include <QObject>
#include <QStringList>

class QMenu;
class QWidget;

class QUndoStack;

namespace kbatch::ui {

class BatchTableModel;
class DocumentModel;

// The open template as a document: New, Open, Save, Save As, recent files, imports, and the dirty state (the undo
// stack's clean state plus edits of the DocumentModel: topic and producer settings). Files are read on a worker thread
// and the result is delivered to this object, so a closed window never receives a late callback.
class DocumentController : public QObject
{
    Q_OBJECT
public:
    DocumentController(BatchTableModel *model, DocumentModel *document, QWidget *window);

    QString filePath() const { return m_path; }
    QString displayName() const;
    bool isDirty() const;
    bool isLoading() const { return m_loading > 0; }

    core::Template snapshot() const;
    // By value: the rows are moved in, not copied. Refused, with failed(), while a send runs.
    void setTemplate(core::Template tpl, const QString &path);
    // As setTemplate(), but the document stays dirty: rows recovered from an autosave are not on disk at `path`.
    void restoreTemplate(core::Template tpl, const QString &path);

    // New and Open are refused, with failed(), while a send runs.
    void newDocument();
    void open();                        // asks for a file
    void openFile(const QString &path); // after maybeSave(); asynchronous
    bool save();
    bool saveAs();
    bool maybeSave();                           // true when it is fine to drop the current document
    void importFiles(const QStringList &paths); // appended as one undoable import per file; asynchronous
    // Clipboard text as rows at `atRow`: JSON Lines (what "Copy as JSON Lines" and kcat -J give) when the first
    // non-blank line starts with '{', else spreadsheet cells (TSV). One undo step.
    void pasteText(const QString &text, qsizetype atRow);
    void loadSample();    // the first-start template from resources
    bool exportResults(); // asks for a .jsonl or .csv file; one line per sent row
    bool exportResultsTo(const QString &path);

    QMenu *recentMenu() const { return m_recentMenu; }
    QStringList recentFiles() const;

signals:
    void titleChanged(const QString &name, bool dirty);
    void edited(); // rows, topic or producer settings changed (an undo or redo too)
    void loaded(const QString &path);
    void failed(const QString &message);
    void busyChanged(bool busy, const QString &what);

private:
    bool refuseWhileSending(); // true, and says so, while a send runs
    bool saveTo(const QString &path);
    void addRecent(const QString &path);
    void updateRecentMenu();
    void emitTitle();
    void setBusy(int delta, const QString &what);

    BatchTableModel *m_model;
    QUndoStack *m_undoStack;
    DocumentModel *m_document;
    QWidget *m_window;
    QMenu *m_recentMenu;
    QString m_path;
    bool m_settingsDirty = false;
    int m_loading = 0;
};

} // namespace kbatch::ui

#pragma once

#include "ui/batch/GenerateDialog.h"

#include <QObject>

#include <cstdint>
#include <functional>

class QWidget;

namespace kbatch::ui {

class BatchTableModel;
class BatchView;
class DocumentController;
class FindBar;

// The Edit menu's row actions on the batch table: new, duplicate, delete, move, copy (TSV, JSON Lines), paste,
// select by result, find and generate. The actions belong to the window (found there by objectName); the ones that
// would take a key from a text editor (Del, Ctrl+C, Ctrl+V) work only while the table has focus.
class RowActions : public QObject
{
    Q_OBJECT
public:
    RowActions(QWidget *window, BatchTableModel *model, BatchView *view, DocumentController *document, FindBar *find);

    // Inserts `count` rows generated from `row` right after it, as one undoable edit. False (and a message box) on
    // an error such as an unknown placeholder.
    bool generateFromRow(qsizetype row, qsizetype count, std::uint64_t seed, const GenerateFill &fill = {});
    // The open document's schemas as random values, for the Generate dialog's "random values from the schema"
    // (asked each time it opens; empty functions for parts sent as bytes).
    void setSchemaFillProvider(std::function<core::SchemaFill()> provider) { m_schemaFill = std::move(provider); }

signals:
    void messageShown(const QString &message); // for the status bar

private:
    void addRow();
    void moveCurrentRow(int delta);
    void pasteRows();
    void openGenerateDialog();

    QWidget *m_window;
    BatchTableModel *m_model;
    BatchView *m_view;
    DocumentController *m_document;
    std::function<core::SchemaFill()> m_schemaFill;
};

} // namespace kbatch::ui

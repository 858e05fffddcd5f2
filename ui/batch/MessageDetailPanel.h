#pragma once

#include "core/model/Message.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTableWidget;

namespace kbatch::ui {

class BatchTableModel;
class PayloadEditor;
class SchemaContext;
class SchemaSection;
class TimestampEdit;

// The detail editor of the current row: key, value, headers, partition and timestamp. Every change becomes one
// undoable edit of the row (consecutive edits of one row merge into one step); the panel follows undo and redo.
// Under the editors, once the row was sent, its outcome in full (status, persistence, error, partition / offset,
// latency), of which the table's result columns may show only short forms.
class MessageDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MessageDetailPanel(BatchTableModel *model, QWidget *parent = nullptr);

    void setRow(qsizetype row); // -1: nothing to edit
    qsizetype row() const { return m_row; }
    // Shows, for a typed key or value, its schema, whether the row fits it and the bytes Send will write
    // (SchemaSection). Call once; `context` outlives the panel.
    void setSchemaContext(SchemaContext *context);

private:
    void follow(); // the row's number after rows were inserted, removed or moved
    void updateLock();
    void updateOutcome();
    void load();
    void apply();
    core::Message collect() const;
    void addHeaderRow(const core::Header &header);
    void updateSchema();

    BatchTableModel *m_model;
    qsizetype m_row = -1;
    std::uint64_t m_rowId = 0; // BatchTableModel::rowId(); 0: none
    bool m_loading = false;
    QLabel *m_title;
    PayloadEditor *m_key;
    PayloadEditor *m_value;
    QTableWidget *m_headers;
    QCheckBox *m_partitionAuto;
    QSpinBox *m_partition;
    QCheckBox *m_timestampAuto;
    TimestampEdit *m_timestamp;
    QLabel *m_outcome;
    QTabWidget *m_schemaTabs = nullptr; // a tab per typed part; hidden when neither is typed
    SchemaSection *m_keySchema = nullptr;
    SchemaSection *m_valueSchema = nullptr;
    QSplitter *m_splitter;
};

} // namespace kbatch::ui

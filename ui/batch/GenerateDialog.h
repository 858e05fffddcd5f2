#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace kbatch::ui {

// "Generate N rows from this row": count, seed and a live preview of the first rows, using the row's placeholders
// ({{seq}}, {{uuid}}, {{now}}, ...). The caller inserts generated() as one undoable edit.
class GenerateDialog : public QDialog
{
    Q_OBJECT
public:
    GenerateDialog(const core::Message &row, QWidget *parent = nullptr);

    qsizetype count() const;
    std::uint64_t seed() const;
    void setCount(qsizetype count);
    void setSeed(std::uint64_t seed);
    QString previewText() const;

    // The rows to insert, or an Error (unknown placeholder ...).
    static core::Result<core::Batch> generate(const core::Message &row, qsizetype count, std::uint64_t seed);

private:
    void updatePreview();

    core::Message m_row;
    QSpinBox *m_count;
    QLineEdit *m_seed;
    QPlainTextEdit *m_preview;
    QLabel *m_error;
};

} // namespace kbatch::ui

#pragma once

#include "core/generate/Generator.h"
#include "core/model/Batch.h"
#include "core/model/Error.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace kbatch::ui {

// Which parts of generated rows to fill from their schema, and the schemas' random values.
struct GenerateFill
{
    core::SchemaFill schemas;
    bool key = false;
    bool value = false;
};

// "Generate N rows from this row": count, seed and a live preview of the first rows, using the row's placeholders
// ({{seq}}, {{uuid}}, {{now}}, ...). The caller inserts generated() as one undoable edit.
//
// With the document's schemas at hand (setSchemaFill()), the key and the value can each be filled with random values
// that fit its schema, the row's own JSON laid over them (as a template's "fill" generator row does at send time).
class GenerateDialog : public QDialog
{
    Q_OBJECT
public:
    GenerateDialog(const core::Message &row, QWidget *parent = nullptr);

    // Offers "Random values from the schema" for each part that `fill` has a function for (unchecked at first).
    void setSchemaFill(const core::SchemaFill &fill);
    GenerateFill fill() const;
    void setFillValue(bool on);

    qsizetype count() const;
    std::uint64_t seed() const;
    void setCount(qsizetype count);
    void setSeed(std::uint64_t seed);
    QString previewText() const;

    // The rows to insert, or an Error (unknown placeholder ...).
    static core::Result<core::Batch> generate(const core::Message &row, qsizetype count, std::uint64_t seed,
                                              const GenerateFill &fill = {});

private:
    void updatePreview();

    core::Message m_row;
    QSpinBox *m_count;
    QLineEdit *m_seed;
    QPlainTextEdit *m_preview;
    QCheckBox *m_fillKey;
    QCheckBox *m_fillValue;
    core::SchemaFill m_schemas;
    QLabel *m_error;
};

} // namespace kbatch::ui

#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"
#include "core/model/SerializerSettings.h"
#include "core/schema/SchemaResolver.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <optional>

namespace kbatch::ui {

class BatchTableModel;
class SchemaContext;

// Checks the batch's rows against the key's and value's schemas (SchemaContext) as they are edited, and marks the
// rows that do not fit in the table (BatchTableModel::setSchemaMark): the JSON path and the reason, as the codec
// says them ("$.items[2].qty: expected int, got a string"). It disables nothing: a row that does not fit is kept as
// typed and only Send refuses it (firstMismatch()).
//
// Speed: an edit checks the edited rows at once (a row costs microseconds). A new codec, or a paste of many rows,
// starts a pass over the rows in slices of a few milliseconds each on the GUI thread's event loop, so that the
// window never waits for a big batch; the marks of a slice are announced with one repaint. GUI thread only.
class RowChecker : public QObject
{
    Q_OBJECT
public:
    RowChecker(BatchTableModel *model, SchemaContext *context, QObject *parent = nullptr);

    struct Mismatch
    {
        qsizetype row = -1;
        core::PayloadPart part = core::PayloadPart::Value;
        QString problem; // as the row's mark says it
    };
    // The first row, in the batch's order, whose key or value does not fit its schema; nullopt when all fit (or
    // nothing is typed). Finishes a pass still under way first, on the calling thread: for Send, which must not
    // send what was not checked. Rows that are not checked: generator rows (their placeholders are filled at send).
    std::optional<Mismatch> firstMismatch();
    // firstMismatch() as a Status for Send to refuse with: "Row 3: the value does not fit its schema (...): $.qty:
    // expected int, got a string. Nothing was sent: ...".
    core::Status checkAll();
    // True while a pass over the rows is under way.
    bool isChecking() const { return m_cursor >= 0; }

    // Whether `row`'s `part` fits `codec`: nothing when it does, else the codec's error, with the JSON path in
    // `field` (no line and column: the row's JSON is kept compact, so they would not point into what was typed).
    // A null part fits (it is sent as null); a base64 payload does not (typed parts are written as JSON); a
    // generator row is not checked. `scratch` is reused between calls. Any thread.
    static std::optional<core::Error> check(const core::Batch &batch, qsizetype row, core::PayloadPart part,
                                            const core::ResolvedCodec &codec, QByteArray &scratch);
    // What a row's mark says for `error` from check(): which part, which schema, the path and the reason.
    static QString markText(core::PayloadPart part, const core::ResolvedCodec &codec, const core::Error &error);

signals:
    void passFinished(); // a pass over the whole batch ended (every row has its mark or none)

private:
    void restart();
    void startPass();
    void runSlice(qint64 budgetMs); // budget < 0: to the end
    bool checkRow(qsizetype row);   // true when its marks changed
    void checkRange(qsizetype first, qsizetype last);

    BatchTableModel *m_model;
    SchemaContext *m_context;
    QTimer m_slice;
    qsizetype m_cursor = -1; // the next row of the running pass; -1: none runs
    QByteArray m_scratch;
};

} // namespace kbatch::ui

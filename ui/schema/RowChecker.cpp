#include "ui/schema/RowChecker.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/schema/SchemaContext.h"

#include <QElapsedTimer>

namespace kbatch::ui {

using core::PayloadPart;

namespace {
// A slice of a pass: short enough that typing and scrolling stay smooth (a frame at 60 Hz is 16 ms).
constexpr qint64 SliceMs = 8;
// Edits of up to this many rows at once are checked on the spot; more (a paste, an import) start a pass.
constexpr qsizetype CheckAtOnce = 2000;
} // namespace

RowChecker::RowChecker(BatchTableModel *model, SchemaContext *context, QObject *parent)
    : QObject(parent), m_model(model), m_context(context)
{
    m_slice.setSingleShot(false);
    m_slice.setInterval(0);
    connect(&m_slice, &QTimer::timeout, this, [this] { runSlice(SliceMs); });
    connect(m_context, &SchemaContext::changed, this, &RowChecker::restart);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                // The marks' own repaints and the result columns' say nothing new about the key or the value.
                if (tl.column() > BatchTableModel::Value ||
                    (!roles.isEmpty() && !roles.contains(Qt::DisplayRole) && !roles.contains(Qt::EditRole)))
                    return;
                checkRange(tl.row(), br.row());
            });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        if (m_cursor > first)
            m_cursor += last - first + 1;
        checkRange(first, last);
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
        // Marks are kept by row id: a removed row's mark is never shown again (and an undo brings the row back as
        // it was, mark and all). Only the pass's place moves.
        if (m_cursor > last)
            m_cursor -= last - first + 1;
        else if (m_cursor > first)
            m_cursor = first;
    });
    connect(m_model, &QAbstractItemModel::rowsMoved, this, [this] {
        if (isChecking())
            startPass(); // a moved row may have jumped the pass's place: start over rather than miss it
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &RowChecker::restart);
}

std::optional<core::Error> RowChecker::check(const core::Batch &batch, qsizetype row, PayloadPart part,
                                             const core::ResolvedCodec &codec, QByteArray &scratch)
{
    if (!codec.codec || batch.generate(row))
        return std::nullopt;
    const bool key = part == PayloadPart::Key;
    if (key ? batch.keyIsNull(row) : batch.valueIsNull(row))
        return std::nullopt;
    if ((key ? batch.keyEncoding(row) : batch.valueEncoding(row)) == core::Encoding::Base64)
        return core::Error(tr("%1 payloads are written as JSON, not as base64 bytes: retype the value as JSON, or "
                              "send bytes as they are (a copy from Peek, say) from a batch whose %2 is bytes")
                               .arg(core::displayName(codec.codec->format()), key ? tr("key") : tr("value")));
    scratch.resize(0);
    const core::Status encoded = codec.codec->encode(key ? batch.key(row) : batch.value(row), scratch);
    if (encoded)
        return std::nullopt;
    core::Error e = encoded.error();
    e.line = e.column = 0;
    return e;
}

QString RowChecker::markText(PayloadPart part, const core::ResolvedCodec &codec, const core::Error &error)
{
    const core::Schema &s = codec.schema;
    QString schema = core::displayName(s.format);
    if (s.format == core::SchemaFormat::Protobuf && codec.codec)
        schema += QLatin1Char(' ') + codec.codec->recordName(); // a file may hold several message types
    if (!codec.source.isEmpty())
        schema += tr(" from %1").arg(codec.source);
    if (!s.subject.isEmpty())
        schema += QLatin1String(", ") + s.subject;
    if (s.version > 0)
        schema += tr(" v%1").arg(s.version);
    if (s.id > 0)
        schema += tr(" (id %1)").arg(s.id);
    return (part == PayloadPart::Key ? tr("The key does not fit its schema (%1): %2")
                                     : tr("The value does not fit its schema (%1): %2"))
        .arg(schema, error.message());
}

bool RowChecker::checkRow(qsizetype row)
{
    bool changed = false;
    for (const PayloadPart part : {PayloadPart::Key, PayloadPart::Value}) {
        const SchemaContext::Part &p = m_context->part(part);
        QString text;
        if (p.typed()) {
            if (const auto error = check(m_model->batch(), row, part, p.codec, m_scratch))
                text = markText(part, p.codec, *error);
        }
        if (m_model->schemaMark(row, part) != text) {
            m_model->setSchemaMark(row, part, text);
            changed = true;
        }
    }
    return changed;
}

void RowChecker::checkRange(qsizetype first, qsizetype last)
{
    if (!m_context->part(PayloadPart::Key).typed() && !m_context->part(PayloadPart::Value).typed())
        return;
    if (last - first + 1 > CheckAtOnce) {
        if (!isChecking() || m_cursor > first)
            startPass();
        return;
    }
    qsizetype changedFirst = -1, changedLast = -1;
    for (qsizetype row = first; row <= last && row < m_model->batch().size(); ++row) {
        if (checkRow(row)) {
            if (changedFirst < 0)
                changedFirst = row;
            changedLast = row;
        }
    }
    if (changedFirst >= 0)
        m_model->announceSchemaMarks(changedFirst, changedLast);
}

void RowChecker::restart()
{
    m_model->clearSchemaMarks();
    m_slice.stop();
    m_cursor = -1;
    if (m_context->part(PayloadPart::Key).typed() || m_context->part(PayloadPart::Value).typed())
        startPass();
}

void RowChecker::startPass()
{
    m_cursor = 0;
    // The first slice at once: a small batch is marked before the window next paints.
    runSlice(SliceMs);
    if (isChecking())
        m_slice.start();
}

void RowChecker::runSlice(qint64 budgetMs)
{
    if (m_cursor < 0)
        return;
    QElapsedTimer clock;
    clock.start();
    const qsizetype n = m_model->batch().size();
    qsizetype changedFirst = -1, changedLast = -1;
    while (m_cursor < n) {
        if (checkRow(m_cursor)) {
            if (changedFirst < 0)
                changedFirst = m_cursor;
            changedLast = m_cursor;
        }
        ++m_cursor;
        // The clock is read every 64 rows: reading it costs more than checking a small row.
        if (budgetMs >= 0 && (m_cursor & 63) == 0 && clock.elapsed() >= budgetMs)
            break;
    }
    if (changedFirst >= 0)
        m_model->announceSchemaMarks(changedFirst, changedLast);
    if (m_cursor >= n) {
        m_cursor = -1;
        m_slice.stop();
        emit passFinished();
    }
}

std::optional<RowChecker::Mismatch> RowChecker::firstMismatch()
{
    runSlice(-1);
    if (!m_model->hasSchemaMarks())
        return std::nullopt;
    const qsizetype n = m_model->batch().size();
    for (qsizetype row = 0; row < n; ++row) {
        for (const PayloadPart part : {PayloadPart::Key, PayloadPart::Value}) {
            if (QString problem = m_model->schemaMark(row, part); !problem.isEmpty())
                return Mismatch{row, part, std::move(problem)};
        }
    }
    return std::nullopt;
}

core::Status RowChecker::checkAll()
{
    const auto mismatch = firstMismatch();
    if (!mismatch)
        return core::Ok{};
    return core::Error(tr("Row %1: %2. Nothing was sent: fix the row in the Message editor.")
                           .arg(QLocale().toString(qlonglong(mismatch->row + 1)), mismatch->problem));
}

} // namespace kbatch::ui

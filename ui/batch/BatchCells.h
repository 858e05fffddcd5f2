#pragma once

#include "core/model/Batch.h"
#include "core/model/Error.h"
#include "core/model/SerializerSettings.h"
#include "ui/batch/ResultStore.h"
#include "ui/batch/RowIds.h"

#include <QHash>

#include <QFont>
#include <QLocale>
#include <QVariant>

#include <array>
#include <optional>

namespace kbatch::ui {

// What each cell of the batch table shows, for every role: texts built only for the cells a view asks for, from the
// rows and their results as they are now. BatchTableModel's data() and headerData().
class BatchCells
{
public:
    // Why a row's key ([0]) or value ([1]) does not fit its schema, by row id; rows that fit are not in it.
    using SchemaMarks = QHash<RowIds::Id, std::array<QString, 2>>;

    BatchCells(const core::Batch &batch, const ResultStore &results, const RowIds &ids, const SchemaMarks &marks);

    QVariant data(int row, int column, int role) const;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const;

    // `bytes` as text (base64 when so encoded), at most `maxChars` characters (all of it when negative).
    static QString payloadText(QByteArrayView bytes, core::Encoding encoding, int maxChars);
    // A status in a word or so ("written?" for "possibly written").
    static QString shortStatusLabel(core::DeliveryStatus status);

private:
    QVariant displayText(int row, int column, bool full) const;
    // Why the Key or Value cell's JSON is not valid JSON; nothing when it is, or is not JSON.
    std::optional<core::Error> jsonError(int row, int column) const;
    QVariant shortText(int row, int column) const;
    // Why the Key or Value cell does not fit its schema; empty when it does (or is not typed).
    QString schemaProblem(int row, int column) const;

    const core::Batch &m_batch;
    const ResultStore &m_results;
    const RowIds &m_ids;
    const SchemaMarks &m_marks;
    QFont m_mono;
    QLocale m_locale;
};

} // namespace kbatch::ui

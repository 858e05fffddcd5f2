#pragma once

#include "core/model/DeliveryResult.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace kbatch::ui {

// The delivery outcome of every editor row, kept compactly: 24 bytes per row and no QString per row. Error texts
// are interned in a side table because a failing send tends to repeat the same few messages a million times.
class ResultStore
{
public:
    enum class State : std::uint8_t {
        NotSent = 0xff, // never part of a job since the row was created or edited
    };
    static constexpr std::uint32_t NoError = 0xffffffffu;

    struct RowResult
    {
        std::int64_t offset = -1;
        std::int32_t partition = -1;
        std::uint32_t latencyUs = 0xffffffffu;             // unknown when all ones
        std::uint32_t error = NoError;                     // index into the error table
        std::uint8_t state = std::uint8_t(State::NotSent); // a core::DeliveryStatus value, or NotSent
        core::Persisted persisted = core::Persisted::NotPersisted;

        bool sent() const { return state != std::uint8_t(State::NotSent); }
        core::DeliveryStatus status() const { return core::DeliveryStatus(state); }
    };
    static_assert(sizeof(RowResult) == 24, "a million rows of results should stay at 24 MB");

    qsizetype size() const { return qsizetype(m_rows.size()); }
    const RowResult &at(qsizetype row) const { return m_rows[std::size_t(row)]; }

    void resize(qsizetype rows);
    void insert(qsizetype row, qsizetype count);
    void remove(qsizetype row, qsizetype count);
    void move(qsizetype from, qsizetype to);
    void reset(qsizetype row); // back to "not sent"
    void resetAll();
    void markPending(qsizetype row);
    void set(qsizetype row, const core::DeliveryResult &result);

    QString errorText(qsizetype row) const;

private:
    std::uint32_t intern(const QString &text);

    std::vector<RowResult> m_rows;
    QStringList m_errors;
    QHash<QString, std::uint32_t> m_errorIndex;
};

} // namespace kbatch::ui

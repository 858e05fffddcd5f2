#pragma once

#include "core/model/DeliveryResult.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace kbatch::ui {

// The delivery outcome of every editor row, kept compactly: 32 bytes per row and no QString per row. Errors (code,
// name, text) are interned in a side table because a failing send tends to repeat the same few a million times.
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
        std::int64_t timestamp = -1; // the message's timestamp as stored; -1 unknown
        std::int32_t partition = -1;
        std::uint32_t latencyUs = 0xffffffffu;             // unknown when all ones
        std::uint32_t error = NoError;                     // index into the error table
        std::uint8_t state = std::uint8_t(State::NotSent); // a core::DeliveryStatus value, or NotSent
        core::Persisted persisted = core::Persisted::NotPersisted;
        // Pending in an atomic send, and handed to the producer: its outcome comes when the transaction ends.
        bool inTransaction = false;
        // The schema ids the row went out with (a send through a Schema Registry): an index into schemaIds(); 0 none.
        std::uint8_t schemas = 0;

        bool sent() const { return state != std::uint8_t(State::NotSent); }
        core::DeliveryStatus status() const { return core::DeliveryStatus(state); }
    };
    static_assert(sizeof(RowResult) == 32, "a million rows of results should stay at 32 MB");

    struct ErrorInfo
    {
        int code = 0;
        QString name; // e.g. "MSG_SIZE_TOO_LARGE"; may be empty
        QString text;
    };

    qsizetype size() const { return m_size; }
    // Until something is sent every row is "not sent", and no storage is allocated for it: opening a million-row
    // file must not spend the UI thread on 32 MB of "not sent" records.
    const RowResult &at(qsizetype row) const { return m_rows.empty() ? notSent() : m_rows[std::size_t(row)]; }

    void resize(qsizetype rows);
    void insert(qsizetype row, qsizetype count);
    void remove(qsizetype row, qsizetype count);
    void move(qsizetype from, qsizetype to);
    void reset(qsizetype row); // back to "not sent"
    void resetAll();
    void markPending(qsizetype row);
    void markAllPending();                 // as resetAll() and markPending() on every row, in one pass
    void markInTransaction(qsizetype row); // a pending row only
    void set(qsizetype row, const core::DeliveryResult &result);

    // The largest partition and offset any row has had since the last resetAll(): how wide the Offset column must be.
    std::int32_t maxPartition() const { return m_maxPartition; }
    std::int64_t maxOffset() const { return m_maxOffset; }

    // The key's and the value's schema id a send encodes with (0: that part as bytes), for the rows set() is given
    // from now until the next call; (0, 0) for a send without a registry.
    void setSendSchemaIds(int keyId, int valueId);
    // The row's (key, value) schema ids; (0, 0) when it was not sent through a registry.
    std::pair<int, int> schemaIds(qsizetype row) const;
    // The largest key and value schema ids any send has used (how wide the Schema column must be).
    std::pair<int, int> largestSchemaIds() const;

    QString errorText(qsizetype row) const;                // "NAME: text", as the Error column shows it
    const ErrorInfo *errorInfo(qsizetype row) const;       // null when the row has no error
    bool hasErrors() const { return !m_errors.isEmpty(); } // some row has had an error since the last clear

private:
    std::uint32_t intern(const core::DeliveryResult &result);

    static const RowResult &notSent();
    void allocate(); // gives every row its record (all "not sent") before the first change

    qsizetype m_size = 0;
    std::vector<RowResult> m_rows; // empty, or m_size records
    std::int32_t m_maxPartition = 0;
    std::int64_t m_maxOffset = 0;
    QList<std::pair<int, int>> m_schemaIds{{0, 0}}; // per distinct pair, not per row; index 0 is none
    std::uint8_t m_sendSchemas = 0;
    QList<ErrorInfo> m_errors;
    QHash<QString, std::uint32_t> m_errorIndex;
};

} // namespace kbatch::ui

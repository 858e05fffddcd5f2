#pragma once

#include <QtGlobal>

#include <cstdint>
#include <optional>

namespace kbatch::core {

// What a produced message's opaque carries: its job row and when it was created, so that its delivery report can say
// the create time the message carries without a table per row (librdkafka's mock cluster, the sandbox, answers every
// produce with a made-up log-append time, which overwrites the create time in the report). 36 bits of row (68
// billion rows a job) and 28 bits of milliseconds since the job started (74 hours; later rows have no time and fall
// back to an estimate). Internal to core/kafka; any thread.
struct MessageOpaque
{
    static constexpr int RowBits = 36;
    static constexpr qint64 MaxRows = qint64(1) << RowBits; // rows 0 .. MaxRows - 1
    static constexpr std::int64_t NoTime = (std::int64_t(1) << (64 - RowBits)) - 1;

    // `row` must be below MaxRows: the producer stops a job before that.
    static void *pack(qint64 row, std::int64_t sinceStartMs)
    {
        Q_ASSERT(row >= 0 && row < MaxRows);
        const std::uint64_t t =
            sinceStartMs >= 0 && sinceStartMs < NoTime ? std::uint64_t(sinceStartMs) : std::uint64_t(NoTime);
        // librdkafka carries a pointer per message; the row and the time are the pointer, nothing is allocated. It
        // is never dereferenced, only unpacked by row() and sinceStartMs().
        // NOLINTNEXTLINE(performance-no-int-to-ptr)
        return reinterpret_cast<void *>(static_cast<std::uintptr_t>((t << RowBits) | (std::uint64_t(row) & RowMask)));
    }
    static qint64 row(const void *opaque) { return qint64(reinterpret_cast<std::uintptr_t>(opaque) & RowMask); }
    static std::optional<std::int64_t> sinceStartMs(const void *opaque)
    {
        const auto t = std::int64_t(reinterpret_cast<std::uintptr_t>(opaque) >> RowBits);
        return t == NoTime ? std::nullopt : std::optional<std::int64_t>(t);
    }

private:
    static constexpr std::uint64_t RowMask = (std::uint64_t(1) << RowBits) - 1;
    static_assert(sizeof(void *) == 8, "the opaque packs 64 bits");
};

} // namespace kbatch::core

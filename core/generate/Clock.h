#pragma once

#include <cstdint>

namespace kbatch::core {

// Where {{now}} and {{now.ms}} read the time. Injectable so that tests (and a reproducible send) get the same bytes.
// Implementations must be callable from any thread, concurrently.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual std::int64_t nowMs() const = 0; // milliseconds since the Unix epoch, UTC
};

// The wall clock (std::chrono::system_clock).
const Clock &systemClock();

// Always the same instant.
class FixedClock final : public Clock
{
public:
    explicit FixedClock(std::int64_t ms) : m_ms(ms) {}
    std::int64_t nowMs() const override { return m_ms; }

private:
    std::int64_t m_ms;
};

} // namespace kbatch::core

#pragma once

#include <cstdint>

namespace kbatch::core {

// The generator's PRNG: xoshiro256** seeded through splitmix64. Written out here (and not std::mt19937_64 with
// std::uniform_int_distribution) because the distributions differ between standard libraries, and a seed must give
// the same bytes on every platform and compiler. Not cryptographic. Not thread-safe: one instance per thread.
class Random
{
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in [0, bound) without modulo bias; bound 0 means the full 64-bit range.
    std::uint64_t below(std::uint64_t bound);

    // splitmix64: also used to derive seeds.
    static std::uint64_t mix(std::uint64_t &state);

private:
    std::uint64_t m_s[4];
};

} // namespace kbatch::core

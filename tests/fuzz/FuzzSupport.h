#pragma once

// Shared by the libFuzzer targets: a QCoreApplication-free environment is enough for core's parsers.

#include <QByteArray>
#include <QByteArrayView>

#include <cstddef>
#include <cstdint>

inline QByteArrayView fuzzInput(const std::uint8_t *data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Aborts (a finding) when a property that must hold does not.
#define FUZZ_ASSERT(cond)                                                                                              \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            qFatal("fuzz property failed: %s (%s:%d)", #cond, __FILE__, __LINE__);                                     \
    } while (false)

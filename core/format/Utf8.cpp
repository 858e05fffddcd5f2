#include "Utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

namespace kbatch::core {

bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const qsizetype len = utf8SequenceLength(p + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xc0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.append(char(0xe0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else {
        out.append(char(0xf0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3f)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    }
}

qsizetype countCharacters(QByteArrayView bytes)
{
    // Every byte but the continuation bytes (10xxxxxx) starts a character. Eight bytes at a time: a byte's top bit
    // set and the bit below it clear marks a continuation byte (a template written on one line makes a reader count
    // a whole window of it each time it moves on, so this runs over every byte of such a file).
    constexpr std::uint64_t TopBits = 0x8080808080808080ULL;
    const char *p = bytes.data();
    qsizetype left = bytes.size();
    qsizetype continuation = 0;
    for (; left >= 8; p += 8, left -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        // One bit per continuation byte, moved to the byte's lowest bit; the multiplication adds the eight bytes
        // into the top one (at most 8, so no carry). std::popcount would be a library call without POPCNT.
        const std::uint64_t marks = (word & ~(word << 1) & TopBits) >> 7;
        continuation += qsizetype((marks * 0x0101010101010101ULL) >> 56);
    }
    for (; left > 0; ++p, --left)
        continuation += (static_cast<unsigned char>(*p) & 0xc0) == 0x80 ? 1 : 0;
    return bytes.size() - continuation;
}

int characterColumn(QByteArrayView data, qsizetype lineStart, qsizetype offset)
{
    const qsizetype from = std::clamp<qsizetype>(lineStart, 0, data.size());
    const qsizetype to = std::clamp<qsizetype>(offset, from, data.size());
    const qsizetype column = 1 + countCharacters(data.sliced(from, to - from));
    return int(std::min<qsizetype>(column, std::numeric_limits<int>::max()));
}

} // namespace kbatch::core

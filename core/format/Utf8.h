#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kbatch::core {

// UTF-8 and hex at the byte level, shared by the JSON reader, the writers, the importers and the placeholder engine,
// so that there is one definition of "valid UTF-8" and of a character column. Pure functions; any thread.

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(QByteArrayView bytes);
// Length of the valid UTF-8 sequence at `p` (its first byte 0x80 or more, `available` bytes readable); 0 if there is
// none. Inline: the JSON reader calls it for every multi-byte character it reads.
inline qsizetype utf8SequenceLength(const unsigned char *p, qsizetype available)
{
    const unsigned char c = p[0];
    qsizetype len;
    char32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (available < len)
        return 0;
    for (qsizetype i = 1; i < len; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}
// The same for the sequence that `bytes` starts with.
inline qsizetype utf8SequenceLength(QByteArrayView bytes)
{
    return bytes.isEmpty() ? 0
                           : utf8SequenceLength(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
}
// Appends code point `cp` (at most U+10FFFF, not a surrogate) in UTF-8.
void appendUtf8(QByteArray &out, char32_t cp);
// Characters (not bytes) in `bytes`: every byte that does not continue a UTF-8 sequence starts one.
qsizetype countCharacters(QByteArrayView bytes);
// The 1-based column in characters of byte `offset` on a line that starts at byte `lineStart` of `data`.
int characterColumn(QByteArrayView data, qsizetype lineStart, qsizetype offset);

inline constexpr char HexDigits[] = "0123456789abcdef";
// 0-15 for a hex digit (either case), -1 for anything else.
constexpr int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace kbatch::core

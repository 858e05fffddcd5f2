#pragma once

#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace kbatch::core {

// Internal to core/format: what the first bytes of a text input say about it.

// The byte order mark a file starts with, if any.
enum class ByteOrderMark { None, Utf8, Utf16LE, Utf16BE, Utf32LE, Utf32BE };
ByteOrderMark byteOrderMark(QByteArrayView data);
qsizetype byteOrderMarkSize(ByteOrderMark bom);
const char *byteOrderMarkName(ByteOrderMark bom); // "UTF-16LE", ...

// Text for the importers, as UTF-8: a UTF-8 byte order mark is dropped, and UTF-16 or UTF-32 text with a byte order
// mark (what Windows tools write as "Unicode") is converted. `data` is set to the UTF-8 text, in `storage` when it was
// converted. An Error names the file, line, column and byte offset of a unit that is no character (a lone surrogate,
// a value past U+10FFFF, a unit cut by the end of the file).
std::optional<Error> textAsUtf8(QByteArrayView &data, QByteArray &storage, const QString &fileName);

// What text cannot hold, for findBinary().
enum BinaryCheck : unsigned {
    NulBytes = 1,    // no text file holds a NUL byte
    InvalidUtf8 = 2, // bytes that are no part of valid UTF-8
};

// The first byte within the first `limit` bytes of `data` (4 KiB: a quick look at a file's start) that `checks` say
// text cannot hold. A character cut at the limit is whole when more of `data` follows.
struct BadByte
{
    qsizetype offset = 0;
    int line = 1;
    int column = 1; // in characters
    unsigned char byte = 0;
    // "byte 0x89 at byte offset 0"
    QString describe() const;
};
std::optional<BadByte> findBinary(QByteArrayView data, unsigned checks = NulBytes | InvalidUtf8,
                                  qsizetype limit = 4096);

} // namespace kbatch::core

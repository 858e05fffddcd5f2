#pragma once

// Text as Windows tools write it: UTF-16 or UTF-32 with a byte order mark.

#include <QByteArray>
#include <QString>

namespace kbatch::test {

enum class Utf { Utf16LE, Utf16BE, Utf32LE, Utf32BE };

inline QByteArray encodeWithByteOrderMark(const QString &text, Utf utf)
{
    QByteArray out;
    const bool little = utf == Utf::Utf16LE || utf == Utf::Utf32LE;
    const int unit = utf == Utf::Utf16LE || utf == Utf::Utf16BE ? 2 : 4;
    auto put = [&](char32_t v) {
        for (int i = 0; i < unit; ++i)
            out += char((v >> (8 * (little ? i : unit - 1 - i))) & 0xff);
    };
    put(0xfeff);
    if (unit == 2) {
        for (const QChar c : text)
            put(c.unicode());
    } else {
        for (const char32_t c : text.toUcs4())
            put(c);
    }
    return out;
}

} // namespace kbatch::test

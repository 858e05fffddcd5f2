#include "TextInput.h"

#include "JsonReader.h"
#include "Utf8.h"

#include <algorithm>

namespace kbatch::core {

namespace {

// UTF-16 or UTF-32 units to UTF-8, counting lines and characters for an error's position.
class Converter
{
public:
    Converter(QByteArrayView data, ByteOrderMark bom, const QString &fileName)
        : m_data(data), m_bom(bom), m_file(fileName)
    {}

    std::optional<Error> run(QByteArray &out)
    {
        const bool wide = m_bom == ByteOrderMark::Utf32LE || m_bom == ByteOrderMark::Utf32BE;
        const qsizetype unit = wide ? 4 : 2;
        out.reserve(m_data.size());
        qsizetype at = byteOrderMarkSize(m_bom);
        while (at < m_data.size()) {
            if (m_data.size() - at < unit)
                return fail(at, QStringLiteral("the file ends in the middle of a %1 character").arg(name()));
            char32_t cp = read(at, unit);
            qsizetype next = at + unit;
            if (!wide && cp >= 0xd800 && cp <= 0xdbff) {
                const char32_t low = m_data.size() - next >= 2 ? read(next, 2) : 0;
                if (low < 0xdc00 || low > 0xdfff)
                    return fail(at, QStringLiteral("invalid %1: a high surrogate (0x%2) without a low surrogate")
                                        .arg(name())
                                        .arg(int(cp), 4, 16, QLatin1Char('0')));
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                next += 2;
            } else if (cp >= 0xd800 && cp <= 0xdfff) {
                return fail(at, QStringLiteral("invalid %1: a lone surrogate (0x%2)")
                                    .arg(name())
                                    .arg(int(cp), 4, 16, QLatin1Char('0')));
            } else if (cp > 0x10ffff) {
                return fail(
                    at, QStringLiteral("invalid %1: 0x%2 is not a character").arg(name()).arg(qulonglong(cp), 0, 16));
            }
            appendUtf8(out, cp);
            if (cp == '\n') {
                ++m_line;
                m_column = 1;
            } else {
                ++m_column;
            }
            at = next;
        }
        return std::nullopt;
    }

private:
    QString name() const { return QLatin1String(byteOrderMarkName(m_bom)); }

    char32_t read(qsizetype at, qsizetype unit) const
    {
        const auto *p = reinterpret_cast<const unsigned char *>(m_data.data() + at);
        const bool little = m_bom == ByteOrderMark::Utf16LE || m_bom == ByteOrderMark::Utf32LE;
        char32_t v = 0;
        for (qsizetype i = 0; i < unit; ++i)
            v |= char32_t(p[little ? i : unit - 1 - i]) << (8 * i);
        return v;
    }

    Error fail(qsizetype offset, const QString &text) const
    {
        return Error(text + QStringLiteral(" at byte offset %1").arg(offset), m_file, m_line, m_column);
    }

    QByteArrayView m_data;
    ByteOrderMark m_bom;
    QString m_file;
    int m_line = 1;
    int m_column = 1;
};

} // namespace

ByteOrderMark byteOrderMark(QByteArrayView data)
{
    // UTF-32LE first: its mark starts with UTF-16LE's.
    if (data.startsWith(QByteArrayView("\xFF\xFE\x00\x00", 4)))
        return ByteOrderMark::Utf32LE;
    if (data.startsWith(QByteArrayView("\x00\x00\xFE\xFF", 4)))
        return ByteOrderMark::Utf32BE;
    if (data.startsWith("\xEF\xBB\xBF"))
        return ByteOrderMark::Utf8;
    if (data.startsWith("\xFF\xFE"))
        return ByteOrderMark::Utf16LE;
    if (data.startsWith("\xFE\xFF"))
        return ByteOrderMark::Utf16BE;
    return ByteOrderMark::None;
}

qsizetype byteOrderMarkSize(ByteOrderMark bom)
{
    switch (bom) {
    case ByteOrderMark::None:
        return 0;
    case ByteOrderMark::Utf8:
        return 3;
    case ByteOrderMark::Utf16LE:
    case ByteOrderMark::Utf16BE:
        return 2;
    case ByteOrderMark::Utf32LE:
    case ByteOrderMark::Utf32BE:
        return 4;
    }
    return 0;
}

const char *byteOrderMarkName(ByteOrderMark bom)
{
    switch (bom) {
    case ByteOrderMark::None:
    case ByteOrderMark::Utf8:
        return "UTF-8";
    case ByteOrderMark::Utf16LE:
        return "UTF-16LE";
    case ByteOrderMark::Utf16BE:
        return "UTF-16BE";
    case ByteOrderMark::Utf32LE:
        return "UTF-32LE";
    case ByteOrderMark::Utf32BE:
        return "UTF-32BE";
    }
    return "UTF-8";
}

std::optional<Error> textAsUtf8(QByteArrayView &data, QByteArray &storage, const QString &fileName)
{
    const ByteOrderMark bom = byteOrderMark(data);
    if (bom == ByteOrderMark::None)
        return std::nullopt;
    if (bom == ByteOrderMark::Utf8) {
        data = data.sliced(3);
        return std::nullopt;
    }
    QByteArray out;
    if (auto e = Converter(data, bom, fileName).run(out))
        return e;
    storage = std::move(out);
    data = storage;
    return std::nullopt;
}

QString BadByte::describe() const
{
    return QStringLiteral("byte 0x%1 at byte offset %2").arg(int(byte), 2, 16, QLatin1Char('0')).arg(offset);
}

std::optional<BadByte> findBinary(QByteArrayView data, unsigned checks, qsizetype limit)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const qsizetype end = std::min(data.size(), limit);
    BadByte at;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < end;) {
        const unsigned char c = p[i];
        qsizetype len = 1;
        bool bad = c == 0 && (checks & NulBytes);
        if (c >= 0x80 && (checks & InvalidUtf8)) {
            // A character cut at the 4 KiB mark is whole when the bytes after it are there.
            len =
                JsonReader::utf8SequenceLength(QByteArrayView(data).sliced(i, std::min<qsizetype>(4, data.size() - i)));
            bad = len == 0;
        }
        if (bad) {
            at.offset = i;
            at.byte = c;
            at.column = 1;
            for (qsizetype j = lineStart; j < i; ++j)
                at.column += (p[j] & 0xc0) != 0x80;
            return at;
        }
        if (c == '\n') {
            ++at.line;
            lineStart = i + 1;
        }
        i += len;
    }
    return std::nullopt;
}

} // namespace kbatch::core

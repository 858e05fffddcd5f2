#include "Printable.h"

namespace kbatch::core {

namespace {

bool needsEscape(char32_t c)
{
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        return true; // C0, DEL, C1 (0x9b is a one-byte CSI on some terminals)
    switch (c) {
    case 0x061c: // Arabic letter mark
    case 0x200b: // zero width space
    case 0x200e: // left-to-right mark
    case 0x200f: // right-to-left mark
    case 0x2028: // line separator
    case 0x2029: // paragraph separator
    case 0xfeff: // zero width no-break space (BOM)
    case 0xfff9: // interlinear annotation anchor
    case 0xfffa: // interlinear annotation separator
    case 0xfffb: // interlinear annotation terminator
        return true;
    default:
        break;
    }
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || (c >= 0xd800 && c <= 0xdfff);
}

void appendEscape(QString &out, char32_t c)
{
    static const char hex[] = "0123456789abcdef";
    if (c < 0x100) {
        out += QLatin1String("\\x");
        out += QLatin1Char(hex[(c >> 4) & 0xf]);
        out += QLatin1Char(hex[c & 0xf]);
        return;
    }
    out += QLatin1String("\\u");
    for (int shift = 12; shift >= 0; shift -= 4)
        out += QLatin1Char(hex[(c >> shift) & 0xf]);
}

} // namespace

bool hasUnprintable(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        if (ch.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (needsEscape(ch.unicode()))
            return true;
    }
    return false;
}

QString printable(QStringView text)
{
    if (!hasUnprintable(text))
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        // A valid surrogate pair is an ordinary character above the BMP; a lone surrogate is escaped.
        if (ch.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += ch;
            out += text[++i];
            continue;
        }
        if (needsEscape(ch.unicode()))
            appendEscape(out, ch.unicode());
        else
            out += ch;
    }
    return out;
}

QString printableCut(QStringView text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return printable(text);
    qsizetype cut = maxChars;
    if (cut > 0 && text[cut - 1].isHighSurrogate())
        --cut;
    return printable(text.left(cut)) + QStringLiteral("…");
}

QString quotedName(QStringView name, qsizetype maxChars)
{
    QString shown;
    if (name.size() > maxChars) {
        qsizetype cut = maxChars;
        if (cut > 0 && name[cut - 1].isHighSurrogate())
            --cut; // never split a pair
        shown = printable(name.left(cut)) + QStringLiteral("…\" (%1 characters)").arg(name.size());
        return QLatin1Char('"') + shown;
    }
    return QLatin1Char('"') + printable(name) + QLatin1Char('"');
}

} // namespace kbatch::core

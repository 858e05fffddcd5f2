#include "JsonWriter.h"

#include "Utf8.h"

namespace kbatch::core {

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    appendJsonEscaped(out, utf8);
    out.append('"');
}

void appendJsonEscaped(QByteArray &out, QByteArrayView utf8)
{
    const char *p = utf8.data();
    const qsizetype n = utf8.size();
    qsizetype run = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(p + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        default: {
            const char esc[] = {'\\', 'u', '0', '0', HexDigits[c >> 4], HexDigits[c & 0xf]};
            out.append(esc, 6);
        }
        }
    }
    out.append(p + run, n - run);
}

} // namespace kbatch::core

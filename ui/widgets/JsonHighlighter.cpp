#include "ui/widgets/JsonHighlighter.h"

#include "ui/widgets/Theme.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>

namespace kbatch::ui {

JsonHighlighter::JsonHighlighter(QTextDocument *document) : QSyntaxHighlighter(document) {}

void JsonHighlighter::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    if (!m_enabled)
        return;
    const bool dark = Theme::current() == Theme::Mode::Dark;
    QTextCharFormat key, string, number, literal;
    key.setForeground(dark ? QColor(0x8c, 0xb4, 0xf5) : QColor(0x1f, 0x4f, 0xa8));
    string.setForeground(dark ? QColor(0x9a, 0xd2, 0x8a) : QColor(0x2a, 0x7a, 0x2a));
    number.setForeground(dark ? QColor(0xe3, 0xa8, 0x6b) : QColor(0xa3, 0x4d, 0x00));
    literal.setForeground(dark ? QColor(0xd3, 0x8e, 0xe0) : QColor(0x8a, 0x2b, 0x9e));
    static const QRegularExpression token(
        QStringLiteral(R"(("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b)"));
    auto it = token.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedLength(1) > 0)
            setFormat(int(m.capturedStart(1)), int(m.capturedLength(1)), m.capturedLength(2) > 0 ? key : string);
        else if (m.capturedLength(3) > 0)
            setFormat(int(m.capturedStart(3)), int(m.capturedLength(3)), number);
        else if (m.capturedLength(4) > 0)
            setFormat(int(m.capturedStart(4)), int(m.capturedLength(4)), literal);
    }
}

namespace JsonText {

Check validate(const QByteArray &text)
{
    Check c;
    QJsonParseError error;
    // Wrapped in an array so that a bare scalar ("42", "\"x\"") counts as JSON too.
    QJsonDocument::fromJson("[" + text + "\n]", &error);
    if (error.error == QJsonParseError::NoError) {
        if (text.trimmed().isEmpty()) {
            c.ok = false;
            c.line = c.column = 1;
            c.message = QCoreApplication::translate("JsonText", "empty document");
        }
        return c;
    }
    c.ok = false;
    const qsizetype offset = std::clamp<qsizetype>(error.offset - 1, 0, text.size());
    c.line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++c.line;
            lineStart = i + 1;
        }
    }
    c.column = int(QString::fromUtf8(text.mid(lineStart, offset - lineStart)).size()) + 1;
    c.message = error.errorString();
    return c;
}

QByteArray compact(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size());
    bool inString = false, escaped = false;
    for (char ch : text) {
        if (inString) {
            out += ch;
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
            out += ch;
        } else if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
            out += ch;
        }
    }
    return out;
}

QByteArray pretty(const QByteArray &text)
{
    const QByteArray c = compact(text);
    QByteArray out;
    int level = 0;
    bool inString = false, escaped = false;
    auto newline = [&out, &level] {
        out += '\n';
        out += QByteArray(level * 2, ' ');
    };
    for (qsizetype i = 0; i < c.size(); ++i) {
        const char ch = c[i];
        if (inString) {
            out += ch;
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
            continue;
        }
        switch (ch) {
        case '"':
            inString = true;
            out += ch;
            break;
        case '{':
        case '[':
            out += ch;
            // Empty containers stay on one line.
            if (i + 1 < c.size() && (c[i + 1] == '}' || c[i + 1] == ']')) {
                out += c[++i];
                break;
            }
            ++level;
            newline();
            break;
        case '}':
        case ']':
            --level;
            newline();
            out += ch;
            break;
        case ',':
            out += ch;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

} // namespace JsonText
} // namespace kbatch::ui

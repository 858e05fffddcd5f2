#include "ui/widgets/JsonHighlighter.h"

#include "ui/widgets/Theme.h"

#include <QRegularExpression>
#include <QTextDocument>

namespace kbatch::ui {

JsonHighlighter::JsonHighlighter(QTextDocument *document) : QSyntaxHighlighter(document) {}

void JsonHighlighter::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    rehighlight();
}

void JsonHighlighter::setError(int line, int column)
{
    if (line == m_errorLine && column == m_errorColumn)
        return;
    const int before = m_errorLine;
    m_errorLine = line;
    m_errorColumn = column;
    // Only the lines that gain or lose the mark (a whole rehighlight() on every keystroke of a long value is slow).
    for (int l : {before, line}) {
        if (const QTextBlock block = document()->findBlockByNumber(l - 1); block.isValid())
            rehighlightBlock(block);
    }
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
    if (m_errorLine <= 0 || currentBlock().blockNumber() != m_errorLine - 1)
        return;
    // Columns count characters; QString indexes UTF-16 units: step over surrogate pairs.
    int start = 0;
    for (int column = 1; column < m_errorColumn && start < text.size(); ++column)
        start += text.at(start).isHighSurrogate() && start + 1 < text.size() ? 2 : 1;
    if (start >= text.size()) // at the end of the line (e.g. "unexpected end of the input"): its last character
        start = std::max(0, int(text.size()) - 1);
    if (text.isEmpty())
        return;
    for (int i = start; i < text.size(); ++i) {
        QTextCharFormat f = format(i);
        f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        f.setUnderlineColor(Theme::statusColor(core::DeliveryStatus::Failed));
        setFormat(i, 1, f);
    }
}

} // namespace kbatch::ui

#pragma once

#include <QSyntaxHighlighter>

namespace kbatch::ui {

// A small JSON highlighter: object keys, strings, numbers, literals, and the place of a syntax error (a red wavy
// underline from the error to the end of its line). Colours follow the current palette. What counts as an error is
// core::validateJson()'s to say: the editor passes its result in with setError().
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);
    void setEnabled(bool enabled);
    // The error's 1-based line and column in characters (code points, as core::Error counts them); 0, 0: none.
    void setError(int line, int column);
    int errorLine() const { return m_errorLine; }

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_enabled = false;
    int m_errorLine = 0;
    int m_errorColumn = 0;
};

} // namespace kbatch::ui

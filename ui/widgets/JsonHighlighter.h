#pragma once

#include <QSyntaxHighlighter>

namespace kbatch::ui {

// A small JSON highlighter: object keys, strings, numbers, literals. Colours follow the current palette.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);
    void setEnabled(bool enabled);

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_enabled = false;
};

// Order-preserving JSON text helpers (QJsonDocument sorts object keys, which the template format forbids).
namespace JsonText {
struct Check
{
    bool ok = true;
    int line = 0; // 1-based position of the first error
    int column = 0;
    QString message;
};
Check validate(const QByteArray &text);
QByteArray compact(const QByteArray &text); // whitespace outside strings removed; keys and numbers untouched
QByteArray pretty(const QByteArray &text);  // 2-space indentation
} // namespace JsonText

} // namespace kbatch::ui

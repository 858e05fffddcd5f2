#include "Importers.h"

#include "TableColumns.h"
#include "TextInput.h"
#include "TextLines.h"

#include <vector>

namespace kbatch::core {

namespace {

// RFC 4180 records over bytes. Cells point into the input unless they hold "" escapes.
class CsvScanner
{
public:
    CsvScanner(QByteArrayView data, const QString &fileName) : m_data(data), m_file(fileName) {}

    bool atEnd() const { return m_pos >= m_data.size(); }
    int line() const { return m_line; }

    // Reads one record; false on error (see error()). `blank` is set for an empty line.
    bool next(std::vector<TableCell> &cells, bool &blank);
    const Error &error() const { return m_error; }

private:
    bool fail(qsizetype offset, const QString &text)
    {
        m_error = Error(text, m_file, m_line, characterColumn(m_data, m_lineStart, offset));
        return false;
    }

    QByteArrayView m_data;
    QString m_file;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
    Error m_error;
    std::vector<QByteArray> m_unescaped; // storage for cells with "" escapes, reused per record
};

bool CsvScanner::next(std::vector<TableCell> &cells, bool &blank)
{
    cells.clear();
    std::size_t escaped = 0;
    const char *d = m_data.data();
    const qsizetype n = m_data.size();
    blank = m_pos < n && (d[m_pos] == '\n' || (d[m_pos] == '\r' && m_pos + 1 < n && d[m_pos + 1] == '\n'));
    while (true) {
        TableCell cell;
        cell.line = m_line;
        cell.column = characterColumn(m_data, m_lineStart, m_pos);
        if (m_pos < n && d[m_pos] == '"') {
            cell.quoted = true;
            const qsizetype open = m_pos;
            const int openLine = m_line;
            const qsizetype openLineStart = m_lineStart;
            qsizetype start = ++m_pos;
            QByteArray *buffer = nullptr;
            while (true) {
                if (m_pos >= n) {
                    m_line = openLine;
                    m_lineStart = openLineStart;
                    return fail(open, QStringLiteral("unterminated quoted cell (a '\"' is missing)"));
                }
                const char c = d[m_pos];
                if (c == '"') {
                    if (m_pos + 1 < n && d[m_pos + 1] == '"') {
                        if (!buffer) {
                            if (m_unescaped.size() <= escaped)
                                m_unescaped.resize(escaped + 1);
                            buffer = &m_unescaped[escaped++];
                            buffer->resize(0);
                        }
                        buffer->append(d + start, m_pos + 1 - start);
                        m_pos += 2;
                        start = m_pos;
                        continue;
                    }
                    break;
                }
                if (c == '\n') {
                    ++m_line;
                    m_lineStart = m_pos + 1;
                }
                ++m_pos;
            }
            if (buffer) {
                buffer->append(d + start, m_pos - start);
                cell.text = *buffer;
            } else {
                cell.text = QByteArrayView(d + start, m_pos - start);
            }
            ++m_pos; // closing quote
            const bool lineEnd =
                m_pos < n && (d[m_pos] == '\n' || (d[m_pos] == '\r' && m_pos + 1 < n && d[m_pos + 1] == '\n'));
            if (m_pos < n && d[m_pos] != ',' && !lineEnd)
                return fail(m_pos, QStringLiteral("unexpected character after a closing quote (expected ',' or the "
                                                  "end of the line)"));
        } else {
            const qsizetype start = m_pos;
            while (m_pos < n) {
                const char c = d[m_pos];
                if (c == ',' || c == '\n' || (c == '\r' && m_pos + 1 < n && d[m_pos + 1] == '\n'))
                    break;
                if (c == '"')
                    return fail(m_pos, QStringLiteral("a '\"' inside an unquoted cell; quote the whole cell and "
                                                      "double the '\"'"));
                ++m_pos;
            }
            cell.text = QByteArrayView(d + start, m_pos - start);
        }
        cells.push_back(cell);
        if (m_pos >= n)
            return true;
        if (d[m_pos] == ',') {
            ++m_pos;
            continue;
        }
        m_pos += d[m_pos] == '\r' ? 2 : 1;
        ++m_line;
        m_lineStart = m_pos;
        return true;
    }
}

} // namespace

Result<Batch> importCsv(QByteArrayView data, const QString &fileName)
{
    QByteArray converted;
    if (auto e = textAsUtf8(data, converted, fileName))
        return *e;
    CsvScanner scanner(data, fileName);
    std::vector<TableCell> cells;
    bool blank = false;
    // The header row (skipping leading blank lines).
    do {
        if (scanner.atEnd())
            return Error(QStringLiteral("the file is empty: expected a header row naming the columns (%1)")
                             .arg(QLatin1String(tableColumnList())),
                         fileName, 0, 0);
        if (!scanner.next(cells, blank))
            return scanner.error();
    } while (blank);
    std::vector<TableColumn> columns;
    for (const TableCell &c : cells) {
        const auto column = tableColumnFromName(c.text);
        if (!column)
            return Error(QStringLiteral("unknown column \"%1\" (expected %2)")
                             .arg(QString::fromUtf8(c.text), QLatin1String(tableColumnList())),
                         fileName, c.line, c.column, QString::fromUtf8(c.text));
        for (TableColumn seen : columns) {
            if (seen == *column)
                return Error(QStringLiteral("duplicate column \"%1\"").arg(tableColumnName(*column)), fileName, c.line,
                             c.column, tableColumnName(*column));
        }
        columns.push_back(*column);
    }
    Batch batch;
    batch.reserve(countLines(data), data.size());
    Message message;
    while (!scanner.atEnd()) {
        const int line = scanner.line();
        if (!scanner.next(cells, blank))
            return scanner.error();
        if (blank)
            continue;
        if (cells.size() != columns.size())
            return Error(QStringLiteral("the row has %1 cells but the header row names %2 columns")
                             .arg(cells.size())
                             .arg(columns.size()),
                         fileName, line, 1);
        message = Message();
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (auto e = applyTableCell(message, columns[i], cells[i])) {
                e->file = fileName;
                return *e;
            }
        }
        batch.append(message);
    }
    // A template without messages is one that send refuses: say so now, not when it is sent.
    if (batch.isEmpty())
        return Error(QStringLiteral("no rows after the header row: the file names its columns but holds no messages"),
                     fileName, 0, 0);
    return batch;
}

} // namespace kbatch::core

#include "Importers.h"

#include "TableColumns.h"

#include <vector>

namespace kbatch::core {

namespace {

// Spreadsheet clipboard text: '\t' between cells, '\n' or "\r\n" between rows. A cell that starts with '"' is
// quoted ("" escapes, tabs and newlines inside) if a closing quote ends it at a tab or line end; otherwise, as in
// the spreadsheets themselves, the quote is plain text.
class TsvScanner
{
public:
    explicit TsvScanner(QByteArrayView data) : m_data(data) {}
    bool atEnd() const { return m_pos >= m_data.size(); }
    int line() const { return m_line; }
    void next(std::vector<TableCell> &cells, std::vector<QByteArray> &storage);

private:
    bool quotedCell(TableCell &cell, QByteArray &storage);

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
};

bool TsvScanner::quotedCell(TableCell &cell, QByteArray &storage)
{
    const char *d = m_data.data();
    const qsizetype n = m_data.size();
    qsizetype pos = m_pos + 1;
    int lines = 0;
    qsizetype lineStart = m_lineStart;
    storage.resize(0);
    while (pos < n) {
        if (d[pos] == '"') {
            if (pos + 1 < n && d[pos + 1] == '"') {
                storage.append('"');
                pos += 2;
                continue;
            }
            const qsizetype after = pos + 1;
            const bool ends = after >= n || d[after] == '\t' || d[after] == '\n' ||
                              (d[after] == '\r' && after + 1 < n && d[after + 1] == '\n');
            if (!ends)
                return false;
            cell.quoted = true;
            cell.text = storage;
            m_pos = after;
            m_line += lines;
            m_lineStart = lineStart;
            return true;
        }
        if (d[pos] == '\n') {
            ++lines;
            lineStart = pos + 1;
        }
        storage.append(d[pos]);
        ++pos;
    }
    return false;
}

void TsvScanner::next(std::vector<TableCell> &cells, std::vector<QByteArray> &storage)
{
    cells.clear();
    const char *d = m_data.data();
    const qsizetype n = m_data.size();
    while (true) {
        TableCell cell;
        cell.line = m_line;
        cell.column = characterColumn(m_data, m_lineStart, m_pos);
        if (storage.size() <= cells.size())
            storage.resize(cells.size() + 1);
        const bool quoted = m_pos < n && d[m_pos] == '"' && quotedCell(cell, storage[cells.size()]);
        if (!quoted) {
            const qsizetype start = m_pos;
            while (m_pos < n && d[m_pos] != '\t' && d[m_pos] != '\n' &&
                   !(d[m_pos] == '\r' && m_pos + 1 < n && d[m_pos + 1] == '\n'))
                ++m_pos;
            cell.text = QByteArrayView(d + start, m_pos - start);
        }
        cells.push_back(cell);
        if (m_pos >= n)
            return;
        if (d[m_pos] == '\t') {
            ++m_pos;
            continue;
        }
        m_pos += d[m_pos] == '\r' ? 2 : 1;
        ++m_line;
        m_lineStart = m_pos;
        return;
    }
}

bool isBlank(const std::vector<TableCell> &cells)
{
    return cells.size() == 1 && cells.front().text.isEmpty() && !cells.front().quoted;
}

} // namespace

Result<Batch> importTsvPaste(const QString &text)
{
    const QByteArray data = text.toUtf8();
    TsvScanner scanner(data);
    std::vector<TableCell> cells;
    // Storage must outlive the views in `cells` for one row; a second set keeps the first row alive.
    std::vector<QByteArray> storage;
    Batch batch;
    std::vector<TableColumn> columns;
    bool first = true;
    Message message;
    while (!scanner.atEnd()) {
        const int line = scanner.line();
        scanner.next(cells, storage);
        if (isBlank(cells))
            continue;
        if (first) {
            first = false;
            std::vector<TableColumn> named;
            for (const TableCell &c : cells) {
                const auto column = tableColumnFromName(c.text);
                if (!column || std::find(named.begin(), named.end(), *column) != named.end()) {
                    named.clear();
                    break;
                }
                named.push_back(*column);
            }
            if (!named.empty()) {
                columns = std::move(named);
                continue;
            }
            if (cells.size() == 1) {
                columns = {TableColumn::Value};
            } else if (cells.size() == 2) {
                columns = {TableColumn::Key, TableColumn::Value};
            } else {
                return Error(QStringLiteral("%1 columns without a header row: add a first row naming the columns "
                                            "(%2)")
                                 .arg(cells.size())
                                 .arg(QLatin1String(tableColumnList())),
                             QString(), line, 1);
            }
        }
        if (cells.size() > columns.size())
            return Error(
                QStringLiteral("the row has %1 cells but there are %2 columns").arg(cells.size()).arg(columns.size()),
                QString(), line, cells[columns.size()].column);
        message = Message();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const TableCell cell = i < cells.size() ? cells[i] : TableCell{QByteArrayView(), false, line, 1};
            if (auto e = applyTableCell(message, columns[i], cell))
                return *e;
        }
        batch.append(message);
    }
    return batch;
}

} // namespace kbatch::core

#pragma once

#include <QString>

#include <cstdint>
#include <utility>
#include <variant>

namespace kbatch::core {

// What a caller may decide by. Most errors are only shown, and are Other; a kind exists where some code branches on
// what went wrong, so that no caller matches the words of a message (which are reworded, and may be translated).
enum class ErrorKind : std::uint8_t {
    Other = 0,
    NotATemplate,         // the input is not a KBatch template at all (rather than a template with a mistake)
    PrivateKeyUnreadable, // librdkafka could not load the client's private key (ssl.key.location/ssl.key.password)
};

// An error as a value. `where` says what is at fault in the user's terms: a file with line and column, a row and
// field, a setting, a broker address. `message()` renders both in one line.
struct Error
{
    QString text;   // what went wrong and, where it helps, what to do
    QString file;   // empty when not about a file
    int line = 0;   // 1-based; 0 unknown
    int column = 0; // 1-based; 0 unknown
    QString field;  // JSON path, column name, setting or property name; empty when none
    ErrorKind kind = ErrorKind::Other;

    Error() = default;
    explicit Error(QString t) : text(std::move(t)) {}
    Error(QString t, QString f, int l, int c, QString fld = {})
        : text(std::move(t)), file(std::move(f)), line(l), column(c), field(std::move(fld))
    {}

    Error &setKind(ErrorKind k)
    {
        kind = k;
        return *this;
    }

    // "file:line:column: field: text" with the parts that are known.
    QString message() const
    {
        QString out;
        if (!file.isEmpty()) {
            out += file;
            if (line > 0) {
                out += QLatin1Char(':') + QString::number(line);
                if (column > 0)
                    out += QLatin1Char(':') + QString::number(column);
            }
            out += QLatin1String(": ");
        } else if (line > 0) {
            out += QLatin1String("line ") + QString::number(line);
            if (column > 0)
                out += QLatin1String(", column ") + QString::number(column);
            out += QLatin1String(": ");
        }
        // "topic: topic 'x' does not exist" says it twice: a text that starts with its field stands alone.
        if (!field.isEmpty() && !text.startsWith(field + QLatin1Char(' ')))
            out += field + QLatin1String(": ");
        return out + text;
    }
};

// A value or an Error (std::expected is C++23). [[nodiscard]]: an ignored Result is an ignored error; a caller that
// means to ignore one says so with (void) and a comment why.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but may fail.
struct Ok
{
};
using Status = Result<Ok>;

} // namespace kbatch::core

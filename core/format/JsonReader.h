#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <vector>

namespace kbatch::core {

// A strict (RFC 8259) pull reader over UTF-8 bytes that knows the line and column of every token.
//
// Why not QJsonDocument: it sorts object keys, loses number text and has no positions. Why not a DOM at all: a
// template of a million rows is read straight into a Batch, one value at a time, without a tree per value.
//
// Callers walk the document with peek() and the read functions. The first error sticks: every later call fails and
// errorText()/errorLine()/errorColumn() describe the first one. Any thread; one instance per thread.
class JsonReader
{
public:
    enum class Kind : std::uint8_t { Object, Array, String, Number, True, False, Null, End, Invalid };

    // A place in the input, cheap to copy; column() turns it into a 1-based column in characters.
    struct Mark
    {
        qsizetype offset = 0;
        qsizetype lineStart = 0;
        int line = 1;
    };

    // `firstLine` lets a caller that splits a file into lines (JSON Lines) report file lines.
    explicit JsonReader(QByteArrayView data, int firstLine = 1);
    // Starts over on new data, keeping allocated state (for one reader per line of a big file).
    void reset(QByteArrayView data, int firstLine = 1);

    // Kind of the next value after whitespace; End when only whitespace is left, Invalid on a stray byte or error.
    Kind peek();
    // The next token (whitespace skipped).
    Mark mark()
    {
        skipWhitespace();
        return Mark{m_pos, m_lineStart, m_line};
    }
    int column(const Mark &m) const;
    int line() const { return m_line; }
    int column() { return column(mark()); }
    Mark lastMemberMark() const { return m_memberMark; }
    qsizetype position() const
    {
        return m_pos;
    } // bytes consumed so far // where the name read by the last nextMember() starts

    bool beginObject();
    // Reads the next member's name and the ':' after it. False at '}' (consumed) or on error (see hasError()).
    // `raw`, if given, receives the name as written, quotes and escapes included.
    bool nextMember(QByteArray &name, QByteArray *raw = nullptr);
    // As nextMember(), with the name as a view into the input (into `scratch` when it has escapes), valid until the
    // next read: no copy for the member names of a million rows.
    bool nextMemberView(QByteArrayView &name, QByteArray &scratch);
    bool beginArray();
    // True when another element follows (the ',' is consumed); false at ']' (consumed) or on error.
    bool nextElement();

    bool readString(QByteArray &utf8); // decoded, validated UTF-8
    // As readString(), without a copy when the string has no escapes: `utf8` then points into the input, else into
    // `scratch`. Valid until the input or `scratch` changes.
    bool readStringView(QByteArrayView &utf8, QByteArray &scratch);
    bool readNumber(QByteArrayView &lexeme); // the number exactly as written
    bool readBool(bool &value);
    bool readNull();
    bool skipValue();
    // The next value in compact form: whitespace dropped, strings and numbers kept exactly as written.
    bool copyCompact(QByteArray &out);
    // Nothing but whitespace may follow.
    bool expectEnd();

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorText() const { return m_error; }
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }
    void fail(const QString &text) { failAt(mark(), text); }
    void failAt(const Mark &m, const QString &text);

    static QString describe(Kind kind); // "an object", "a string", ... for error messages
    static bool isValidUtf8(QByteArrayView bytes);

private:
    void skipWhitespace()
    {
        // Most tokens follow another directly: no call for them. Every byte above ' ' ends the whitespace.
        if (m_pos<m_size &&static_cast<unsigned char>(m_data[m_pos])> ' ')
            return;
        skipWhitespaceRun();
    }
    void skipWhitespaceRun();
    bool beginMember(); // up to the opening quote of the next member's name; false at '}' or on error
    bool expect(char c, const char *what);
    bool scanString(QByteArray *decoded, QByteArray *raw);
    bool scanNumber(QByteArrayView &lexeme);
    bool scanLiteral(const char *word, qsizetype len);
    bool walk(QByteArray *compact, int depth);
    bool failBytes(qsizetype offset, const QString &text);

    const char *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
    Mark m_memberMark;
    std::vector<std::uint8_t> m_first; // per open container: no element read yet (not vector<bool>: read per token)
    QString m_error;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    bool m_sawEscape = false; // set by scanString() at a backslash
};

} // namespace kbatch::core

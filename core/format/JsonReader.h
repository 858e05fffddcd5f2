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

    // A place in the input, cheap to copy; column() turns it into a 1-based column in characters. A mark is valid
    // until the input moves (discard()), unless resolve() gave it its column.
    struct Mark
    {
        qsizetype offset = 0;
        qsizetype lineStart = 0; // negative: the line started before the bytes in view (see discard())
        int line = 1;
        int column = 0; // 0: computed from the input when asked
    };

    // Where the reader is and what it has open, to read a part of the input again (see rewind()).
    struct Checkpoint
    {
        qsizetype pos = 0;
        qsizetype lineStart = 0;
        int line = 1;
        std::size_t depth = 0;
        bool first = false; // whether the innermost open container has no element read yet
    };

    // `firstLine` lets a caller that splits a file into lines (JSON Lines) report file lines.
    explicit JsonReader(QByteArrayView data, int firstLine = 1);
    // Starts over on new data, keeping allocated state (for one reader per line of a big file).
    void reset(QByteArrayView data, int firstLine = 1);

    // Reading an input in pieces (a window over a file). checkpoint() and rewind() go back to a place between two
    // values (e.g. between two rows) to read from there again, with the error cleared. discard(n) says that the first
    // n bytes of the input go away (none of them may be needed again: rewind first); the input must then be given
    // again with setInput(), starting with what was byte n. Lines and columns go on counting across it.
    Checkpoint checkpoint() const
    {
        return Checkpoint{m_pos, m_lineStart, m_line, m_first.size(), !m_first.empty() && m_first.back() != 0};
    }
    void rewind(const Checkpoint &checkpoint);
    void discard(qsizetype n);
    void setInput(QByteArrayView data);
    // True when the reader got within `slack` bytes of the end of the input: an error there may only mean that the
    // rest of the input is not in view yet. Every token needs at most a few bytes past the reader's position to be
    // told apart (a \uXXXX\uXXXX escape, a literal, a UTF-8 sequence, the byte after a number), so a few suffice.
    bool nearEnd(qsizetype slack = 16) const { return m_pos + slack >= m_size; }
    // The mark with its column computed now, so that it stays right after the input moves.
    Mark resolve(Mark m) const
    {
        m.column = column(m);
        return m;
    }

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
    // The input from `from` (a position()) to the reader's position, as written; valid until the input moves.
    QByteArrayView consumedSince(qsizetype from) const { return QByteArrayView(m_data + from, m_pos - from); }
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
    // core::isValidUtf8() and core::utf8SequenceLength() (Utf8.h), the reader's own definition of UTF-8, here for
    // the callers that check bytes against what a JSON string may hold.
    static bool isValidUtf8(QByteArrayView bytes);
    static qsizetype utf8SequenceLength(QByteArrayView bytes);
    // Strings may hold bytes that are not UTF-8, taken as they are (kcat -J writes message bytes so); off by default.
    void setRawBytes(bool allowed) { m_rawBytes = allowed; }

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
    QString describeAt(qsizetype pos) const; // "character 'x'" or "byte 0xef", for errors

    const char *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
    qint64 m_carriedColumns = 0; // characters of the current line before the input in view, when m_lineStart < 0
    Mark m_memberMark;
    std::vector<std::uint8_t> m_first; // per open container: no element read yet (not vector<bool>: read per token)
    QString m_error;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    bool m_sawEscape = false; // set by scanString() at a backslash
    bool m_rawBytes = false;
};

} // namespace kbatch::core

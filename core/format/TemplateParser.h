#pragma once

// The internals of TemplateReader.cpp, shared by the files that hold TemplateParser's parts: TemplateParser.cpp (the
// top object, the checks at its start and end, reading in pieces), TemplateParserProducer.cpp ("producer") and
// TemplateParserMessages.cpp ("messages" and its rows). Not part of the public API (see TemplateReader.h).

#include "InputFile.h"
#include "JsonContext.h"
#include "JsonReader.h"
#include "core/model/Error.h"
#include "core/model/Template.h"

#include <cstring>
#include <limits>

namespace kbatch::core::templatereader {

using Kind = JsonReader::Kind;

constexpr std::int64_t Int32Max = std::numeric_limits<std::int32_t>::max();

inline QByteArray lit(const char *name)
{
    return QByteArray::fromRawData(name, qsizetype(std::strlen(name)));
}

// A member name compared with a literal: its length first, no strlen.
template <std::size_t N> bool is(QByteArrayView name, const char (&literal)[N])
{
    return name.size() == qsizetype(N - 1) && std::memcmp(name.data(), literal, N - 1) == 0;
}

// Guards against repeated members: one bit per known field.
struct Seen
{
    std::uint32_t bits = 0;
    bool add(int field)
    {
        const std::uint32_t bit = 1u << field;
        const bool fresh = !(bits & bit);
        bits |= bit;
        return fresh;
    }
};

class TemplateParser
{
public:
    // The whole input in memory.
    TemplateParser(QByteArrayView data, const QString &fileName)
        : m_whole(data), m_data(data), m_reader(data), m_ctx(m_reader, fileName), m_file(fileName)
    {}
    // Through a window over a file: the window moves on between rows (see readSomeMessages()).
    TemplateParser(InputWindow &window, const QString &fileName)
        : m_window(&window), m_data(window.bytes()), m_reader(m_data), m_ctx(m_reader, fileName), m_file(fileName)
    {}

    Result<Template> run();
    // Streaming: readHead() reads up to the first row when "messages" is the last member (what follows it then can
    // only be rows), else the whole template; readRows() then appends up to `maxRows` rows at a time and, after the
    // last one, reads and checks the rest of the file. It returns true while rows may follow.
    Result<Template> readHead(bool wholeFile);
    Result<bool> readRows(Batch &out, qsizetype maxRows);
    // See TemplateStream::setJsonAsWritten().
    void setJsonAsWritten(bool key, bool value)
    {
        m_keyForm = key ? JsonContext::JsonForm::AsWritten : JsonContext::JsonForm::Compact;
        m_valueForm = value ? JsonContext::JsonForm::AsWritten : JsonContext::JsonForm::Compact;
    }

private:
    bool checkStart();
    bool readHeadOnce(bool wholeFile);
    bool readMembers(bool stopAtLastMessages, bool &atMessages);
    bool checkRequired();
    bool readProducer(ProducerSettings &out);
    bool readProperties(Properties &out);
    bool beginMessages(Batch &out, qsizetype reserveRows);
    bool readSomeMessages(Batch &out, qsizetype maxRows, bool &more);
    bool readMessage(Message &out);
    bool readGenerate(GenerateSpec &out);
    static void compactJson(Payload &part, JsonContext::JsonForm form); // a part read as written, made compact
    bool readFill(GenerateSpec &out);
    bool expectObject(const char *what);
    static QString versionTwoNeeded();

    // Reading through a window. An error within a few bytes of the end of the bytes in view, with more of the file
    // to come, may only mean that the value goes on past them: the part is read again with more in view.
    bool needsMore() const { return m_window && !m_window->atEnd() && m_reader.nearEnd(); }
    // Goes back to `at` (the path back to `depth`), before the next row, and moves the window there, with more bytes
    // after it. False, with the error recorded at `where` for that row, when the file changed meanwhile.
    bool moreInput(const JsonReader::Checkpoint &at, std::size_t depth, JsonReader::Mark where);
    // Everything after the reader's position in view: what follows the rows is read in one go.
    bool restOfInput();
    void inputMoved()
    {
        m_data = m_window->bytes();
        m_reader.setInput(m_data);
    }
    qint64 totalBytes() const { return m_window ? m_window->size() : m_bodyStart + m_data.size(); }
    qint64 fileOffset(qsizetype pos) const { return (m_window ? m_window->offset() : m_bodyStart) + pos; }

    InputWindow *m_window = nullptr;
    QByteArrayView m_whole; // without a window: all of the input
    QByteArrayView m_data;  // the bytes in view (without a window: after a byte order mark)
    JsonReader m_reader;
    JsonContext m_ctx;
    QString m_file;
    Template m_template;
    Seen m_seen;
    JsonReader::Mark m_start;
    qsizetype m_index = 0;      // of the next row in "messages"
    bool m_streaming = false;   // readHead() stopped at the first row
    bool m_rowsStarted = false; // the "messages" array is open: a mistake from here on is final
    bool m_endsWithArray = false;
    QString m_beginError; // set when the input is refused before the reader has a position
    int m_beginLine = 0;  // and where, when known
    int m_beginColumn = 0;
    bool m_notATemplate = false; // the error says the input is no template at all (ErrorKind::NotATemplate)
    bool notATemplate(const JsonReader::Mark &where, const QString &text)
    {
        m_notATemplate = true;
        return m_ctx.fail(where, text);
    }
    Error withKind(Error error) const
    {
        if (m_notATemplate)
            error.setKind(ErrorKind::NotATemplate);
        return error;
    }
    QByteArray m_rowMemberName;
    JsonContext::JsonForm m_keyForm = JsonContext::JsonForm::Compact;
    JsonContext::JsonForm m_valueForm = JsonContext::JsonForm::Compact;
    qsizetype m_bodyStart = 0; // without a window: after a byte order mark
    int m_version = 0;         // 1, or 2 for templates with "serialization"
    enum TopField { Format, Version, Name, Topic, Producer, Messages, SerializationField };
};

} // namespace kbatch::core::templatereader

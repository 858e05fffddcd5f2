#include "TemplateParser.h"

#include "SerializationJson.h"
#include "TextInput.h"
#include "core/model/Printable.h"

namespace kbatch::core::templatereader {

QString TemplateParser::versionTwoNeeded()
{
    return QStringLiteral("\"serialization\" needs \"version\": 2 (version 1 templates send bytes only)");
}

bool TemplateParser::expectObject(const char *what)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Object)
        return m_ctx.failType(where, QLatin1String(what), k);
    return m_reader.beginObject();
}

// A row takes at least ~30 bytes of template text; reserving from the rest of the file avoids regrowth. At most
// 64 Mi rows, computed in 64 bits (an int product would overflow before it widened).
static qsizetype rowsToReserve(qint64 restOfFile)
{
    constexpr qint64 MaxRows = qint64(64) * 1024 * 1024;
    return qsizetype(std::min<qint64>(restOfFile / 48 + 16, MaxRows));
}

// The last member of the top object holds an array: in a valid template that can only be "messages".
static bool endsWithArrayMember(QByteArrayView data)
{
    qsizetype i = data.size();
    const auto skipSpace = [&] {
        while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\n' || data[i - 1] == '\r' || data[i - 1] == '\t'))
            --i;
    };
    skipSpace();
    if (i == 0 || data[i - 1] != '}')
        return false;
    --i;
    skipSpace();
    return i > 0 && data[i - 1] == ']';
}

// What the first and last bytes of the file say, before any parsing: a byte order mark, binary content, whether
// "messages" comes last.
bool TemplateParser::checkStart()
{
    constexpr qsizetype Head = 4096 + 8; // what findBinary() looks at, and a few bytes to tell a cut character
    constexpr qsizetype Tail = 4096;
    QByteArray head;
    QByteArray tail;
    if (m_window) {
        auto first = m_window->peek(0, Head);
        auto last = first ? m_window->peek(m_window->size() - Tail, Tail) : first;
        if (!last) {
            m_beginError = last.error().text;
            return false;
        }
        head = std::move(first.value());
        tail = std::move(last.value());
    } else {
        head = QByteArray::fromRawData(m_whole.data(), std::min(m_whole.size(), Head));
        tail = QByteArray::fromRawData(m_whole.data() + m_whole.size() - std::min(m_whole.size(), Tail),
                                       std::min(m_whole.size(), Tail));
    }
    const ByteOrderMark bom = byteOrderMark(head);
    if (bom != ByteOrderMark::None && bom != ByteOrderMark::Utf8) {
        m_notATemplate = true;
        m_beginError = QStringLiteral("not a KBatch template: the file is %1 text (it starts with a %1 byte order "
                                      "mark); templates are UTF-8: save it as UTF-8")
                           .arg(QLatin1String(byteOrderMarkName(bom)));
        return false;
    }
    const qsizetype skip = byteOrderMarkSize(bom); // a UTF-8 byte order mark, as some editors write
    if (const auto bad = findBinary(QByteArrayView(head).sliced(skip))) {
        m_notATemplate = true;
        m_beginError = QStringLiteral("not a KBatch template: the file holds binary data, not JSON text (%1)")
                           .arg(BadByte{bad->offset + skip, bad->line, bad->column, bad->byte}.describe());
        m_beginLine = bad->line;
        m_beginColumn = bad->column;
        return false;
    }
    m_endsWithArray = endsWithArrayMember(tail);
    if (!m_window) {
        m_bodyStart = skip;
        m_data = m_whole.sliced(skip);
    } else if (skip) {
        if (auto moved = m_window->advance(skip); !moved) {
            m_beginError = moved.error().text;
            return false;
        }
        m_data = m_window->bytes();
    }
    return true;
}

// One attempt at reading the head from the start of the bytes in view.
bool TemplateParser::readHeadOnce(bool wholeFile)
{
    m_reader = JsonReader(m_data);
    m_ctx.rewind(0);
    m_template = Template();
    m_seen = Seen();
    m_beginError.clear();
    m_notATemplate = false;
    if (m_reader.peek() != Kind::Object) {
        m_notATemplate = true;
        if (m_reader.peek() == Kind::End)
            m_beginError = QStringLiteral("not a KBatch template: the file is empty");
        else
            m_ctx.fail(m_reader.mark(), QStringLiteral("not a KBatch template: expected a JSON object"));
        return false;
    }
    m_start = m_reader.resolve(m_reader.mark()); // used after the rows, when the input has moved on
    if (!m_reader.beginObject())
        return false;
    bool atMessages = false;
    if (!readMembers(m_endsWithArray, atMessages))
        return false;
    if (!atMessages) // the end of the input must be in view to tell that nothing follows
        return checkRequired() && restOfInput() && m_reader.expectEnd();
    // Nothing follows the rows, so every other field is known: check them now, before any row is sent. Reading
    // the whole file takes this path too, so both report the same first error.
    const qint64 rest = totalBytes() - fileOffset(m_reader.mark().offset);
    const qsizetype reserve = wholeFile ? rowsToReserve(rest) : 0;
    if (!checkRequired() || !beginMessages(m_template.messages, reserve))
        return false;
    m_streaming = true;
    return true;
}

Result<Template> TemplateParser::readHead(bool wholeFile)
{
    if (!checkStart())
        return withKind(Error(m_beginError, m_file, m_beginLine, m_beginColumn));
    while (!readHeadOnce(wholeFile)) {
        // A head larger than the window (a long name, many properties): read it again with more in view. Once the
        // rows have begun they take care of that themselves, row by row.
        if (m_rowsStarted || !needsMore())
            return withKind(m_beginError.isEmpty() ? m_ctx.error() : Error(m_beginError, m_file, 0, 0));
        if (auto more = m_window->advance(0); !more)
            return Error(more.error().text, m_file, 0, 0);
        inputMoved();
    }
    if (!m_streaming)
        return std::move(m_template);
    Template head = std::move(m_template);
    m_template = Template();
    return head;
}

bool TemplateParser::moreInput(const JsonReader::Checkpoint &at, std::size_t depth, JsonReader::Mark where)
{
    where = m_reader.resolve(where); // before the bytes it points into go
    m_reader.rewind(at);
    m_ctx.rewind(depth);
    m_reader.discard(at.pos);
    const Status moved = m_window->advance(at.pos);
    inputMoved();
    if (!moved) {
        m_ctx.push(m_index); // the row that could not be read
        return m_ctx.fail(where, moved.error().text);
    }
    return true;
}

bool TemplateParser::restOfInput()
{
    if (!m_window || m_window->atEnd())
        return true;
    const auto where = m_reader.resolve(m_reader.mark());
    const qsizetype keep = m_reader.position();
    m_reader.discard(keep);
    const Status moved = m_window->readToEnd(keep);
    inputMoved();
    if (!moved)
        return m_ctx.fail(where, moved.error().text);
    return true;
}

Result<Template> TemplateParser::run()
{
    auto head = readHead(true);
    if (!head || !m_streaming)
        return head;
    Template whole = std::move(head.value());
    if (auto rows = readRows(whole.messages, std::numeric_limits<qsizetype>::max()); !rows)
        return rows.error();
    return whole;
}

Result<bool> TemplateParser::readRows(Batch &out, qsizetype maxRows)
{
    if (!m_streaming)
        return false;
    bool more = false;
    if (!readSomeMessages(out, maxRows, more))
        return withKind(m_ctx.error());
    if (more)
        return true;
    m_streaming = false;
    m_ctx.pop(); // "messages"
    bool atMessages = false;
    if (!readMembers(false, atMessages) || !checkRequired() || !m_reader.expectEnd())
        return withKind(m_ctx.error());
    return false;
}

bool TemplateParser::readMembers(bool stopAtLastMessages, bool &atMessages)
{
    Seen &seen = m_seen;
    QByteArray name;
    while (m_reader.nextMember(name)) {
        int field;
        if (name == "format")
            field = Format;
        else if (name == "version")
            field = Version;
        else if (name == "name")
            field = Name;
        else if (name == "topic")
            field = Topic;
        else if (name == "producer")
            field = Producer;
        else if (name == "messages")
            field = Messages;
        else if (name == "serialization")
            field = SerializationField;
        else if (!(seen.bits & (1u << Format)))
            // Templates start with "format" (the writer puts it first): an unknown field before it means some other
            // JSON file (package.json, a kcat dump), which deserves that answer rather than a field-by-field one.
            return notATemplate(m_reader.lastMemberMark(),
                                QStringLiteral("not a KBatch template: it has a field %1 and no "
                                               "\"format\": \"kbatch-template\" before it")
                                    .arg(quotedName(QString::fromUtf8(name))));
        else
            return m_ctx.failUnknown(name, "format, version, name, topic, producer, serialization, messages");
        if (!seen.add(field))
            return m_ctx.failDuplicate(name);
        m_ctx.push(name);
        const auto valueAt = m_reader.mark();
        switch (field) {
        case Format: {
            QByteArray format;
            if (!m_ctx.readString(format))
                return false;
            if (format != "kbatch-template")
                return notATemplate(valueAt, QStringLiteral("not a KBatch template: \"format\" is \"%1\", expected "
                                                            "\"kbatch-template\"")
                                                 .arg(QString::fromUtf8(format)));
            break;
        }
        case Version: {
            const Kind k = m_reader.peek();
            if (k != Kind::Number)
                return m_ctx.failType(valueAt, QStringLiteral("an integer"), k);
            QByteArrayView lexeme;
            if (!m_reader.readNumber(lexeme))
                return false;
            if (lexeme != "1" && lexeme != "2")
                return m_ctx.fail(valueAt, QStringLiteral("unsupported template version %1: this KBatch reads "
                                                          "versions 1 and 2; a newer KBatch may read this file")
                                               .arg(printableCut(QString::fromLatin1(lexeme))));
            m_version = lexeme == "1" ? 1 : 2;
            if (m_version == 1 && (seen.bits & (1u << SerializationField)))
                return m_ctx.fail(valueAt, versionTwoNeeded());
            break;
        }
        case Name:
            if (!m_ctx.readQString(m_template.name))
                return false;
            break;
        case Topic:
            if (!m_ctx.readQString(m_template.topic))
                return false;
            break;
        case Producer:
            if (!readProducer(m_template.producer))
                return false;
            break;
        case SerializationField:
            // Version 1 readers refuse version 2 files whole, rather than send Avro rows as JSON bytes.
            if (m_version == 1)
                return m_ctx.fail(valueAt, versionTwoNeeded());
            if (!readSerialization(m_ctx, m_template.serialization))
                return false;
            break;
        case Messages: {
            if (stopAtLastMessages) {
                atMessages = true; // the path keeps "messages" until readRows() has read the last row
                return true;
            }
            // A row takes at least ~30 bytes of template text; reserving from the rest of the file avoids regrowth.
            const qint64 rest = totalBytes() - fileOffset(valueAt.offset);
            bool more = false;
            if (!beginMessages(m_template.messages, rowsToReserve(rest)) ||
                !readSomeMessages(m_template.messages, std::numeric_limits<qsizetype>::max(), more))
                return false;
            break;
        }
        }
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

bool TemplateParser::checkRequired()
{
    if (!(m_seen.bits & (1u << Format)))
        return notATemplate(m_start,
                            QStringLiteral("not a KBatch template: \"format\": \"kbatch-template\" is missing"));
    if (!(m_seen.bits & (1u << Version)))
        return m_ctx.fail(m_start, QStringLiteral("\"version\" is missing"));
    return true;
}

} // namespace kbatch::core::templatereader

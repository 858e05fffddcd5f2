#include "TemplateReader.h"

#include "InputFile.h"
#include "JsonContext.h"
#include "SerializationJson.h"
#include "TextInput.h"
#include "core/model/Printable.h"
#include "core/model/PropertyPolicy.h"

#include <cstring>
#include <limits>
#include <optional>

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;

constexpr std::int64_t Int32Max = std::numeric_limits<std::int32_t>::max();

QByteArray lit(const char *name)
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
    QByteArray m_rowMemberName;
    qsizetype m_bodyStart = 0; // without a window: after a byte order mark
    int m_version = 0;         // 1, or 2 for templates with "serialization"
    enum TopField { Format, Version, Name, Topic, Producer, Messages, SerializationField };
};

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
        m_beginError = QStringLiteral("not a KBatch template: the file is %1 text (it starts with a %1 byte order "
                                      "mark); templates are UTF-8: save it as UTF-8")
                           .arg(QLatin1String(byteOrderMarkName(bom)));
        return false;
    }
    const qsizetype skip = byteOrderMarkSize(bom); // a UTF-8 byte order mark, as some editors write
    if (const auto bad = findBinary(QByteArrayView(head).sliced(skip))) {
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
    if (m_reader.peek() != Kind::Object) {
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
    // A row takes at least ~30 bytes of template text; reserving from the rest of the file avoids regrowth.
    const qsizetype reserve = wholeFile ? qsizetype(std::min<qint64>(rest / 48 + 16, 64 * 1024 * 1024)) : 0;
    if (!checkRequired() || !beginMessages(m_template.messages, reserve))
        return false;
    m_streaming = true;
    return true;
}

Result<Template> TemplateParser::readHead(bool wholeFile)
{
    if (!checkStart())
        return Error(m_beginError, m_file, m_beginLine, m_beginColumn);
    while (!readHeadOnce(wholeFile)) {
        // A head larger than the window (a long name, many properties): read it again with more in view. Once the
        // rows have begun they take care of that themselves, row by row.
        if (m_rowsStarted || !needsMore())
            return m_beginError.isEmpty() ? m_ctx.error() : Error(m_beginError, m_file, 0, 0);
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
        return m_ctx.error();
    if (more)
        return true;
    m_streaming = false;
    m_ctx.pop(); // "messages"
    bool atMessages = false;
    if (!readMembers(false, atMessages) || !checkRequired() || !m_reader.expectEnd())
        return m_ctx.error();
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
            return m_ctx.fail(m_reader.lastMemberMark(),
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
                return m_ctx.fail(valueAt, QStringLiteral("not a KBatch template: \"format\" is \"%1\", expected "
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
            if (!beginMessages(m_template.messages, qsizetype(std::min<qint64>(rest / 48 + 16, 64 * 1024 * 1024))) ||
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
        return m_ctx.fail(m_start, QStringLiteral("not a KBatch template: \"format\": \"kbatch-template\" is missing"));
    if (!(m_seen.bits & (1u << Version)))
        return m_ctx.fail(m_start, QStringLiteral("\"version\" is missing"));
    return true;
}

bool TemplateParser::readProducer(ProducerSettings &out)
{
    if (!expectObject("an object"))
        return false;
    enum { Mode, Acks, Compression, Idempotence, Linger, BatchSize, Timeout, Rate, Txn, Props };
    Seen seen;
    QByteArray name;
    while (m_reader.nextMember(name)) {
        int field;
        if (name == "mode")
            field = Mode;
        else if (name == "acks")
            field = Acks;
        else if (name == "compression")
            field = Compression;
        else if (name == "idempotence")
            field = Idempotence;
        else if (name == "lingerMs")
            field = Linger;
        else if (name == "batchSize")
            field = BatchSize;
        else if (name == "messageTimeoutMs")
            field = Timeout;
        else if (name == "rateLimit")
            field = Rate;
        else if (name == "transactionalId")
            field = Txn;
        else if (name == "properties")
            field = Props;
        else
            return m_ctx.failUnknown(name, "mode, acks, compression, idempotence, lingerMs, batchSize, "
                                           "messageTimeoutMs, rateLimit, transactionalId, properties");
        if (!seen.add(field))
            return m_ctx.failDuplicate(name);
        m_ctx.push(name);
        const auto valueAt = m_reader.mark();
        std::int64_t number = 0;
        switch (field) {
        case Mode: {
            QString text;
            if (!m_ctx.readQString(text))
                return false;
            const auto mode = publishModeFromString(text);
            if (!mode)
                return m_ctx.fail(valueAt, QStringLiteral("unknown mode \"%1\" (expected \"independent\" or "
                                                          "\"atomic\")")
                                               .arg(text));
            out.mode = *mode;
            break;
        }
        case Acks: {
            // librdkafka takes acks as text; a bare number (acks: 1) is accepted as the same text.
            const Kind k = m_reader.peek();
            QString text;
            if (k == Kind::Number) {
                if (!m_ctx.readInteger(number, -1, 1))
                    return false;
                text = QString::number(number);
            } else if (!m_ctx.readQString(text)) {
                return false;
            }
            if (text != QLatin1String("all") && text != QLatin1String("-1") && text != QLatin1String("0") &&
                text != QLatin1String("1"))
                return m_ctx.fail(valueAt, QStringLiteral("unknown acks \"%1\" (expected \"all\", \"-1\", \"0\" or "
                                                          "\"1\")")
                                               .arg(text));
            out.acks = text;
            break;
        }
        case Compression: {
            QString text;
            if (!m_ctx.readQString(text))
                return false;
            static const char *const known[] = {"none", "gzip", "snappy", "lz4", "zstd"};
            bool ok = false;
            for (const char *k : known)
                ok = ok || text == QLatin1String(k);
            if (!ok)
                return m_ctx.fail(valueAt, QStringLiteral("unknown compression \"%1\" (expected none, gzip, snappy, "
                                                          "lz4 or zstd)")
                                               .arg(text));
            out.compression = text;
            break;
        }
        case Idempotence:
            if (!m_ctx.readBool(out.idempotence))
                return false;
            break;
        case Linger:
            if (!m_ctx.readInteger(number, 0, Int32Max))
                return false;
            out.lingerMs = int(number);
            break;
        case BatchSize:
            if (!m_ctx.readInteger(number, 1, Int32Max))
                return false;
            out.batchSize = int(number);
            break;
        case Timeout:
            if (!m_ctx.readInteger(number, 0, Int32Max))
                return false;
            out.messageTimeoutMs = int(number);
            break;
        case Rate:
            if (!m_ctx.readDouble(out.rateLimit, 0))
                return false;
            if (auto rate = checkRateLimit(out.rateLimit); !rate)
                return m_ctx.fail(valueAt, rate.error().text);
            break;
        case Txn:
            if (!m_ctx.readQString(out.transactionalId))
                return false;
            if (auto id = checkTemplateTransactionalId(out.transactionalId); !out.transactionalId.isEmpty() && !id)
                return m_ctx.fail(valueAt, id.error().text);
            break;
        case Props:
            if (!readProperties(out.properties))
                return false;
            break;
        }
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

bool TemplateParser::readProperties(Properties &out)
{
    if (!expectObject("an object of \"name\": \"value\" strings"))
        return false;
    QByteArray name;
    while (m_reader.nextMember(name)) {
        const QString key = QString::fromUtf8(name);
        m_ctx.push(name);
        if (auto named = checkPropertyName(key); !named)
            return m_ctx.fail(m_reader.lastMemberMark(), named.error().text);
        if (isSecretProperty(key))
            return m_ctx.fail(m_reader.lastMemberMark(),
                              QStringLiteral("property \"%1\" holds a secret and is not allowed in a template; "
                                             "keep secrets in a connection profile")
                                  .arg(key));
        if (auto allowed = checkTemplateProperty(key, QString()); !allowed)
            return m_ctx.fail(m_reader.lastMemberMark(), allowed.error().text);
        for (const Property &p : std::as_const(out)) {
            if (p.first == key)
                return m_ctx.fail(m_reader.lastMemberMark(),
                                  QStringLiteral("duplicate property %1").arg(quotedName(key)));
        }
        const auto valueAt = m_reader.mark();
        const Kind k = m_reader.peek();
        if (k != Kind::String)
            return m_ctx.fail(valueAt, QStringLiteral("property values must be strings (write \"%1\": \"...\"), "
                                                      "found %2")
                                           .arg(key, JsonReader::describe(k)));
        QString value;
        if (!m_ctx.readQString(value))
            return false;
        if (auto allowed = checkTemplateProperty(key, value); !allowed)
            return m_ctx.fail(valueAt, allowed.error().text);
        out.append(Property(key, value));
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

bool TemplateParser::beginMessages(Batch &out, qsizetype reserveRows)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Array)
        return m_ctx.failType(where, QStringLiteral("an array of messages"), k);
    if (!m_reader.beginArray())
        return false;
    m_rowsStarted = true;
    if (reserveRows > 0)
        out.reserve(reserveRows, qsizetype((totalBytes() - fileOffset(where.offset)) / 2));
    m_index = 0;
    return true;
}

// Reads rows until `maxRows` were appended (`more` true) or the array has ended (`more` false).
//
// Through a window, a row that goes on past the bytes in view is read again from its start once the window has
// moved on to it. Nothing may point into the window across that: a row's payloads borrowed from it are copied into
// `out` before the next row is read.
bool TemplateParser::readSomeMessages(Batch &out, qsizetype maxRows, bool &more)
{
    Message message;
    for (qsizetype n = 0; n < maxRows;) {
        const JsonReader::Checkpoint at = m_reader.checkpoint();
        const std::size_t depth = m_ctx.depth();
        std::optional<JsonReader::Mark> rowStart;
        if (m_reader.nextElement()) {
            rowStart = m_reader.mark();
            m_ctx.push(m_index);
            if (readMessage(message)) {
                out.append(message);
                m_ctx.pop();
                ++m_index;
                ++n;
                continue;
            }
        } else if (!m_reader.hasError()) {
            more = false;
            return restOfInput();
        }
        if (!needsMore())
            return false;
        // Should the file have changed meanwhile, the error names the row that could not be read, where it starts
        // (or where reading stopped, when not even its start is in view).
        const JsonReader::Mark where = rowStart.value_or(m_reader.mark());
        if (!moreInput(at, depth, where))
            return false;
    }
    more = true;
    return true;
}

bool TemplateParser::readMessage(Message &out)
{
    out = Message();
    if (!expectObject("a message object"))
        return false;
    enum { Key, Value, Headers_, Partition, Timestamp, Generate };
    Seen seen;
    QByteArrayView name; // into the input: reading a row copies no member name
    while (m_reader.nextMemberView(name, m_rowMemberName)) {
        int field;
        if (is(name, "key"))
            field = Key;
        else if (is(name, "value"))
            field = Value;
        else if (is(name, "headers"))
            field = Headers_;
        else if (is(name, "partition"))
            field = Partition;
        else if (is(name, "timestamp"))
            field = Timestamp;
        else if (is(name, "generate"))
            field = Generate;
        else
            return m_ctx.failUnknown(name.toByteArray(), "key, value, headers, partition, timestamp, generate");
        if (!seen.add(field))
            return m_ctx.failDuplicate(name.toByteArray());
        m_ctx.push(field == Key ? lit("key") : field == Value ? lit("value") : name.toByteArray());
        std::int64_t number = 0;
        switch (field) {
        // Key and value are copied into the batch right after this row is read: no copy of their own.
        case Key:
            if (!m_ctx.readPayload(out.key, JsonContext::Storage::Borrowed))
                return false;
            break;
        case Value:
            if (!m_ctx.readPayload(out.value, JsonContext::Storage::Borrowed))
                return false;
            break;
        case Headers_:
            if (!m_ctx.readHeaders(out.headers, JsonContext::PairList))
                return false;
            break;
        case Partition:
            if (!m_ctx.readInteger(number, 0, Int32Max))
                return false;
            out.partition = std::int32_t(number);
            break;
        case Timestamp:
            if (!m_ctx.readInteger(number, 0))
                return false;
            out.timestamp = number;
            break;
        case Generate: {
            GenerateSpec spec;
            if (!readGenerate(spec))
                return false;
            out.generate = spec;
            break;
        }
        }
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

bool TemplateParser::readGenerate(GenerateSpec &out)
{
    if (!expectObject("an object such as {\"count\": 100}"))
        return false;
    Seen seen;
    QByteArray name;
    while (m_reader.nextMember(name)) {
        const bool isCount = name == "count";
        if (!isCount && name != "seed")
            return m_ctx.failUnknown(name, "count, seed");
        if (!seen.add(isCount ? 0 : 1))
            return m_ctx.failDuplicate(name);
        m_ctx.push(name);
        if (isCount) {
            if (!m_ctx.readInteger(out.count, 1))
                return false;
        } else {
            std::uint64_t seed = 0;
            if (!m_ctx.readUnsigned(seed))
                return false;
            out.seed = seed;
        }
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

} // namespace

Result<Template> parseTemplate(QByteArrayView data, const QString &fileName)
{
    TemplateParser parser(data, fileName);
    return parser.run();
}

Result<Template> parseTemplate(QByteArrayView data, const QString &fileName, qsizetype windowBytes)
{
    InputWindow window = InputWindow::fromMemory(data, windowBytes);
    TemplateParser parser(window, fileName);
    return parser.run();
}

Result<Template> loadTemplate(const QString &path)
{
    // The same path as a streamed read (TemplateStream), so that both refuse the same files with the same errors.
    auto window = InputWindow::open(path);
    if (!window)
        return window.error();
    TemplateParser parser(*window, path);
    return parser.run();
}

struct TemplateStream::Impl
{
    Impl(InputWindow in, const QString &path) : window(std::move(in)), parser(window, path) {}
    InputWindow window; // the parser reads through it: declared first, destroyed last
    TemplateParser parser;
};

TemplateStream::TemplateStream(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
TemplateStream::TemplateStream(TemplateStream &&) noexcept = default;
TemplateStream &TemplateStream::operator=(TemplateStream &&) noexcept = default;
TemplateStream::~TemplateStream() = default;

Result<TemplateStream> TemplateStream::open(const QString &path, qsizetype windowBytes)
{
    auto window = InputWindow::open(path, windowBytes > 0 ? windowBytes : InputWindow::DefaultBytes);
    if (!window)
        return window.error();
    return TemplateStream(std::make_unique<Impl>(std::move(window.value()), path));
}

Result<Template> TemplateStream::readHead()
{
    return d->parser.readHead(false);
}

Result<bool> TemplateStream::readRows(Batch &out, qsizetype maxRows)
{
    return d->parser.readRows(out, maxRows);
}

} // namespace kbatch::core

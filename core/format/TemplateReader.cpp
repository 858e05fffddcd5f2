#include "TemplateReader.h"

#include "JsonContext.h"
#include "core/model/Printable.h"
#include "core/model/PropertyPolicy.h"

#include <cstring>
#include <limits>

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
    TemplateParser(QByteArrayView data, const QString &fileName)
        : m_data(data), m_reader(data), m_ctx(m_reader, fileName), m_file(fileName)
    {}

    Result<Template> run();
    // Streaming: readHead() reads up to the first row when "messages" is the last member (what follows it then can
    // only be rows), else the whole template; readRows() then appends up to `maxRows` rows at a time and, after the
    // last one, reads and checks the rest of the file. It returns true while rows may follow.
    Result<Template> readHead(bool wholeFile);
    Result<bool> readRows(Batch &out, qsizetype maxRows);
    // Bytes of the input read so far (a row's error may still need the line it is on).
    qsizetype position() const { return m_bodyStart + m_reader.position(); }

private:
    bool begin();
    bool readMembers(bool stopAtLastMessages, bool &atMessages);
    bool checkRequired();
    bool readProducer(ProducerSettings &out);
    bool readProperties(Properties &out);
    bool beginMessages(Batch &out, qsizetype reserveRows);
    bool readSomeMessages(Batch &out, qsizetype maxRows, bool &more);
    bool readMessage(Message &out);
    bool readGenerate(GenerateSpec &out);
    bool expectObject(const char *what);

    QByteArrayView m_data;
    JsonReader m_reader;
    JsonContext m_ctx;
    QString m_file;
    Template m_template;
    Seen m_seen;
    JsonReader::Mark m_start;
    qsizetype m_index = 0;    // of the next row in "messages"
    bool m_streaming = false; // readHead() stopped at the first row
    QString m_beginError;     // set when begin() fails before the reader has a position
    QByteArray m_rowMemberName;
    qsizetype m_bodyStart = 0; // after a byte order mark
    enum TopField { Format, Version, Name, Topic, Producer, Messages };
};

bool TemplateParser::expectObject(const char *what)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Object)
        return m_ctx.failType(where, QLatin1String(what), k);
    return m_reader.beginObject();
}

bool TemplateParser::begin()
{
    qsizetype skip = 0;
    if (m_data.startsWith("\xEF\xBB\xBF"))
        skip = 3; // a UTF-8 byte order mark, as some editors write
    QByteArrayView body = m_data.sliced(skip);
    m_bodyStart = skip;
    if (looksBinary(body)) {
        m_beginError = QStringLiteral("not a KBatch template: the file holds binary data, not JSON text");
        return false;
    }
    m_reader = JsonReader(body);
    if (m_reader.peek() != Kind::Object) {
        if (m_reader.peek() == Kind::End)
            m_beginError = QStringLiteral("not a KBatch template: the file is empty");
        else
            m_ctx.fail(m_reader.mark(), QStringLiteral("not a KBatch template: expected a JSON object"));
        return false;
    }
    m_start = m_reader.mark();
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

Result<Template> TemplateParser::readHead(bool wholeFile)
{
    bool atMessages = false;
    if (!begin())
        return m_beginError.isEmpty() ? m_ctx.error() : Error(m_beginError, m_file, 0, 0);
    if (!readMembers(endsWithArrayMember(m_data), atMessages))
        return m_ctx.error();
    if (!atMessages) {
        if (!checkRequired() || !m_reader.expectEnd())
            return m_ctx.error();
        return std::move(m_template);
    }
    // Nothing follows the rows, so every other field is known: check them now, before any row is sent. Reading
    // the whole file takes this path too, so both report the same first error.
    const qsizetype rest = m_data.size() - m_reader.mark().offset;
    // A row takes at least ~30 bytes of template text; reserving from the rest of the file avoids regrowth.
    const qsizetype reserve = wholeFile ? std::min<qsizetype>(rest / 48 + 16, 64 * 1024 * 1024) : 0;
    if (!checkRequired() || !beginMessages(m_template.messages, reserve))
        return m_ctx.error();
    m_streaming = true;
    Template head = std::move(m_template);
    m_template = Template();
    return head;
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
        else if (!(seen.bits & (1u << Format)))
            // Templates start with "format" (the writer puts it first): an unknown field before it means some other
            // JSON file (package.json, a kcat dump), which deserves that answer rather than a field-by-field one.
            return m_ctx.fail(m_reader.lastMemberMark(),
                              QStringLiteral("not a KBatch template: it has a field %1 and no "
                                             "\"format\": \"kbatch-template\" before it")
                                  .arg(quotedName(QString::fromUtf8(name))));
        else
            return m_ctx.failUnknown(name, "format, version, name, topic, producer, messages");
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
            if (lexeme != "1")
                return m_ctx.fail(valueAt, QStringLiteral("unsupported template version %1: this KBatch reads "
                                                          "version 1; a newer KBatch may read this file")
                                               .arg(QString::fromLatin1(lexeme)));
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
        case Messages: {
            if (stopAtLastMessages) {
                atMessages = true; // the path keeps "messages" until readRows() has read the last row
                return true;
            }
            // A row takes at least ~30 bytes of template text; reserving from the rest of the file avoids regrowth.
            const qsizetype rest = m_data.size() - valueAt.offset;
            bool more = false;
            if (!beginMessages(m_template.messages, std::min<qsizetype>(rest / 48 + 16, 64 * 1024 * 1024)) ||
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
    if (reserveRows > 0)
        out.reserve(reserveRows, (m_data.size() - where.offset) / 2);
    m_index = 0;
    return true;
}

// Reads rows until `maxRows` were appended (`more` true) or the array has ended (`more` false).
bool TemplateParser::readSomeMessages(Batch &out, qsizetype maxRows, bool &more)
{
    Message message;
    for (qsizetype n = 0; n < maxRows; ++n) {
        if (!m_reader.nextElement()) {
            more = false;
            return !m_reader.hasError();
        }
        m_ctx.push(m_index);
        if (!readMessage(message))
            return false;
        out.append(message);
        m_ctx.pop();
        ++m_index;
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

Result<Template> loadTemplate(const QString &path)
{
    auto input = InputFile::open(path);
    if (!input)
        return input.error();
    return parseTemplate(input->bytes(), path);
}

struct TemplateStream::Impl
{
    Impl(InputFile in, const QString &path) : input(std::move(in)), parser(input.bytes(), path) {}
    InputFile input; // the parser reads its bytes: declared first, destroyed last
    TemplateParser parser;
};

TemplateStream::TemplateStream(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
TemplateStream::TemplateStream(TemplateStream &&) noexcept = default;
TemplateStream &TemplateStream::operator=(TemplateStream &&) noexcept = default;
TemplateStream::~TemplateStream() = default;

Result<TemplateStream> TemplateStream::open(const QString &path)
{
    auto input = InputFile::open(path);
    if (!input)
        return input.error();
    return TemplateStream(std::make_unique<Impl>(std::move(input.value()), path));
}

Result<Template> TemplateStream::readHead()
{
    return d->parser.readHead(false);
}

Result<bool> TemplateStream::readRows(Batch &out, qsizetype maxRows)
{
    auto more = d->parser.readRows(out, maxRows);
    // The rows read are in `out` now. A generous margin keeps the current line resident for an error's column.
    if (more && *more)
        d->input.doneBefore(d->parser.position() - 1024 * 1024);
    return more;
}

} // namespace kbatch::core

#include "Importers.h"

#include "JsonContext.h"
#include "TextInput.h"
#include "TextLines.h"

namespace kbatch::core {

namespace {

enum class LineForm { Unknown, KBatch, Kcat };

class JsonLineParser
{
public:
    explicit JsonLineParser(const QString &fileName)
        : m_reader(QByteArrayView()), m_ctx(m_reader, fileName), m_file(fileName)
    {}

    // Parses one non-blank line into `out`.
    bool parse(QByteArrayView line, int lineNumber, Message &out);
    const Error &error() const { return m_error; }

private:
    bool setForm(JsonContext &ctx, LineForm form, const QByteArray &name);

    JsonReader m_reader;
    JsonContext m_ctx;
    QString m_file;
    Error m_error;
    LineForm m_form = LineForm::Unknown;
    QByteArray m_formField;
};

bool JsonLineParser::setForm(JsonContext &ctx, LineForm form, const QByteArray &name)
{
    if (m_form == LineForm::Unknown) {
        m_form = form;
        m_formField = name;
        // kcat -J writes the bytes of a key, payload or header value as they are, escaping only control characters:
        // a message that is not UTF-8 text has bytes that are no UTF-8 in its strings. Take them exactly.
        if (form == LineForm::Kcat)
            m_reader.setRawBytes(true);
        return true;
    }
    if (m_form == form)
        return true;
    ctx.push(name);
    const bool kcat = form == LineForm::Kcat;
    return ctx.fail(
        ctx.reader().lastMemberMark(),
        QStringLiteral("the line mixes KBatch fields (\"%1\") with kcat -J fields (\"%2\"); use one form")
            .arg(QString::fromUtf8(kcat ? m_formField : name), QString::fromUtf8(kcat ? name : m_formField)));
}

bool JsonLineParser::parse(QByteArrayView line, int lineNumber, Message &out)
{
    out = Message();
    m_form = LineForm::Unknown;
    // One reader and context for all lines: no allocations per line.
    m_reader.reset(line, lineNumber);
    m_ctx.resetPath();
    JsonReader &reader = m_reader;
    JsonContext &ctx = m_ctx;
    auto done = [&](bool ok) {
        if (!ok)
            m_error = ctx.error();
        return ok;
    };
    const auto start = reader.mark();
    const auto kind = reader.peek();
    if (kind != JsonReader::Kind::Object)
        return done(ctx.failType(start, QStringLiteral("a JSON object"), kind));
    reader.beginObject();
    QByteArray name;
    std::optional<std::int32_t> partition;
    std::uint32_t seen = 0;
    static const char *const names[] = {"key",     "value",         "headers",        "partition", "timestamp",
                                        "topic",   "offset",        "tstype",         "ts",        "broker",
                                        "payload", "key_schema_id", "value_schema_id"};
    while (reader.nextMember(name)) {
        int field = -1;
        for (int i = 0; i < int(std::size(names)); ++i) {
            if (name == names[i]) {
                field = i;
                break;
            }
        }
        if (field < 0)
            return done(ctx.failUnknown(name, "key, value, headers, partition, timestamp; or kcat -J's topic, "
                                              "partition, offset, tstype, ts, broker, headers, key, payload"));
        if (seen & (1u << field))
            return done(ctx.failDuplicate(name));
        seen |= 1u << field;
        std::int64_t number = 0;
        switch (field) {
        case 0: // key
            ctx.push(name);
            if (!ctx.readPayload(out.key))
                return done(false);
            ctx.pop();
            break;
        case 1: // value
            if (!setForm(ctx, LineForm::KBatch, name))
                return done(false);
            ctx.push(name);
            if (!ctx.readPayload(out.value))
                return done(false);
            ctx.pop();
            break;
        case 2: { // headers
            ctx.push(name);
            bool flat = false;
            if (!ctx.readHeaders(out.headers, JsonContext::PairList | JsonContext::NameObject | JsonContext::FlatList,
                                 &flat))
                return done(false);
            ctx.pop();
            if (!out.headers.isEmpty() && !setForm(ctx, flat ? LineForm::Kcat : LineForm::KBatch, name))
                return done(false);
            break;
        }
        case 3: // partition: kept in the KBatch form only (decided at the end of the line)
            ctx.push(name);
            if (!ctx.readInteger(number, -1, std::numeric_limits<std::int32_t>::max()))
                return done(false);
            ctx.pop();
            if (number >= 0)
                partition = std::int32_t(number);
            break;
        case 4: // timestamp
            if (!setForm(ctx, LineForm::KBatch, name))
                return done(false);
            ctx.push(name);
            if (!ctx.readInteger(number, 0))
                return done(false);
            ctx.pop();
            out.timestamp = number;
            break;
        case 10: // payload
            if (!setForm(ctx, LineForm::Kcat, name))
                return done(false);
            ctx.push(name);
            if (!ctx.readPayload(out.value))
                return done(false);
            ctx.pop();
            break;
        default: // kcat metadata: where the message was, not what to send
            if (!setForm(ctx, LineForm::Kcat, name))
                return done(false);
            if (!reader.skipValue())
                return done(false);
            break;
        }
    }
    if (reader.hasError() || !reader.expectEnd())
        return done(false);
    if (m_form != LineForm::Kcat) {
        out.partition = partition;
        return true;
    }
    // Message bytes that are not UTF-8 text are kept as raw bytes (base64 in the template): byte for byte.
    auto keepBytes = [](Payload &p) {
        if (!p.isNull() && p.encoding == Encoding::Text && !JsonReader::isValidUtf8(*p.bytes))
            p.encoding = Encoding::Base64;
    };
    keepBytes(out.key);
    keepBytes(out.value);
    for (qsizetype i = 0; i < out.headers.size(); ++i) {
        keepBytes(out.headers[i].value);
        if (!JsonReader::isValidUtf8(out.headers[i].name)) {
            // A template names headers in JSON strings, which hold text only.
            m_error = Error(QStringLiteral("a header name that is not UTF-8 text cannot be kept in a template"), m_file,
                            lineNumber, 0, QStringLiteral("headers[%1]").arg(i * 2));
            return false;
        }
    }
    return true;
}

} // namespace

Result<Batch> importJsonLines(QByteArrayView data, const QString &fileName)
{
    const QByteArrayView original = data;
    QByteArray converted;
    if (auto e = textAsUtf8(data, converted, fileName))
        return *e;
    // A NUL never occurs in JSON text (kcat -J escapes it): a file with one is something else. Bytes that are not
    // UTF-8 are told apart line by line: kcat -J lines hold them for binary messages, other lines are an error there.
    if (auto bad = findBinary(data, NulBytes)) {
        if (converted.isEmpty())
            bad->offset += data.data() - original.data(); // a byte order mark
        return Error(QStringLiteral("not JSON Lines: the file holds binary data (%1)")
                         .arg(converted.isEmpty() ? bad->describe() : QStringLiteral("a NUL character")),
                     fileName, bad->line, bad->column);
    }
    Batch batch;
    batch.reserve(countLines(data), data.size());
    JsonLineParser parser(fileName);
    Message message;
    const bool ok = forEachLine(data, [&](QByteArrayView line, int lineNumber) {
        if (line.trimmed().isEmpty())
            return true;
        if (!parser.parse(line, lineNumber, message))
            return false;
        batch.append(message);
        return true;
    });
    if (!ok)
        return parser.error();
    return batch;
}

} // namespace kbatch::core

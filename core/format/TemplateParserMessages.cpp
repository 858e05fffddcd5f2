#include "TemplateParser.h"

#include <optional>

namespace kbatch::core::templatereader {

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
            if (!m_ctx.readPayload(out.key, JsonContext::Storage::Borrowed, m_keyForm))
                return false;
            break;
        case Value:
            if (!m_ctx.readPayload(out.value, JsonContext::Storage::Borrowed, m_valueForm))
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
    if (m_reader.hasError())
        return false;
    // A generator row's JSON is a template for its messages: always compact, as the expansion expects it.
    if (out.generate) {
        compactJson(out.key, m_keyForm);
        compactJson(out.value, m_valueForm);
    }
    return true;
}

void TemplateParser::compactJson(Payload &part, JsonContext::JsonForm form)
{
    if (form != JsonContext::JsonForm::AsWritten || part.encoding != Encoding::Json || !part.bytes)
        return;
    JsonReader reader(*part.bytes);
    QByteArray compact;
    if (reader.copyCompact(compact)) // it was read as JSON already: this cannot fail
        part = Payload(std::move(compact), Encoding::Json);
}

bool TemplateParser::readGenerate(GenerateSpec &out)
{
    if (!expectObject("an object such as {\"count\": 100}"))
        return false;
    Seen seen;
    QByteArray name;
    while (m_reader.nextMember(name)) {
        const bool isCount = name == "count", isFill = name == "fill";
        if (!isCount && !isFill && name != "seed")
            return m_ctx.failUnknown(name, "count, seed, fill");
        if (!seen.add(isCount ? 0 : isFill ? 2 : 1))
            return m_ctx.failDuplicate(name);
        m_ctx.push(name);
        if (isFill) {
            if (!readFill(out))
                return false;
        } else if (isCount) {
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

// "fill": ["key", "value"]: which parts get a random value of their schema.
bool TemplateParser::readFill(GenerateSpec &out)
{
    if (m_reader.peek() != JsonReader::Kind::Array)
        return m_ctx.failType(m_reader.mark(), QStringLiteral("an array of \"key\" and \"value\""), m_reader.peek());
    m_reader.beginArray();
    qsizetype index = 0;
    while (m_reader.nextElement()) {
        m_ctx.push(index++);
        const JsonReader::Mark where = m_reader.mark();
        QByteArray part;
        if (!m_ctx.readString(part))
            return false;
        if (part != "key" && part != "value")
            return m_ctx.fail(where, QStringLiteral("expected \"key\" or \"value\""));
        bool &flag = part == "key" ? out.fillKey : out.fillValue;
        if (flag)
            return m_ctx.fail(where, QStringLiteral("\"%1\" is named twice").arg(QString::fromLatin1(part)));
        flag = true;
        m_ctx.pop();
    }
    return !m_reader.hasError();
}

} // namespace kbatch::core::templatereader

#include "TemplateWriter.h"

#include "JsonReader.h"
#include "JsonWriter.h"
#include "PayloadWriter.h"
#include "SerializationJson.h"

#include <QSaveFile>

#include <charconv>

namespace kbatch::core {

namespace {

void indent(QByteArray &out, int level)
{
    out.append(QByteArray(qsizetype(level) * 2, ' '));
}

void appendQString(QByteArray &out, const QString &text)
{
    appendJsonString(out, text.toUtf8());
}

QByteArray doubleText(double v)
{
    char buffer[64];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    Q_UNUSED(ec);
    return QByteArray(buffer, ptr - buffer);
}

// Members of one object, each on its own line at `level`; handles the commas.
class ObjectWriter
{
public:
    ObjectWriter(QByteArray &out, int level) : m_out(out), m_level(level) { m_out.append('{'); }

    void name(const char *name)
    {
        m_out.append(m_first ? "\n" : ",\n");
        m_first = false;
        indent(m_out, m_level + 1);
        m_out.append('"');
        m_out.append(name);
        m_out.append("\": ");
    }
    void finish()
    {
        if (!m_first) {
            m_out.append('\n');
            indent(m_out, m_level);
        }
        m_out.append('}');
    }

private:
    QByteArray &m_out;
    int m_level;
    bool m_first = true;
};

void writeProducer(QByteArray &out, const ProducerSettings &p, int level)
{
    ObjectWriter o(out, level);
    o.name("mode");
    appendQString(out, toString(p.mode));
    o.name("acks");
    appendQString(out, p.acks);
    o.name("compression");
    appendQString(out, p.compression);
    o.name("idempotence");
    out.append(p.idempotence ? "true" : "false");
    if (p.lingerMs) {
        o.name("lingerMs");
        out.append(QByteArray::number(*p.lingerMs));
    }
    if (p.batchSize) {
        o.name("batchSize");
        out.append(QByteArray::number(*p.batchSize));
    }
    if (p.messageTimeoutMs) {
        o.name("messageTimeoutMs");
        out.append(QByteArray::number(*p.messageTimeoutMs));
    }
    if (p.rateLimit != 0) {
        o.name("rateLimit");
        out.append(doubleText(p.rateLimit));
    }
    if (!p.transactionalId.isEmpty()) {
        o.name("transactionalId");
        appendQString(out, p.transactionalId);
    }
    if (!p.properties.isEmpty()) {
        o.name("properties");
        // Names are arbitrary text, so they go through the string writer rather than ObjectWriter::name().
        out.append('{');
        bool first = true;
        for (const Property &prop : p.properties) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, level + 2);
            appendQString(out, prop.first);
            out.append(": ");
            appendQString(out, prop.second);
        }
        out.append('\n');
        indent(out, level + 1);
        out.append('}');
    }
    o.finish();
}

void writeMessage(QByteArray &out, const Message &m, int level)
{
    ObjectWriter o(out, level);
    o.name("key");
    appendPayload(out, m.key, level + 1);
    o.name("value");
    appendPayload(out, m.value, level + 1);
    if (!m.headers.isEmpty()) {
        o.name("headers");
        out.append('[');
        bool first = true;
        for (const Header &h : m.headers) {
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, level + 2);
            out.append('[');
            appendHeaderName(out, h.name);
            out.append(", ");
            appendPayload(out, h.value, level + 2);
            out.append(']');
        }
        out.append('\n');
        indent(out, level + 1);
        out.append(']');
    }
    if (m.partition) {
        o.name("partition");
        out.append(QByteArray::number(*m.partition));
    }
    if (m.timestamp) {
        o.name("timestamp");
        out.append(QByteArray::number(qint64(*m.timestamp)));
    }
    if (m.generate) {
        o.name("generate");
        out.append("{\"count\": ");
        out.append(QByteArray::number(qint64(m.generate->count)));
        if (m.generate->seed) {
            out.append(", \"seed\": ");
            out.append(QByteArray::number(quint64(*m.generate->seed)));
        }
        if (m.generate->fillKey || m.generate->fillValue) {
            out.append(", \"fill\": [");
            if (m.generate->fillKey)
                out.append(m.generate->fillValue ? "\"key\", " : "\"key\"");
            if (m.generate->fillValue)
                out.append("\"value\"");
            out.append(']');
        }
        out.append('}');
    }
    o.finish();
}

} // namespace

QByteArray serializeTemplate(const Template &tpl)
{
    QByteArray out;
    out.reserve(256 + tpl.messages.payloadBytes() * 2 + tpl.messages.size() * 48);
    ObjectWriter o(out, 0);
    o.name("format");
    out.append("\"kbatch-template\"");
    // Version 2 only when it is needed: a template without serialization stays readable by version 1 readers.
    o.name("version");
    out.append(tpl.serialization.isDefault() ? '1' : '2');
    if (!tpl.name.isEmpty()) {
        o.name("name");
        appendQString(out, tpl.name);
    }
    if (!tpl.topic.isEmpty()) {
        o.name("topic");
        appendQString(out, tpl.topic);
    }
    o.name("producer");
    writeProducer(out, tpl.producer, 1);
    if (!tpl.serialization.isDefault()) {
        o.name("serialization");
        writeSerialization(out, tpl.serialization, 1);
    }
    o.name("messages");
    out.append('[');
    const qsizetype n = tpl.messages.size();
    for (qsizetype i = 0; i < n; ++i) {
        out.append(i == 0 ? "\n" : ",\n");
        indent(out, 2);
        writeMessage(out, tpl.messages.at(i), 2);
    }
    if (n > 0) {
        out.append('\n');
        indent(out, 1);
    }
    out.append(']');
    o.finish();
    out.append('\n');
    return out;
}

Status saveTemplate(const Template &tpl, const QString &path)
{
    const QByteArray bytes = serializeTemplate(tpl);
    QSaveFile file(path);
    // Unbuffered, and the rest written again after a short write: when the disk fills or the file size limit is
    // reached, write(2) first writes what fits and only the next call fails with the reason ("No space left on
    // device", "File too large"). Taking the short count as the failure would report "Unknown error".
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return Error(QStringLiteral("cannot save the template: %1").arg(file.errorString()), path, 0, 0);
    for (qint64 written = 0; written < bytes.size();) {
        const qint64 n = file.write(bytes.constData() + written, bytes.size() - written);
        if (n <= 0) {
            const QString reason = file.errorString();
            file.cancelWriting();
            return Error(QStringLiteral("cannot save the template: %1").arg(reason), path, 0, 0);
        }
        written += n;
    }
    if (!file.commit())
        return Error(QStringLiteral("cannot save the template: %1").arg(file.errorString()), path, 0, 0);
    return Ok{};
}

} // namespace kbatch::core

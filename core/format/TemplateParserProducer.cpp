#include "TemplateParser.h"

#include "core/model/Printable.h"
#include "core/model/PropertyPolicy.h"

namespace kbatch::core::templatereader {

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

} // namespace kbatch::core::templatereader

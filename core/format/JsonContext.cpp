#include "JsonContext.h"

#include "core/model/Printable.h"

#include <charconv>
#include <cmath>

namespace kbatch::core {

using Kind = JsonReader::Kind;

QString JsonContext::path() const
{
    QString out;
    for (const Segment &s : m_path) {
        if (s.index >= 0) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
        } else {
            if (!out.isEmpty())
                out += QLatin1Char('.');
            out += printableCut(QString::fromUtf8(s.name)); // names come from the file
        }
    }
    return out;
}

bool JsonContext::fail(const JsonReader::Mark &where, const QString &text)
{
    if (!m_reader.hasError()) {
        m_reader.failAt(where, text);
        m_errorField = path();
        m_fieldRecorded = true;
    }
    return false;
}

bool JsonContext::failUnknown(const QByteArray &name, const char *allowed)
{
    push(name);
    return fail(m_reader.lastMemberMark(), QStringLiteral("unknown field %1 (expected one of: %2)")
                                               .arg(quotedName(QString::fromUtf8(name)), QLatin1String(allowed)));
}

bool JsonContext::failDuplicate(const QByteArray &name)
{
    push(name);
    return fail(m_reader.lastMemberMark(),
                QStringLiteral("duplicate field %1").arg(quotedName(QString::fromUtf8(name))));
}

bool JsonContext::failType(const JsonReader::Mark &where, const QString &expected, Kind found)
{
    if (found == Kind::Invalid || found == Kind::End) {
        // A syntax error: let the reader describe it precisely.
        if (!m_reader.hasError())
            m_reader.skipValue();
        if (m_reader.hasError()) {
            m_errorField = path();
            m_fieldRecorded = true;
            return false;
        }
    }
    return fail(where, QStringLiteral("expected %1, found %2").arg(expected, JsonReader::describe(found)));
}

Error JsonContext::error() const
{
    return Error(m_reader.errorText(), m_file, m_reader.errorLine(), m_reader.errorColumn(),
                 m_fieldRecorded ? m_errorField : path());
}

bool JsonContext::readString(QByteArray &out)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::String)
        return failType(where, QStringLiteral("a string"), k);
    return m_reader.readString(out);
}

bool JsonContext::readQString(QString &out)
{
    QByteArray bytes;
    if (!readString(bytes))
        return false;
    out = QString::fromUtf8(bytes);
    return true;
}

bool JsonContext::readBool(bool &out)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::True && k != Kind::False)
        return failType(where, QStringLiteral("true or false"), k);
    return m_reader.readBool(out);
}

bool JsonContext::readInteger(std::int64_t &out, std::int64_t min, std::int64_t max)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Number)
        return failType(where, QStringLiteral("an integer"), k);
    QByteArrayView lexeme;
    if (!m_reader.readNumber(lexeme))
        return false;
    const char *end = lexeme.data() + lexeme.size();
    const auto [ptr, ec] = std::from_chars(lexeme.data(), end, out);
    const QString text = QString::fromLatin1(lexeme);
    if (ptr != end) // a fraction or an exponent
        return fail(where, QStringLiteral("expected an integer, found %1").arg(text));
    if (ec == std::errc::result_out_of_range || out < min)
        return fail(where, lexeme.startsWith('-') && ec == std::errc::result_out_of_range
                               ? QStringLiteral("%1 is out of range").arg(text)
                               : QStringLiteral("must be %1 or greater, found %2").arg(min).arg(text));
    if (out > max)
        return fail(where, QStringLiteral("must be %1 or less, found %2").arg(max).arg(text));
    return true;
}

bool JsonContext::readUnsigned(std::uint64_t &out)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Number)
        return failType(where, QStringLiteral("an integer"), k);
    QByteArrayView lexeme;
    if (!m_reader.readNumber(lexeme))
        return false;
    const QString text = QString::fromLatin1(lexeme);
    if (lexeme.startsWith('-'))
        return fail(where, QStringLiteral("must be 0 or greater, found %1").arg(text));
    const char *end = lexeme.data() + lexeme.size();
    const auto [ptr, ec] = std::from_chars(lexeme.data(), end, out);
    if (ptr != end)
        return fail(where, QStringLiteral("expected an integer, found %1").arg(text));
    if (ec == std::errc::result_out_of_range)
        return fail(where, QStringLiteral("%1 is out of range (at most 18446744073709551615)").arg(text));
    return true;
}

bool JsonContext::readDouble(double &out, double min)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Number)
        return failType(where, QStringLiteral("a number"), k);
    QByteArrayView lexeme;
    if (!m_reader.readNumber(lexeme))
        return false;
    const char *end = lexeme.data() + lexeme.size();
    const auto [ptr, ec] = std::from_chars(lexeme.data(), end, out);
    const QString text = QString::fromLatin1(lexeme);
    if (ptr != end || ec != std::errc() || !std::isfinite(out))
        return fail(where, QStringLiteral("%1 is out of range").arg(text));
    if (out < min)
        return fail(where, QStringLiteral("must be %1 or greater, found %2").arg(min).arg(text));
    return true;
}

bool JsonContext::readPayload(Payload &out, Storage storage, JsonForm form)
{
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    switch (k) {
    case Kind::String: {
        if (storage == Storage::Borrowed) {
            QByteArrayView view;
            if (!m_reader.readStringView(view, m_scratch))
                return false;
            out = Payload(view.data() == m_scratch.constData() ? view.toByteArray()
                                                               : QByteArray::fromRawData(view.data(), view.size()),
                          Encoding::Text);
            return true;
        }
        QByteArray bytes;
        if (!m_reader.readString(bytes))
            return false;
        out = Payload(std::move(bytes), Encoding::Text);
        return true;
    }
    case Kind::Null:
        out = Payload();
        return m_reader.readNull();
    case Kind::Object: {
        if (!m_reader.beginObject())
            return false;
        QByteArray name;
        if (!m_reader.nextMember(name)) {
            if (m_reader.hasError())
                return false;
            return fail(where,
                        QStringLiteral("expected {\"json\": ...} or {\"base64\": \"...\"}, found an empty object"));
        }
        if (name == "json") {
            push(QByteArray::fromRawData("json", 4));
            if (form == JsonForm::AsWritten) {
                const qsizetype from = m_reader.mark().offset;
                if (!m_reader.skipValue())
                    return false;
                const QByteArrayView written = m_reader.consumedSince(from);
                out = Payload(storage == Storage::Borrowed ? QByteArray::fromRawData(written.data(), written.size())
                                                           : written.toByteArray(),
                              Encoding::Json);
            } else {
                QByteArray bytes;
                if (!m_reader.copyCompact(bytes))
                    return false;
                out = Payload(std::move(bytes), Encoding::Json);
            }
            pop();
        } else if (name == "base64") {
            push(QByteArray::fromRawData("base64", 6));
            const auto valueAt = m_reader.mark();
            QByteArray text;
            if (!readString(text))
                return false;
            QByteArray bytes;
            if (!decodeBase64Strict(text, bytes))
                return fail(valueAt, QStringLiteral("invalid base64"));
            pop();
            out = Payload(std::move(bytes), Encoding::Base64);
        } else {
            push(name);
            return fail(m_reader.lastMemberMark(),
                        QStringLiteral("unknown payload form %1 (expected \"json\" or \"base64\")")
                            .arg(quotedName(QString::fromUtf8(name))));
        }
        if (m_reader.nextMember(name)) {
            push(name);
            return fail(m_reader.lastMemberMark(),
                        QStringLiteral("a payload object holds exactly one of \"json\" or \"base64\""));
        }
        return !m_reader.hasError();
    }
    default:
        return failType(where, QStringLiteral("a string, null, {\"json\": ...} or {\"base64\": \"...\"}"), k);
    }
}

bool JsonContext::readHeaders(Headers &out, unsigned forms, bool *flat)
{
    out.clear();
    if (flat)
        *flat = false;
    const auto where = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k == Kind::Object && (forms & NameObject)) {
        // {"name": value, ...}: names cannot repeat in this form.
        if (!m_reader.beginObject())
            return false;
        QByteArray name;
        while (m_reader.nextMember(name)) {
            for (const Header &h : std::as_const(out)) {
                if (h.name == name)
                    return failDuplicate(name);
            }
            push(name);
            Header h;
            h.name = name;
            if (!readPayload(h.value))
                return false;
            pop();
            out.append(std::move(h));
        }
        return !m_reader.hasError();
    }
    if (k != Kind::Array)
        return failType(where,
                        (forms & NameObject) ? QStringLiteral("an array of [name, value] pairs or an object")
                                             : QStringLiteral("an array of [name, value] pairs"),
                        k);
    if (!m_reader.beginArray())
        return false;
    qsizetype index = 0;
    bool flatMode = false;
    while (m_reader.nextElement()) {
        push(index);
        if (index == 0 && (forms & FlatList) && m_reader.peek() == Kind::String)
            flatMode = true;
        if (flatMode) {
            if (index % 2 == 0) {
                Header h;
                const auto nameAt = m_reader.mark();
                const Kind nk = m_reader.peek();
                if (nk != Kind::String)
                    return fail(
                        nameAt,
                        QStringLiteral("a header name must be a string, found %1").arg(JsonReader::describe(nk)));
                if (!m_reader.readString(h.name))
                    return false;
                out.append(std::move(h));
            } else if (!readPayload(out.last().value)) {
                return false;
            }
            pop();
            ++index;
            continue;
        }
        const auto pairAt = m_reader.mark();
        const Kind pk = m_reader.peek();
        if (pk != Kind::Array)
            return failType(pairAt, QStringLiteral("a [name, value] pair"), pk);
        m_reader.beginArray();
        if (!m_reader.nextElement()) {
            if (m_reader.hasError())
                return false;
            return fail(pairAt, QStringLiteral("expected a [name, value] pair, found an empty array"));
        }
        Header h;
        push(0);
        const auto nameAt = m_reader.mark();
        const Kind nk = m_reader.peek();
        if (nk != Kind::String)
            return fail(nameAt,
                        QStringLiteral("a header name must be a string, found %1").arg(JsonReader::describe(nk)));
        if (!m_reader.readString(h.name))
            return false;
        pop();
        if (!m_reader.nextElement()) {
            if (m_reader.hasError())
                return false;
            return fail(pairAt, QStringLiteral("expected a [name, value] pair, found only a name"));
        }
        push(1);
        if (!readPayload(h.value))
            return false;
        pop();
        if (m_reader.nextElement()) {
            push(2);
            return fail(m_reader.mark(), QStringLiteral("expected a [name, value] pair, found more than two elements"));
        }
        if (m_reader.hasError())
            return false;
        pop();
        out.append(std::move(h));
        ++index;
    }
    if (m_reader.hasError())
        return false;
    if (flatMode && index % 2 != 0)
        return fail(where, QStringLiteral("kcat headers alternate names and values; the last name has no value"));
    if (flat)
        *flat = flatMode;
    return true;
}

Payload textOrBinaryPayload(QByteArray bytes)
{
    const bool text = JsonReader::isValidUtf8(bytes);
    return Payload(std::move(bytes), text ? Encoding::Text : Encoding::Base64);
}

bool decodeBase64Strict(QByteArrayView text, QByteArray &out)
{
    qsizetype n = text.size();
    qsizetype pad = 0;
    while (n > 0 && text[n - 1] == '=' && pad < 2) {
        --n;
        ++pad;
    }
    for (qsizetype i = 0; i < n; ++i) {
        const char c = text[i];
        const bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok)
            return false;
    }
    if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
        return false;
    auto result = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (result.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return false;
    out = std::move(result.decoded);
    return true;
}

} // namespace kbatch::core

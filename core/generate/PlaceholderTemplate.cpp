#include "PlaceholderTemplate.h"

#include "core/model/CivilDate.h"
#include "core/model/Printable.h"

#include "core/format/JsonText.h"
#include "core/format/JsonWriter.h"
#include "core/format/Utf8.h"

#include "Random.h"

#include <charconv>

namespace kbatch::core {

namespace {

constexpr std::int64_t MaxHexChars = 65536;

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && isSpace(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isSpace(v.back()))
        v.chop(1);
    return v;
}

QList<QByteArrayView> splitWords(QByteArrayView v)
{
    QList<QByteArrayView> words;
    qsizetype i = 0;
    while (i < v.size()) {
        while (i < v.size() && isSpace(v[i]))
            ++i;
        const qsizetype start = i;
        while (i < v.size() && !isSpace(v[i]))
            ++i;
        if (i > start)
            words.append(v.sliced(start, i - start));
    }
    return words;
}

bool parseInt64(QByteArrayView word, std::int64_t &out)
{
    const char *end = word.data() + word.size();
    const auto [ptr, ec] = std::from_chars(word.data(), end, out);
    return ec == std::errc() && ptr == end;
}

void appendNumber(QByteArray &out, std::int64_t n)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, res.ptr - buf);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

char *put2(char *p, unsigned v)
{
    *p++ = char('0' + v / 10);
    *p++ = char('0' + v % 10);
    return p;
}

qsizetype formatIso(std::int64_t ms, char *buf)
{
    const std::int64_t days = floorDiv(ms, 86400000);
    auto msOfDay = unsigned(ms - days * 86400000);
    std::int64_t year;
    unsigned month, day;
    civilFromDays(days, year, month, day);
    char *p = buf;
    if (year >= 0 && year <= 9999) {
        const auto y = unsigned(year);
        p = put2(p, y / 100);
        p = put2(p, y % 100);
    } else {
        p = std::to_chars(p, buf + 20, year).ptr;
    }
    *p++ = '-';
    p = put2(p, month);
    *p++ = '-';
    p = put2(p, day);
    *p++ = 'T';
    const unsigned millis = msOfDay % 1000;
    const unsigned secs = msOfDay / 1000;
    p = put2(p, secs / 3600);
    *p++ = ':';
    p = put2(p, secs / 60 % 60);
    *p++ = ':';
    p = put2(p, secs % 60);
    *p++ = '.';
    *p++ = char('0' + millis / 100);
    p = put2(p, millis % 100);
    *p++ = 'Z';
    return p - buf;
}

} // namespace

QByteArrayView GenerateContext::nowIso() const
{
    if (!m_isoValid || m_isoFor != m_nowMs) {
        m_isoLen = formatIso(m_nowMs, m_iso);
        m_isoFor = m_nowMs;
        m_isoValid = true;
    }
    return QByteArrayView(m_iso, m_isoLen);
}

QString PlaceholderTemplate::knownPlaceholders()
{
    return QStringLiteral("seq, index, uuid, now, now.ms, random.int A B, random.hex N, pick a|b|c");
}

class PlaceholderParser
{
public:
    PlaceholderParser(QByteArrayView text, Encoding encoding, PlaceholderTemplate &out)
        : m_text(text), m_json(encoding == Encoding::Json), m_out(out)
    {}

    Status run()
    {
        qsizetype literalStart = 0;
        bool inString = false;
        qsizetype i = 0;
        const qsizetype n = m_text.size();
        while (i < n) {
            const char c = m_text[i];
            if (c == '{' && i + 1 < n && m_text[i + 1] == '{') {
                addLiteral(literalStart, i);
                const qsizetype close = m_text.indexOf(QByteArrayView("}}"), i + 2);
                if (close < 0)
                    return fail(i, QStringLiteral("unterminated {{: close the placeholder with }}"));
                Status placed = addPlaceholder(i, close, inString);
                if (!placed.ok())
                    return placed;
                i = close + 2;
                literalStart = i;
                continue;
            }
            if (m_json) {
                // Track JSON strings so that what a placeholder inserts there can be escaped.
                if (inString && c == '\\')
                    ++i;
                else if (c == '"')
                    inString = !inString;
            }
            ++i;
        }
        addLiteral(literalStart, n);
        return Ok{};
    }

private:
    using Kind = PlaceholderTemplate::Kind;

    Status fail(qsizetype pos, const QString &text) const
    {
        Error e(text);
        e.column = characterColumn(m_text, 0, pos);
        return e;
    }

    void addLiteral(qsizetype from, qsizetype to)
    {
        if (to <= from)
            return;
        // Adjacent literals merge, so expansion appends as few pieces as possible.
        if (!m_out.m_segments.empty() && m_out.m_segments.back().kind == Kind::Literal) {
            m_out.m_segments.back().b += to - from;
        } else {
            m_out.m_segments.push_back({Kind::Literal, m_out.m_bytes.size(), to - from});
        }
        m_out.m_bytes.append(m_text.sliced(from, to - from));
        m_out.m_estimate += to - from;
    }

    void add(Kind kind, std::int64_t a, std::int64_t b, qsizetype estimate)
    {
        m_out.m_segments.push_back({kind, a, b});
        m_out.m_estimate += estimate;
        m_out.m_hasPlaceholders = true;
    }

    Status addPlaceholder(qsizetype open, qsizetype close, bool inString)
    {
        const QByteArrayView whole = m_text.sliced(open, close + 2 - open);
        const QByteArrayView inner = trimmed(m_text.sliced(open + 2, close - open - 2));
        qsizetype nameEnd = 0;
        while (nameEnd < inner.size() && !isSpace(inner[nameEnd]))
            ++nameEnd;
        const QByteArrayView name = inner.first(nameEnd);
        const QByteArrayView args = trimmed(inner.sliced(nameEnd));
        const QString shown = printableCut(QString::fromUtf8(whole)); // from the file: escaped, cut
        auto badArgs = [&](const QString &why) { return fail(open, shown + QStringLiteral(": ") + why); };
        auto noArgs = [&](Kind kind, qsizetype estimate) -> Status {
            if (!args.isEmpty())
                return badArgs(printableCut(QString::fromUtf8(name)) + QStringLiteral(" takes no arguments"));
            add(kind, 0, 0, estimate);
            return Ok{};
        };

        if (name == "seq")
            return noArgs(Kind::Seq, 7);
        if (name == "index")
            return noArgs(Kind::Index, 7);
        if (name == "uuid")
            return noArgs(Kind::Uuid, 36);
        if (name == "now") {
            m_out.m_usesClock = true;
            return noArgs(Kind::Now, 24);
        }
        if (name == "now.ms") {
            m_out.m_usesClock = true;
            return noArgs(Kind::NowMs, 13);
        }
        if (name == "random.int") {
            const QList<QByteArrayView> words = splitWords(args);
            std::int64_t low = 0, high = 0;
            if (words.size() != 2 || !parseInt64(words[0], low) || !parseInt64(words[1], high))
                return badArgs(QStringLiteral("expected two whole numbers A B (e.g. {{random.int 1 100}})"));
            if (low > high)
                return badArgs(QStringLiteral("A must not be greater than B"));
            add(Kind::RandomInt, low, high, 10);
            return Ok{};
        }
        if (name == "random.hex") {
            const QList<QByteArrayView> words = splitWords(args);
            std::int64_t count = 0;
            if (words.size() != 1 || !parseInt64(words[0], count) || count < 1 || count > MaxHexChars)
                return badArgs(
                    QStringLiteral("expected a count N from 1 to %1 (e.g. {{random.hex 16}})").arg(MaxHexChars));
            add(Kind::RandomHex, count, 0, qsizetype(count));
            return Ok{};
        }
        if (name == "pick") {
            if (args.isEmpty())
                return badArgs(QStringLiteral("expected choices separated by | (e.g. {{pick red|green|blue}})"));
            const auto first = std::int64_t(m_out.m_choices.size());
            qsizetype start = 0;
            qsizetype longest = 0;
            QByteArray decoded;
            for (;;) {
                const qsizetype bar = args.indexOf('|', start);
                const QByteArrayView choice = args.sliced(start, (bar < 0 ? args.size() : bar) - start);
                if (m_json && inString) {
                    // The choice is written JSON-escaped inside a JSON string: read what it means, then escape it
                    // again for insertion, so a quote or backslash in a choice can never break the document.
                    if (!decodeJsonStringContent(choice, decoded))
                        return badArgs(QStringLiteral("the choice %1 is not valid inside a JSON string")
                                           .arg(quotedName(QString::fromUtf8(choice))));
                    QByteArray escaped;
                    appendJsonEscaped(escaped, decoded);
                    m_out.m_choices.append(escaped);
                } else {
                    m_out.m_choices.append(choice.toByteArray());
                }
                longest = std::max(longest, m_out.m_choices.back().size());
                if (bar < 0)
                    break;
                start = bar + 1;
            }
            add(Kind::Pick, first, std::int64_t(m_out.m_choices.size()) - first, longest);
            return Ok{};
        }
        return fail(
            open,
            QStringLiteral("unknown placeholder %1 (known: %2)").arg(shown, PlaceholderTemplate::knownPlaceholders()));
    }

    QByteArrayView m_text;
    bool m_json;
    PlaceholderTemplate &m_out;
};

Result<PlaceholderTemplate> PlaceholderTemplate::compile(QByteArrayView text, Encoding encoding)
{
    PlaceholderTemplate result;
    if (encoding == Encoding::Base64) {
        if (!text.isEmpty()) {
            result.m_segments.push_back({Kind::Literal, 0, text.size()});
            result.m_bytes = text.toByteArray();
            result.m_estimate = text.size();
        }
        return result;
    }
    PlaceholderParser parser(text, encoding, result);
    const Status status = parser.run();
    if (!status.ok())
        return status.error();
    return result;
}

void PlaceholderTemplate::skipDraws(Random &random) const
{
    for (const Segment &s : m_segments) {
        switch (s.kind) {
        case Kind::Uuid:
            random.next();
            random.next();
            break;
        case Kind::RandomInt:
            random.below(std::uint64_t(s.b) - std::uint64_t(s.a) + 1);
            break;
        case Kind::RandomHex:
            for (std::int64_t left = s.a; left > 0; left -= 16)
                random.next();
            break;
        case Kind::Pick:
            random.below(std::uint64_t(s.b));
            break;
        case Kind::Literal:
        case Kind::Seq:
        case Kind::Index:
        case Kind::Now:
        case Kind::NowMs:
            break;
        }
    }
}

void PlaceholderTemplate::expandTo(QByteArray &out, const GenerateContext &ctx) const
{
    for (const Segment &s : m_segments) {
        switch (s.kind) {
        case Kind::Literal:
            out.append(m_bytes.constData() + s.a, qsizetype(s.b));
            break;
        case Kind::Seq:
            appendNumber(out, ctx.seq);
            break;
        case Kind::Index:
            appendNumber(out, ctx.index);
            break;
        case Kind::Uuid: {
            // RFC 4122 version 4: 122 random bits, version nibble 4, variant bits 10.
            std::uint64_t hi = ctx.random().next();
            std::uint64_t lo = ctx.random().next();
            hi = (hi & 0xffffffffffff0fffull) | 0x0000000000004000ull;
            lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;
            char buf[36];
            char *p = buf;
            for (int i = 0; i < 16; ++i) {
                if (i == 4 || i == 6 || i == 8 || i == 10)
                    *p++ = '-';
                const std::uint64_t word = i < 8 ? hi : lo;
                const auto byte = unsigned((word >> (56 - 8 * (i % 8))) & 0xff);
                *p++ = HexDigits[byte >> 4];
                *p++ = HexDigits[byte & 0xf];
            }
            out.append(buf, 36);
            break;
        }
        case Kind::Now:
            out.append(ctx.nowIso());
            break;
        case Kind::NowMs:
            appendNumber(out, ctx.nowMs());
            break;
        case Kind::RandomInt: {
            // Unsigned arithmetic: B - A + 1 wraps to 0 exactly for the full 64-bit range, which below() accepts.
            const std::uint64_t span = std::uint64_t(s.b) - std::uint64_t(s.a) + 1;
            appendNumber(out, std::int64_t(std::uint64_t(s.a) + ctx.random().below(span)));
            break;
        }
        case Kind::RandomHex: {
            std::int64_t left = s.a;
            char buf[16];
            while (left > 0) {
                std::uint64_t r = ctx.random().next();
                const int take = left < 16 ? int(left) : 16;
                for (int i = 0; i < take; ++i, r >>= 4)
                    buf[i] = HexDigits[r & 0xf];
                out.append(buf, take);
                left -= take;
            }
            break;
        }
        case Kind::Pick:
            out.append(m_choices.at(qsizetype(s.a) + qsizetype(ctx.random().below(std::uint64_t(s.b)))));
            break;
        }
    }
}

QByteArray PlaceholderTemplate::expand(const GenerateContext &ctx) const
{
    QByteArray out;
    out.reserve(m_estimate);
    expandTo(out, ctx);
    return out;
}

} // namespace kbatch::core

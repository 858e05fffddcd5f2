#include "AvroLogical.h"

#include "core/model/CivilDate.h"

#include <cstdio>
#include <vector>

namespace kbatch::core {

namespace {

// A decimal's unscaled value has at most this many digits: the conversions are quadratic in it, and no decimal
// column anyone uses comes close (Java's BigDecimal columns in databases stop at 38 or 65).
constexpr qsizetype MaxDecimalDigits = 4096;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos`.
bool digits(QByteArrayView t, qsizetype &pos, int n, int &value)
{
    value = 0;
    for (int i = 0; i < n; ++i, ++pos) {
        if (pos >= t.size() || !isDigit(t[pos]))
            return false;
        value = value * 10 + (t[pos] - '0');
    }
    return true;
}

bool expectChar(QByteArrayView t, qsizetype &pos, char c)
{
    if (pos < t.size() && t[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

bool isLeap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(std::int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

int fractionDigits(std::int64_t unitsPerSecond)
{
    return unitsPerSecond == 1000 ? 3 : 6;
}

// "YYYY-MM-DD" at `pos`.
bool readDate(QByteArrayView t, qsizetype &pos, std::int64_t &days, QString &error)
{
    int y = 0, m = 0, d = 0;
    if (!digits(t, pos, 4, y) || !expectChar(t, pos, '-') || !digits(t, pos, 2, m) || !expectChar(t, pos, '-') ||
        !digits(t, pos, 2, d)) {
        error = QStringLiteral("expected a date as YYYY-MM-DD");
        return false;
    }
    if (m < 1 || m > 12) {
        error = QStringLiteral("month %1 does not exist").arg(m);
        return false;
    }
    if (d < 1 || unsigned(d) > daysInMonth(y, unsigned(m))) {
        error = QStringLiteral("day %1 does not exist in %2-%3")
                    .arg(d)
                    .arg(y, 4, 10, QLatin1Char('0'))
                    .arg(m, 2, 10, QLatin1Char('0'));
        return false;
    }
    days = AvroLogical::daysFromCivil(y, unsigned(m), unsigned(d));
    return true;
}

// "HH:MM:SS[.fraction]" at `pos`, in units since midnight.
bool readTime(QByteArrayView t, qsizetype &pos, std::int64_t unitsPerSecond, std::int64_t &units, QString &error)
{
    int h = 0, m = 0, s = 0;
    if (!digits(t, pos, 2, h) || !expectChar(t, pos, ':') || !digits(t, pos, 2, m) || !expectChar(t, pos, ':') ||
        !digits(t, pos, 2, s)) {
        error = QStringLiteral("expected a time as HH:MM:SS");
        return false;
    }
    if (h > 23 || m > 59 || s > 59) {
        error = QStringLiteral("%1:%2:%3 is not a time of day")
                    .arg(h, 2, 10, QLatin1Char('0'))
                    .arg(m, 2, 10, QLatin1Char('0'))
                    .arg(s, 2, 10, QLatin1Char('0'));
        return false;
    }
    std::int64_t fraction = 0;
    if (pos < t.size() && t[pos] == '.') {
        ++pos;
        const int maxDigits = fractionDigits(unitsPerSecond);
        int n = 0;
        while (pos < t.size() && isDigit(t[pos])) {
            if (n == maxDigits) {
                error = QStringLiteral("more than %1 decimal places in the seconds").arg(maxDigits);
                return false;
            }
            fraction = fraction * 10 + (t[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0) {
            error = QStringLiteral("expected digits after the decimal point");
            return false;
        }
        for (; n < maxDigits; ++n)
            fraction *= 10;
    }
    units = (std::int64_t(h) * 3600 + std::int64_t(m) * 60 + s) * unitsPerSecond + fraction;
    return true;
}

void appendPadded(QByteArray &out, std::int64_t v, int width)
{
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
    out.append(buf, n);
}

// Big-endian magnitude bytes times 10 plus `digit`, in place.
void mulAdd(std::vector<std::uint8_t> &mag, unsigned digit)
{
    unsigned carry = digit;
    for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
        const unsigned v = unsigned(*it) * 10 + carry;
        *it = std::uint8_t(v & 0xff);
        carry = v >> 8;
    }
    while (carry) {
        mag.insert(mag.begin(), std::uint8_t(carry & 0xff));
        carry >>= 8;
    }
}

} // namespace

std::int64_t AvroLogical::daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    return core::daysFromCivil(y, m, d);
}

void AvroLogical::civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    core::civilFromDays(z, y, m, d);
}

bool AvroLogical::decimalToBytes(QByteArrayView text, int precision, int scale, QByteArray &out, QString &error)
{
    qsizetype pos = 0;
    const bool negative = pos < text.size() && text[pos] == '-';
    if (negative)
        ++pos;
    QByteArray digitsText; // all mantissa digits, the decimal point dropped
    qsizetype fracDigits = 0;
    bool sawDigit = false;
    while (pos < text.size() && isDigit(text[pos])) {
        digitsText.append(text[pos++]);
        sawDigit = true;
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && isDigit(text[pos])) {
            digitsText.append(text[pos++]);
            ++fracDigits;
            sawDigit = true;
        }
    }
    qint64 exponent = 0;
    if (sawDigit && pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        bool expNegative = false;
        if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
            expNegative = text[pos++] == '-';
        bool expDigit = false;
        while (pos < text.size() && isDigit(text[pos])) {
            if (exponent < 100000000)
                exponent = exponent * 10 + (text[pos] - '0');
            ++pos;
            expDigit = true;
        }
        if (!expDigit)
            sawDigit = false;
        if (expNegative)
            exponent = -exponent;
    }
    if (!sawDigit || pos != text.size()) {
        error = QStringLiteral("expected a decimal number such as \"-12.50\"");
        return false;
    }
    // The unscaled value is digitsText * 10^shift.
    const qint64 shift = exponent - fracDigits + scale;
    qsizetype first = 0;
    while (first < digitsText.size() && digitsText[first] == '0')
        ++first;
    QByteArray unscaled = digitsText.mid(first);
    if (shift < 0) {
        const qsizetype drop = qsizetype(std::min<qint64>(-shift, unscaled.size()));
        for (qsizetype i = unscaled.size() - drop; i < unscaled.size(); ++i) {
            if (unscaled[i] != '0') {
                error = QStringLiteral("more than %1 decimal places (the scale)").arg(scale);
                return false;
            }
        }
        unscaled.chop(drop);
    } else if (!unscaled.isEmpty()) {
        // Checked before the zeros are appended: an exponent may ask for millions of them.
        if (unscaled.size() + shift > precision) {
            error = QStringLiteral("%1 digits, more than the precision %2").arg(unscaled.size() + shift).arg(precision);
            return false;
        }
        unscaled.append(QByteArray(qsizetype(shift), '0'));
    }
    if (unscaled.size() > precision) {
        error = QStringLiteral("%1 digits, more than the precision %2").arg(unscaled.size()).arg(precision);
        return false;
    }
    if (unscaled.size() > MaxDecimalDigits) {
        error = QStringLiteral("more than %1 digits").arg(MaxDecimalDigits);
        return false;
    }
    std::vector<std::uint8_t> mag{0};
    for (char c : unscaled)
        mulAdd(mag, unsigned(c - '0'));
    // A leading zero byte keeps room for the sign bit; trimmed below to the shortest form.
    mag.insert(mag.begin(), 0);
    const bool isZero = unscaled.isEmpty();
    if (negative && !isZero) {
        for (auto &b : mag)
            b = std::uint8_t(~b);
        for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
            if (++*it != 0)
                break;
        }
    }
    // Drop leading bytes that only repeat the sign.
    std::size_t start = 0;
    while (start + 1 < mag.size()) {
        const std::uint8_t b = mag[start], next = mag[start + 1];
        if ((b == 0x00 && !(next & 0x80)) || (b == 0xff && (next & 0x80)))
            ++start;
        else
            break;
    }
    out = QByteArray(reinterpret_cast<const char *>(mag.data() + start), qsizetype(mag.size() - start));
    return true;
}

bool AvroLogical::signExtend(QByteArrayView minimal, qint64 size, QByteArray &out)
{
    if (minimal.size() > size)
        return false;
    const char fill = !minimal.isEmpty() && (minimal[0] & 0x80) ? char(0xff) : char(0);
    out = QByteArray(qsizetype(size - minimal.size()), fill);
    out.append(minimal);
    return true;
}

bool AvroLogical::appendDecimal(QByteArray &out, QByteArrayView bytes, int scale)
{
    if (bytes.size() > 1700) // about 4,100 decimal digits
        return false;
    std::vector<std::uint8_t> mag(bytes.begin(), bytes.end());
    const bool negative = !mag.empty() && (mag[0] & 0x80);
    if (negative) {
        for (auto &b : mag)
            b = std::uint8_t(~b);
        for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
            if (++*it != 0)
                break;
        }
    }
    // Repeated division by 10 gives the digits from the last.
    QByteArray digitsText;
    std::size_t start = 0;
    for (;;) {
        while (start < mag.size() && mag[start] == 0)
            ++start;
        if (start == mag.size())
            break;
        unsigned rem = 0;
        for (std::size_t i = start; i < mag.size(); ++i) {
            const unsigned v = (rem << 8) | mag[i];
            mag[i] = std::uint8_t(v / 10);
            rem = v % 10;
        }
        digitsText.prepend(char('0' + rem));
    }
    if (digitsText.size() <= scale)
        digitsText.prepend(QByteArray(scale + 1 - digitsText.size(), '0'));
    if (negative && digitsText.count('0') != digitsText.size())
        out.append('-');
    out.append(digitsText.left(digitsText.size() - scale));
    if (scale > 0) {
        out.append('.');
        out.append(digitsText.right(scale));
    }
    return true;
}

void AvroLogical::appendBytes(QByteArray &out, QByteArrayView bytes)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(char(c));
        } else if (c < 0x20 || c == 0x7f) {
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(escaped, 6);
        } else if (c < 0x80) {
            out.append(char(c));
        } else {
            out.append(char(0xc0 | (c >> 6)));
            out.append(char(0x80 | (c & 0x3f)));
        }
    }
    out.append('"');
}

bool AvroLogical::bytesFromCharacters(QByteArrayView utf8, QByteArray &out)
{
    out.resize(0);
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out.append(char(c));
        } else if ((c == 0xc2 || c == 0xc3) && i + 1 < utf8.size()) {
            out.append(char(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3f)));
            ++i;
        } else {
            return false;
        }
    }
    return true;
}

bool AvroLogical::parseUuid(QByteArrayView text, QByteArray &out, QString &error)
{
    if (text.size() == 36) {
        out.resize(36);
        bool ok = true;
        for (qsizetype i = 0; i < 36 && ok; ++i) {
            const char c = text[i];
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                ok = c == '-';
                out[i] = c;
            } else if (isDigit(c) || (c >= 'a' && c <= 'f')) {
                out[i] = c;
            } else if (c >= 'A' && c <= 'F') {
                out[i] = char(c - 'A' + 'a');
            } else {
                ok = false;
            }
        }
        if (ok)
            return true;
    }
    error = QStringLiteral("expected a UUID such as \"123e4567-e89b-12d3-a456-426614174000\"");
    return false;
}

bool AvroLogical::parseDate(QByteArrayView text, std::int32_t &days, QString &error)
{
    qsizetype pos = 0;
    std::int64_t d = 0;
    if (!readDate(text, pos, d, error))
        return false;
    if (pos != text.size()) {
        error = QStringLiteral("expected a date as YYYY-MM-DD and nothing after it");
        return false;
    }
    days = std::int32_t(d);
    return true;
}

bool AvroLogical::parseTime(QByteArrayView text, std::int64_t unitsPerSecond, std::int64_t &units, QString &error)
{
    qsizetype pos = 0;
    if (!readTime(text, pos, unitsPerSecond, units, error))
        return false;
    if (pos != text.size()) {
        error = QStringLiteral("expected a time as HH:MM:SS[.fraction] and nothing after it");
        return false;
    }
    return true;
}

bool AvroLogical::parseTimestamp(QByteArrayView text, std::int64_t unitsPerSecond, bool local, std::int64_t &units,
                                 QString &error)
{
    qsizetype pos = 0;
    std::int64_t days = 0, time = 0;
    if (!readDate(text, pos, days, error))
        return false;
    if (!expectChar(text, pos, 'T')) {
        error = QStringLiteral("expected 'T' between the date and the time");
        return false;
    }
    if (!readTime(text, pos, unitsPerSecond, time, error))
        return false;
    std::int64_t offsetSeconds = 0;
    const bool hasOffset = pos < text.size();
    if (hasOffset) {
        const char c = text[pos++];
        if (c == 'Z') {
            offsetSeconds = 0;
        } else if (c == '+' || c == '-') {
            int h = 0, m = 0;
            if (!digits(text, pos, 2, h) || !expectChar(text, pos, ':') || !digits(text, pos, 2, m) || h > 23 ||
                m > 59) {
                error = QStringLiteral("expected an offset such as +01:00");
                return false;
            }
            offsetSeconds = (std::int64_t(h) * 3600 + std::int64_t(m) * 60) * (c == '-' ? -1 : 1);
        } else {
            error = QStringLiteral("expected Z or an offset such as +01:00 after the time");
            return false;
        }
        if (pos != text.size()) {
            error = QStringLiteral("unexpected text after the offset");
            return false;
        }
    }
    if (local && hasOffset) {
        error = QStringLiteral("a local timestamp has no offset (drop the Z or +HH:MM)");
        return false;
    }
    if (!local && !hasOffset) {
        error = QStringLiteral("a timestamp needs an offset: Z for UTC, or +HH:MM");
        return false;
    }
    units = (days * 86400 - offsetSeconds) * unitsPerSecond + time;
    return true;
}

void AvroLogical::appendDate(QByteArray &out, std::int32_t days)
{
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, y, m, d);
    if (y < 0 || y > 9999) {
        out.append(QByteArray::number(days));
        return;
    }
    out.append('"');
    appendPadded(out, y, 4);
    out.append('-');
    appendPadded(out, m, 2);
    out.append('-');
    appendPadded(out, d, 2);
    out.append('"');
}

void AvroLogical::appendTime(QByteArray &out, std::int64_t units, std::int64_t unitsPerSecond)
{
    if (units < 0 || units >= 86400 * unitsPerSecond) {
        out.append(QByteArray::number(qint64(units)));
        return;
    }
    const std::int64_t seconds = units / unitsPerSecond;
    out.append('"');
    appendPadded(out, seconds / 3600, 2);
    out.append(':');
    appendPadded(out, seconds / 60 % 60, 2);
    out.append(':');
    appendPadded(out, seconds % 60, 2);
    out.append('.');
    appendPadded(out, units % unitsPerSecond, fractionDigits(unitsPerSecond));
    out.append('"');
}

void AvroLogical::appendTimestamp(QByteArray &out, std::int64_t units, std::int64_t unitsPerSecond, bool local)
{
    const std::int64_t unitsPerDay = 86400 * unitsPerSecond;
    const std::int64_t days = floorDiv(units, unitsPerDay);
    const std::int64_t time = units - days * unitsPerDay;
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, y, m, d);
    if (y < 0 || y > 9999) {
        out.append(QByteArray::number(qint64(units)));
        return;
    }
    const std::int64_t seconds = time / unitsPerSecond;
    out.append('"');
    appendPadded(out, y, 4);
    out.append('-');
    appendPadded(out, m, 2);
    out.append('-');
    appendPadded(out, d, 2);
    out.append('T');
    appendPadded(out, seconds / 3600, 2);
    out.append(':');
    appendPadded(out, seconds / 60 % 60, 2);
    out.append(':');
    appendPadded(out, seconds % 60, 2);
    out.append('.');
    appendPadded(out, time % unitsPerSecond, fractionDigits(unitsPerSecond));
    if (!local)
        out.append('Z');
    out.append('"');
}

} // namespace kbatch::core

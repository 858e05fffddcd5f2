#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>

namespace kbatch::core {

// Conversions between the JSON text of Avro's logical types and their underlying values. Each parse function
// returns false and sets `error` (a phrase such as "month 13 does not exist") when the text does not fit.
// Any thread.
//
// Accepted texts (and what the append functions write):
//  decimal     a JSON number's grammar, as a JSON number or a string: "-12.5", "1.25e1"; at most `scale` decimal
//              places (never rounded) and `precision` digits. Written as a string with exactly `scale` places.
//  uuid        8-4-4-4-12 hexadecimal digits, either case; written in lowercase (as Java's UUID does).
//  date        "YYYY-MM-DD" (years 0000 to 9999), or the day number since 1970-01-01 as an integer.
//  time-*      "HH:MM:SS" with up to 3 (millis) or 6 (micros) decimal places, or the count since midnight.
//  timestamp-* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)": an offset is required, the instant is stored;
//              or the count since 1970-01-01T00:00:00Z. Written in UTC with "Z" and 3 or 6 places.
//  local-timestamp-*  the same without an offset (one is an error); written without one.
// Values whose text would fall outside years 0000 to 9999 (or a time outside one day) are written as integers, so
// that every value written can be read back.
struct AvroLogical
{
    // Decimal: the unscaled value in big-endian two's complement, as short as it goes (a Java BigInteger's bytes).
    static bool decimalToBytes(QByteArrayView text, int precision, int scale, QByteArray &out, QString &error);
    // Sign-extends minimal two's complement bytes to `size` bytes (a fixed); false when they do not fit.
    static bool signExtend(QByteArrayView minimal, qint64 size, QByteArray &out);
    // Appends the decimal text of two's complement `bytes` at `scale` (no quotes). False when the value has more
    // digits than KBatch prints (about 4,000).
    static bool appendDecimal(QByteArray &out, QByteArrayView bytes, int scale);

    // Checks a UUID's form and writes it in lowercase into `out` (36 bytes).
    static bool parseUuid(QByteArrayView text, QByteArray &out, QString &error);

    static bool parseDate(QByteArrayView text, std::int32_t &days, QString &error);
    // `unitsPerSecond`: 1000 (millis) or 1000000 (micros).
    static bool parseTime(QByteArrayView text, std::int64_t unitsPerSecond, std::int64_t &units, QString &error);
    static bool parseTimestamp(QByteArrayView text, std::int64_t unitsPerSecond, bool local, std::int64_t &units,
                               QString &error);

    // Append a JSON value: a string when the value has a text form, else the integer.
    static void appendDate(QByteArray &out, std::int32_t days);
    static void appendTime(QByteArray &out, std::int64_t units, std::int64_t unitsPerSecond);
    static void appendTimestamp(QByteArray &out, std::int64_t units, std::int64_t unitsPerSecond, bool local);

    // Appends `bytes` as a JSON string in Avro's JSON encoding of bytes and fixed: one character U+0000..U+00FF
    // per byte.
    static void appendBytes(QByteArray &out, QByteArrayView bytes);
    // The bytes a string in that encoding stands for (`utf8` is its decoded, valid UTF-8 text); false when it has a
    // character above U+00FF.
    static bool bytesFromCharacters(QByteArrayView utf8, QByteArray &out);

    // Proleptic Gregorian calendar (Howard Hinnant's algorithms).
    static std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d);
    static void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d);
};

} // namespace kbatch::core

#include "ConfluentFrame.h"

#include <cstdint>

namespace kbatch::core {

namespace {

// A Protobuf file with more message types than this on one path is not a file anyone wrote by hand; the bound keeps
// a corrupt count from allocating much.
constexpr qint32 MaxIndexes = 1024;

// Reads a zigzag varint of at most 5 bytes (an int32). False when truncated or too long.
bool readZigzagVarint(QByteArrayView bytes, qsizetype &pos, qint32 &value)
{
    std::uint32_t raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (pos >= bytes.size())
            return false;
        const auto b = static_cast<std::uint8_t>(bytes[pos++]);
        if (shift == 28 && (b & 0xf0) != 0)
            return false; // more than 32 bits
        raw |= std::uint32_t(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            value = static_cast<qint32>((raw >> 1) ^ (~(raw & 1) + 1));
            return true;
        }
    }
    return false;
}

} // namespace

void ConfluentFrame::appendHeader(QByteArray &out, int schemaId)
{
    const auto id = static_cast<std::uint32_t>(schemaId);
    const char header[HeaderSize] = {MagicByte, char(id >> 24), char(id >> 16), char(id >> 8), char(id)};
    out.append(header, HeaderSize);
}

void ConfluentFrame::appendZigzagVarint(QByteArray &out, qint32 value)
{
    auto raw = (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
    while (raw >= 0x80) {
        out.append(char((raw & 0x7f) | 0x80));
        raw >>= 7;
    }
    out.append(char(raw));
}

void ConfluentFrame::appendMessageIndexes(QByteArray &out, const QList<int> &indexes)
{
    // Confluent's serializers write the first message's path [0] as a lone 0 count, and read a 0 count as [0].
    if (indexes.isEmpty() || (indexes.size() == 1 && indexes.front() == 0)) {
        out.append('\0');
        return;
    }
    appendZigzagVarint(out, qint32(indexes.size()));
    for (int index : indexes)
        appendZigzagVarint(out, index);
}

QByteArray ConfluentFrame::frame(int schemaId, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(HeaderSize + payload.size());
    appendHeader(out, schemaId);
    out.append(payload);
    return out;
}

QByteArray ConfluentFrame::frame(int schemaId, const QList<int> &messageIndexes, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(HeaderSize + 1 + messageIndexes.size() * 2 + payload.size());
    appendHeader(out, schemaId);
    appendMessageIndexes(out, messageIndexes);
    out.append(payload);
    return out;
}

Result<ConfluentFrame> ConfluentFrame::parse(QByteArrayView bytes)
{
    if (bytes.size() < HeaderSize)
        return Error(
            QStringLiteral("%1 bytes: too short for a Schema Registry frame (5 bytes at least)").arg(bytes.size()));
    if (bytes[0] != MagicByte)
        return Error(QStringLiteral("first byte is 0x%1, not the magic byte 0x00: not Schema Registry framed")
                         .arg(static_cast<std::uint8_t>(bytes[0]), 2, 16, QLatin1Char('0')));
    ConfluentFrame f;
    const auto b = [&](int i) { return std::uint32_t(static_cast<std::uint8_t>(bytes[i])); };
    f.schemaId = static_cast<int>((b(1) << 24) | (b(2) << 16) | (b(3) << 8) | b(4));
    f.payload = bytes.sliced(HeaderSize);
    return f;
}

Result<ConfluentFrame> ConfluentFrame::parseProtobuf(QByteArrayView bytes)
{
    auto parsed = parse(bytes);
    if (!parsed)
        return parsed;
    ConfluentFrame f = std::move(parsed.value());
    qsizetype pos = HeaderSize;
    qint32 count = 0;
    if (!readZigzagVarint(bytes, pos, count))
        return Error(QStringLiteral("message index path: truncated or overlong count after the schema id"));
    if (count < 0 || count > MaxIndexes)
        return Error(QStringLiteral("message index path: count %1 is not between 0 and %2").arg(count).arg(MaxIndexes));
    if (count == 0) {
        f.messageIndexes = {0};
    } else {
        f.messageIndexes.reserve(count);
        for (qint32 i = 0; i < count; ++i) {
            qint32 index = 0;
            if (!readZigzagVarint(bytes, pos, index))
                return Error(QStringLiteral("message index path: index %1 of %2 is truncated or overlong")
                                 .arg(i + 1)
                                 .arg(count));
            if (index < 0)
                return Error(QStringLiteral("message index path: index %1 is negative (%2)").arg(i + 1).arg(index));
            f.messageIndexes.append(index);
        }
    }
    f.payload = bytes.sliced(pos);
    return f;
}

} // namespace kbatch::core

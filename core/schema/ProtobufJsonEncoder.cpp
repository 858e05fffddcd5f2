#include "ProtobufJsonEncoder.h"

#include "core/format/JsonContext.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <QSet>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace kbatch::core {

namespace pb = google::protobuf;
using Kind = JsonReader::Kind;
using CppType = pb::FieldDescriptor::CppType;

namespace {

// Deeper than this, a row is a mistake or an attack, not a message anyone typed.
constexpr int MaxLevel = 64;

bool isLibraryOnly(const std::string &name)
{
    return name == "google.protobuf.Any" || name == "google.protobuf.Struct" || name == "google.protobuf.Value" ||
           name == "google.protobuf.ListValue" || name == "google.protobuf.FieldMask";
}

bool isWrapper(const std::string &name)
{
    static const std::unordered_set<std::string> wrappers{
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue",  "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value", "google.protobuf.Int32Value",  "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue",   "google.protobuf.StringValue", "google.protobuf.BytesValue"};
    return wrappers.count(name) != 0;
}

bool reachesLibraryOnly(const pb::Descriptor *type, std::unordered_set<const pb::Descriptor *> &seen)
{
    if (!seen.insert(type).second)
        return false;
    if (isLibraryOnly(type->full_name()))
        return true;
    for (int i = 0; i < type->field_count(); ++i) {
        if (type->field(i)->type() == pb::FieldDescriptor::TYPE_GROUP)
            return true; // proto2 groups: a wire form of their own, rare enough to leave to libprotobuf
        const pb::Descriptor *inner = type->field(i)->message_type();
        if (inner && reachesLibraryOnly(inner, seen))
            return true;
    }
    return false;
}

// What a field takes, for "expected ..." in errors.
QString expectation(const pb::FieldDescriptor *f)
{
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_MESSAGE:
        return QStringLiteral("an object (%1)").arg(QString::fromStdString(f->message_type()->full_name()));
    case CppType::CPPTYPE_ENUM:
        return QStringLiteral("a %1 name or number").arg(QString::fromStdString(f->enum_type()->full_name()));
    case CppType::CPPTYPE_BOOL:
        return QStringLiteral("true or false");
    case CppType::CPPTYPE_STRING:
        return f->type() == pb::FieldDescriptor::TYPE_BYTES ? QStringLiteral("base64 bytes")
                                                            : QStringLiteral("a string");
    default:
        return QString::fromLatin1(f->type_name());
    }
}

// A JSON number's text (or a string's that holds a number) as a whole number, when it is one.
bool parseWhole(QByteArrayView text, bool isUnsigned, qint64 &s, quint64 &u, bool &outOfRange)
{
    outOfRange = false;
    if (text.isEmpty())
        return false;
    const char *begin = text.data();
    const char *end = begin + text.size();
    bool plain = true;
    for (const char *p = begin; p < end; ++p) {
        if (!((*p >= '0' && *p <= '9') || (p == begin && *p == '-'))) {
            plain = false;
            break;
        }
    }
    if (plain) {
        const auto r = isUnsigned ? std::from_chars(begin, end, u) : std::from_chars(begin, end, s);
        if (r.ec == std::errc::result_out_of_range) {
            outOfRange = true;
            return false;
        }
        return r.ec == std::errc() && r.ptr == end;
    }
    // "1.0", "1e3", "-2.5E+1": whole numbers written as floating point, which the JSON mapping allows.
    double d = 0;
    const auto r = std::from_chars(begin, end, d);
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(d) || d != std::floor(d))
        return false;
    if (isUnsigned) {
        if (d < 0 || d >= 18446744073709551616.0) {
            outOfRange = true;
            return false;
        }
        u = quint64(d);
    } else {
        if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
            outOfRange = true;
            return false;
        }
        s = qint64(d);
    }
    return true;
}

} // namespace

ProtobufJsonEncoder::ProtobufJsonEncoder(std::shared_ptr<const ProtobufPool> pool, const pb::Descriptor *type)
    : m_pool(std::move(pool)), m_type(type), m_message(m_pool->newMessage(type)), m_viaLibrary(needsLibrary(type)),
      m_reader(QByteArrayView())
{}

ProtobufJsonEncoder::~ProtobufJsonEncoder() = default;

bool ProtobufJsonEncoder::needsLibrary(const pb::Descriptor *type)
{
    std::unordered_set<const pb::Descriptor *> seen;
    return reachesLibraryOnly(type, seen);
}

void ProtobufJsonEncoder::appendDeterministic(const pb::Message &message, QByteArray &out)
{
    const std::size_t size = message.ByteSizeLong();
    const qsizetype old = out.size();
    out.resize(old + qsizetype(size));
    pb::io::ArrayOutputStream stream(out.data() + old, int(size));
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
}

const ProtobufJsonEncoder::MessageInfo &ProtobufJsonEncoder::info(const pb::Descriptor *type)
{
    auto it = m_infos.find(type);
    if (it != m_infos.end())
        return it->second;
    MessageInfo made;
    const std::string &name = type->full_name();
    if (name == "google.protobuf.Timestamp")
        made.special = Special::Timestamp;
    else if (name == "google.protobuf.Duration")
        made.special = Special::Duration;
    else if (isWrapper(name))
        made.special = Special::Wrapper;
    for (int i = 0; i < type->field_count(); ++i) {
        const pb::FieldDescriptor *f = type->field(i);
        made.fields.push_back({f, QByteArray::fromStdString(f->name()), QByteArray::fromStdString(f->json_name())});
        if (f->is_required())
            made.required.push_back(std::size_t(i));
    }
    return m_infos.emplace(type, std::move(made)).first->second;
}

Status ProtobufJsonEncoder::encode(QByteArrayView json, QByteArray &out)
{
    if (m_viaLibrary)
        return encodeWithLibrary(json, out);
    m_reader.reset(json);
    m_failure.failed = false;
    m_depth = 0;
    m_level = 0;
    const qsizetype old = out.size();
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Object) {
        if (k == Kind::Invalid && m_reader.hasError())
            readerFailed();
        else
            fail(at, QStringLiteral("expected an object (%1), got %2")
                         .arg(QString::fromStdString(m_type->full_name()), JsonReader::describe(k)));
    } else if (writeMessage(m_type, out) && !m_reader.expectEnd()) {
        readerFailed();
    }
    if (m_failure.failed) {
        out.resize(old);
        return Error(m_failure.text, {}, m_failure.line, m_failure.column, m_failure.path);
    }
    return Ok{};
}

Status ProtobufJsonEncoder::encodeWithLibrary(QByteArrayView json, QByteArray &out)
{
    std::string binary;
    const auto status = pb::util::JsonToBinaryString(&m_pool->typeResolver(), ProtobufPool::typeUrl(m_type),
                                                     pb::StringPiece(json.data(), std::size_t(json.size())), &binary);
    if (!status.ok()) {
        // "(items[2].qty): invalid value ..." or "bogus: Cannot find field.": the path made ours.
        QString text = QString::fromStdString(std::string(status.message()));
        QString path = QStringLiteral("$");
        if (text.startsWith(QLatin1Char('('))) {
            const qsizetype close = text.indexOf(QLatin1String("): "));
            if (close > 0) {
                path += QLatin1Char('.') + text.mid(1, close - 1);
                text = text.mid(close + 3);
            }
        } else if (const qsizetype colon = text.indexOf(QLatin1String(": "));
                   colon > 0 && !text.left(colon).contains(QLatin1Char(' '))) {
            path += QLatin1Char('.') + text.left(colon);
            text = text.mid(colon + 2);
        }
        text = text.trimmed();
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
        return Error(text, {}, 0, 0, path);
    }
    m_message->Clear();
    if (!m_message->ParseFromString(binary))
        return Error(QStringLiteral("libprotobuf wrote bytes it cannot read back"));
    if (!m_message->IsInitialized())
        return Error(QStringLiteral("required fields missing: %1")
                         .arg(QString::fromStdString(m_message->InitializationErrorString())),
                     {}, 0, 0, QStringLiteral("$"));
    appendDeterministic(*m_message, out);
    return Ok{};
}

namespace {

enum WireType : std::uint32_t { Varint = 0, Fixed64 = 1, Length = 2, Fixed32 = 5 };

void appendVarint(QByteArray &out, quint64 v)
{
    char buf[10];
    int n = 0;
    while (v >= 0x80) {
        buf[n++] = char((v & 0x7f) | 0x80);
        v >>= 7;
    }
    buf[n++] = char(v);
    out.append(buf, n);
}

void appendTag(QByteArray &out, int number, WireType type)
{
    appendVarint(out, (quint64(quint32(number)) << 3) | type);
}

void appendFixed32(QByteArray &out, quint32 v)
{
    const char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    out.append(b, 4);
}

void appendFixed64(QByteArray &out, quint64 v)
{
    appendFixed32(out, quint32(v));
    appendFixed32(out, quint32(v >> 32));
}

void appendLengthDelimited(QByteArray &out, int number, QByteArrayView bytes)
{
    appendTag(out, number, Length);
    appendVarint(out, quint64(bytes.size()));
    out.append(bytes);
}

WireType wireTypeOf(const pb::FieldDescriptor *f)
{
    switch (f->type()) {
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FIXED64:
    case pb::FieldDescriptor::TYPE_SFIXED64:
        return Fixed64;
    case pb::FieldDescriptor::TYPE_FLOAT:
    case pb::FieldDescriptor::TYPE_FIXED32:
    case pb::FieldDescriptor::TYPE_SFIXED32:
        return Fixed32;
    case pb::FieldDescriptor::TYPE_STRING:
    case pb::FieldDescriptor::TYPE_BYTES:
    case pb::FieldDescriptor::TYPE_MESSAGE:
    case pb::FieldDescriptor::TYPE_GROUP:
        return Length;
    default:
        return Varint;
    }
}

} // namespace

ProtobufJsonEncoder::Level &ProtobufJsonEncoder::levelAt(int depth)
{
    while (int(m_levels.size()) <= depth)
        m_levels.push_back(std::make_unique<Level>());
    return *m_levels[std::size_t(depth)];
}

bool ProtobufJsonEncoder::writeMessage(const pb::Descriptor *type, QByteArray &out)
{
    const MessageInfo &mi = info(type);
    if (mi.special != Special::None)
        return writeSpecial(mi, type, out);
    const auto at = m_reader.mark();
    if (m_reader.peek() != Kind::Object)
        return fail(at, QStringLiteral("expected an object (%1), got %2")
                            .arg(QString::fromStdString(type->full_name()), JsonReader::describe(m_reader.peek())));
    if (++m_level > MaxLevel)
        return fail(at, QStringLiteral("nested more than %1 deep").arg(MaxLevel));
    if (!m_reader.beginObject())
        return readerFailed();
    Level &level = levelAt(m_level);
    level.bytes.resize(0);
    level.segments.clear();
    level.oneofs.assign(std::size_t(type->oneof_decl_count()), nullptr);
    // Which fields were given: a bit per field, in a word for the usual message.
    quint64 seenBits = 0;
    std::vector<bool> seenMore(mi.fields.size() > 64 ? mi.fields.size() : 0, false);
    const auto seen = [&](std::size_t i) { return i < 64 ? bool((seenBits >> i) & 1) : bool(seenMore[i]); };
    QByteArrayView name;
    std::size_t hint = 0;
    while (m_reader.nextMemberView(name, m_scratch)) {
        const auto nameAt = m_reader.lastMemberMark();
        const std::size_t n = mi.fields.size();
        std::size_t i = hint;
        std::size_t tried = 0;
        for (; tried < n; ++tried, i = (i + 1) % n) {
            if (name == mi.fields[i].name || name == mi.fields[i].jsonName)
                break;
        }
        if (tried == n)
            return fail(nameAt, QStringLiteral("unknown field '%1' (%2 has no such field)")
                                    .arg(QString::fromUtf8(name), QString::fromStdString(type->full_name())));
        const FieldInfo &fi = mi.fields[i];
        hint = (i + 1) % n;
        if (seen(i))
            return fail(nameAt, QStringLiteral("field '%1' is given twice").arg(QString::fromUtf8(name)));
        if (i < 64)
            seenBits |= quint64(1) << i;
        else
            seenMore[i] = true;
        pushField(name == fi.name ? &fi.name : &fi.jsonName);
        const pb::FieldDescriptor *f = fi.field;
        if (m_reader.peek() == Kind::Null) {
            // null is the field's default: left unset (an empty list or map for repeated ones).
            if (!m_reader.readNull())
                return readerFailed();
            if (i < 64)
                seenBits &= ~(quint64(1) << i); // not given, as far as required fields go
            pop();
            continue;
        }
        const pb::OneofDescriptor *oneof = f->real_containing_oneof();
        if (oneof) {
            const pb::FieldDescriptor *&member = level.oneofs[std::size_t(oneof->index())];
            if (member)
                return fail(m_reader.mark(),
                            QStringLiteral("'%1' and '%2' are members of the same oneof '%3': give one")
                                .arg(QString::fromStdString(member->name()), QString::fromStdString(f->name()),
                                     QString::fromStdString(oneof->name())));
            member = f;
        }
        const qsizetype begin = level.bytes.size();
        if (!writeField(f, level.bytes))
            return false;
        if (level.bytes.size() > begin)
            level.segments.push_back({f->number(), begin, level.bytes.size()});
        pop();
    }
    if (m_reader.hasError())
        return readerFailed();
    for (std::size_t r : mi.required) {
        if (!seen(r))
            return fail(at, QStringLiteral("required field '%1' is missing")
                                .arg(QString::fromStdString(mi.fields[r].field->name())));
    }
    // Fields by number, as libprotobuf writes them: the bytes of the same JSON are the same whatever its order.
    const auto byNumber = [](const Segment &a, const Segment &b) { return a.number < b.number; };
    if (std::is_sorted(level.segments.begin(), level.segments.end(), byNumber)) {
        out.append(level.bytes);
    } else {
        std::stable_sort(level.segments.begin(), level.segments.end(), byNumber);
        for (const Segment &s : level.segments)
            out.append(level.bytes.constData() + s.begin, s.end - s.begin);
    }
    --m_level;
    return true;
}

bool ProtobufJsonEncoder::writeSpecial(const MessageInfo &mi, const pb::Descriptor *type, QByteArray &out)
{
    if (mi.special == Special::Wrapper) // proto3: a wrapped 0 or "" is an empty wrapper message
        return writeValue(type->field(0), out, false);
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    const bool isTimestamp = mi.special == Special::Timestamp;
    const QString what = isTimestamp ? QStringLiteral("an RFC 3339 timestamp string (\"2024-05-01T10:00:00Z\")")
                                     : QStringLiteral("a duration string (\"1.5s\")");
    if (k != Kind::String)
        return k == Kind::Invalid && m_reader.hasError()
                   ? readerFailed()
                   : fail(at, QStringLiteral("expected %1, got %2").arg(what, JsonReader::describe(k)));
    QByteArrayView text;
    if (!m_reader.readStringView(text, m_scratch))
        return readerFailed();
    m_text.assign(text.data(), std::size_t(text.size()));
    qint64 seconds = 0;
    qint32 nanos = 0;
    if (isTimestamp) {
        pb::Timestamp ts;
        if (!pb::util::TimeUtil::FromString(m_text, &ts))
            return fail(at, QStringLiteral("expected %1, got \"%2\"").arg(what, QString::fromUtf8(text)));
        seconds = ts.seconds();
        nanos = ts.nanos();
    } else {
        pb::Duration d;
        if (!pb::util::TimeUtil::FromString(m_text, &d) || d.seconds() < -315576000000LL ||
            d.seconds() > 315576000000LL)
            return fail(at, QStringLiteral("expected %1, got \"%2\"").arg(what, QString::fromUtf8(text)));
        seconds = d.seconds();
        nanos = d.nanos();
    }
    // Both types: int64 seconds = 1, int32 nanos = 2, proto3 (zeros left out).
    if (seconds != 0) {
        appendTag(out, 1, Varint);
        appendVarint(out, quint64(seconds));
    }
    if (nanos != 0) {
        appendTag(out, 2, Varint);
        appendVarint(out, quint64(qint64(nanos)));
    }
    return true;
}

bool ProtobufJsonEncoder::writeField(const pb::FieldDescriptor *field, QByteArray &out)
{
    if (field->is_map())
        return writeMap(field, out);
    if (field->is_repeated())
        return writeRepeated(field, out);
    return writeValue(field, out, field->has_presence());
}

bool ProtobufJsonEncoder::writeRepeated(const pb::FieldDescriptor *field, QByteArray &out)
{
    const Kind k = m_reader.peek();
    if (k != Kind::Array)
        return k == Kind::Invalid && m_reader.hasError()
                   ? readerFailed()
                   : fail(m_reader.mark(), QStringLiteral("expected an array of %1, got %2")
                                               .arg(expectation(field), JsonReader::describe(k)));
    if (!m_reader.beginArray())
        return readerFailed();
    // Packed: one length-delimited run of the bare values (proto3's numbers, bools and enums by default).
    const bool packed = field->is_packed();
    Level &level = levelAt(m_level);
    QByteArray &target = packed ? level.packed : out;
    if (packed)
        target.resize(0);
    qint64 index = 0;
    while (m_reader.nextElement()) {
        pushIndex(index++);
        if (m_reader.peek() == Kind::Null)
            return fail(m_reader.mark(),
                        QStringLiteral("expected %1, got null (a list holds no nulls)").arg(expectation(field)));
        if (!(packed ? writeBare(field, target) : writeValue(field, target, true)))
            return false;
        pop();
    }
    if (m_reader.hasError())
        return readerFailed();
    if (packed && !target.isEmpty())
        appendLengthDelimited(out, field->number(), target);
    return true;
}

bool ProtobufJsonEncoder::writeMap(const pb::FieldDescriptor *field, QByteArray &out)
{
    const Kind k = m_reader.peek();
    if (k != Kind::Object)
        return k == Kind::Invalid && m_reader.hasError()
                   ? readerFailed()
                   : fail(m_reader.mark(),
                          QStringLiteral("expected an object (a map), got %1").arg(JsonReader::describe(k)));
    if (!m_reader.beginObject())
        return readerFailed();
    const pb::Descriptor *entryType = field->message_type();
    const pb::FieldDescriptor *keyField = entryType->map_key();
    const pb::FieldDescriptor *valueField = entryType->map_value();
    Level &level = levelAt(m_level);
    level.entries.resize(0);
    level.mapKeys.clear();
    QByteArrayView key;
    QByteArray keyCopy;
    while (m_reader.nextMemberView(key, m_scratch)) {
        keyCopy = key.toByteArray(); // the view dies with the next read
        const auto keyAt = m_reader.lastMemberMark();
        pushKey(keyCopy);
        if (m_reader.peek() == Kind::Null)
            return fail(m_reader.mark(),
                        QStringLiteral("expected %1, got null (a map holds no nulls)").arg(expectation(valueField)));
        MapKey mk;
        mk.begin = level.entries.size();
        if (!parseMapKey(keyField, keyCopy, mk, keyAt))
            return false;
        for (const MapKey &other : level.mapKeys) {
            if (other.text == mk.text) // a key twice would be two entries, and which one a reader keeps is its own
                return fail(keyAt, QStringLiteral("map key \"%1\" is given twice").arg(QString::fromUtf8(keyCopy)));
        }
        // An entry is a message of the key (field 1) and the value (field 2), both always written.
        QByteArray &entry = level.entry;
        entry.resize(0);
        if (!writeMapKey(keyField, mk, entry) || !writeValue(valueField, entry, true))
            return false;
        appendLengthDelimited(level.entries, field->number(), entry);
        mk.end = level.entries.size();
        level.mapKeys.push_back(std::move(mk));
        pop();
    }
    if (m_reader.hasError())
        return readerFailed();
    // By key, as libprotobuf's deterministic serialization orders them.
    const bool isString = keyField->cpp_type() == CppType::CPPTYPE_STRING;
    const bool isUnsigned =
        keyField->cpp_type() == CppType::CPPTYPE_UINT32 || keyField->cpp_type() == CppType::CPPTYPE_UINT64;
    std::sort(level.mapKeys.begin(), level.mapKeys.end(), [&](const MapKey &a, const MapKey &b) {
        if (isString)
            return a.text < b.text;
        return isUnsigned ? a.u < b.u : a.s < b.s;
    });
    for (const MapKey &mk : level.mapKeys)
        out.append(level.entries.constData() + mk.begin, mk.end - mk.begin);
    return true;
}

bool ProtobufJsonEncoder::parseMapKey(const pb::FieldDescriptor *keyField, QByteArrayView key, MapKey &mk,
                                      const JsonReader::Mark &at)
{
    bool outOfRange = false;
    mk.text = key.toByteArray();
    const QString badKey = QStringLiteral("map key \"%1\" is not a %2")
                               .arg(QString::fromUtf8(key), QString::fromLatin1(keyField->type_name()));
    switch (keyField->cpp_type()) {
    case CppType::CPPTYPE_STRING:
        return true;
    case CppType::CPPTYPE_BOOL:
        if (key != "true" && key != "false")
            return fail(at, badKey);
        mk.s = mk.u = key == "true" ? 1 : 0;
        return true;
    case CppType::CPPTYPE_INT32:
    case CppType::CPPTYPE_INT64:
        if (!parseWhole(key, false, mk.s, mk.u, outOfRange) ||
            (keyField->cpp_type() == CppType::CPPTYPE_INT32 &&
             (mk.s < std::numeric_limits<qint32>::min() || mk.s > std::numeric_limits<qint32>::max())))
            return fail(at, badKey);
        mk.text = QByteArray::number(mk.s); // "01" and "1" are one key
        return true;
    case CppType::CPPTYPE_UINT32:
    case CppType::CPPTYPE_UINT64:
        if (!parseWhole(key, true, mk.s, mk.u, outOfRange) ||
            (keyField->cpp_type() == CppType::CPPTYPE_UINT32 && mk.u > std::numeric_limits<quint32>::max()))
            return fail(at, badKey);
        mk.text = QByteArray::number(mk.u);
        return true;
    default:
        return fail(at, badKey);
    }
}

bool ProtobufJsonEncoder::writeMapKey(const pb::FieldDescriptor *keyField, const MapKey &mk, QByteArray &out)
{
    if (keyField->cpp_type() == CppType::CPPTYPE_STRING) {
        appendLengthDelimited(out, keyField->number(), mk.text);
        return true;
    }
    appendTag(out, keyField->number(), wireTypeOf(keyField));
    appendScalar(keyField, mk.s, mk.u, 0, out);
    return true;
}

// The wire form of an integral or floating value of `f` (no tag).
void ProtobufJsonEncoder::appendScalar(const pb::FieldDescriptor *f, qint64 s, quint64 u, double d, QByteArray &out)
{
    switch (f->type()) {
    case pb::FieldDescriptor::TYPE_INT32:
    case pb::FieldDescriptor::TYPE_INT64:
    case pb::FieldDescriptor::TYPE_ENUM:
        appendVarint(out, quint64(s)); // negative int32 and enums as ten bytes, sign-extended, like libprotobuf
        break;
    case pb::FieldDescriptor::TYPE_UINT32:
    case pb::FieldDescriptor::TYPE_UINT64:
        appendVarint(out, u);
        break;
    case pb::FieldDescriptor::TYPE_BOOL:
        appendVarint(out, s != 0 ? 1 : 0);
        break;
    case pb::FieldDescriptor::TYPE_SINT32:
        appendVarint(out, quint32((quint32(qint32(s)) << 1) ^ quint32(qint32(s) >> 31)));
        break;
    case pb::FieldDescriptor::TYPE_SINT64:
        appendVarint(out, (quint64(s) << 1) ^ quint64(s >> 63));
        break;
    case pb::FieldDescriptor::TYPE_FIXED32:
        appendFixed32(out, quint32(u));
        break;
    case pb::FieldDescriptor::TYPE_SFIXED32:
        appendFixed32(out, quint32(qint32(s)));
        break;
    case pb::FieldDescriptor::TYPE_FIXED64:
        appendFixed64(out, u);
        break;
    case pb::FieldDescriptor::TYPE_SFIXED64:
        appendFixed64(out, quint64(s));
        break;
    case pb::FieldDescriptor::TYPE_FLOAT: {
        const float v = float(d);
        quint32 bits = 0;
        std::memcpy(&bits, &v, 4);
        appendFixed32(out, bits);
        break;
    }
    case pb::FieldDescriptor::TYPE_DOUBLE: {
        quint64 bits = 0;
        std::memcpy(&bits, &d, 8);
        appendFixed64(out, bits);
        break;
    }
    default:
        break;
    }
}

// One scalar value of `f` read from the JSON: into s (signed, bool, enum), u (unsigned) or d (floating). `isZero` says
// whether it is the type's default (by its bits: -0.0 is not).
bool ProtobufJsonEncoder::readScalar(const pb::FieldDescriptor *f, qint64 &s, quint64 &u, double &d, bool &isZero)
{
    const Kind k = m_reader.peek();
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_INT32:
    case CppType::CPPTYPE_INT64:
    case CppType::CPPTYPE_UINT32:
    case CppType::CPPTYPE_UINT64:
        if (!readInteger(f, s, u))
            return false;
        if (f->cpp_type() == CppType::CPPTYPE_UINT32 || f->cpp_type() == CppType::CPPTYPE_UINT64)
            s = qint64(u);
        else
            u = quint64(s);
        isZero = s == 0;
        return true;
    case CppType::CPPTYPE_DOUBLE:
    case CppType::CPPTYPE_FLOAT: {
        if (!readFloating(f, d))
            return false;
        if (f->cpp_type() == CppType::CPPTYPE_FLOAT) {
            const float v = float(d);
            quint32 bits = 0;
            std::memcpy(&bits, &v, 4);
            isZero = bits == 0;
        } else {
            quint64 bits = 0;
            std::memcpy(&bits, &d, 8);
            isZero = bits == 0;
        }
        return true;
    }
    case CppType::CPPTYPE_BOOL: {
        bool b = false;
        if (k != Kind::True && k != Kind::False)
            return mismatch(f, k);
        if (!m_reader.readBool(b))
            return readerFailed();
        s = b ? 1 : 0;
        isZero = !b;
        return true;
    }
    case CppType::CPPTYPE_ENUM: {
        int v = 0;
        if (!readEnum(f, v))
            return false;
        s = v;
        isZero = v == 0;
        return true;
    }
    default:
        return fail(m_reader.mark(), QStringLiteral("unsupported field type"));
    }
}

bool ProtobufJsonEncoder::writeBare(const pb::FieldDescriptor *f, QByteArray &out)
{
    qint64 s = 0;
    quint64 u = 0;
    double d = 0;
    bool zero = false;
    if (!readScalar(f, s, u, d, zero))
        return false;
    appendScalar(f, s, u, d, out);
    return true;
}

bool ProtobufJsonEncoder::writeValue(const pb::FieldDescriptor *f, QByteArray &out, bool always)
{
    const Kind k = m_reader.peek();
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_MESSAGE: {
        QByteArray &inner = levelAt(m_level + 1).result;
        inner.resize(0);
        if (!writeMessage(f->message_type(), inner))
            return false;
        appendLengthDelimited(out, f->number(), levelAt(m_level + 1).result);
        return true;
    }
    case CppType::CPPTYPE_STRING: {
        if (k != Kind::String)
            return mismatch(f, k);
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
            QByteArray &bytes = levelAt(m_level).packed;
            if (!readBytes(bytes))
                return false;
            if (always || !bytes.isEmpty())
                appendLengthDelimited(out, f->number(), bytes);
            return true;
        }
        QByteArrayView text;
        if (!m_reader.readStringView(text, m_scratch))
            return readerFailed();
        if (always || !text.isEmpty())
            appendLengthDelimited(out, f->number(), text);
        return true;
    }
    default: {
        qint64 s = 0;
        quint64 u = 0;
        double d = 0;
        bool zero = false;
        if (!readScalar(f, s, u, d, zero))
            return false;
        if (always || !zero) {
            appendTag(out, f->number(), wireTypeOf(f));
            appendScalar(f, s, u, d, out);
        }
        return true;
    }
    }
}

bool ProtobufJsonEncoder::readInteger(const pb::FieldDescriptor *field, qint64 &s, quint64 &u)
{
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    QByteArrayView text;
    if (k == Kind::Number) {
        if (!m_reader.readNumber(text))
            return readerFailed();
    } else if (k == Kind::String) {
        if (!m_reader.readStringView(text, m_scratch))
            return readerFailed();
    } else {
        return mismatch(field, k);
    }
    const CppType t = field->cpp_type();
    const bool isUnsigned = t == CppType::CPPTYPE_UINT32 || t == CppType::CPPTYPE_UINT64;
    bool outOfRange = false;
    const bool whole = parseWhole(text, isUnsigned, s, u, outOfRange);
    bool inRange = whole;
    if (whole && t == CppType::CPPTYPE_INT32)
        inRange = s >= std::numeric_limits<qint32>::min() && s <= std::numeric_limits<qint32>::max();
    if (whole && t == CppType::CPPTYPE_UINT32)
        inRange = u <= std::numeric_limits<quint32>::max();
    if (whole && inRange)
        return true;
    const QString shown =
        k == Kind::String ? QStringLiteral("\"%1\"").arg(QString::fromUtf8(text)) : QString::fromUtf8(text);
    if (outOfRange || (whole && !inRange) || (isUnsigned && text.startsWith('-')))
        return fail(at,
                    QStringLiteral("%1 is out of range for %2").arg(shown, QString::fromLatin1(field->type_name())));
    return fail(at, QStringLiteral("expected %1 (a whole number), got %2")
                        .arg(QString::fromLatin1(field->type_name()),
                             k == Kind::String ? QStringLiteral("the string ") + shown : shown));
}

bool ProtobufJsonEncoder::readFloating(const pb::FieldDescriptor *field, double &value)
{
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    QByteArrayView text;
    if (k == Kind::Number) {
        if (!m_reader.readNumber(text))
            return readerFailed();
    } else if (k == Kind::String) {
        if (!m_reader.readStringView(text, m_scratch))
            return readerFailed();
        if (text == "NaN") {
            value = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        if (text == "Infinity" || text == "-Infinity") {
            value = text.startsWith('-') ? -std::numeric_limits<double>::infinity()
                                         : std::numeric_limits<double>::infinity();
            return true;
        }
    } else {
        return mismatch(field, k);
    }
    const char *end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, value);
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(value))
        return fail(at, QStringLiteral("expected %1, got %2")
                            .arg(QString::fromLatin1(field->type_name()),
                                 k == Kind::String ? QStringLiteral("the string \"%1\"").arg(QString::fromUtf8(text))
                                                   : QString::fromUtf8(text)));
    // "-0" is the integer 0 to libprotobuf's JSON parser (only "-0.0" is negative zero): the same bytes as it writes.
    if (value == 0 && !text.contains('.') && !text.contains('e') && !text.contains('E'))
        value = 0;
    if (field->cpp_type() == CppType::CPPTYPE_FLOAT && std::fabs(value) > double(std::numeric_limits<float>::max()))
        return fail(at, QStringLiteral("%1 is out of range for float").arg(QString::fromUtf8(text)));
    return true;
}

bool ProtobufJsonEncoder::readEnum(const pb::FieldDescriptor *field, int &value)
{
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    const pb::EnumDescriptor *e = field->enum_type();
    if (k == Kind::String) {
        QByteArrayView text;
        if (!m_reader.readStringView(text, m_scratch))
            return readerFailed();
        m_text.assign(text.data(), std::size_t(text.size()));
        if (const pb::EnumValueDescriptor *v = e->FindValueByName(m_text)) {
            value = v->number();
            return true;
        }
        QStringList names;
        for (int i = 0; i < e->value_count() && i < 12; ++i)
            names.append(QString::fromStdString(e->value(i)->name()));
        if (e->value_count() > 12)
            names.append(QStringLiteral("..."));
        return fail(at, QStringLiteral("\"%1\" is not a value of %2 (%3)")
                            .arg(QString::fromUtf8(text), QString::fromStdString(e->full_name()),
                                 names.join(QStringLiteral(", "))));
    }
    if (k != Kind::Number)
        return mismatch(field, k);
    qint64 s = 0;
    quint64 u = 0;
    QByteArrayView text;
    if (!m_reader.readNumber(text))
        return readerFailed();
    bool outOfRange = false;
    if (!parseWhole(text, false, s, u, outOfRange) || s < std::numeric_limits<qint32>::min() ||
        s > std::numeric_limits<qint32>::max())
        return fail(at, QStringLiteral("%1 is not an enum number").arg(QString::fromUtf8(text)));
    // A proto2 enum is closed: a number it does not define would be kept as an unknown field, not as the value.
    if (e->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO2 && !e->FindValueByNumber(int(s)))
        return fail(at, QStringLiteral("%1 is not a value of %2").arg(s).arg(QString::fromStdString(e->full_name())));
    value = int(s);
    return true;
}

bool ProtobufJsonEncoder::readBytes(QByteArray &bytes)
{
    const auto at = m_reader.mark();
    QByteArrayView text;
    if (!m_reader.readStringView(text, m_scratch))
        return readerFailed();
    QByteArray standard = text.toByteArray();
    standard.replace('-', '+').replace('_', '/');
    if (!decodeBase64Strict(standard, bytes))
        return fail(at, QStringLiteral("expected base64 bytes, got a string that is not base64"));
    return true;
}

bool ProtobufJsonEncoder::fail(const JsonReader::Mark &at, const QString &text)
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = text;
        m_failure.path = pathText();
        m_failure.line = at.line;
        m_failure.column = m_reader.column(at);
    }
    return false;
}

bool ProtobufJsonEncoder::mismatch(const pb::FieldDescriptor *field, Kind got)
{
    if (got == Kind::Invalid && m_reader.hasError())
        return readerFailed();
    return fail(m_reader.mark(),
                QStringLiteral("expected %1, got %2").arg(expectation(field), JsonReader::describe(got)));
}

bool ProtobufJsonEncoder::readerFailed()
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = m_reader.hasError() ? m_reader.errorText() : QStringLiteral("invalid JSON");
        m_failure.path = pathText();
        m_failure.line = m_reader.errorLine();
        m_failure.column = m_reader.errorColumn();
    }
    return false;
}

void ProtobufJsonEncoder::pushField(const QByteArray *name)
{
    if (m_path.size() <= m_depth)
        m_path.resize(m_depth + 1);
    PathSegment &s = m_path[m_depth++];
    s.field = name;
    s.index = -1;
}

void ProtobufJsonEncoder::pushIndex(qint64 index)
{
    if (m_path.size() <= m_depth)
        m_path.resize(m_depth + 1);
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = index;
}

void ProtobufJsonEncoder::pushKey(QByteArrayView key)
{
    if (m_path.size() <= m_depth)
        m_path.resize(m_depth + 1);
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = -1;
    s.key = key.toByteArray();
}

QString ProtobufJsonEncoder::pathText() const
{
    constexpr std::size_t Ends = 12;
    QString out = QStringLiteral("$");
    for (std::size_t i = 0; i < m_depth; ++i) {
        if (m_depth > 2 * Ends + 1 && i == Ends) {
            out += QStringLiteral("...(%1 more)...").arg(m_depth - 2 * Ends);
            i = m_depth - Ends - 1;
            continue;
        }
        const PathSegment &s = m_path[i];
        if (s.field) {
            out += QLatin1Char('.') + QString::fromUtf8(*s.field);
        } else if (s.index >= 0) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
        } else {
            QString key = QString::fromUtf8(s.key);
            key.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
            out += QLatin1String("[\"") + key + QLatin1String("\"]");
        }
    }
    return out;
}

} // namespace kbatch::core

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

#include <charconv>
#include <cmath>
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
    m_message->Clear();
    const auto at = m_reader.mark();
    const Kind k = m_reader.peek();
    if (k != Kind::Object) {
        if (k == Kind::Invalid && m_reader.hasError())
            readerFailed();
        else
            fail(at, QStringLiteral("expected an object (%1), got %2")
                         .arg(QString::fromStdString(m_type->full_name()), JsonReader::describe(k)));
    } else if (writeMessage(m_type, m_message.get())) {
        if (!m_reader.expectEnd())
            readerFailed();
        else if (!m_message->IsInitialized())
            fail(at, QStringLiteral("required fields missing: %1")
                         .arg(QString::fromStdString(m_message->InitializationErrorString())));
    }
    if (m_failure.failed)
        return Error(m_failure.text, {}, m_failure.line, m_failure.column, m_failure.path);
    appendDeterministic(*m_message, out);
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

bool ProtobufJsonEncoder::writeMessage(const pb::Descriptor *type, pb::Message *message)
{
    const MessageInfo &mi = info(type);
    if (mi.special != Special::None)
        return writeSpecial(mi, type, message);
    const auto at = m_reader.mark();
    if (m_reader.peek() != Kind::Object)
        return fail(at, QStringLiteral("expected an object (%1), got %2")
                            .arg(QString::fromStdString(type->full_name()), JsonReader::describe(m_reader.peek())));
    if (++m_level > MaxLevel)
        return fail(at, QStringLiteral("nested more than %1 deep").arg(MaxLevel));
    if (!m_reader.beginObject())
        return readerFailed();
    const pb::Reflection *reflection = message->GetReflection();
    // Which fields were given: a bit per field, in a word for the usual message.
    quint64 seenBits = 0;
    std::vector<bool> seenMore(mi.fields.size() > 64 ? mi.fields.size() : 0, false);
    QByteArrayView name;
    std::size_t hint = 0;
    while (m_reader.nextMemberView(name, m_scratch)) {
        const auto nameAt = m_reader.lastMemberMark();
        std::size_t i = hint;
        std::size_t tried = 0;
        const std::size_t n = mi.fields.size();
        for (; tried < n; ++tried, i = (i + 1) % n) {
            if (name == mi.fields[i].name || name == mi.fields[i].jsonName)
                break;
        }
        if (tried == n) {
            return fail(nameAt, QStringLiteral("unknown field '%1' (%2 has no such field)")
                                    .arg(QString::fromUtf8(name), QString::fromStdString(type->full_name())));
        }
        const FieldInfo &fi = mi.fields[i];
        hint = (i + 1) % n;
        const bool given = i < 64 ? (seenBits >> i) & 1 : bool(seenMore[i]);
        if (given)
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
            pop();
            continue;
        }
        if (const pb::OneofDescriptor *oneof = f->real_containing_oneof();
            oneof && reflection->HasOneof(*message, oneof)) {
            const pb::FieldDescriptor *other = reflection->GetOneofFieldDescriptor(*message, oneof);
            return fail(m_reader.mark(),
                        QStringLiteral("'%1' and '%2' are members of the same oneof '%3': give one")
                            .arg(QString::fromStdString(other->name()), QString::fromStdString(f->name()),
                                 QString::fromStdString(oneof->name())));
        }
        if (!writeField(f, message))
            return false;
        pop();
    }
    if (m_reader.hasError())
        return readerFailed();
    --m_level;
    return true;
}

bool ProtobufJsonEncoder::writeSpecial(const MessageInfo &mi, const pb::Descriptor *type, pb::Message *message)
{
    if (mi.special == Special::Wrapper)
        return writeValue(type->field(0), message, false);
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
    const pb::Reflection *r = message->GetReflection();
    // Field 1 is seconds, field 2 nanos, in both types.
    const pb::FieldDescriptor *secondsField = type->FindFieldByNumber(1);
    const pb::FieldDescriptor *nanosField = type->FindFieldByNumber(2);
    if (!secondsField || !nanosField)
        return fail(at, QStringLiteral("%1 has no seconds and nanos").arg(QString::fromStdString(type->full_name())));
    r->SetInt64(message, secondsField, seconds);
    r->SetInt32(message, nanosField, nanos);
    return true;
}

bool ProtobufJsonEncoder::writeField(const pb::FieldDescriptor *field, pb::Message *message)
{
    if (field->is_map())
        return writeMap(field, message);
    if (field->is_repeated())
        return writeRepeated(field, message);
    return writeValue(field, message, false);
}

bool ProtobufJsonEncoder::writeRepeated(const pb::FieldDescriptor *field, pb::Message *message)
{
    const Kind k = m_reader.peek();
    if (k != Kind::Array)
        return k == Kind::Invalid && m_reader.hasError()
                   ? readerFailed()
                   : fail(m_reader.mark(), QStringLiteral("expected an array of %1, got %2")
                                               .arg(expectation(field), JsonReader::describe(k)));
    if (!m_reader.beginArray())
        return readerFailed();
    qint64 index = 0;
    while (m_reader.nextElement()) {
        pushIndex(index++);
        if (m_reader.peek() == Kind::Null)
            return fail(m_reader.mark(),
                        QStringLiteral("expected %1, got null (a list holds no nulls)").arg(expectation(field)));
        if (!writeValue(field, message, true))
            return false;
        pop();
    }
    return !m_reader.hasError() || readerFailed();
}

bool ProtobufJsonEncoder::writeMap(const pb::FieldDescriptor *field, pb::Message *message)
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
    const pb::Reflection *r = message->GetReflection();
    QByteArrayView key;
    QByteArray keyCopy;
    QSet<QByteArray> keys; // a key twice would be two entries, and which one a reader keeps is its own choice
    while (m_reader.nextMemberView(key, m_scratch)) {
        keyCopy = key.toByteArray(); // the view dies with the next read
        const auto keyAt = m_reader.lastMemberMark();
        pushKey(keyCopy);
        if (keys.contains(keyCopy))
            return fail(keyAt, QStringLiteral("map key \"%1\" is given twice").arg(QString::fromUtf8(keyCopy)));
        keys.insert(keyCopy);
        if (m_reader.peek() == Kind::Null)
            return fail(m_reader.mark(),
                        QStringLiteral("expected %1, got null (a map holds no nulls)").arg(expectation(valueField)));
        pb::Message *entry = r->AddMessage(message, field);
        if (!parseMapKey(keyField, keyCopy, entry, keyAt))
            return false;
        if (!writeValue(valueField, entry, false))
            return false;
        pop();
    }
    return !m_reader.hasError() || readerFailed();
}

bool ProtobufJsonEncoder::parseMapKey(const pb::FieldDescriptor *keyField, QByteArrayView key, pb::Message *entry,
                                      const JsonReader::Mark &at)
{
    const pb::Reflection *r = entry->GetReflection();
    qint64 s = 0;
    quint64 u = 0;
    bool outOfRange = false;
    const QString badKey = QStringLiteral("map key \"%1\" is not a %2")
                               .arg(QString::fromUtf8(key), QString::fromLatin1(keyField->type_name()));
    switch (keyField->cpp_type()) {
    case CppType::CPPTYPE_STRING:
        r->SetString(entry, keyField, std::string(key.data(), std::size_t(key.size())));
        return true;
    case CppType::CPPTYPE_BOOL:
        if (key != "true" && key != "false")
            return fail(at, badKey);
        r->SetBool(entry, keyField, key == "true");
        return true;
    case CppType::CPPTYPE_INT32:
        if (!parseWhole(key, false, s, u, outOfRange) || s < std::numeric_limits<qint32>::min() ||
            s > std::numeric_limits<qint32>::max())
            return fail(at, badKey);
        r->SetInt32(entry, keyField, qint32(s));
        return true;
    case CppType::CPPTYPE_INT64:
        if (!parseWhole(key, false, s, u, outOfRange))
            return fail(at, badKey);
        r->SetInt64(entry, keyField, s);
        return true;
    case CppType::CPPTYPE_UINT32:
        if (!parseWhole(key, true, s, u, outOfRange) || u > std::numeric_limits<quint32>::max())
            return fail(at, badKey);
        r->SetUInt32(entry, keyField, quint32(u));
        return true;
    case CppType::CPPTYPE_UINT64:
        if (!parseWhole(key, true, s, u, outOfRange))
            return fail(at, badKey);
        r->SetUInt64(entry, keyField, u);
        return true;
    default:
        return fail(at, badKey);
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

bool ProtobufJsonEncoder::writeValue(const pb::FieldDescriptor *f, pb::Message *m, bool add)
{
    const pb::Reflection *r = m->GetReflection();
    const Kind k = m_reader.peek();
    qint64 s = 0;
    quint64 u = 0;
    double d = 0;
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_MESSAGE: {
        pb::Message *inner = add ? r->AddMessage(m, f) : r->MutableMessage(m, f);
        return writeMessage(f->message_type(), inner);
    }
    case CppType::CPPTYPE_INT32:
        if (!readInteger(f, s, u))
            return false;
        add ? r->AddInt32(m, f, qint32(s)) : r->SetInt32(m, f, qint32(s));
        return true;
    case CppType::CPPTYPE_INT64:
        if (!readInteger(f, s, u))
            return false;
        add ? r->AddInt64(m, f, s) : r->SetInt64(m, f, s);
        return true;
    case CppType::CPPTYPE_UINT32:
        if (!readInteger(f, s, u))
            return false;
        add ? r->AddUInt32(m, f, quint32(u)) : r->SetUInt32(m, f, quint32(u));
        return true;
    case CppType::CPPTYPE_UINT64:
        if (!readInteger(f, s, u))
            return false;
        add ? r->AddUInt64(m, f, u) : r->SetUInt64(m, f, u);
        return true;
    case CppType::CPPTYPE_DOUBLE:
        if (!readFloating(f, d))
            return false;
        add ? r->AddDouble(m, f, d) : r->SetDouble(m, f, d);
        return true;
    case CppType::CPPTYPE_FLOAT:
        if (!readFloating(f, d))
            return false;
        add ? r->AddFloat(m, f, float(d)) : r->SetFloat(m, f, float(d));
        return true;
    case CppType::CPPTYPE_BOOL: {
        bool b = false;
        if (k != Kind::True && k != Kind::False)
            return mismatch(f, k);
        if (!m_reader.readBool(b))
            return readerFailed();
        add ? r->AddBool(m, f, b) : r->SetBool(m, f, b);
        return true;
    }
    case CppType::CPPTYPE_ENUM: {
        int v = 0;
        if (!readEnum(f, v))
            return false;
        add ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
        return true;
    }
    case CppType::CPPTYPE_STRING: {
        if (k != Kind::String)
            return mismatch(f, k);
        if (f->type() == pb::FieldDescriptor::TYPE_BYTES) {
            QByteArray bytes;
            if (!readBytes(bytes))
                return false;
            std::string value(bytes.constData(), std::size_t(bytes.size()));
            add ? r->AddString(m, f, std::move(value)) : r->SetString(m, f, std::move(value));
            return true;
        }
        QByteArrayView text;
        if (!m_reader.readStringView(text, m_scratch))
            return readerFailed();
        std::string value(text.data(), std::size_t(text.size()));
        add ? r->AddString(m, f, std::move(value)) : r->SetString(m, f, std::move(value));
        return true;
    }
    }
    return fail(m_reader.mark(), QStringLiteral("unsupported field type"));
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

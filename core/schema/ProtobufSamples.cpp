#include "ProtobufSamples.h"

#include "ProtobufJsonEncoder.h"
#include "ProtobufPool.h"
#include "core/generate/Random.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <vector>

namespace kbatch::core {

namespace pb = google::protobuf;
using CppType = pb::FieldDescriptor::CppType;

namespace {

// Message fields nest at most this deep in a sample: a tree, not the whole reachable graph.
constexpr int MaxDepth = 4;

bool libraryOnly(const pb::Descriptor *type)
{
    const std::string &n = type->full_name();
    return n == "google.protobuf.Any" || n == "google.protobuf.Struct" || n == "google.protobuf.Value" ||
           n == "google.protobuf.ListValue" || n == "google.protobuf.FieldMask";
}

bool onPath(const std::vector<const pb::Descriptor *> &path, const pb::Descriptor *type)
{
    for (const pb::Descriptor *d : path) {
        if (d == type)
            return true;
    }
    return false;
}

QByteArray print(const ProtobufPool &pool, const pb::Descriptor *type, const pb::Message &message, bool defaults)
{
    QByteArray binary;
    ProtobufJsonEncoder::appendDeterministic(message, binary);
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = defaults;
    std::string json;
    const auto status = pb::util::BinaryToJsonString(&pool.typeResolver(), ProtobufPool::typeUrl(type),
                                                     binary.toStdString(), &json, options);
    if (!status.ok())
        return QByteArrayLiteral("{}");
    return QByteArray::fromStdString(json);
}

void setDefault(pb::Message *m, const pb::FieldDescriptor *f)
{
    const pb::Reflection *r = m->GetReflection();
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_INT32:
        r->SetInt32(m, f, 0);
        break;
    case CppType::CPPTYPE_INT64:
        r->SetInt64(m, f, 0);
        break;
    case CppType::CPPTYPE_UINT32:
        r->SetUInt32(m, f, 0);
        break;
    case CppType::CPPTYPE_UINT64:
        r->SetUInt64(m, f, 0);
        break;
    case CppType::CPPTYPE_DOUBLE:
        r->SetDouble(m, f, 0);
        break;
    case CppType::CPPTYPE_FLOAT:
        r->SetFloat(m, f, 0);
        break;
    case CppType::CPPTYPE_BOOL:
        r->SetBool(m, f, false);
        break;
    case CppType::CPPTYPE_ENUM:
        r->SetEnumValue(m, f, f->enum_type()->value(0)->number());
        break;
    case CppType::CPPTYPE_STRING:
        r->SetString(m, f, std::string());
        break;
    case CppType::CPPTYPE_MESSAGE:
        break;
    }
}

void fillDefaults(const pb::Descriptor *type, pb::Message *m, std::vector<const pb::Descriptor *> &path)
{
    const pb::Reflection *r = m->GetReflection();
    path.push_back(type);
    for (int i = 0; i < type->field_count(); ++i) {
        const pb::FieldDescriptor *f = type->field(i);
        if (f->is_repeated())
            continue;
        const pb::OneofDescriptor *oneof = f->real_containing_oneof();
        if (oneof && oneof->field(0) != f)
            continue; // a oneof shows its first member
        if (f->cpp_type() != CppType::CPPTYPE_MESSAGE) {
            if (oneof || f->has_presence())
                setDefault(m, f); // printed only when set
            continue;
        }
        const pb::Descriptor *inner = f->message_type();
        if (libraryOnly(inner) || onPath(path, inner) || int(path.size()) >= MaxDepth)
            continue;
        fillDefaults(inner, r->MutableMessage(m, f), path);
    }
    path.pop_back();
}

std::string randomText(Random &random)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    std::string out;
    const auto n = 1 + random.below(8);
    for (std::uint64_t i = 0; i < n; ++i)
        out.push_back(letters[random.below(26)]);
    return out;
}

void fillRandom(const pb::Descriptor *type, pb::Message *m, Random &random, int depth);

// One random value of `f` into `m`: set, or added when `add`. False when the field is better left out.
bool randomScalar(pb::Message *m, const pb::FieldDescriptor *f, Random &random, bool add, int depth)
{
    const pb::Reflection *r = m->GetReflection();
    const auto small = [&] { return qint64(random.below(2001)) - 1000; };
    switch (f->cpp_type()) {
    case CppType::CPPTYPE_INT32:
        add ? r->AddInt32(m, f, qint32(small())) : r->SetInt32(m, f, qint32(small()));
        return true;
    case CppType::CPPTYPE_INT64:
        add ? r->AddInt64(m, f, small() * 1000003) : r->SetInt64(m, f, small() * 1000003);
        return true;
    case CppType::CPPTYPE_UINT32:
        add ? r->AddUInt32(m, f, quint32(random.below(2001))) : r->SetUInt32(m, f, quint32(random.below(2001)));
        return true;
    case CppType::CPPTYPE_UINT64:
        add ? r->AddUInt64(m, f, random.below(2000000001)) : r->SetUInt64(m, f, random.below(2000000001));
        return true;
    case CppType::CPPTYPE_DOUBLE:
        add ? r->AddDouble(m, f, double(small()) / 8) : r->SetDouble(m, f, double(small()) / 8);
        return true;
    case CppType::CPPTYPE_FLOAT:
        add ? r->AddFloat(m, f, float(small()) / 8) : r->SetFloat(m, f, float(small()) / 8);
        return true;
    case CppType::CPPTYPE_BOOL:
        add ? r->AddBool(m, f, random.below(2) == 1) : r->SetBool(m, f, random.below(2) == 1);
        return true;
    case CppType::CPPTYPE_ENUM: {
        const pb::EnumDescriptor *e = f->enum_type();
        const int v = e->value(int(random.below(std::uint64_t(e->value_count()))))->number();
        add ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
        return true;
    }
    case CppType::CPPTYPE_STRING: {
        std::string value = randomText(random);
        add ? r->AddString(m, f, std::move(value)) : r->SetString(m, f, std::move(value));
        return true;
    }
    case CppType::CPPTYPE_MESSAGE: {
        const pb::Descriptor *inner = f->message_type();
        if (libraryOnly(inner) || depth >= MaxDepth)
            return false;
        fillRandom(inner, add ? r->AddMessage(m, f) : r->MutableMessage(m, f), random, depth + 1);
        return true;
    }
    }
    return false;
}

void fillRandom(const pb::Descriptor *type, pb::Message *m, Random &random, int depth)
{
    const pb::Reflection *r = m->GetReflection();
    const std::string &name = type->full_name();
    if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration") {
        const bool ts = name == "google.protobuf.Timestamp";
        // 1970 to 2100 for a timestamp, up to a year for a duration; whole microseconds read well.
        const auto seconds = qint64(random.below(ts ? 4102444800ULL : 31536000ULL));
        r->SetInt64(m, type->FindFieldByNumber(1), seconds);
        r->SetInt32(m, type->FindFieldByNumber(2), qint32(random.below(1000000) * 1000));
        return;
    }
    for (int i = 0; i < type->oneof_decl_count(); ++i) {
        const pb::OneofDescriptor *oneof = type->oneof_decl(i);
        if (oneof->is_synthetic())
            continue;
        const pb::FieldDescriptor *f = oneof->field(int(random.below(std::uint64_t(oneof->field_count()))));
        randomScalar(m, f, random, false, depth);
    }
    for (int i = 0; i < type->field_count(); ++i) {
        const pb::FieldDescriptor *f = type->field(i);
        if (f->real_containing_oneof())
            continue;
        if (f->is_map()) {
            const pb::Descriptor *entryType = f->message_type();
            const pb::FieldDescriptor *value = entryType->map_value();
            if (value->message_type() && (libraryOnly(value->message_type()) || depth >= MaxDepth))
                continue;
            // One entry at most: two random keys may be equal, and a map holds a key once.
            const auto n = random.below(2);
            for (std::uint64_t k = 0; k < n; ++k) {
                pb::Message *entry = r->AddMessage(m, f);
                randomScalar(entry, entryType->map_key(), random, false, depth);
                randomScalar(entry, value, random, false, depth);
            }
            continue;
        }
        if (f->is_repeated()) {
            if (f->message_type() && (libraryOnly(f->message_type()) || depth >= MaxDepth))
                continue;
            const auto n = random.below(4);
            for (std::uint64_t k = 0; k < n; ++k)
                randomScalar(m, f, random, true, depth);
            continue;
        }
        randomScalar(m, f, random, false, depth);
    }
}

} // namespace

QByteArray ProtobufSamples::skeleton(const ProtobufPool &pool, const pb::Descriptor *type)
{
    auto message = pool.newMessage(type);
    std::vector<const pb::Descriptor *> path;
    fillDefaults(type, message.get(), path);
    return print(pool, type, *message, true);
}

QByteArray ProtobufSamples::randomValue(const ProtobufPool &pool, const pb::Descriptor *type, Random &random)
{
    auto message = pool.newMessage(type);
    fillRandom(type, message.get(), random, 1);
    return print(pool, type, *message, false);
}

} // namespace kbatch::core

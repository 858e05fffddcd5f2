// avro-c's schema made from an AvroSchema's nodes, and the check for records that have no finite value.

#include "AvroSchemaBuild.h"

#include "AvroHandles.h"

#include <QSet>

#include <cstring>

namespace kbatch::core {

namespace {

using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

} // namespace

// avro-c's schema for `node`. A named type is made once; every other use of it is a link, as avro-c's own parser
// does (links carry no reference, which is how avro-c keeps recursive schemas from leaking).
avro_schema_t buildAvroSchema(const AvroNode &node, QHash<const AvroNode *, avro_schema_t> &defined, bool &ok)
{
    if (node.isNamed()) {
        if (const auto it = defined.constFind(&node); it != defined.constEnd())
            return avro_schema_link(it.value());
    }
    const QByteArray space = node.isNamed() && node.fullName.contains('.')
                                 ? node.fullName.left(node.fullName.lastIndexOf('.'))
                                 : QByteArray();
    const QByteArray shortName = node.fullName.mid(node.fullName.lastIndexOf('.') + 1);
    const char *ns = space.isEmpty() ? nullptr : space.constData();
    switch (node.type) {
    case Type::Null:
        return avro_schema_null();
    case Type::Boolean:
        return avro_schema_boolean();
    case Type::Int:
        return avro_schema_int();
    case Type::Long:
        return avro_schema_long();
    case Type::Float:
        return avro_schema_float();
    case Type::Double:
        return avro_schema_double();
    case Type::Bytes:
        return avro_schema_bytes();
    case Type::String:
        return avro_schema_string();
    case Type::Fixed: {
        avro_schema_t s = avro_schema_fixed_ns(shortName.constData(), ns, node.size);
        if (s)
            defined.insert(&node, s);
        return s;
    }
    case Type::Enum: {
        AvroSchemaRef s(avro_schema_enum_ns(shortName.constData(), ns));
        if (!s)
            return nullptr;
        for (const QByteArray &symbol : node.symbols) {
            if (avro_schema_enum_symbol_append(s.get(), symbol.constData()) != 0)
                return nullptr;
        }
        defined.insert(&node, s.get());
        return s.release();
    }
    case Type::Record: {
        AvroSchemaRef s(avro_schema_record(shortName.constData(), ns));
        if (!s)
            return nullptr;
        defined.insert(&node, s.get());
        for (const AvroNode::Field &f : node.fields) {
            AvroSchemaRef type(buildAvroSchema(*f.type, defined, ok));
            if (!type || avro_schema_record_field_append(s.get(), f.name.constData(), type.get()) != 0) {
                defined.remove(&node);
                return nullptr;
            }
        }
        return s.release();
    }
    case Type::Array:
    case Type::Map: {
        AvroSchemaRef items(buildAvroSchema(*node.items, defined, ok));
        if (!items)
            return nullptr;
        return node.type == Type::Array ? avro_schema_array(items.get()) : avro_schema_map(items.get());
    }
    case Type::Union: {
        AvroSchemaRef s(avro_schema_union());
        if (!s)
            return nullptr;
        for (const AvroNode *b : node.branches) {
            AvroSchemaRef branch(buildAvroSchema(*b, defined, ok));
            if (!branch || avro_schema_union_append(s.get(), branch.get()) != 0)
                return nullptr;
        }
        return s.release();
    }
    }
    ok = false;
    return nullptr;
}

// A record that contains itself through record fields alone: no value of it ends, and avro-c, which makes the
// fields of a record when it makes the record, would recurse until the stack runs out. Unions, arrays and maps
// make their values only when one is set, so a way through them is a way out.
const AvroNode *recordWithoutEnd(const AvroNode &root)
{
    QSet<const AvroNode *> done;
    std::vector<const AvroNode *> stack{&root};
    while (!stack.empty()) {
        const AvroNode *n = stack.back();
        stack.pop_back();
        if (done.contains(n))
            continue;
        done.insert(n);
        if (n->type == Type::Record) {
            // Follow record fields only, from this record: coming back to it is the fault.
            QSet<const AvroNode *> seen;
            std::vector<const AvroNode *> inner;
            for (const auto &f : n->fields)
                inner.push_back(f.type);
            while (!inner.empty()) {
                const AvroNode *i = inner.back();
                inner.pop_back();
                if (i == n)
                    return n;
                if (i->type != Type::Record || seen.contains(i))
                    continue;
                seen.insert(i);
                for (const auto &f : i->fields)
                    inner.push_back(f.type);
            }
            for (const auto &f : n->fields)
                stack.push_back(f.type);
        }
        if (n->items)
            stack.push_back(n->items);
        for (const AvroNode *b : n->branches)
            stack.push_back(b);
    }
    return nullptr;
}

} // namespace kbatch::core

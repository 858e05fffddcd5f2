#pragma once

#include "Schema.h"
#include "core/model/Error.h"

#include <QByteArray>

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

struct avro_obj_t;
struct avro_value_iface;

namespace kbatch::core {

// One type of an Avro schema, as KBatch reads it: avro-c has no logical types and no field defaults, so KBatch
// parses the schema text itself and builds avro-c's schema from this tree (see AvroSchema).
struct AvroNode
{
    // Null to String are the primitives.
    enum class Type : std::uint8_t {
        Null,
        Boolean,
        Int,
        Long,
        Float,
        Double,
        Bytes,
        String,
        Record,
        Enum,
        Array,
        Map,
        Union,
        Fixed
    };
    // Logical types. Per the specification, one that does not apply (an unknown name, a decimal whose scale exceeds
    // its precision, a date on a string) is ignored and the underlying type used: readers do the same.
    enum class Logical : std::uint8_t {
        None,
        Decimal,
        Uuid,
        Date,
        TimeMillis,
        TimeMicros,
        TimestampMillis,
        TimestampMicros,
        LocalTimestampMillis,
        LocalTimestampMicros
    };
    struct Field
    {
        QByteArray name;
        const AvroNode *type = nullptr;
        bool hasDefault = false;
        QByteArray defaultJson; // compact JSON, as the schema wrote it
    };

    Type type = Type::Null;
    Logical logical = Logical::None;
    int precision = 0;                      // decimal
    int scale = 0;                          // decimal
    QByteArray fullName;                    // named types: "com.example.Order"
    std::vector<Field> fields;              // record
    std::vector<QByteArray> symbols;        // enum
    const AvroNode *items = nullptr;        // array items, map values
    std::vector<const AvroNode *> branches; // union
    qint64 size = 0;                        // fixed

    bool isNamed() const { return type == Type::Record || type == Type::Enum || type == Type::Fixed; }
    // How Avro's JSON encoding names this type as a union branch: the full name of a named type, else the type's
    // name ("int", "array", ...). Logical types are named after their underlying type.
    QByteArray branchName() const;
    // Whether a tagged union value's member name `tag` names this branch: the branch name, or for a named type
    // also its short name (the encoder checks that the short name is unique among the union's branches).
    bool isNamedBy(QByteArrayView tag) const;
    // "int", "record", ...
    static const char *typeName(Type type);
    // For messages: "int", "timestamp-millis", "record com.example.Order", "union [null, string]".
    QString describe() const;
    // The index of the field called `name`, or -1. `hint` is tried first (fields usually come in schema order).
    int fieldIndex(QByteArrayView name, int hint) const;
    int symbolIndex(QByteArrayView symbol) const;
};

// A parsed Avro schema: KBatch's tree (logical types, defaults) and avro-c's schema and generic value class built
// from it. Immutable after parse(); any thread may read it.
class AvroSchema
{
public:
    ~AvroSchema();
    AvroSchema(const AvroSchema &) = delete;
    AvroSchema &operator=(const AvroSchema &) = delete;

    // Parses `resolved.referenced` (in order: their named types become known) and then `resolved.schema`. Errors carry
    // the line, column and JSON path of the fault in the schema text: "line 4, column 21: $.fields[1].type:
    // unknown type 'Adress'". The referenced texts' errors name the referenced subject.
    static Result<std::shared_ptr<const AvroSchema>> parse(const ResolvedSchema &resolved);
    // A schema without references.
    static Result<std::shared_ptr<const AvroSchema>> parse(QByteArrayView text);

    const AvroNode &root() const { return *m_root; }
    avro_obj_t *avroSchema() const { return m_avroSchema; }
    avro_value_iface *valueClass() const { return m_class; }
    // True when a type contains itself (a linked list, a tree): whoever generates values must cut them off.
    bool isRecursive() const { return m_recursive; }

private:
    AvroSchema() = default;
    friend class AvroSchemaParser;

    std::deque<AvroNode> m_nodes; // stable addresses: nodes point at each other
    const AvroNode *m_root = nullptr;
    avro_obj_t *m_avroSchema = nullptr;  // owned (one reference)
    avro_value_iface *m_class = nullptr; // owned (one reference)
    bool m_recursive = false;
};

} // namespace kbatch::core

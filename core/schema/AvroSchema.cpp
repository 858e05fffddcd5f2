#include "AvroSchema.h"

#include "AvroHandles.h"
#include "AvroSchemaBuild.h"
#include "core/format/JsonReader.h"

#include <QHash>
#include <QSet>

#include <cmath>
#include <cstring>
#include <optional>

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;
using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

// A fixed larger than this is refused: avro-c allocates every fixed value at its full size when it makes a value.
constexpr qint64 MaxFixedSize = 1 << 20;
// Decimal arithmetic here is quadratic in the digits; columns in practice stop at 38 (or 65) digits.
constexpr int MaxDecimalPrecision = 4096;

// The schema text as a small tree. Schemas are small, and a type may name types defined anywhere before it.
struct SchemaJson
{
    Kind kind = Kind::Null;
    QByteArray text; // a string's decoded text, a number as written
    // An object's members, names and values side by side (a pair would need SchemaJson complete here).
    std::vector<QByteArray> memberNames;
    std::vector<SchemaJson> memberValues;
    std::vector<SchemaJson> items;
    QByteArray compact; // a member called "default": its value in compact form, not parsed further here
    int line = 0;
    int column = 0;

    const SchemaJson *member(QByteArrayView name) const
    {
        for (std::size_t i = 0; i < memberNames.size(); ++i) {
            if (memberNames[i] == name)
                return &memberValues[i];
        }
        return nullptr;
    }
};

bool readJson(JsonReader &r, SchemaJson &out, bool compactOnly)
{
    const JsonReader::Mark m = r.mark();
    out.kind = r.peek();
    out.line = m.line;
    out.column = r.column(m);
    if (compactOnly)
        return r.copyCompact(out.compact);
    switch (out.kind) {
    case Kind::Object: {
        if (!r.beginObject())
            return false;
        QByteArray name;
        while (r.nextMember(name)) {
            const bool isDefault = name == "default";
            out.memberNames.push_back(name);
            out.memberValues.emplace_back();
            if (!readJson(r, out.memberValues.back(), isDefault))
                return false;
        }
        return !r.hasError();
    }
    case Kind::Array:
        if (!r.beginArray())
            return false;
        while (r.nextElement()) {
            out.items.emplace_back();
            if (!readJson(r, out.items.back(), false))
                return false;
        }
        return !r.hasError();
    case Kind::String:
        return r.readString(out.text);
    case Kind::Number: {
        QByteArrayView lexeme;
        if (!r.readNumber(lexeme))
            return false;
        out.text = lexeme.toByteArray();
        return true;
    }
    case Kind::True:
    case Kind::False: {
        bool b = false;
        return r.readBool(b);
    }
    case Kind::Null:
        return r.readNull();
    case Kind::End:
    case Kind::Invalid:
        break;
    }
    if (!r.hasError())
        r.fail(QStringLiteral("expected a JSON value"));
    return false;
}

bool isIdentifier(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

// Empty (the null namespace) or identifiers joined by dots.
bool isNamespace(QByteArrayView s)
{
    if (s.isEmpty())
        return true;
    qsizetype start = 0;
    for (;;) {
        const qsizetype dot = s.indexOf('.', start);
        if (!isIdentifier(s.sliced(start, (dot < 0 ? s.size() : dot) - start)))
            return false;
        if (dot < 0)
            return true;
        start = dot + 1;
    }
}

std::optional<Type> primitiveType(QByteArrayView name)
{
    static const std::pair<const char *, Type> names[] = {
        {"null", Type::Null},   {"boolean", Type::Boolean}, {"int", Type::Int},     {"long", Type::Long},
        {"float", Type::Float}, {"double", Type::Double},   {"bytes", Type::Bytes}, {"string", Type::String},
    };
    for (const auto &[n, t] : names) {
        if (name == n)
            return t;
    }
    return std::nullopt;
}

// A JSON number that is a whole number in int range.
std::optional<int> intOf(const SchemaJson *j)
{
    if (!j || j->kind != Kind::Number)
        return std::nullopt;
    bool ok = false;
    const int v = j->text.toInt(&ok);
    return ok ? std::optional<int>(v) : std::nullopt;
}

} // namespace

// Reads schema texts into an AvroSchema's nodes. Named types stay known from one text to the next (references).
class AvroSchemaParser
{
public:
    explicit AvroSchemaParser(AvroSchema &schema) : m_schema(schema) {}

    const AvroNode *parseText(QByteArrayView text, const QString &origin)
    {
        m_origin = origin;
        JsonReader reader(text);
        SchemaJson json;
        if (!readJson(reader, json, false) || !reader.expectEnd()) {
            m_error = Error(reader.errorText(), {}, reader.errorLine(), reader.errorColumn(),
                            origin.isEmpty() ? QString() : origin);
            return nullptr;
        }
        return type(json, {}, QStringLiteral("$"));
    }

    Error error() const { return m_error; }

private:
    const AvroNode *fail(const SchemaJson &at, const QString &path, const QString &text)
    {
        const QString where = m_origin.isEmpty() ? path : m_origin + QLatin1Char(' ') + path;
        m_error = Error(text, {}, at.line, at.column, where);
        return nullptr;
    }

    AvroNode *newNode(Type t)
    {
        AvroNode &n = m_schema.m_nodes.emplace_back();
        n.type = t;
        return &n;
    }

    AvroNode *primitive(Type t)
    {
        auto &slot = m_primitives[int(t)];
        if (!slot)
            slot = newNode(t);
        return slot;
    }

    const AvroNode *lookup(const QByteArray &name, const QByteArray &ns)
    {
        AvroNode *found = nullptr;
        if (!name.contains('.') && !ns.isEmpty())
            found = m_named.value(ns + '.' + name);
        if (!found)
            found = m_named.value(name);
        if (found && m_open.contains(found))
            m_schema.m_recursive = true;
        return found;
    }

    const AvroNode *named(const SchemaJson &j, const QByteArray &name, const QByteArray &ns, const QString &path)
    {
        if (const auto t = primitiveType(name))
            return primitive(*t);
        if (const AvroNode *n = lookup(name, ns))
            return n;
        return fail(j, path, QStringLiteral("unknown type '%1'").arg(QString::fromUtf8(name)));
    }

    const AvroNode *type(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        switch (j.kind) {
        case Kind::String:
            return named(j, j.text, ns, path);
        case Kind::Array:
            return unionType(j, ns, path);
        case Kind::Object:
            return objectType(j, ns, path);
        default:
            return fail(j, path, QStringLiteral("expected a type: a type name, an object or a union (array)"));
        }
    }

    const AvroNode *unionType(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        if (j.items.empty())
            return fail(j, path, QStringLiteral("a union needs at least one type"));
        AvroNode *u = newNode(Type::Union);
        QSet<QByteArray> seen;
        for (std::size_t i = 0; i < j.items.size(); ++i) {
            const QString itemPath = path + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            const AvroNode *b = type(j.items[i], ns, itemPath);
            if (!b)
                return nullptr;
            if (b->type == Type::Union)
                return fail(j.items[i], itemPath, QStringLiteral("a union cannot contain a union directly"));
            const QByteArray key = b->branchName();
            if (seen.contains(key))
                return fail(j.items[i], itemPath, QStringLiteral("the union has %1 twice").arg(QString::fromUtf8(key)));
            seen.insert(key);
            u->branches.push_back(b);
        }
        return u;
    }

    const AvroNode *objectType(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        const SchemaJson *t = j.member("type");
        if (!t)
            return fail(j, path, QStringLiteral("a type object needs a \"type\""));
        const QString typePath = path + QLatin1String(".type");
        if (t->kind != Kind::String)
            return type(*t, ns, typePath); // {"type": {...}} and {"type": [...]}: the inner type
        const QByteArray &tn = t->text;
        if (const auto p = primitiveType(tn))
            return annotated(j, *p, path);
        if (tn == "record" || tn == "error")
            return record(j, ns, path);
        if (tn == "enum")
            return enumType(j, ns, path);
        if (tn == "fixed")
            return fixed(j, ns, path);
        if (tn == "array" || tn == "map") {
            const char *what = tn == "array" ? "items" : "values";
            const SchemaJson *inner = j.member(what);
            if (!inner)
                return fail(j, path, QStringLiteral("%1 needs \"%2\"").arg(QString::fromUtf8(tn), QLatin1String(what)));
            const AvroNode *innerType = type(*inner, ns, path + QLatin1Char('.') + QLatin1String(what));
            if (!innerType)
                return nullptr;
            AvroNode *n = newNode(tn == "array" ? Type::Array : Type::Map);
            n->items = innerType;
            return n;
        }
        return named(*t, tn, ns, typePath); // {"type": "com.example.Name"}
    }

    // The full name of a named type, checked; the empty array on error (m_error set).
    QByteArray fullNameOf(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        const SchemaJson *name = j.member("name");
        if (!name || name->kind != Kind::String) {
            fail(name ? *name : j, path, QStringLiteral("a named type needs a \"name\" (a string)"));
            return {};
        }
        QByteArray full;
        if (name->text.contains('.')) {
            full = name->text;
        } else {
            QByteArray space = ns;
            if (const SchemaJson *s = j.member("namespace")) {
                if (s->kind != Kind::String && s->kind != Kind::Null) {
                    fail(*s, path + QLatin1String(".namespace"), QStringLiteral("a namespace is a string"));
                    return {};
                }
                space = s->text;
                if (!isNamespace(space)) {
                    fail(*s, path + QLatin1String(".namespace"),
                         QStringLiteral("'%1' is not a namespace (identifiers joined by dots)")
                             .arg(QString::fromUtf8(space)));
                    return {};
                }
            }
            full = space.isEmpty() ? name->text : space + '.' + name->text;
        }
        const QByteArray shortName = full.mid(full.lastIndexOf('.') + 1);
        if (!isNamespace(full) || !isIdentifier(shortName)) {
            fail(*name, path + QLatin1String(".name"),
                 QStringLiteral("'%1' is not a name (letters, digits and '_', not starting with a digit)")
                     .arg(QString::fromUtf8(name->text)));
            return {};
        }
        if (primitiveType(shortName) && !full.contains('.')) {
            fail(*name, path + QLatin1String(".name"),
                 QStringLiteral("'%1' is a primitive type's name").arg(QString::fromUtf8(full)));
            return {};
        }
        if (m_named.contains(full)) {
            fail(*name, path + QLatin1String(".name"),
                 QStringLiteral("type '%1' is defined twice").arg(QString::fromUtf8(full)));
            return {};
        }
        return full;
    }

    static QByteArray namespaceOf(const QByteArray &full)
    {
        const qsizetype dot = full.lastIndexOf('.');
        return dot < 0 ? QByteArray() : full.left(dot);
    }

    const AvroNode *record(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        const QByteArray full = fullNameOf(j, ns, path);
        if (full.isEmpty())
            return nullptr;
        AvroNode *n = newNode(Type::Record);
        n->fullName = full;
        m_named.insert(full, n);
        m_open.insert(n);
        const SchemaJson *fields = j.member("fields");
        const QString fieldsPath = path + QLatin1String(".fields");
        if (!fields || fields->kind != Kind::Array)
            return fail(fields ? *fields : j, fieldsPath, QStringLiteral("a record needs \"fields\" (an array)"));
        const QByteArray inner = namespaceOf(full);
        for (std::size_t i = 0; i < fields->items.size(); ++i) {
            const SchemaJson &f = fields->items[i];
            const QString fieldPath = fieldsPath + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            if (f.kind != Kind::Object)
                return fail(f, fieldPath, QStringLiteral("a field is an object"));
            const SchemaJson *name = f.member("name");
            if (!name || name->kind != Kind::String || !isIdentifier(name->text))
                return fail(name ? *name : f, fieldPath + QLatin1String(".name"),
                            QStringLiteral("a field needs a \"name\" (letters, digits and '_', not starting with a "
                                           "digit)"));
            for (const AvroNode::Field &other : n->fields) {
                if (other.name == name->text)
                    return fail(*name, fieldPath + QLatin1String(".name"),
                                QStringLiteral("field '%1' is defined twice").arg(QString::fromUtf8(name->text)));
            }
            const SchemaJson *ft = f.member("type");
            if (!ft)
                return fail(f, fieldPath,
                            QStringLiteral("field '%1' needs a \"type\"").arg(QString::fromUtf8(name->text)));
            const AvroNode *fieldType = type(*ft, inner, fieldPath + QLatin1String(".type"));
            if (!fieldType)
                return nullptr;
            AvroNode::Field field;
            field.name = name->text;
            field.type = fieldType;
            if (const SchemaJson *d = f.member("default")) {
                field.hasDefault = true;
                field.defaultJson = d->compact;
            }
            n->fields.push_back(std::move(field));
        }
        m_open.remove(n);
        return n;
    }

    const AvroNode *enumType(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        const QByteArray full = fullNameOf(j, ns, path);
        if (full.isEmpty())
            return nullptr;
        const SchemaJson *symbols = j.member("symbols");
        const QString symbolsPath = path + QLatin1String(".symbols");
        if (!symbols || symbols->kind != Kind::Array || symbols->items.empty())
            return fail(symbols ? *symbols : j, symbolsPath,
                        QStringLiteral("an enum needs \"symbols\" (an array of at least one name)"));
        AvroNode *n = newNode(Type::Enum);
        n->fullName = full;
        for (std::size_t i = 0; i < symbols->items.size(); ++i) {
            const SchemaJson &s = symbols->items[i];
            const QString at = symbolsPath + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            if (s.kind != Kind::String || !isIdentifier(s.text))
                return fail(s, at,
                            QStringLiteral("a symbol is a name (letters, digits and '_', not starting with a digit)"));
            if (n->symbolIndex(s.text) >= 0)
                return fail(s, at, QStringLiteral("symbol '%1' is listed twice").arg(QString::fromUtf8(s.text)));
            n->symbols.push_back(s.text);
        }
        m_named.insert(full, n);
        return n;
    }

    const AvroNode *fixed(const SchemaJson &j, const QByteArray &ns, const QString &path)
    {
        const QByteArray full = fullNameOf(j, ns, path);
        if (full.isEmpty())
            return nullptr;
        const SchemaJson *size = j.member("size");
        bool ok = false;
        const qint64 n = size && size->kind == Kind::Number ? size->text.toLongLong(&ok) : 0;
        // The specification allows 0 bytes, but avro-c cannot read such a value back (it asks its allocator for 0
        // bytes, gets nothing and reports that as a failure), and no schema in use has one.
        if (!ok || n < 1)
            return fail(size ? *size : j, path + QLatin1String(".size"),
                        QStringLiteral("a fixed needs a \"size\" (a whole number, 1 or more)"));
        if (n > MaxFixedSize)
            return fail(
                *size, path + QLatin1String(".size"),
                QStringLiteral("a fixed of %1 bytes is larger than KBatch handles (%2)").arg(n).arg(MaxFixedSize));
        AvroNode *node = annotated(j, Type::Fixed, path);
        if (!node)
            return nullptr;
        node->fullName = full;
        node->size = n;
        // The largest precision n bytes of two's complement hold: floor(log10(2^(8n-1) - 1)). A decimal that asks
        // for more does not apply (the specification's rule for invalid logical types).
        if (node->logical == Logical::Decimal &&
            (n == 0 || node->precision > std::floor(double(8 * n - 1) * std::log10(2.0))))
            node->logical = Logical::None;
        m_named.insert(full, node);
        return node;
    }

    // A primitive or fixed, with its logical type if it has one that applies. Fixed nodes are always new.
    AvroNode *annotated(const SchemaJson &j, Type t, const QString &path)
    {
        const SchemaJson *lt = j.member("logicalType");
        Logical logical = Logical::None;
        int precision = 0, scale = 0;
        if (lt && lt->kind == Kind::String) {
            const QByteArray &name = lt->text;
            if (name == "decimal" && (t == Type::Bytes || t == Type::Fixed)) {
                const auto p = intOf(j.member("precision"));
                const SchemaJson *s = j.member("scale");
                const auto sc = s ? intOf(s) : std::optional<int>(0);
                if (p && *p > MaxDecimalPrecision) {
                    fail(*j.member("precision"), path + QLatin1String(".precision"),
                         QStringLiteral("a decimal precision above %1 is more than KBatch handles")
                             .arg(MaxDecimalPrecision));
                    return nullptr;
                }
                if (p && *p > 0 && sc && *sc >= 0 && *sc <= *p) {
                    logical = Logical::Decimal;
                    precision = *p;
                    scale = *sc;
                }
            } else if (name == "uuid" && t == Type::String) {
                logical = Logical::Uuid;
            } else if (name == "date" && t == Type::Int) {
                logical = Logical::Date;
            } else if (name == "time-millis" && t == Type::Int) {
                logical = Logical::TimeMillis;
            } else if (t == Type::Long) {
                static const std::pair<const char *, Logical> longs[] = {
                    {"time-micros", Logical::TimeMicros},
                    {"timestamp-millis", Logical::TimestampMillis},
                    {"timestamp-micros", Logical::TimestampMicros},
                    {"local-timestamp-millis", Logical::LocalTimestampMillis},
                    {"local-timestamp-micros", Logical::LocalTimestampMicros},
                };
                for (const auto &[n, l] : longs) {
                    if (name == n)
                        logical = l;
                }
            }
        }
        if (logical == Logical::None && t != Type::Fixed)
            return primitive(t);
        AvroNode *n = newNode(t);
        n->logical = logical;
        n->precision = precision;
        n->scale = scale;
        return n;
    }

    AvroSchema &m_schema;
    QHash<QByteArray, AvroNode *> m_named;
    QSet<const AvroNode *> m_open; // records whose fields are being read
    AvroNode *m_primitives[8] = {};
    QString m_origin;
    Error m_error;
};

AvroSchema::~AvroSchema()
{
    if (m_class)
        avro_value_iface_decref(m_class);
    if (m_avroSchema)
        avro_schema_decref(m_avroSchema);
}

Result<std::shared_ptr<const AvroSchema>> AvroSchema::parse(const ResolvedSchema &resolved)
{
    std::shared_ptr<AvroSchema> schema(new AvroSchema);
    AvroSchemaParser parser(*schema);
    for (const Schema &ref : resolved.referenced) {
        if (ref.format != SchemaFormat::Avro)
            return Error(
                QStringLiteral("referenced schema %1 is %2, not Avro").arg(ref.subject, displayName(ref.format)));
        if (!parser.parseText(ref.text, QStringLiteral("referenced schema %1").arg(ref.subject)))
            return parser.error();
    }
    schema->m_root = parser.parseText(resolved.schema.text, {});
    if (!schema->m_root)
        return parser.error();
    if (const AvroNode *endless = recordWithoutEnd(*schema->m_root))
        return Error(QStringLiteral("record %1 contains itself with no way out (a union with null, an array or a "
                                    "map): it has no finite value")
                         .arg(QString::fromUtf8(endless->fullName)));

    const auto lock = lockAvroErrors();
    QHash<const AvroNode *, avro_schema_t> defined;
    bool ok = true;
    schema->m_avroSchema = buildAvroSchema(*schema->m_root, defined, ok);
    if (!schema->m_avroSchema || !ok)
        return Error(QStringLiteral("avro-c refused the schema: %1").arg(avroErrorText()));
    schema->m_class = avro_generic_class_from_schema(schema->m_avroSchema);
    if (!schema->m_class)
        return Error(QStringLiteral("avro-c cannot make values of the schema: %1").arg(avroErrorText()));
    return std::shared_ptr<const AvroSchema>(std::move(schema));
}

Result<std::shared_ptr<const AvroSchema>> AvroSchema::parse(QByteArrayView text)
{
    ResolvedSchema resolved;
    resolved.schema.text = text.toByteArray();
    return parse(resolved);
}

} // namespace kbatch::core

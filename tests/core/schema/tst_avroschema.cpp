// KBatch's reading of Avro schema texts: every error with its line, column and JSON path; names and namespaces; the
// avro-c schema built from KBatch's tree equals the one avro-c's own parser makes of the same text; references.

#include "core/schema/AvroSchema.h"

#include <avro.h>

#include <QTest>

using namespace kbatch::core;

class TestAvroSchema : public QObject
{
    Q_OBJECT

private slots:
    void refuses_data();
    void refuses();
    void sameAsAvroCParser_data();
    void sameAsAvroCParser();
    void namesAndNamespaces();
    void logicalTypes();
    void references();
};

void TestAvroSchema::refuses_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *schema, const char *message) {
        QTest::newRow(name) << QByteArray(schema) << QString::fromUtf8(message);
    };
    row("not JSON", "{\"type\": \"record\",\n \"name\": }", "line 2, column 10: expected a JSON value");
    row("unknown type", R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "Adress"}]})",
        "line 1, column 66: $.fields[0].type: unknown type 'Adress'");
    row("misspelt primitive", R"("integer")", "line 1, column 1: $: unknown type 'integer'");
    row("no type", R"({"name": "x"})", "line 1, column 1: $: a type object needs a \"type\"");
    row("a number", "5", "line 1, column 1: $: expected a type: a type name, an object or a union (array)");
    row("record without fields", R"({"type": "record", "name": "R"})",
        "line 1, column 1: $.fields: a record needs \"fields\" (an array)");
    row("record without name", R"({"type": "record", "fields": []})",
        "line 1, column 1: $: a named type needs a \"name\" (a string)");
    row("bad name", R"({"type": "record", "name": "1R", "fields": []})",
        "line 1, column 28: $.name: '1R' is not a name (letters, digits and '_', not starting with a digit)");
    row("bad namespace", R"({"type": "record", "name": "R", "namespace": "a..b", "fields": []})",
        "line 1, column 46: $.namespace: 'a..b' is not a namespace (identifiers joined by dots)");
    row("primitive name", R"({"type": "fixed", "name": "int", "size": 1})",
        "line 1, column 27: $.name: 'int' is a primitive type's name");
    row("field twice", R"({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},
        {"name": "a", "type": "long"}]})",
        "line 2, column 18: $.fields[1].name: field 'a' is defined twice");
    row("field without type", R"({"type": "record", "name": "R", "fields": [{"name": "a"}]})",
        "line 1, column 44: $.fields[0]: field 'a' needs a \"type\"");
    row("type twice", R"({"type": "record", "name": "R", "fields": [{"name": "a", "type":
        {"type": "enum", "name": "R", "symbols": ["X"]}}]})",
        "line 2, column 34: $.fields[0].type.name: type 'R' is defined twice");
    row("union in union", R"(["null", ["int"]])", "line 1, column 10: $[1]: a union cannot contain a union directly");
    row("union twice the same", R"(["int", {"type": "int", "logicalType": "date"}])",
        "line 1, column 9: $[1]: the union has int twice");
    row("empty union", "[]", "line 1, column 1: $: a union needs at least one type");
    row("enum without symbols", R"({"type": "enum", "name": "E", "symbols": []})",
        "line 1, column 42: $.symbols: an enum needs \"symbols\" (an array of at least one name)");
    row("enum symbol twice", R"({"type": "enum", "name": "E", "symbols": ["A", "A"]})",
        "line 1, column 48: $.symbols[1]: symbol 'A' is listed twice");
    row("enum bad symbol", R"({"type": "enum", "name": "E", "symbols": ["a-b"]})",
        "line 1, column 43: $.symbols[0]: a symbol is a name (letters, digits and '_', not starting with a digit)");
    row("fixed without size", R"({"type": "fixed", "name": "F"})",
        "line 1, column 1: $.size: a fixed needs a \"size\" (a whole number, 1 or more)");
    row("fixed of no bytes", R"({"type": "fixed", "name": "F", "size": 0})",
        "line 1, column 40: $.size: a fixed needs a \"size\" (a whole number, 1 or more)");
    row("fixed too big", R"({"type": "fixed", "name": "F", "size": 1048577})",
        "line 1, column 40: $.size: a fixed of 1048577 bytes is larger than KBatch handles (1048576)");
    row("array without items", R"({"type": "array"})", "line 1, column 1: $: array needs \"items\"");
    row("decimal precision too big", R"({"type": "bytes", "logicalType": "decimal", "precision": 5000})",
        "line 1, column 58: $.precision: a decimal precision above 4096 is more than KBatch handles");
}

void TestAvroSchema::refuses()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, message);
    const auto parsed = AvroSchema::parse(schema);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message(), message);
}

void TestAvroSchema::sameAsAvroCParser_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::newRow("primitive") << QByteArray(R"("string")");
    QTest::newRow("record") << QByteArray(R"({"type": "record", "name": "Order", "namespace": "com.example",
        "fields": [{"name": "id", "type": "string"}, {"name": "qty", "type": "int"},
                   {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "double"}}},
                   {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}},
                   {"name": "again", "type": ["null", "E"]},
                   {"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "other", "size": 16}},
                   {"name": "g", "type": "other.F"}]})");
    QTest::newRow("recursive") << QByteArray(R"({"type": "record", "name": "Node", "fields": [
        {"name": "children", "type": {"type": "array", "items": "Node"}}, {"name": "next", "type": ["null", "Node"]}]})");
    QTest::newRow("union") << QByteArray(R"(["null", "long", {"type": "record", "name": "R", "fields": []}])");
}

void TestAvroSchema::sameAsAvroCParser()
{
    QFETCH(QByteArray, schema);
    const auto parsed = AvroSchema::parse(schema);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
    avro_schema_t theirs = nullptr;
    QCOMPARE(avro_schema_from_json_length(schema.constData(), std::size_t(schema.size()), &theirs), 0);
    const bool equal = avro_schema_equal((*parsed)->avroSchema(), theirs);
    avro_schema_decref(theirs);
    QVERIFY(equal);
}

void TestAvroSchema::namesAndNamespaces()
{
    const auto parsed = AvroSchema::parse(QByteArray(R"({"type": "record", "name": "Outer", "namespace": "a.b",
        "fields": [{"name": "x", "type": {"type": "record", "name": "Inner", "fields": []}},
                   {"name": "y", "type": {"type": "record", "name": "c.Dotted", "fields": []}},
                   {"name": "z", "type": {"type": "record", "name": "Nulled", "namespace": "", "fields": []}},
                   {"name": "refs", "type": ["null", "Inner", "a.b.Inner", "c.Dotted", "Nulled"]}]})"));
    QVERIFY(!parsed.ok()); // "Inner" and "a.b.Inner" are the same type: a union cannot hold it twice
    QCOMPARE(parsed.error().message(),
             QStringLiteral("line 5, column 63: $.fields[3].type[2]: the union has a.b.Inner twice"));
    const auto ok = AvroSchema::parse(QByteArray(R"({"type": "record", "name": "Outer", "namespace": "a.b",
        "fields": [{"name": "x", "type": {"type": "record", "name": "Inner", "fields": []}},
                   {"name": "y", "type": {"type": "record", "name": "c.Dotted", "fields": []}},
                   {"name": "z", "type": {"type": "record", "name": "Nulled", "namespace": "", "fields": []}},
                   {"name": "refs", "type": ["null", "Inner", "c.Dotted", "Nulled"]}]})"));
    QVERIFY2(ok.ok(), qPrintable(ok.ok() ? QString() : ok.error().message()));
    const AvroNode &root = (*ok)->root();
    QCOMPARE(root.fullName, QByteArray("a.b.Outer"));
    QCOMPARE(root.fields[0].type->fullName, QByteArray("a.b.Inner"));
    QCOMPARE(root.fields[1].type->fullName, QByteArray("c.Dotted"));
    QCOMPARE(root.fields[2].type->fullName, QByteArray("Nulled"));
    const AvroNode &refs = *root.fields[3].type;
    QCOMPARE(refs.branches[1], root.fields[0].type); // a reference is the same node
    QCOMPARE(refs.branches[2], root.fields[1].type);
    QCOMPARE(refs.branches[3], root.fields[2].type);
    QVERIFY(!(*ok)->isRecursive());
}

void TestAvroSchema::logicalTypes()
{
    const auto parsed = AvroSchema::parse(QByteArray(R"({"type": "record", "name": "R", "fields": [
        {"name": "a", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "b", "type": {"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3}},
        {"name": "c", "type": {"type": "fixed", "name": "F", "size": 4, "logicalType": "decimal", "precision": 9}},
        {"name": "d", "type": {"type": "fixed", "name": "G", "size": 4, "logicalType": "decimal", "precision": 10}},
        {"name": "e", "type": {"type": "string", "logicalType": "date"}},
        {"name": "f", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "g", "type": {"type": "int", "logicalType": "time-millis"}}]})"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
    const auto &f = (*parsed)->root().fields;
    using L = AvroNode::Logical;
    QVERIFY(f[0].type->logical == L::Decimal);
    QCOMPARE(f[0].type->precision, 9);
    QCOMPARE(f[0].type->scale, 2);
    QVERIFY(f[1].type->logical == L::None);    // scale above precision: the specification says ignore it
    QVERIFY(f[2].type->logical == L::Decimal); // 4 bytes hold 9 digits...
    QVERIFY(f[3].type->logical == L::None);    // ... not 10
    QVERIFY(f[4].type->logical == L::None);    // date belongs on int
    QVERIFY(f[5].type->logical == L::LocalTimestampMicros);
    QVERIFY(f[6].type->logical == L::TimeMillis);
    QCOMPARE(f[5].type->describe(), QStringLiteral("local-timestamp-micros"));
}

void TestAvroSchema::references()
{
    // As a registry serves them: the referenced schema's named types become known before the schema that uses them.
    ResolvedSchema resolved;
    resolved.schema.text = R"({"type": "record", "name": "Order", "namespace": "shop",
        "fields": [{"name": "total", "type": "money.Money"}]})";
    resolved.schema.references = {{QStringLiteral("money.Money"), QStringLiteral("money-value"), 1}};
    Schema money;
    money.subject = QStringLiteral("money-value");
    money.text = R"({"type": "record", "name": "Money", "namespace": "money",
        "fields": [{"name": "units", "type": "long"}, {"name": "currency", "type": "string"}]})";
    resolved.referenced = {money};
    const auto parsed = AvroSchema::parse(resolved);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message()));
    QCOMPARE((*parsed)->root().fields[0].type->fullName, QByteArray("money.Money"));
    QCOMPARE((*parsed)->root().fields[0].type->fields.size(), std::size_t(2));

    // Without the reference the name is unknown; an error in a referenced text names its subject.
    resolved.referenced.clear();
    QVERIFY(!AvroSchema::parse(resolved).ok());
    money.text = R"({"type": "record", "name": "Money", "fields": [{"name": "units", "type": "lng"}]})";
    resolved.referenced = {money};
    const auto bad = AvroSchema::parse(resolved);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message(),
             QStringLiteral("line 1, column 74: referenced schema money-value $.fields[0].type: unknown type 'lng'"));
}

QTEST_GUILESS_MAIN(TestAvroSchema)
#include "tst_avroschema.moc"

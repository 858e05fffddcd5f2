// The JSON Schema codec: validation messages with their path, line and column; the payload as the row's compact text;
// decode; $ref inside the schema and to registry references; skeletons and random values that validate (checked
// by the codec and, for patterns, by QRegularExpression, another regex engine); compile errors; concurrent use.

#include "core/generate/Random.h"
#include "core/schema/ConfluentFrame.h"
#include "core/schema/JsonSchemaCodec.h"
#include "core/schema/JsonSchemaSamples.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <atomic>
#include <thread>

using namespace kbatch::core;

// Declared before the test data: moc reads raw strings with "//" in them as comments.
class TestJsonSchemaCodec : public QObject
{
    Q_OBJECT
private slots:
    void validRowsPass_data();
    void validRowsPass();
    void errors_data();
    void errors();
    void encodeIsTheCompactRow();
    void framedAndDecoded();
    void decodeRefusesWhatIsNotJson();
    void registryReferences();
    void absoluteIdReferences();
    void compileErrors_data();
    void compileErrors();
    void draft4();
    void skeletonValidates();
    void randomValuesValidate_data();
    void randomValuesValidate();
    void randomIsSeeded();
    void patternSamples_data();
    void patternSamples();
    void patternUnicodeEscape();
    void fractionalMultipleOf();
    void quickCheckAgreesWithValijson_data();
    void quickCheckAgreesWithValijson();
    void recordNameIsTheTitle();
    void dispatch();
    void concurrentEncodes();
};

namespace {

std::shared_ptr<const JsonSchemaCodec> compile(const QByteArray &schema, const QList<Schema> &referenced = {},
                                               const QList<SchemaReference> &references = {})
{
    ResolvedSchema resolved;
    resolved.schema.format = SchemaFormat::JsonSchema;
    resolved.schema.text = schema;
    resolved.schema.references = references;
    resolved.referenced = referenced;
    auto codec = JsonSchemaCodec::compile(resolved);
    if (!codec) {
        qWarning("schema does not compile: %s", qPrintable(codec.error().message()));
        return nullptr;
    }
    return codec.value();
}

QByteArray why(const QByteArray &json, const Status &s)
{
    return json + " -> " + (s.ok() ? QByteArray("ok") : s.error().message().toUtf8());
}

const char orderSchema[] = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "kbatch.Order",
  "type": "object",
  "required": ["id", "customer", "items"],
  "properties": {
    "id": {"type": "string", "pattern": "^ORD-[0-9]{4}$"},
    "status": {"enum": ["NEW", "PAID", "SHIPPED"]},
    "placed": {"type": "string", "format": "date"},
    "customer": {"$ref": "#/definitions/customer"},
    "items": {"type": "array", "minItems": 1, "items": {
      "type": "object", "required": ["sku", "qty"], "additionalProperties": false,
      "properties": {"sku": {"type": "string", "minLength": 2}, "qty": {"type": "integer", "minimum": 1},
                     "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01}}}},
    "odd key": {"type": ["integer", "null"]},
    "note": {"type": "string", "default": "none"},
    "when": {"format": "date"}
  },
  "definitions": {
    "customer": {"type": "object", "required": ["email"],
                 "properties": {"email": {"type": "string", "format": "email"},
                                "since": {"type": "string", "format": "date-time"}}}
  }
})";

} // namespace

void TestJsonSchemaCodec::validRowsPass_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::newRow("minimal") << QByteArray(
        R"({"id": "ORD-0001", "customer": {"email": "a@b.c"}, "items": [{"sku": "AB", "qty": 1}]})");
    QTest::newRow("everything") << QByteArray(
        R"({"id": "ORD-1234", "status": "PAID", "placed": "2026-12-05", "customer": {"email": "x", "since":
        "2026-12-05T10:00:00Z"}, "items": [{"sku": "AB", "qty": 2, "price": 9.99}, {"sku": "CD", "qty": 1}],
        "odd key": null, "note": "n", "extra": [1, {"any": true}]})");
    QTest::newRow("a format on a non-string is not checked") << QByteArray(
        R"({"id": "ORD-0001", "customer": {"email": "e"}, "items": [{"sku": "AB", "qty": 1}], "when": 5})");
}

void TestJsonSchemaCodec::validRowsPass()
{
    QFETCH(QByteArray, row);
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    const Status s = codec->validate(row);
    QVERIFY2(s.ok(), why(row, s).constData());
}

void TestJsonSchemaCodec::errors_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("message");
    const QByteArray items = R"("items": [{"sku": "AB", "qty": 1}])";
    QTest::newRow("missing required") << QByteArray(R"({"id": "ORD-0001", )" + items + "}")
                                      << QStringLiteral("line 1, column 1: $: missing required property 'customer'");
    QTest::newRow("missing required, nested")
        << QByteArray(R"({"id": "ORD-0001", "customer": {}, )" + items + "}")
        << QStringLiteral("line 1, column 32: $.customer: missing required property 'email'");
    QTest::newRow("wrong type in an array")
        << QByteArray(
               "{\"id\": \"ORD-0001\", \"customer\": {\"email\": \"e\"},\n \"items\": [{\"sku\": \"AB\", \"qty\": 1},\n"
               "  {\"sku\": \"AB\", \"qty\": 1}, {\"sku\": \"CD\", \"qty\": \"3\"}]}")
        << QStringLiteral("line 3, column 49: $.items[2].qty: expected integer, got a string");
    QTest::newRow("pattern") << QByteArray(R"({"id": "ORD-12", "customer": {"email": "e"}, )" + items + "}")
                             << QStringLiteral(
                                    "line 1, column 8: $.id: \"ORD-12\" does not match the pattern ^ORD-[0-9]{4}$");
    QTest::newRow("enum")
        << QByteArray(R"({"id": "ORD-0001", "status": "LOST", "customer": {"email": "e"}, )" + items + "}")
        << QStringLiteral("line 1, column 30: $.status: \"LOST\" is not one of \"NEW\", \"PAID\", \"SHIPPED\"");
    QTest::newRow("date format")
        << QByteArray(R"({"id": "ORD-0001", "placed": "2026-13-01", "customer": {"email": "e"}, )" + items + "}")
        << QStringLiteral("line 1, column 30: $.placed: string should be a valid date (got \"2026-13-01\")");
    QTest::newRow("minimum") << QByteArray(R"({"id": "ORD-0001", "customer": {"email": "e"}, "items": [{"sku": "AB",
        "qty": 0}]})")
                             << QStringLiteral(
                                    "line 2, column 16: $.items[0].qty: expected number greater than or equal to "
                                    "1.000000 (got 0)");
    QTest::newRow("additional property")
        << QByteArray(R"({"id": "ORD-0001", "customer": {"email": "e"}, "items": [{"sku": "AB", "qty": 1, "x": 1}]})")
        << QStringLiteral("line 1, column 58: $.items[0]: object contains a property that could not be validated "
                          "using 'properties' or 'additionalProperties' constraints: 'x'");
    QTest::newRow("empty array") << QByteArray(R"({"id": "ORD-0001", "customer": {"email": "e"}, "items": []})")
                                 << QStringLiteral("line 1, column 57: $.items: array should contain no fewer than 1 "
                                                   "elements");
    QTest::newRow("odd key")
        << QByteArray(R"({"id": "ORD-0001", "odd key": "x", "customer": {"email": "e"}, )" + items + "}")
        << QStringLiteral("line 1, column 31: $[\"odd key\"]: expected integer or null, got a string");
    QTest::newRow("root type") << QByteArray("[1]")
                               << QStringLiteral("line 1, column 1: $: expected object, got an "
                                                 "array");
    QTest::newRow("not JSON") << QByteArray(R"({"id": "ORD-0001",})")
                              << QStringLiteral("line 1, column 19: $: trailing comma before '}'");
    QTest::newRow("two values") << QByteArray("{} {}")
                                << QStringLiteral("line 1, column 4: $: unexpected content after the "
                                                  "end of the JSON value");
}

void TestJsonSchemaCodec::errors()
{
    QFETCH(QByteArray, row);
    QFETCH(QString, message);
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    QByteArray out("kept");
    const Status s = codec->encode(row, out);
    QVERIFY2(!s.ok(), row.constData());
    QCOMPARE(s.error().message(), message);
    QCOMPARE(out, QByteArray("kept"));
}

void TestJsonSchemaCodec::encodeIsTheCompactRow()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    const QByteArray row = "{ \"id\" : \"ORD-0001\",\n \"customer\": {\"email\": \"\\u00e9@x\"},\n"
                           " \"items\": [ {\"sku\": \"AB\", \"qty\": 1, \"price\": 0.10} ],\n"
                           " \"extra\": 123456789012345678901234567890 }";
    QByteArray out;
    const Status s = codec->encode(row, out);
    QVERIFY2(s.ok(), why(row, s).constData());
    // Whitespace dropped; member order, escapes and number text as written (no double round trip).
    QCOMPARE(out, QByteArray(R"({"id":"ORD-0001","customer":{"email":"\u00e9@x"},"items":[{"sku":"AB","qty":1,)"
                             R"("price":0.10}],"extra":123456789012345678901234567890})"));
}

void TestJsonSchemaCodec::framedAndDecoded()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    const QByteArray row = R"({"id": "ORD-0001", "customer": {"email": "e"}, "items": [{"sku": "AB", "qty": 1}]})";
    QByteArray framed;
    QVERIFY(codec->encodeFramed(0x01020304, row, framed).ok());
    QCOMPARE(framed.left(5), QByteArray::fromHex("0001020304"));
    QCOMPARE(framed.mid(5), QByteArray(R"({"id":"ORD-0001","customer":{"email":"e"},"items":[{"sku":"AB","qty":1}]})"));
    auto decoded = codec->decodeFramed(framed, 0x01020304);
    QVERIFY(decoded.ok());
    QCOMPARE(*decoded, framed.mid(5));
    QByteArray again;
    QVERIFY(codec->encode(*decoded, again).ok());
    QCOMPARE(again, framed.mid(5)); // byte-identical republishing
    QVERIFY(!codec->decodeFramed(framed, 7).ok());
    // A row that does not validate leaves the frame out too.
    QByteArray untouched("x");
    QVERIFY(!codec->encodeFramed(1, "{}", untouched).ok());
    QCOMPARE(untouched, QByteArray("x"));
}

void TestJsonSchemaCodec::decodeRefusesWhatIsNotJson()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    for (const QByteArray &bad : {QByteArray("{\"a\":"), QByteArray("\xff\xfe"), QByteArray(), QByteArray("1 2")}) {
        const auto d = codec->decode(bad);
        QVERIFY2(!d.ok(), bad.toHex().constData());
        QVERIFY2(d.error().message().contains(QLatin1String("the payload is not JSON")),
                 qPrintable(d.error().message()));
    }
    // Decoding does not validate: a message that does not fit is still shown.
    const auto d = codec->decode("{\"id\": 5}");
    QVERIFY(d.ok());
    QCOMPARE(*d, QByteArray("{\"id\": 5}"));
}

void TestJsonSchemaCodec::registryReferences()
{
    Schema address;
    address.format = SchemaFormat::JsonSchema;
    address.subject = QStringLiteral("address");
    address.version = 1;
    address.text = R"({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"},
        "geo": {"$ref": "geo.json#/definitions/point"}}})";
    address.references = {{QStringLiteral("geo.json"), QStringLiteral("geo"), 2}};
    Schema geo;
    geo.format = SchemaFormat::JsonSchema;
    geo.subject = QStringLiteral("geo");
    geo.version = 2;
    geo.text = R"({"definitions": {"point": {"type": "array", "items": {"type": "number"}, "minItems": 2}}})";
    const auto codec = compile(
        R"({"type": "object", "properties": {"ship": {"$ref": "address.json"}, "bill": {"$ref": "address.json"}}})",
        {geo, address}, {{QStringLiteral("address.json"), QStringLiteral("address"), 1}});
    QVERIFY(codec);
    QVERIFY(codec->validate(R"({"ship": {"city": "Oslo", "geo": [1.5, 2]}})").ok());
    Status s = codec->validate(R"({"ship": {"city": "Oslo", "geo": [1.5, "2"]}})");
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message(), QStringLiteral("line 1, column 40: $.ship.geo[1]: expected number, got a string"));
    s = codec->validate(R"({"bill": {"geo": [1, 2]}})");
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message(), QStringLiteral("line 1, column 10: $.bill: missing required property 'city'"));
    // The skeleton follows the references too.
    const QByteArray skeleton = codec->skeleton();
    QVERIFY2(codec->validate(skeleton).ok(), why(skeleton, codec->validate(skeleton)).constData());
    QVERIFY2(skeleton.contains("\"city\""), skeleton.constData());

    // A $ref to a name that is not among the references.
    ResolvedSchema missing;
    missing.schema.format = SchemaFormat::JsonSchema;
    missing.schema.text = R"({"properties": {"a": {"$ref": "nowhere.json"}}})";
    const auto c = JsonSchemaCodec::compile(missing);
    QVERIFY(!c.ok());
    QCOMPARE(c.error().message(),
             QStringLiteral("the schema: $ref 'nowhere.json' is neither in the schema nor one of its references (by "
                            "name)"));
}

void TestJsonSchemaCodec::absoluteIdReferences()
{
    // A "$id" on the root makes "$ref": "item.json" absolute: the reference is still found by its last segment.
    Schema item;
    item.format = SchemaFormat::JsonSchema;
    item.subject = QStringLiteral("item");
    item.version = 1;
    item.text = R"({"$id": "https://example.com/schemas/item.json", "type": "object",
        "properties": {"n": {"type": "integer"}}})";
    const auto codec = compile(R"({"$id": "https://example.com/schemas/list.json", "type": "array",
        "items": {"$ref": "item.json"}})",
                               {item}, {{QStringLiteral("item.json"), QStringLiteral("item"), 1}});
    QVERIFY(codec);
    QVERIFY(codec->validate(R"([{"n": 1}])").ok());
    const Status s = codec->validate(R"([{"n": 1}, {"n": 1.5}])");
    QVERIFY(!s.ok());
    QCOMPARE(s.error().field, QStringLiteral("$[1].n"));
}

void TestJsonSchemaCodec::compileErrors_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("{\n  \"type\": \"object\",\n  \"properties\": {,}}")
                              << QStringLiteral("line 3, column 18: the schema: unexpected character ',', expected a "
                                                "member name in double quotes");
    QTest::newRow("not an object") << QByteArray("[1]")
                                   << QStringLiteral("the schema: expected a JSON Schema (an object), got an array");
    QTest::newRow("bad keyword value")
        << QByteArray(R"({"type": "object", "minProperties": "two"})")
        << QStringLiteral("the schema: Expected a non-negative integer for 'minProperties' constraint.");
    QTest::newRow("$ref to itself") << QByteArray(R"({"$ref": "#"})")
                                    << QStringLiteral("the schema: $ref '#' leads in a circle of references to "
                                                      "references");
    QTest::newRow("$ref circle") << QByteArray(R"({"properties": {"a": {"$ref": "#/definitions/x"}},
        "definitions": {"x": {"$ref": "#/definitions/y"}, "y": {"$ref": "#/definitions/x"}}})")
                                 << QStringLiteral("the schema: $ref '#/definitions/x' leads in a circle of references "
                                                   "to references");
    QTest::newRow("too deep")
        << QByteArray(QByteArray(200, '[') + QByteArray(200, ']')).prepend("{\"enum\": ").append("}")
        << QStringLiteral("the schema: nested more than 128 levels deep");
    QTest::newRow("local $ref to nothing")
        << QByteArray(R"({"properties": {"a": {"$ref": "#/definitions/none"}}})") << QString();
}

void TestJsonSchemaCodec::compileErrors()
{
    QFETCH(QByteArray, schema);
    QFETCH(QString, message);
    ResolvedSchema resolved;
    resolved.schema.format = SchemaFormat::JsonSchema;
    resolved.schema.text = schema;
    const auto codec = JsonSchemaCodec::compile(resolved);
    QVERIFY(!codec.ok());
    if (message.isEmpty()) // valijson's words: only that it says something
        QVERIFY(codec.error().message().startsWith(QLatin1String("the schema: ")));
    else
        QCOMPARE(codec.error().message(), message);
}

void TestJsonSchemaCodec::draft4()
{
    const auto codec = compile(R"({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
        "properties": {"n": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                       "d": {"type": "string", "format": "date"}}})");
    QVERIFY(codec);
    QVERIFY(codec->validate(R"({"n": 1, "d": "2026-01-01"})").ok());
    QVERIFY(!codec->validate(R"({"n": 0})").ok());
    QVERIFY(!codec->validate(R"({"d": "2026-1-1"})").ok());
    for (int seed = 0; seed < 20; ++seed) {
        Random random(seed);
        const QByteArray v = codec->randomValue(random);
        QVERIFY2(codec->validate(v).ok(), why(v, codec->validate(v)).constData());
    }
}

void TestJsonSchemaCodec::skeletonValidates()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    const QByteArray skeleton = codec->skeleton();
    QVERIFY2(codec->validate(skeleton).ok(), why(skeleton, codec->validate(skeleton)).constData());
    const QJsonObject o = QJsonDocument::fromJson(skeleton).object();
    // Every property, in the schema's order, defaults where there are some.
    QCOMPARE(o.keys().size(), 8);
    QVERIFY2(skeleton.startsWith(R"({"id":"ORD-0000","status":"NEW","placed":")"), skeleton.constData());
    QCOMPARE(o.value(QLatin1String("note")).toString(), QStringLiteral("none"));
    QCOMPARE(o.value(QLatin1String("items")).toArray().size(), 1);
    QCOMPARE(o.value(QLatin1String("items")).toArray().at(0).toObject().value(QLatin1String("qty")).toInt(), 1);
    QCOMPARE(codec->skeleton(), skeleton); // no randomness in it
}

void TestJsonSchemaCodec::randomValuesValidate_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::newRow("order") << QByteArray(orderSchema);
    QTest::newRow("numbers") << QByteArray(R"({"type": "object", "required": ["a", "b", "c", "d"], "properties": {
        "a": {"type": "integer", "minimum": -5, "maximum": 5},
        "b": {"type": "integer", "exclusiveMinimum": 10, "multipleOf": 7},
        "c": {"type": "number", "maximum": -1.5},
        "d": {"type": "number", "minimum": 0.5, "maximum": 0.75}}})");
    QTest::newRow("compositions") << QByteArray(R"({"oneOf": [
        {"type": "object", "required": ["kind", "n"], "properties": {"kind": {"const": "num"}, "n": {"type": "integer"}}},
        {"type": "object", "required": ["kind", "s"], "properties": {"kind": {"const": "str"},
          "s": {"type": "string", "minLength": 3, "maxLength": 5}}}],
        "allOf": [{"properties": {"id": {"type": "string", "format": "uuid"}}, "required": ["id"]}]})");
    QTest::newRow("recursive") << QByteArray(R"({"$ref": "#/definitions/node", "definitions": {"node": {
        "type": "object", "required": ["v"], "properties": {"v": {"type": "integer"},
        "kids": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}}})");
    QTest::newRow("formats and patterns") << QByteArray(R"({"type": "array", "minItems": 2, "maxItems": 4, "items": {
        "type": "object", "required": ["t", "dt", "p", "q"], "properties": {"t": {"type": "string", "format": "time"},
        "dt": {"type": "string", "format": "date-time"}, "p": {"type": "string", "pattern": "^(ab|cd)+-[^0-9]\\d{2,3}$"},
        "q": {"type": "string", "pattern": "[A-F0-9]{8}\\.(json|avro)[.]?"}}}})");
}

void TestJsonSchemaCodec::randomValuesValidate()
{
    QFETCH(QByteArray, schema);
    const auto codec = compile(schema);
    QVERIFY(codec);
    for (int seed = 0; seed < 200; ++seed) {
        Random random(std::uint64_t(seed) * 7919);
        const QByteArray v = codec->randomValue(random);
        QVERIFY2(codec->validate(v).ok(), why(v, codec->validate(v)).constData());
    }
}

void TestJsonSchemaCodec::randomIsSeeded()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    Random a(42), b(42), c(43);
    const QByteArray first = codec->randomValue(a);
    QCOMPARE(codec->randomValue(b), first);
    QVERIFY(codec->randomValue(c) != first);
}

void TestJsonSchemaCodec::patternSamples_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("supported");
    QTest::newRow("literal") << QStringLiteral("^abc$") << true;
    QTest::newRow("classes") << QStringLiteral("^[A-Z]{3}-[0-9a-f]{2,4}_\\w+\\s\\d?$") << true;
    QTest::newRow("negated") << QStringLiteral("^[^a-z0-9]{5}$") << true;
    QTest::newRow("groups") << QStringLiteral("^(?:x|yz)*(foo|ba[rz]){2}$") << true;
    QTest::newRow("unanchored") << QStringLiteral("[0-9]+\\.[0-9]+") << true;
    QTest::newRow("escapes") << QStringLiteral("^\\x41\\.\\-\\[\\]\\t$") << true;
    QTest::newRow("open repeat") << QStringLiteral("^a{2,}b+c*$") << true;
    QTest::newRow("literal brace") << QStringLiteral("^a{x}$") << true;
    QTest::newRow("class with shorthand") << QStringLiteral("^[\\d_-]{4}$") << true;
    QTest::newRow("non-ASCII") << QStringLiteral("^[äö]ü+$") << true;
    QTest::newRow("look-ahead") << QStringLiteral("^(?=a)a$") << false;
    QTest::newRow("back-reference") << QStringLiteral("^(a)\\1$") << false;
    QTest::newRow("unclosed") << QStringLiteral("^(ab$") << false;
    QTest::newRow("nothing to repeat") << QStringLiteral("*a") << false;
}

void TestJsonSchemaCodec::patternSamples()
{
    QFETCH(QString, pattern);
    QFETCH(bool, supported);
    const std::string p = pattern.toStdString();
    const QRegularExpression re(pattern);
    QVERIFY(!supported || re.isValid());
    for (int seed = -1; seed < 50; ++seed) {
        Random random(std::uint64_t(seed + 1));
        const auto sample = sampleForPattern(p, seed < 0 ? nullptr : &random);
        QCOMPARE(sample.has_value(), supported);
        if (!sample)
            return;
        const QString s = QString::fromStdString(*sample);
        QVERIFY2(re.match(s).hasMatch(), qPrintable(pattern + QStringLiteral(" vs ") + s));
    }
}

void TestJsonSchemaCodec::patternUnicodeEscape()
{
    // \uXXXX is ECMAScript's (QRegularExpression, PCRE, has no such escape): compared by hand.
    QCOMPARE(sampleForPattern("^\\u00e9[\\u0100-\\u0100]$", nullptr), std::optional<std::string>("\u00e9\u0100"));
    QCOMPARE(sampleForPattern("\\ud800", nullptr), std::nullopt);
}

void TestJsonSchemaCodec::fractionalMultipleOf()
{
    // valijson alone refuses 100 as a multiple of 0.01; such a divisor is not checked rather than refuse good rows.
    const auto codec =
        compile(R"({"properties": {"p": {"type": "number", "multipleOf": 0.01}, "n": {"multipleOf": 5}}})");
    QVERIFY(codec);
    for (const char *row : {R"({"p": 100})", R"({"p": 6.05})", R"({"p": 0.07, "n": 15})"})
        QVERIFY2(codec->validate(row).ok(), row);
    const Status s = codec->validate(R"({"n": 7})");
    QVERIFY(!s.ok());
    QCOMPARE(s.error().field, QStringLiteral("$.n"));
}

void TestJsonSchemaCodec::quickCheckAgreesWithValijson_data()
{
    QTest::addColumn<QByteArray>("schema");
    QTest::addColumn<bool>("covered");
    QTest::newRow("flat") << QByteArray(R"({"type": "object", "required": ["id", "qty", "status"],
        "additionalProperties": false, "properties": {"id": {"type": "string", "pattern": "^o-[0-9]{2,4}$"},
        "qty": {"type": "integer", "minimum": 1, "exclusiveMaximum": 100}, "price": {"type": "number", "maximum": 1e6},
        "paid": {"type": "boolean"}, "note": {"type": ["string", "null"], "minLength": 2, "maxLength": 4},
        "status": {"enum": ["NEW", "PAID"]}, "kind": {"const": "order"}}})")
                          << true;
    QTest::newRow("nested and recursive") << QByteArray(R"({"$ref": "#/definitions/node", "definitions": {"node": {
        "type": "object", "required": ["v"], "properties": {"v": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "kids": {"type": "array", "items": {"$ref": "#/definitions/node"}}},
        "additionalProperties": {"type": "number"}}}})")
                                          << true;
    QTest::newRow("not covered: oneOf") << QByteArray(R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})")
                                        << false;
    QTest::newRow("not covered: date") << QByteArray(R"({"type": "string", "format": "date"})") << false;
    QTest::newRow("not covered: draft 4") << QByteArray(R"({"$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object", "properties": {"n": {"type": "integer"}}})")
                                          << false;
}

void TestJsonSchemaCodec::quickCheckAgreesWithValijson()
{
    QFETCH(QByteArray, schema);
    QFETCH(bool, covered);
    const auto codec = compile(schema);
    QVERIFY(codec);
    QCOMPARE(codec->hasQuickCheck(), covered);
    // Valid rows, and the same rows broken in small ways: the quick check first or valijson alone, the same verdict.
    const QList<QPair<QByteArray, QByteArray>> mutations = {{"true", "1"},        {"false", "null"},
                                                            {"1", "1.5"},         {"2", "\"2\""},
                                                            {"3", "1e400"},       {"4", "12345678901234567890"},
                                                            {"\"", "\"\\ud800"},  {"{", "{\"zz\":1,"},
                                                            {"\"o-", "\"x-"},     {"]", ",7]"},
                                                            {"[", "[[],"},        {"\"NEW\"", "\"OLD\""},
                                                            {"\"v\":", "\"w\":"}, {"\"id\":", "\"id\":1,\"id\":"}};
    int rows = 0, valid = 0;
    for (int seed = 0; seed < 150; ++seed) {
        Random random(std::uint64_t(seed) + 1000);
        const QByteArray base = codec->randomValue(random);
        QList<QByteArray> variants{base};
        for (const auto &[from, to] : mutations) {
            if (base.contains(from))
                variants.append(QByteArray(base).replace(base.indexOf(from), from.size(), to));
        }
        for (const QByteArray &row : variants) {
            const Status fast = codec->validate(row, true);
            const Status slow = codec->validate(row, false);
            QVERIFY2(fast.ok() == slow.ok(), QByteArray(why(row, fast) + " / valijson: " + why(row, slow)).constData());
            if (!fast.ok())
                QCOMPARE(fast.error().message(), slow.error().message());
            ++rows;
            valid += slow.ok();
        }
    }
    QVERIFY2(valid >= 100 && valid < rows, qPrintable(QStringLiteral("%1 of %2 valid").arg(valid).arg(rows)));
}

void TestJsonSchemaCodec::recordNameIsTheTitle()
{
    auto codec = compile(orderSchema);
    QVERIFY(codec);
    QCOMPARE(codec->recordName(), QStringLiteral("kbatch.Order"));
    codec = compile(R"({"type": "string"})");
    QVERIFY(codec);
    QCOMPARE(codec->recordName(), QString());
}

void TestJsonSchemaCodec::dispatch()
{
    ResolvedSchema resolved;
    resolved.schema.format = SchemaFormat::JsonSchema;
    resolved.schema.text = R"({"type": "integer"})";
    auto codec = compilePayloadCodec(resolved);
    QVERIFY2(codec.ok(), codec.ok() ? "" : qPrintable(codec.error().message()));
    QCOMPARE((*codec)->format(), SchemaFormat::JsonSchema);
    QByteArray out;
    QVERIFY((*codec)->encode(" 42 ", out).ok());
    QCOMPARE(out, QByteArray("42"));
    QCOMPARE((*codec)->messageIndexes(), QList<int>());
}

void TestJsonSchemaCodec::concurrentEncodes()
{
    const auto codec = compile(orderSchema);
    QVERIFY(codec);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            QByteArray out;
            for (int i = 0; i < 2000; ++i) {
                const QByteArray n = QByteArray::number((t * 2000 + i) % 10000).rightJustified(4, '0');
                const QByteArray row = R"({"id": "ORD-)" + n +
                                       R"(", "customer": {"email": "e"}, "items": [{"sku": )"
                                       R"("AB", "qty": )" +
                                       QByteArray::number(i % 2 ? i + 1 : -i) + "}]}";
                out.resize(0);
                const bool ok = codec->encode(row, out).ok();
                if (ok != (i % 2 == 1) || (ok && !out.contains(n)))
                    ++failures;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    QCOMPARE(failures.load(), 0);
}

QTEST_GUILESS_MAIN(TestJsonSchemaCodec)
#include "tst_jsonschemacodec.moc"

#pragma once

#include "IdlePool.h"

#include "PayloadCodec.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace kbatch::core {

struct JsonSchemaDocuments;
struct JsonSchemaWorker;

// PayloadCodec for JSON Schema (Confluent's "JSON" schema type): the payload is the UTF-8 JSON text itself.
//
// - Schemas: drafts 3, 4 and 7 by their "$schema" (valijson); a schema without "$schema", or naming draft 6, 2019-09
//   or 2020-12, is read as draft 7 (keywords new after draft 7 are then not checked). "$ref" resolves inside the
//   schema (JSON pointers, "definitions") and to the registry references by their name (the name as written in the
//   "$ref", or its last path segment once a "$id" made it absolute).
// - encode(): the row is checked to be JSON (JsonReader: line and column), validated, and written as the row's own
//   text made compact: whitespace dropped, member order, strings and numbers exactly as written (so a 20-digit
//   integer or 0.10 go out as typed, not as a double printed back). Errors name the JSON path, with the line and
//   column of the value at fault: "line 3, column 12: $.items[2].qty: expected integer, got a string".
// - Formats: "date", "time" and "date-time" are checked (valijson's); other formats are not checked. Neither is a
//   "multipleOf" with a fractional divisor (valijson's floating-point test refuses 100 as a multiple of 0.01).
// - decode(): the payload, checked to be one JSON value; not validated (a message that does not fit the schema is
//   still shown). encode(decode(p)) == p for every payload that is compact JSON, as encode() writes.
// - recordName(): the root schema's "title" (Confluent's record name strategies use it), else empty.
//
// Speed: rows of a schema that uses only common keywords are checked by JsonSchemaFast straight over the JSON
// tokens; valijson gives the verdict and the message only for the others and for rows that fail the quick check.
//
// Thread-safe: each encode() borrows a validator and buffers from a small pool (valijson's validator caches its
// compiled patterns and is not thread-safe).
class JsonSchemaCodec final : public PayloadCodec
{
public:
    // Errors: a schema or reference that is not JSON (with line and column), not an object or boolean, a "$ref" that
    // resolves to nothing, and valijson's own ("the schema: Expected ... for 'minItems'").
    static Result<std::shared_ptr<const JsonSchemaCodec>> compile(const ResolvedSchema &schema);
    ~JsonSchemaCodec() override;

    SchemaFormat format() const override { return SchemaFormat::JsonSchema; }
    Status encode(QByteArrayView json, QByteArray &out) const override;
    Result<QByteArray> decode(QByteArrayView payload) const override;
    // Every property (required or not), each at its "default", "const", first "enum" value, or a placeholder of its
    // type that fits its bounds, format and pattern where it can.
    QByteArray skeleton() const override;
    // A value that validates, drawn from the schema; tried up to a few times. What it cannot satisfy by
    // construction ("not", "if"/"then", "dependencies", "uniqueItems", "contains", patterns with look-arounds or
    // back-references) it may miss: the result is then the last try, which encode() refuses with the reason.
    QByteArray randomValue(Random &random) const override;
    QString recordName() const override;

    // Validates without writing anything; the same errors as encode(). `quickCheck` false: valijson for every row,
    // without JsonSchemaFast's quick check first (for the tests that compare the two).
    Status validate(QByteArrayView json, bool quickCheck = true) const;
    // Whether the schema is one that JsonSchemaFast covers.
    bool hasQuickCheck() const;

private:
    explicit JsonSchemaCodec(std::shared_ptr<const JsonSchemaDocuments> documents);
    std::unique_ptr<JsonSchemaWorker> takeWorker() const;
    void giveBack(std::unique_ptr<JsonSchemaWorker> worker) const;
    Status check(QByteArrayView json, JsonSchemaWorker &worker, bool quickCheck) const;

    std::shared_ptr<const JsonSchemaDocuments> m_documents;
    IdlePool<JsonSchemaWorker> m_idle; // for encode() and the like on any thread
};

} // namespace kbatch::core

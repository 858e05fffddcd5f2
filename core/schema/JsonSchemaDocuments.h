#pragma once

// The parts of a compiled JSON Schema that JsonSchemaCodec and JsonSchemaSamples share. Internal to core/schema:
// it pulls in nlohmann-json and valijson, which no public header does.

#include "JsonSchemaFast.h"
#include "Schema.h"
#include "core/model/Error.h"

#include <nlohmann/json.hpp>
#include <valijson/schema.hpp>

#include <QString>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kbatch::core {

// NOLINTNEXTLINE(bugprone-exception-escape): the path is inside valijson::Schema's destructor (a header we do not own)
struct JsonSchemaDocuments
{
    // Reads the schema and its references, checks them (JSON, objects, no $ref circles, not too deep) and compiles
    // them with valijson. Errors: JsonSchemaCodec::compile()'s.
    static Result<std::shared_ptr<const JsonSchemaDocuments>> load(const ResolvedSchema &resolved);

    // The root schema and the referenced ones as written, member order kept: what skeletons and random values and
    // error messages read ("format" included).
    nlohmann::ordered_json root;
    std::vector<nlohmann::ordered_json> referenced;
    // Reference names (as the registry lists them) and "$id"s to an index in `referenced`.
    std::map<std::string, std::size_t> names;
    // What valijson compiled (from copies in which every "format" applies to strings only: see JsonSchemaCodec.cpp).
    std::unique_ptr<valijson::Schema> schema;
    QString title;
    // The quick check of common schemas (null when the schema needs valijson for every row).
    std::unique_ptr<JsonSchemaFast> fast;

    // The referenced document that `uri` (a "$ref" without its fragment) names: by name or "$id", or by the last
    // path segment of either (a "$id" on the referring schema makes a relative "$ref" absolute); null when none.
    const nlohmann::ordered_json *document(const std::string &uri) const;
    // The schema a "$ref" in `base` points to (a JSON pointer in `base`, or another document and a pointer in it),
    // with the document it is in; null when it points nowhere.
    const nlohmann::ordered_json *follow(const std::string &ref, const nlohmann::ordered_json *&base) const;
    // `node` with its "$ref"s followed (a few levels at most: a loop of references ends as null).
    const nlohmann::ordered_json *resolve(const nlohmann::ordered_json *node,
                                          const nlohmann::ordered_json *&base) const;
};

} // namespace kbatch::core

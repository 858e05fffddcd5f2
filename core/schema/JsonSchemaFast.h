#pragma once

#include <QByteArrayView>

#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace kbatch::core {

struct JsonSchemaDocuments;
class JsonReader;

// A quick check of rows against a draft 7 schema that uses only common keywords, straight over the row's JSON
// tokens with no document built: valijson over a nlohmann document costs about 5 us a row, this well under 1.
//
// It only ever says "valid" when valijson would: anything it is not sure of (a keyword it does not know, a
// duplicate member, a number near the limits of a double, an enum of non-strings) makes compile() give nothing or
// accepts() say false, and the caller then asks valijson, which has the last word and the error message.
// Keywords: type, properties, required, additionalProperties, items (one schema), minItems, maxItems, minLength,
// maxLength, minimum, maximum, exclusiveMinimum, exclusiveMaximum (numbers), enum and const (strings), pattern,
// $ref (inside the schema), and the annotations; "format" only where valijson does not check it.
//
// Immutable after compile(); accepts() may run on any number of threads (each with its own reader).
class JsonSchemaFast
{
public:
    struct Node;

    // Null when the schema uses anything the quick check does not cover.
    static std::unique_ptr<JsonSchemaFast> compile(const JsonSchemaDocuments &documents);
    ~JsonSchemaFast();

    // True only when `compactRow` (one JSON value, already checked to be JSON) is valid; false when it is not, or
    // when this check is not sure.
    bool accepts(QByteArrayView compactRow, JsonReader &reader) const;

private:
    JsonSchemaFast() = default;
    std::vector<std::unique_ptr<Node>> m_nodes;
    const Node *m_root = nullptr;
};

} // namespace kbatch::core

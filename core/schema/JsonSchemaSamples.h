#pragma once

#include <QByteArray>

#include <optional>
#include <string>
#include <string_view>

namespace kbatch::core {

struct JsonSchemaDocuments;
class Random;

// New rows for a JSON Schema (JsonSchemaCodec::skeleton() and randomValue()). Both follow "$ref", "allOf" (merged),
// "anyOf"/"oneOf" (the first branch, or a random one), "type" (or the type the keywords imply), "default", "const",
// "enum", bounds, "multipleOf", "minItems"/"maxItems", "minLength"/"maxLength", "format" (date, time, date-time,
// email, uuid, uri, hostname, ipv4, ipv6) and "pattern" (sampleForPattern). Past a depth of 12 a recursive schema
// gets null. Any thread.
QByteArray jsonSchemaSkeleton(const JsonSchemaDocuments &documents);
QByteArray jsonSchemaRandom(const JsonSchemaDocuments &documents, Random &random);

// A UTF-8 string that the ECMAScript regular expression `pattern` matches: the shortest choice everywhere without
// `random`, random choices with it. Takes literals, escapes (\d \w \s \D \W \S \b \uXXXX \xHH), classes with ranges
// and negation, '.', groups ((...), (?:...)), alternation, the quantifiers ? * + {n} {n,} {n,m} (lazy or not) and
// the anchors ^ and $; nullopt for anything else (look-arounds, back-references, named groups, a malformed pattern).
std::optional<std::string> sampleForPattern(std::string_view pattern, Random *random);

} // namespace kbatch::core

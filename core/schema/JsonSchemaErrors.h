#pragma once

// Internal to core/schema (JsonSchemaCodec): the messages for rows and schemas that do not fit.

#include "core/model/Error.h"

#include <nlohmann/json.hpp>

#include <QByteArrayView>
#include <QString>

#include <string>
#include <vector>

namespace kbatch::core {

struct JsonSchemaDocuments;

// "an object", "a string", "an integer", ... for messages.
QString describeJson(const nlohmann::json &v);

// One of valijson's errors (its context, "<root>", "[items]", "[2]", and description) for the row `json` that `doc`
// was parsed from: "line 3, column 12: $.items[2].qty: expected integer, got a string".
Error jsonSchemaFailure(const JsonSchemaDocuments &documents, const std::vector<std::string> &context,
                        const std::string &description, const nlohmann::json &doc, QByteArrayView json);

} // namespace kbatch::core

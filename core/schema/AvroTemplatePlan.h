#pragma once

#include "SchemaResolver.h"
#include "core/generate/Generator.h"

namespace kbatch::core {

// A generator row's Avro part written straight from its template (issue 15's send speed): the expander would write
// each message's JSON text only for AvroJsonEncoder to parse it again. For the common template, a record whose
// placeholders all sit inside plain string fields ({"id":"e-{{seq}}","kind":"click","count":42}), every other field
// is the same in every message: the plan keeps those fields' bytes, encoded once by the codec itself, and per
// message expands only the string fields and writes their length and bytes between them.
//
// A template is planned only when the plan cannot differ from the codec, and no message of it can be refused:
//  - the root is a record and the template a JSON object of it, every placeholder inside a member's string value;
//  - such a field is a string (no logical type), or a union whose only branch taking a JSON string is a string;
//  - the template with those strings empty encodes (AvroCodec), and three messages through the plan give the codec's
//    bytes for the same expansions, drawing as much from the random stream.
// Anything else (placeholders outside strings, in a number field or a name, tagged unions around them, a backslash
// anywhere in the template, a row that does not fit) gets no plan and goes the usual way, with its usual errors.
//
// Returns an empty planner for a codec that is not Avro. The planner and its writers keep the codec alive; any thread.
PartPlanner avroTemplatePlanner(const ResolvedCodec &codec);

} // namespace kbatch::core

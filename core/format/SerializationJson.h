#pragma once

#include "JsonContext.h"
#include "core/model/SerializerSettings.h"

#include <QByteArray>

namespace kbatch::core {

// Internal to core/format: a template's "serialization" member (version 2), read and written.
//
//   "serialization": {
//     "key": {"kind": "bytes"},
//     "value": {"kind": "avro", "subjectStrategy": "topicName", "version": "latest", "autoRegister": false}
//   }
//
// Each part may also carry "subject" (instead of the strategy's), "recordName" (the record name strategies with a
// registry schema) and "schema" (a local schema's text, kept byte for byte: registries give ids to exact texts).
// A "protobuf" part may carry "messageType" (its full name; default: the schema's first message) and, to send
// without a registry (unframed), "protoPaths" (.proto files and import directories) or "descriptorSet" (a file made
// by protoc --descriptor_set_out); relative paths are relative to the template's directory and kept as written.
// Nothing in it names a host: the registry comes from the connection profile or the command line only.

// Reads the object at the reader's position into `out`. Errors name the path and what is accepted; names from the
// file are quoted through quotedName().
bool readSerialization(JsonContext &ctx, Serialization &out);

// Appends the object, `level` levels deep (two spaces each), in a stable layout: one line per part.
void writeSerialization(QByteArray &out, const Serialization &serialization, int level);

} // namespace kbatch::core

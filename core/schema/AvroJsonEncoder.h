#pragma once

#include "AvroHandles.h"
#include "AvroSchema.h"
#include "core/format/JsonReader.h"
#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <vector>

namespace kbatch::core {

// Reads one JSON value, streaming, straight into a reused avro-c value and writes its Avro binary encoding. avro-c
// has no JSON reader of its own (its JSON support only writes), and the Avro JSON encoding alone is too strict for
// people typing rows: this walk takes both forms of unions and text forms of logical types (see AvroLogical.h).
//
// What it accepts, per type:
//  null, boolean, string        the JSON value of that kind; strings are checked UTF-8 (a uuid's form is checked)
//  int, long                    a whole JSON number in range ("1.0" and "1e3" are not whole numbers here)
//  float, double                a JSON number, or "NaN", "Infinity", "-Infinity" (Avro's JSON for them)
//  bytes, fixed                 a string whose characters U+0000..U+00FF are the bytes (Avro's JSON encoding);
//                               a fixed takes exactly its size
//  enum                         a string naming one of its symbols
//  array, map                   a JSON array; a JSON object (keys must not contain U+0000: avro-c keys are C strings)
//  record                       a JSON object: each field once; unknown fields are errors; missing fields take their
//                               default, and without one are errors
//  union                        plain: the value itself, taken by the first branch it fits; an error when no branch
//                               fits, or when it fits two named types or a map and a record (write it tagged).
//                               Tagged (Avro JSON): {"<branch name>": value}, the branch named as
//                               AvroNode::branchName() says. An object of one member named after a branch is
//                               read as tagged.
//  logical types                see AvroLogical.h
//
// Errors name the JSON path, what was expected and what was found, and the line and column in the JSON text:
// "line 1, column 23: $.items[2].qty: expected int, got a string".
//
// Not thread-safe: one instance per thread (AvroCodec keeps a pool).
class AvroJsonEncoder
{
public:
    explicit AvroJsonEncoder(std::shared_ptr<const AvroSchema> schema);
    ~AvroJsonEncoder();
    AvroJsonEncoder(const AvroJsonEncoder &) = delete;
    AvroJsonEncoder &operator=(const AvroJsonEncoder &) = delete;

    // False when avro-c could not make a value or a writer (out of memory).
    bool isValid() const { return !m_value.isNull() && m_writer; }

    // Appends the Avro binary encoding of `json` (one JSON value) to `out`. On error `out` is as it was.
    Status encode(QByteArrayView json, QByteArray &out);
    // Whether `json` fits `node` as a field default (unions take their first branch, as defaults must). No output.
    Status checkDefault(const AvroNode &node, QByteArrayView json);

private:
    struct PathSegment
    {
        const QByteArray *field = nullptr; // a record field
        qint64 index = -1;                 // an array element
        QByteArray key;                    // a map key (when field is null and index is -1)
    };
    struct Failure
    {
        bool failed = false;
        QString text;
        QString path;
        int line = 0;
        int column = 0;
        qsizetype offset = 0; // how far the reader got: the most promising branch of a union failed furthest
    };

    bool write(const AvroNode &node, avro_value_t *value);
    bool writeRecord(const AvroNode &node, avro_value_t *value);
    bool writeArray(const AvroNode &node, avro_value_t *value);
    bool writeMap(const AvroNode &node, avro_value_t *value);
    bool writeUnion(const AvroNode &node, avro_value_t *value);
    bool writeBranch(const AvroNode &node, int branch, avro_value_t *value);
    bool writeDefault(const AvroNode::Field &field, avro_value_t *value);
    bool writeInteger(const AvroNode &node, avro_value_t *value);
    bool writeFloating(const AvroNode &node, avro_value_t *value);
    bool writeBytesLike(const AvroNode &node, avro_value_t *value);
    bool writeString(const AvroNode &node, avro_value_t *value);
    bool writeEnum(const AvroNode &node, avro_value_t *value);
    // A validating walk of the next value as `node`, without writing; the reader is back where it was afterwards.
    bool fits(const AvroNode &node, Failure *failure = nullptr);
    // The branch a tagged union value names, or -1 when the next value is not tagged for this union.
    int taggedBranch(const AvroNode &node);

    bool fail(const JsonReader::Mark &at, const QString &text);
    bool mismatch(const AvroNode &node, JsonReader::Kind got);
    bool readerFailed();
    bool avroFailed(int code);
    QString pathText() const;
    Error takeError(); // the failure's texts move into the error
    void pushField(const QByteArray *name);
    void pushIndex(qint64 index);
    void pushKey(QByteArrayView key);
    void pop() { --m_depth; }

    std::shared_ptr<const AvroSchema> m_schema;
    AvroValue m_value;
    AvroWriterRef m_writer;
    JsonReader m_reader;
    JsonReader *m_in = &m_reader; // the document, or a field default being written
    QByteArray m_scratch;         // string views with escapes
    QByteArray m_text;            // a NUL-terminated copy for avro-c
    QByteArray m_bytes;           // bytes, fixed and decimal values
    std::vector<PathSegment> m_path;
    std::size_t m_depth = 0;          // segments in use in m_path
    std::vector<std::uint8_t> m_seen; // per open record, one flag per field
    Failure m_failure;
    qint64 m_bound = 0;         // an upper bound of the encoded size, so that avro-c's writer never runs short
    bool m_defaultMode = false; // unions take their first branch
    int m_level = 0;            // nesting of write() calls
};

} // namespace kbatch::core

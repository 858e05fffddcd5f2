#pragma once

// RAII for avro-c's reference-counted objects, and the lock around avro-c's error text. Only core/schema's Avro
// sources include this (it includes avro.h).

#include <avro.h>

#include <QString>

#include <memory>
#include <mutex>
#include <type_traits>

namespace kbatch::core {

struct AvroSchemaRelease
{
    void operator()(avro_schema_t schema) const { avro_schema_decref(schema); }
};
// One reference to a schema; avro-c's constructors return a new reference, and containers take their own.
using AvroSchemaRef = std::unique_ptr<std::remove_pointer_t<avro_schema_t>, AvroSchemaRelease>;

struct AvroClassRelease
{
    void operator()(avro_value_iface_t *iface) const { avro_value_iface_decref(iface); }
};
using AvroClassRef = std::unique_ptr<avro_value_iface_t, AvroClassRelease>;

struct AvroWriterRelease
{
    void operator()(avro_writer_t writer) const { avro_writer_free(writer); }
};
using AvroWriterRef = std::unique_ptr<std::remove_pointer_t<avro_writer_t>, AvroWriterRelease>;

struct AvroReaderRelease
{
    void operator()(avro_reader_t reader) const { avro_reader_free(reader); }
};
using AvroReaderRef = std::unique_ptr<std::remove_pointer_t<avro_reader_t>, AvroReaderRelease>;

// An avro_value_t that owns its reference (avro_generic_value_new's).
class AvroValue
{
public:
    AvroValue() = default;
    AvroValue(const AvroValue &) = delete;
    AvroValue &operator=(const AvroValue &) = delete;
    ~AvroValue() { reset(); }
    // Makes a new value of `iface`'s class; false (and no value) on failure.
    bool create(avro_value_iface_t *iface)
    {
        reset();
        if (avro_generic_value_new(iface, &m_value) != 0) {
            m_value = {};
            return false;
        }
        return true;
    }
    void reset()
    {
        if (m_value.self)
            avro_value_decref(&m_value);
        m_value = {};
    }
    bool isNull() const { return m_value.self == nullptr; }
    avro_value_t *get() { return &m_value; }

private:
    avro_value_t m_value{};
};

// avro-c keeps the text of its last error in one buffer for the whole process: Debian builds it without THREADSAFE,
// which would make that buffer per thread. Every avro-c call that may set an error, and the reading of that error,
// runs under this lock. Encoding never needs it: the walk checks every value before avro-c sees it and sizes the
// output so that avro-c's writer cannot run out of room.
std::unique_lock<std::mutex> lockAvroErrors();
// avro-c's last error text (call with the lock held); "unknown error" when empty.
QString avroErrorText();

} // namespace kbatch::core

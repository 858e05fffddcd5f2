// Encoding rows for a Schema Registry framed topic: 1,000,000 rows of a 10-field Avro record (strings, int, long,
// doubles, boolean, a nullable union, an enum) from each row's JSON text to framed bytes, on one thread.
// Target: at least 1,000,000 rows/s. Run by hand in Release: build/release/bench/bench_schema [rows] [part], part
// being all (the default), encode, reader or avro (one measure alone, e.g. under perf).
//
// Besides the whole path it times its parts, to show where the time goes: the JSON reader alone (walking every
// token of every row), and avro-c's own work (resetting a value, setting its ten fields, writing it), measured
// without KBatch's walk.

#include "core/format/JsonReader.h"
#include "core/generate/Random.h"
#include "core/schema/AvroCodec.h"
#include "core/schema/AvroSchema.h"

#include <avro.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <vector>

using namespace kbatch::core;

namespace {

const char schemaText[] = R"({"type": "record", "name": "Order", "namespace": "bench", "fields": [
  {"name": "id", "type": "string"},
  {"name": "customer", "type": "string"},
  {"name": "qty", "type": "int"},
  {"name": "seq", "type": "long"},
  {"name": "price", "type": "double"},
  {"name": "paid", "type": "boolean"},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED", "CANCELLED"]}},
  {"name": "region", "type": "string"},
  {"name": "score", "type": "double"}
]})";

const char *const statuses[] = {"NEW", "PAID", "SHIPPED", "CANCELLED"};
const char *const regions[] = {"eu-west-1", "us-east-1", "ap-south-1"};

QByteArray row(qsizetype i, Random &random)
{
    QByteArray r = R"({"id":"order-)" + QByteArray::number(i).rightJustified(8, '0') + R"(","customer":"customer-)" +
                   QByteArray::number(random.below(100000)) + R"(","qty":)" + QByteArray::number(random.below(50) + 1) +
                   R"(,"seq":)" + QByteArray::number(qint64(1767225600000) + i) + R"(,"price":)" +
                   QByteArray::number(double(random.below(100000)) / 100.0) + R"(,"paid":)" +
                   (random.below(2) ? "true" : "false") + R"(,"note":)" +
                   (random.below(3) == 0 ? QByteArray("null") : QByteArray(R"("gift wrap, please")")) +
                   R"(,"status":")" + statuses[random.below(4)] + R"(","region":")" + regions[random.below(3)] +
                   R"(","score":)" + QByteArray::number(double(random.below(1000)) / 1000.0) + "}";
    return r;
}

void report(const char *what, qsizetype rows, qint64 ns, const char *extra = "")
{
    std::printf("%-40s rows=%lld ms=%.0f rows_per_s=%.0f ns_per_row=%.0f%s\n", what, qlonglong(rows), double(ns) / 1e6,
                double(rows) * 1e9 / double(std::max<qint64>(ns, 1)), double(ns) / double(rows), extra);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qsizetype rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    const QByteArray part = argc > 2 ? QByteArray(argv[2]) : QByteArray("all");
    const auto runs = [&part](const char *name) { return part == "all" || part == name; };

    ResolvedSchema resolved;
    resolved.schema.text = schemaText;
    auto codec = AvroCodec::compile(resolved);
    if (!codec)
        qFatal("schema: %s", qPrintable(codec.error().message()));

    Random random(42);
    std::vector<QByteArray> json;
    json.reserve(std::size_t(rows));
    qint64 jsonBytes = 0;
    for (qsizetype i = 0; i < rows; ++i) {
        json.push_back(row(i, random));
        jsonBytes += json.back().size();
    }
    std::printf("%lld rows, %.1f bytes of JSON per row\n", qlonglong(rows), double(jsonBytes) / double(rows));

    // The whole path, three times (the first warms the caches and the encoder pool).
    QByteArray arena;
    std::vector<qsizetype> ends;
    ends.reserve(std::size_t(rows));
    for (int round = 0; round < 3 && runs("encode"); ++round) {
        arena.resize(0);
        arena.reserve(jsonBytes);
        ends.clear();
        QElapsedTimer t;
        t.start();
        for (const QByteArray &r : json) {
            const Status s = (*codec)->encodeFramed(7, r, arena);
            if (!s)
                qFatal("encode: %s", qPrintable(s.error().message()));
            ends.push_back(arena.size());
        }
        const qint64 ns = t.nsecsElapsed();
        char extra[64];
        std::snprintf(extra, sizeof extra, "  (%.1f framed bytes per row)", double(arena.size()) / double(rows));
        report(round == 0 ? "JSON to framed Avro (first round)" : "JSON to framed Avro", rows, ns, extra);
    }

    // The JSON reader alone: every token of every row, no Avro.
    if (runs("reader")) {
        JsonReader reader{QByteArrayView()};
        QByteArray scratch;
        QElapsedTimer t;
        t.start();
        qsizetype members = 0;
        for (const QByteArray &r : json) {
            reader.reset(r);
            reader.beginObject();
            QByteArrayView name;
            while (reader.nextMemberView(name, scratch)) {
                ++members;
                reader.skipValue();
            }
        }
        report("part: JSON reader only", rows, t.nsecsElapsed(), members == rows * 10 ? "" : "  (MEMBER COUNT WRONG)");
    }

    // avro-c alone: reset the value, set the ten fields, write it; the values KBatch's walk would set.
    if (runs("avro")) {
        avro_value_t value;
        avro_generic_value_new((*codec)->schema().valueClass(), &value);
        static char buffer[256];
        avro_writer_t writer = avro_writer_memory(buffer, sizeof buffer);
        QElapsedTimer t;
        t.start();
        for (qsizetype i = 0; i < rows; ++i) {
            avro_value_reset(&value);
            avro_value_t field, branch;
            avro_value_get_by_index(&value, 0, &field, nullptr);
            avro_value_set_string_len(&field, "order-00000001", 15);
            avro_value_get_by_index(&value, 1, &field, nullptr);
            avro_value_set_string_len(&field, "customer-12345", 15);
            avro_value_get_by_index(&value, 2, &field, nullptr);
            avro_value_set_int(&field, 3);
            avro_value_get_by_index(&value, 3, &field, nullptr);
            avro_value_set_long(&field, 1767225600000 + i);
            avro_value_get_by_index(&value, 4, &field, nullptr);
            avro_value_set_double(&field, 12.5);
            avro_value_get_by_index(&value, 5, &field, nullptr);
            avro_value_set_boolean(&field, 1);
            avro_value_get_by_index(&value, 6, &field, nullptr);
            avro_value_set_branch(&field, 1, &branch);
            avro_value_set_string_len(&branch, "gift wrap, please", 18);
            avro_value_get_by_index(&value, 7, &field, nullptr);
            avro_value_set_enum(&field, 1);
            avro_value_get_by_index(&value, 8, &field, nullptr);
            avro_value_set_string_len(&field, "eu-west-1", 10);
            avro_value_get_by_index(&value, 9, &field, nullptr);
            avro_value_set_double(&field, 0.5);
            avro_writer_memory_set_dest(writer, buffer, sizeof buffer);
            avro_value_write(writer, &value);
        }
        const qint64 setAndWrite = t.nsecsElapsed();
        report("part: avro-c reset + set 10 fields + write", rows, setAndWrite);
        t.restart();
        for (qsizetype i = 0; i < rows; ++i) {
            avro_writer_memory_set_dest(writer, buffer, sizeof buffer);
            avro_value_write(writer, &value);
        }
        report("part: avro-c write only", rows, t.nsecsElapsed());
        avro_writer_free(writer);
        avro_value_decref(&value);
    }
    return 0;
}

// Time to load, save and import 1,000,000 rows, to expand a generator row into 1,000,000 messages, to encode
// 1,000,000 JSON rows of a 10-field Protobuf message into framed payloads, and to validate and encode 1,000,000 JSON
// Schema rows (a 10-field object with required members, a pattern, an enum and bounds) into framed bytes on one
// thread (target: 500,000 rows/s).
// Run by hand in Release: build/release/bench/bench_formats [rows] [--only protobuf,jsonschema] [--dump DIR].
// Prints one line per measure. --only runs just the named measures (protobuf, jsonschema), as
// bench/serializer_peers.sh does in each round; --dump writes those two cases' schemas and rows to DIR and exits, so
// a peer in another language encodes the very same rows.

#include "core/format/Importers.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/generate/Generator.h"
#include "core/generate/Random.h"
#include "core/schema/JsonSchemaCodec.h"
#include "core/schema/ProtobufCodec.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <vector>

using namespace kbatch::core;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

template <typename F> void measure(const char *what, qsizetype rows, F &&f)
{
    QElapsedTimer t;
    t.start();
    const qsizetype got = f();
    const qint64 ms = t.elapsed();
    std::printf("%-28s rows=%lld ms=%lld rows_per_s=%.0f%s\n", what, qlonglong(got), qlonglong(ms),
                double(got) * 1000.0 / double(std::max<qint64>(ms, 1)), got == rows ? "" : "  (ROW COUNT WRONG)");
}

// Protobuf (issue 16): 10 fields of the usual kinds (strings, ints, a double, a bool, an enum, a Timestamp, a
// repeated string), typed as the JSON mapping, each row encoded and framed as kbatch-cli does it.
const char protobufSchemaText[] = R"(syntax = "proto3";
package bench;
import "google/protobuf/timestamp.proto";
enum Status { NEW = 0; PAID = 1; SHIPPED = 2; }
message Order {
  string id = 1; string customer = 2; int32 qty = 3; int64 total_cents = 4; double price = 5; bool gift = 6;
  Status status = 7; google.protobuf.Timestamp created = 8; repeated string tags = 9; string note = 10;
})";

std::vector<QByteArray> protobufRows(qsizetype rows)
{
    std::vector<QByteArray> json;
    json.reserve(std::size_t(rows));
    for (qsizetype i = 0; i < rows; ++i) {
        const QByteArray n = QByteArray::number(i);
        json.push_back(R"({"id":"order-)" + n + R"(","customer":"customer-12345","qty":)" +
                       QByteArray::number(i % 100) + R"(,"total_cents":")" + n + R"(00","price":12.5,"gift":)" +
                       (i % 2 ? "true" : "false") +
                       R"(,"status":"PAID","created":"2024-05-01T10:00:00Z","tags":["a","b"],"note":"leave at door"})");
    }
    return json;
}

void benchProtobuf(qsizetype rows)
{
    ResolvedSchema schema;
    schema.schema.format = SchemaFormat::Protobuf;
    schema.schema.subject = QStringLiteral("bench-value");
    schema.schema.text = protobufSchemaText;
    auto codec = compilePayloadCodec(schema, QStringLiteral("bench.Order"));
    if (!codec)
        qFatal("the bench schema does not compile: %s", qPrintable(codec.error().message()));
    const std::vector<QByteArray> json = protobufRows(rows);
    QByteArray out;
    qint64 bytes = 0;
    // Wall time as the other measures, and the CPU time too: on a shared machine the wall time says more about the
    // neighbours than about the encoder.
    const std::clock_t cpuStart = std::clock();
    measure("encode Protobuf (10 fields)", rows, [&] {
        qsizetype ok = 0;
        for (const QByteArray &row : json) {
            out.resize(0);
            if ((*codec)->encodeFramed(1, row, out).ok())
                ++ok;
            bytes += out.size();
        }
        return ok;
    });
    const double cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    std::printf("%-28s cpu_ms=%.0f rows_per_cpu_s=%.0f bytes_per_row=%.1f\n", "", cpuSeconds * 1000,
                double(rows) / std::max(cpuSeconds, 1e-9), double(bytes) / double(std::max<qsizetype>(rows, 1)));
}

const char jsonSchemaText[] = R"({"$schema": "http://json-schema.org/draft-07/schema#", "title": "bench.Order",
  "type": "object", "required": ["id", "customer", "qty", "seq", "price", "paid", "status", "region"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "pattern": "^order-[0-9]{8}$"},
    "customer": {"type": "string", "minLength": 1},
    "qty": {"type": "integer", "minimum": 1, "maximum": 1000},
    "seq": {"type": "integer"},
    "price": {"type": "number", "minimum": 0},
    "paid": {"type": "boolean"},
    "note": {"type": ["string", "null"]},
    "status": {"enum": ["NEW", "PAID", "SHIPPED", "CANCELLED"]},
    "region": {"type": "string"},
    "score": {"type": "number"}
  }})";

std::vector<QByteArray> jsonSchemaRows(qsizetype rows)
{
    static const char *const statuses[] = {"NEW", "PAID", "SHIPPED", "CANCELLED"};
    static const char *const regions[] = {"eu-west-1", "us-east-1", "ap-south-1"};
    Random random(42);
    std::vector<QByteArray> json;
    json.reserve(std::size_t(rows));
    for (qsizetype i = 0; i < rows; ++i) {
        json.push_back(R"({"id":"order-)" + QByteArray::number(i % 100000000).rightJustified(8, '0') +
                       R"(","customer":"customer-)" + QByteArray::number(random.below(100000)) + R"(","qty":)" +
                       QByteArray::number(random.below(50) + 1) + R"(,"seq":)" +
                       QByteArray::number(qint64(1767225600000) + i) + R"(,"price":)" +
                       QByteArray::number(double(random.below(100000)) / 100.0) + R"(,"paid":)" +
                       (random.below(2) ? "true" : "false") + R"(,"note":)" +
                       (random.below(3) == 0 ? QByteArray("null") : QByteArray(R"("gift wrap, please")")) +
                       R"(,"status":")" + statuses[random.below(4)] + R"(","region":")" + regions[random.below(3)] +
                       R"(","score":)" + QByteArray::number(double(random.below(1000)) / 1000.0) + "}");
    }
    return json;
}

// 1,000,000 JSON Schema rows validated and framed, one thread; the rows are made before the clock starts.
void measureJsonSchema(qsizetype rows)
{
    ResolvedSchema resolved;
    resolved.schema.format = SchemaFormat::JsonSchema;
    resolved.schema.text = jsonSchemaText;
    auto codec = JsonSchemaCodec::compile(resolved);
    if (!codec)
        qFatal("schema: %s", qPrintable(codec.error().message()));
    const std::vector<QByteArray> json = jsonSchemaRows(rows);
    QByteArray out;
    // The thread's CPU time besides the wall clock: on a shared machine the wall clock counts other processes' turns.
    timespec cpuStart{}, cpuEnd{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart);
    measure("validate+encode JSON Schema", rows, [&] {
        qsizetype ok = 0;
        for (const QByteArray &row : json) {
            out.resize(0);
            ok += (*codec)->encodeFramed(7, row, out).ok() ? 1 : 0;
        }
        return ok;
    });
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuEnd);
    const double cpuNs = double(cpuEnd.tv_sec - cpuStart.tv_sec) * 1e9 + double(cpuEnd.tv_nsec - cpuStart.tv_nsec);
    std::printf("%-28s rows=%lld cpu_ms=%.0f rows_per_cpu_s=%.0f ns_per_row=%.0f\n", "  (its CPU time)",
                qlonglong(rows), cpuNs / 1e6, double(rows) * 1e9 / std::max(cpuNs, 1.0), cpuNs / double(rows));
}

// The two cases' schemas and rows, one row a line, for a peer that must encode exactly what KBatch encodes.
void dumpCases(const QString &dir, qsizetype rows)
{
    const auto lines = [](const std::vector<QByteArray> &json) {
        QByteArray all;
        for (const QByteArray &row : json)
            all += row + '\n';
        return all;
    };
    writeFile(dir + QStringLiteral("/order.proto"), protobufSchemaText);
    writeFile(dir + QStringLiteral("/protobuf.jsonl"), lines(protobufRows(rows)));
    writeFile(dir + QStringLiteral("/order.schema.json"), jsonSchemaText);
    writeFile(dir + QStringLiteral("/jsonschema.jsonl"), lines(jsonSchemaRows(rows)));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    qsizetype rows = 1'000'000;
    QStringList only;
    QString dumpDir;
    const QStringList args = QCoreApplication::arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--only") && i + 1 < args.size())
            only = args[++i].split(QLatin1Char(','));
        else if (args[i] == QLatin1String("--dump") && i + 1 < args.size())
            dumpDir = args[++i];
        else {
            bool ok = false;
            rows = args[i].toLongLong(&ok);
            if (!ok || rows < 1)
                qFatal("usage: bench_formats [rows] [--only protobuf,jsonschema] [--dump DIR]; not understood: %s",
                       qPrintable(args[i]));
        }
    }
    for (const QString &name : std::as_const(only))
        if (name != QLatin1String("protobuf") && name != QLatin1String("jsonschema"))
            qFatal("--only takes protobuf and jsonschema, not %s", qPrintable(name));
    if (!dumpDir.isEmpty()) {
        dumpCases(dumpDir, rows);
        return 0;
    }
    if (!only.isEmpty()) {
        if (only.contains(QLatin1String("protobuf")))
            benchProtobuf(rows);
        if (only.contains(QLatin1String("jsonschema")))
            measureJsonSchema(rows);
        return 0;
    }
    QTemporaryDir dir;
    const QByteArray value(100 - 16, 'v');

    Template tpl;
    tpl.name = QStringLiteral("bench");
    tpl.topic = QStringLiteral("bench");
    QByteArray jsonl, csv("key,value\n");
    for (qsizetype i = 0; i < rows; ++i) {
        const QByteArray key = "key-" + QByteArray::number(i);
        const QByteArray v = QByteArray::number(i).rightJustified(16, '0') + value;
        Message m;
        m.key = Payload(key);
        m.value = Payload(v);
        tpl.messages.append(m);
        jsonl += "{\"key\":\"" + key + "\",\"value\":\"" + v + "\"}\n";
        csv += key + ',' + v + '\n';
    }
    const QString tplPath = dir.filePath(QStringLiteral("b.kbatch.json"));
    measure("save template", rows, [&] { return saveTemplate(tpl, tplPath).ok() ? rows : 0; });
    measure("load template", rows, [&] {
        auto t = loadTemplate(tplPath);
        return t ? t->messages.size() : 0;
    });
    writeFile(dir.filePath(QStringLiteral("b.jsonl")), jsonl);
    measure("import JSON Lines", rows, [&] {
        auto b = importFile(dir.filePath(QStringLiteral("b.jsonl")));
        return b ? b->size() : 0;
    });
    writeFile(dir.filePath(QStringLiteral("b.csv")), csv);
    measure("import CSV", rows, [&] {
        auto b = importFile(dir.filePath(QStringLiteral("b.csv")));
        return b ? b->size() : 0;
    });
    Batch gen;
    Message g;
    g.key = Payload(QByteArray("user-{{seq}}"));
    g.value =
        Payload(QByteArray(R"({"id":"{{uuid}}","n":{{seq}},"at":"{{now}}","qty":{{random.int 1 9}}})"), Encoding::Json);
    g.generate = GenerateSpec{rows, 1};
    gen.append(g);
    measure("expand generator row", rows, [&] {
        auto b = expandGenerators(gen, 1);
        return b ? b->size() : 0;
    });
    benchProtobuf(rows);
    measureJsonSchema(rows);
    return 0;
}

// Compiled codecs kept per schema id, shared by threads; the formats that have no codec yet say so.

#include "core/schema/CodecCache.h"

#include <QTest>

#include <thread>
#include <vector>

using namespace kbatch::core;

namespace {

ResolvedSchema schema(int id, const char *text, SchemaFormat format = SchemaFormat::Avro)
{
    ResolvedSchema s;
    s.schema.id = id;
    s.schema.format = format;
    s.schema.text = text;
    return s;
}

} // namespace

class TestCodecCache : public QObject
{
    Q_OBJECT

private slots:
    void compilesOncePerId();
    void errorsAreNotKept();
    void sharedByThreads();
    void otherFormatsSayNotYet();
};

void TestCodecCache::compilesOncePerId()
{
    CodecCache cache;
    QVERIFY(!cache.find(1));
    const auto a = cache.get(schema(1, R"("string")"));
    QVERIFY(a.ok());
    // Same id: the codec compiled first, whatever text comes with it (an id names one schema forever).
    const auto again = cache.get(schema(1, R"("long")"));
    QVERIFY(again.ok());
    QCOMPARE(again->get(), a->get());
    const auto b = cache.get(schema(2, R"("long")"));
    QVERIFY(b.ok());
    QVERIFY(b->get() != a->get());
    QCOMPARE(cache.size(), 2);
    QCOMPARE(cache.find(2).get(), b->get());
    // insert() keeps the first.
    QCOMPARE(cache.insert(1, *b).get(), a->get());
    cache.clear();
    QCOMPARE(cache.size(), 0);
}

void TestCodecCache::errorsAreNotKept()
{
    CodecCache cache;
    const auto bad = cache.get(schema(5, R"("strnig")"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message(), QStringLiteral("line 1, column 1: $: unknown type 'strnig'"));
    QCOMPARE(cache.size(), 0);
    QVERIFY(cache.get(schema(5, R"("string")")).ok());
}

void TestCodecCache::sharedByThreads()
{
    CodecCache cache;
    std::vector<const PayloadCodec *> seen(8, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
        threads.emplace_back([&cache, &seen, t] {
            const auto codec = cache.get(schema(9, R"({"type": "record", "name": "R", "fields": [
                {"name": "a", "type": "int"}]})"));
            seen[t] = codec.ok() ? codec->get() : nullptr;
            QByteArray out;
            for (int i = 0; i < 1000 && codec.ok(); ++i) {
                out.resize(0);
                if (!(*codec)->encode("{\"a\": 1}", out).ok() || out != QByteArray("\x02", 1))
                    seen[t] = nullptr;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    for (const PayloadCodec *c : seen)
        QCOMPARE(c, cache.find(9).get());
}

void TestCodecCache::otherFormatsSayNotYet()
{
    // Protobuf compiles now (tst_protobufcodec); a file without a message has nothing to send.
    const auto protobuf = compilePayloadCodec(schema(1, "syntax = \"proto3\";", SchemaFormat::Protobuf));
    QVERIFY(!protobuf.ok());
    QCOMPARE(protobuf.error().message(), QStringLiteral("schema-1.proto has no message type"));
    // One codec per schema id and message type: two types of one schema are two codecs.
    CodecCache cache;
    const auto proto = schema(2, "syntax = \"proto3\"; message A { string a = 1; } message B { int32 b = 1; }",
                              SchemaFormat::Protobuf);
    const auto a = cache.get(proto);
    const auto b = cache.get(proto, QStringLiteral("B"));
    QVERIFY(a.ok() && b.ok());
    QCOMPARE((*a)->recordName(), QStringLiteral("A"));
    QCOMPARE((*b)->recordName(), QStringLiteral("B"));
    QCOMPARE(cache.find(2, QStringLiteral("B")).get(), b->get());
    QCOMPARE(cache.size(), 2);
    // JSON Schema has its codec now (tst_jsonschemacodec).
    const auto json = compilePayloadCodec(schema(1, "{}", SchemaFormat::JsonSchema));
    QVERIFY(json.ok());
    QCOMPARE((*json)->format(), SchemaFormat::JsonSchema);
}

QTEST_GUILESS_MAIN(TestCodecCache)
#include "tst_codeccache.moc"

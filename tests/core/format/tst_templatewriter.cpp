#include "core/format/JsonReader.h"
#include "core/format/JsonWriter.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

#include <unistd.h>

using namespace kbatch::core;

Q_DECLARE_METATYPE(kbatch::core::Message)

class TestTemplateWriter : public QObject
{
    Q_OBJECT
private slots:
    void exactLayout();
    void roundTrip_data();
    void roundTrip();
    void randomRoundTrip();
    void invalidUtf8TextKeepsBytes();
    void invalidJsonKeepsBytes();
    void producerRoundTrip();
    void saveWritesFile();
    void saveIntoMissingDirectory();
    void saveOverDirectoryKeepsIt();
    void saveBeyondFileSizeLimitKeepsOldFile();
};

static Template oneMessage(const Message &m)
{
    Template t;
    t.topic = QStringLiteral("t");
    t.messages.append(m);
    return t;
}

static Message message(Payload key, Payload value, Headers headers = {})
{
    Message m;
    m.key = std::move(key);
    m.value = std::move(value);
    m.headers = std::move(headers);
    return m;
}

void TestTemplateWriter::exactLayout()
{
    Template t;
    t.name = QStringLiteral("n");
    t.topic = QStringLiteral("orders");
    Message m = message(Payload::text("k"), Payload(QByteArray(R"({"b":1,"a":[2.50,{}]})"), Encoding::Json),
                        {Header{"h", Payload::text("v")}, Header{"h", Payload()}});
    m.partition = 3;
    m.timestamp = 1767225600000;
    t.messages.append(m);
    Message g = message(Payload(QByteArray("\x01\xff", 2), Encoding::Base64), Payload());
    g.generate = GenerateSpec{5, 7};
    t.messages.append(g);
    const QByteArray expected = R"({
  "format": "kbatch-template",
  "version": 1,
  "name": "n",
  "topic": "orders",
  "producer": {
    "mode": "independent",
    "acks": "all",
    "compression": "none",
    "idempotence": true
  },
  "messages": [
    {
      "key": "k",
      "value": {"json": {
        "b": 1,
        "a": [
          2.50,
          {}
        ]
      }},
      "headers": [
        ["h", "v"],
        ["h", null]
      ],
      "partition": 3,
      "timestamp": 1767225600000
    },
    {
      "key": {"base64": "Af8="},
      "value": null,
      "generate": {"count": 5, "seed": 7}
    }
  ]
}
)";
    QCOMPARE(serializeTemplate(t), expected);
    QCOMPARE(serializeTemplate(t), serializeTemplate(t));
}

void TestTemplateWriter::roundTrip_data()
{
    QTest::addColumn<Message>("msg");
    QTest::newRow("nulls") << message(Payload(), Payload());
    QTest::newRow("empty strings") << message(Payload::text(""), Payload::text(""));
    QTest::newRow("binary") << message(Payload(QByteArray("\0\1\2\xff", 4), Encoding::Base64),
                                       Payload(QByteArray(300, '\xfe'), Encoding::Base64));
    QTest::newRow("empty binary") << message(Payload(QByteArray(), Encoding::Base64), Payload::text("x"));
    QTest::newRow("unicode") << message(Payload::text("schlüssel 🔑"), Payload::text("日本語\u2028 \"q\" \\ \t\n\r"));
    QTest::newRow("control chars") << message(Payload(QByteArray("\0\x1f\x7f", 3)), Payload::text("\b\f"));
    QTest::newRow("repeated headers") << message(Payload::text("k"), Payload::text("v"),
                                                 {Header{"a", Payload::text("1")}, Header{"a", Payload::text("2")},
                                                  Header{"a", Payload()}, Header{"", Payload::text("")},
                                                  Header{"bin", Payload(QByteArray("\xff", 1), Encoding::Base64)},
                                                  Header{"j", Payload(QByteArray("[1,\"x\"]"), Encoding::Json)}});
    QTest::newRow("json scalar") << message(Payload(QByteArray("42"), Encoding::Json),
                                            Payload(QByteArray("\"s\""), Encoding::Json));
    QTest::newRow("json nested") << message(
        Payload(),
        Payload(QByteArray(R"({"z":{"y":[[],{},[1e5,-0.0,true,false,null]],"\u00e9":"\n"},"a":1})"), Encoding::Json));
    QTest::newRow("braces in text") << message(Payload::text("{{seq}}"), Payload::text("{\"json\": 1}"));
    Message r = message(Payload::text("k"), Payload::text("v"));
    r.partition = 0;
    r.timestamp = 0;
    QTest::newRow("zero partition and timestamp") << r;
    r.partition = 2147483647;
    r.timestamp = 253402300799999;
    QTest::newRow("max partition") << r;
    Message g = message(Payload::text("user-{{seq}}"), Payload::text("{{uuid}}"));
    g.generate = GenerateSpec{1000000, std::numeric_limits<std::uint64_t>::max()};
    QTest::newRow("generate") << g;
    Message filled = g;
    filled.generate->fillValue = true;
    QTest::newRow("generate fill value") << filled;
    filled.generate->fillKey = true;
    QTest::newRow("generate fill key and value") << filled;
}

void TestTemplateWriter::roundTrip()
{
    QFETCH(Message, msg);
    const Template t = oneMessage(msg);
    const QByteArray bytes = serializeTemplate(t);
    const auto back = parseTemplate(bytes, QStringLiteral("rt"));
    QVERIFY2(back.ok(),
             qPrintable(back.ok() ? QString() : back.error().message() + QLatin1Char('\n') + QString::fromUtf8(bytes)));
    QVERIFY(back->messages.at(0) == msg);
    QVERIFY(*back == t);
    QCOMPARE(serializeTemplate(*back), bytes);
}

static QByteArray randomBytes(QRandomGenerator &rng, int maxLen)
{
    QByteArray b(rng.bounded(maxLen + 1), Qt::Uninitialized);
    for (char &c : b)
        c = char(rng.bounded(256));
    return b;
}

static QByteArray randomText(QRandomGenerator &rng, int maxLen)
{
    static const char *const pieces[] = {"a", "Z",  " ", "\"", "\\", "\n",   "\t",
                                         "é", "日", "🔑", "{{", "}}", "\x01", "0"};
    QByteArray b;
    const int n = rng.bounded(maxLen + 1);
    for (int i = 0; i < n; ++i)
        b += pieces[rng.bounded(int(std::size(pieces)))];
    return b;
}

static QByteArray randomJson(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 2 ? 4 : 6)) {
    case 0:
        return QByteArray::number(rng.bounded(-1000, 1000)) + (rng.bounded(2) ? ".25" : "");
    case 1: {
        QByteArray s;
        appendJsonString(s, randomText(rng, 5));
        return s;
    }
    case 2:
        return rng.bounded(2) ? "true" : "null";
    case 3:
        return "1e-3";
    case 4: {
        QByteArray a = "[";
        const int n = rng.bounded(4);
        for (int i = 0; i < n; ++i)
            a += (i ? "," : "") + randomJson(rng, depth + 1);
        return a + ']';
    }
    default: {
        QByteArray o = "{";
        const int n = rng.bounded(4);
        for (int i = 0; i < n; ++i) {
            QByteArray k;
            appendJsonString(k, randomText(rng, 4));
            o += (i ? "," : "") + k + ':' + randomJson(rng, depth + 1);
        }
        return o + '}';
    }
    }
}

static Payload randomPayload(QRandomGenerator &rng)
{
    switch (rng.bounded(5)) {
    case 0:
        return Payload();
    case 1:
        return Payload(randomBytes(rng, 40), Encoding::Base64);
    case 2:
        return Payload(randomJson(rng, 0), Encoding::Json);
    default:
        return Payload(randomText(rng, 30), Encoding::Text);
    }
}

void TestTemplateWriter::randomRoundTrip()
{
    QRandomGenerator rng(20261127);
    Template t;
    t.topic = QStringLiteral("random");
    for (int i = 0; i < 3000; ++i) {
        Message m;
        m.key = randomPayload(rng);
        m.value = randomPayload(rng);
        const int headers = rng.bounded(4);
        for (int h = 0; h < headers; ++h)
            m.headers.append(Header{randomText(rng, 6), randomPayload(rng)});
        if (rng.bounded(3) == 0)
            m.partition = rng.bounded(100);
        if (rng.bounded(3) == 0)
            m.timestamp = qint64(rng.bounded(2000000000)) * 1000;
        if (rng.bounded(10) == 0)
            m.generate = GenerateSpec{rng.bounded(1, 100), std::nullopt};
        if (m.generate && rng.bounded(2))
            m.generate->seed = rng.generate64();
        t.messages.append(m);
    }
    const QByteArray bytes = serializeTemplate(t);
    const auto back = parseTemplate(bytes, QStringLiteral("random"));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message()));
    QCOMPARE(back->messages.size(), t.messages.size());
    for (qsizetype i = 0; i < t.messages.size(); ++i) {
        if (!(back->messages.at(i) == t.messages.at(i)))
            QFAIL(qPrintable(QStringLiteral("row %1 differs").arg(i)));
    }
    QCOMPARE(serializeTemplate(*back), bytes);
}

void TestTemplateWriter::invalidUtf8TextKeepsBytes()
{
    const QByteArray bytes("caf\xe9 \xff", 6);
    const Template t = oneMessage(message(Payload(bytes, Encoding::Text), Payload::text("ok")));
    const QByteArray out = serializeTemplate(t);
    QVERIFY(out.contains(QByteArray("\"key\": {\"base64\": \"" + bytes.toBase64() + "\"}")));
    const auto back = parseTemplate(out, QStringLiteral("x"));
    QVERIFY(back.ok());
    QCOMPARE(back->messages.key(0).toByteArray(), bytes);
    QVERIFY(back->messages.keyEncoding(0) == Encoding::Base64);
}

void TestTemplateWriter::invalidJsonKeepsBytes()
{
    const Template t = oneMessage(message(Payload(QByteArray("{not json"), Encoding::Json), Payload()));
    const QByteArray out = serializeTemplate(t);
    QVERIFY(out.contains(R"("key": "{not json")"));
    const auto back = parseTemplate(out, QStringLiteral("x"));
    QVERIFY(back.ok());
    QCOMPARE(back->messages.key(0).toByteArray(), QByteArray("{not json"));
}

void TestTemplateWriter::producerRoundTrip()
{
    Template t;
    t.name = QStringLiteral("Ünïcode name");
    t.producer.mode = PublishMode::Atomic;
    t.producer.acks = QStringLiteral("0");
    t.producer.compression = QStringLiteral("zstd");
    t.producer.idempotence = false;
    t.producer.lingerMs = 0;
    t.producer.batchSize = 1;
    t.producer.messageTimeoutMs = 2147483647;
    t.producer.rateLimit = 0.1;
    t.producer.transactionalId = QStringLiteral("kbatch-tx-1");
    t.producer.properties = {Property(QStringLiteral("sticky.partitioning.linger.ms"), QStringLiteral("1")),
                             Property(QStringLiteral("acks"), QStringLiteral("\"quoted\""))};
    const QByteArray bytes = serializeTemplate(t);
    QVERIFY(bytes.contains("\"rateLimit\": 0.1,"));
    QVERIFY(bytes.indexOf("sticky.partitioning") < bytes.indexOf("\"acks\": \"\\\"quoted"));
    const auto back = parseTemplate(bytes, QStringLiteral("p"));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message()));
    QVERIFY(back->producer == t.producer);
    QCOMPARE(back->name, t.name);
    QVERIFY(!bytes.contains("\"topic\""));
}

static QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

void TestTemplateWriter::saveWritesFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.kbatch.json"));
    const Template t = oneMessage(message(Payload::text("k"), Payload::text("v")));
    const Status s = saveTemplate(t, path);
    QVERIFY(s.ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), serializeTemplate(t));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("a.kbatch.json")});
    const auto back = loadTemplate(path);
    QVERIFY(back.ok());
    QVERIFY(*back == t);
}

void TestTemplateWriter::saveIntoMissingDirectory()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing/a.kbatch.json"));
    const Status s = saveTemplate(Template(), path);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().file, path);
    QVERIFY2(s.error().text.startsWith(QLatin1String("cannot save the template: ")), qPrintable(s.error().text));
    QVERIFY(s.error().text.size() > int(qstrlen("cannot save the template: ")));
    QVERIFY(entries(dir.path()).isEmpty());
}

void TestTemplateWriter::saveOverDirectoryKeepsIt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.kbatch.json"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("a.kbatch.json")));
    QFile inner(path + QStringLiteral("/keep"));
    QVERIFY(inner.open(QIODevice::WriteOnly));
    inner.write("old");
    inner.close();
    const Status s = saveTemplate(Template(), path);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().file, path);
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("a.kbatch.json")});
    QCOMPARE(entries(path), QStringList{QStringLiteral("keep")});
}

void TestTemplateWriter::saveBeyondFileSizeLimitKeepsOldFile()
{
    // A write that the file system refuses half-way (here: the file-size limit, as `ulimit -f` sets it; it binds
    // root too, unlike directory permissions) must leave the old file intact and no temporary file behind.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.kbatch.json"));
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old content");
    }
    Template big;
    big.name = QStringLiteral("big");
    big.topic = QStringLiteral("t");
    for (int i = 0; i < 2000; ++i) {
        Message m;
        m.value = Payload(QByteArray(100, 'x'));
        big.messages.append(m);
    }
    struct rlimit saved;
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto previousHandler = ::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of a signal
    struct rlimit small = saved;
    small.rlim_cur = 16 * 1024;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    const Status s = saveTemplate(big, path);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::signal(SIGXFSZ, previousHandler);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().file, path);
    QVERIFY2(s.error().text.startsWith(QLatin1String("cannot save the template: ")), qPrintable(s.error().text));
    QFile old(path);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("old content"));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("a.kbatch.json")});
}

QTEST_GUILESS_MAIN(TestTemplateWriter)
#include "tst_templatewriter.moc"

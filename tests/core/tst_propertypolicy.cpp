// The trust model's checks on producer properties (docs/security.md): a template carries only delivery settings,
// names are checked exactly, secrets never come from a template or the command line, and untrusted text is shown
// escaped.
#include "core/model/Printable.h"
#include "core/model/PropertyPolicy.h"

#include <QTest>

using namespace kbatch::core;

class TestPropertyPolicy : public QObject
{
    Q_OBJECT

private slots:
    void deliverySettingsAreAllowed_data();
    void deliverySettingsAreAllowed();
    void everythingElseIsRefusedWithItsReason_data();
    void everythingElseIsRefusedWithItsReason();
    void namesAreCheckedExactly_data();
    void namesAreCheckedExactly();
    void controlCharacterInValueRefused();
    void commandLineRefusesSecretsOnly();
    void templateTransactionalIdNeedsThePrefix_data();
    void templateTransactionalIdNeedsThePrefix();
    void printableEscapesControls_data();
    void printableEscapesControls();
    void quotedNameCutsLongNames();
};

void TestPropertyPolicy::deliverySettingsAreAllowed_data()
{
    QTest::addColumn<QString>("name");
    for (const char *n :
         {"acks", "compression.codec", "compression.type", "linger.ms", "batch.size", "batch.num.messages",
          "enable.idempotence", "max.in.flight.requests.per.connection", "retries", "retry.backoff.ms",
          "message.timeout.ms", "delivery.timeout.ms", "request.timeout.ms", "partitioner",
          "queue.buffering.max.messages", "transaction.timeout.ms", "sticky.partitioning.linger.ms"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void TestPropertyPolicy::deliverySettingsAreAllowed()
{
    QFETCH(QString, name);
    QVERIFY(isDeliveryProperty(name));
    const Status s = checkTemplateProperty(name, QStringLiteral("5"));
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
    QVERIFY(deliveryProperties().contains(name));
}

void TestPropertyPolicy::everythingElseIsRefusedWithItsReason_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    QTest::newRow("kinit command") << QStringLiteral("sasl.kerberos.kinit.cmd")
                                   << QStringLiteral("runs a shell command");
    QTest::newRow("plugins") << QStringLiteral("plugin.library.paths") << QStringLiteral("loads a shared library");
    QTest::newRow("ssl engine") << QStringLiteral("ssl.engine.location") << QStringLiteral("loads a shared library");
    QTest::newRow("ca file") << QStringLiteral("ssl.ca.location") << QStringLiteral("names a local file");
    QTest::newRow("keytab") << QStringLiteral("sasl.kerberos.keytab") << QStringLiteral("names a local file");
    QTest::newRow("bootstrap") << QStringLiteral("bootstrap.servers") << QStringLiteral("where or how to connect");
    QTest::newRow("broker list") << QStringLiteral("metadata.broker.list") << QStringLiteral("where or how to connect");
    QTest::newRow("protocol") << QStringLiteral("security.protocol") << QStringLiteral("where or how to connect");
    QTest::newRow("mechanism") << QStringLiteral("sasl.mechanisms") << QStringLiteral("where or how to connect");
    QTest::newRow("username") << QStringLiteral("sasl.username") << QStringLiteral("where or how to connect");
    QTest::newRow("verification") << QStringLiteral("enable.ssl.certificate.verification")
                                  << QStringLiteral("where or how to connect");
    QTest::newRow("oauth endpoint") << QStringLiteral("sasl.oauthbearer.token.endpoint.url")
                                    << QStringLiteral("where or how to connect");
    QTest::newRow("password") << QStringLiteral("sasl.password") << QStringLiteral("holds a secret");
    QTest::newRow("debug") << QStringLiteral("debug") << QStringLiteral("turns on logging");
    QTest::newRow("log level") << QStringLiteral("log_level") << QStringLiteral("turns on logging");
    QTest::newRow("transactional.id") << QStringLiteral("transactional.id") << QStringLiteral("transactionalId");
    QTest::newRow("unknown") << QStringLiteral("linger.mss") << QStringLiteral("not a message or delivery setting");
}

void TestPropertyPolicy::everythingElseIsRefusedWithItsReason()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    QVERIFY(!isDeliveryProperty(name));
    const Status s = checkTemplateProperty(name, QStringLiteral("x"));
    QVERIFY(!s.ok());
    const QString text = s.error().text;
    QVERIFY2(text.startsWith(QStringLiteral("property \"%1\" is not allowed in a template").arg(name)),
             qPrintable(text));
    QVERIFY2(text.contains(reason), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("belong in a connection profile")), qPrintable(text));
    QCOMPARE(s.error().field, name);
}

void TestPropertyPolicy::namesAreCheckedExactly_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("shown");
    QTest::newRow("trailing NUL") << QStringLiteral("sasl.password") + QChar(0)
                                  << QStringLiteral("\"sasl.password\\x00\"");
    QTest::newRow("trailing space") << QStringLiteral("linger.ms ") << QStringLiteral("\"linger.ms \"");
    QTest::newRow("upper case") << QStringLiteral("Bootstrap.Servers") << QStringLiteral("\"Bootstrap.Servers\"");
    QTest::newRow("escape sequence") << QStringLiteral("acks\x1b]0;pwned\x07")
                                     << QStringLiteral("\"acks\\x1b]0;pwned\\x07\"");
    QTest::newRow("cyrillic a") << QStringLiteral("\u0430cks") << QStringLiteral("\"\u0430cks\"");
    QTest::newRow("hyphen") << QStringLiteral("linger-ms") << QStringLiteral("\"linger-ms\"");
    QTest::newRow("empty") << QString() << QString();
}

void TestPropertyPolicy::namesAreCheckedExactly()
{
    QFETCH(QString, name);
    QFETCH(QString, shown);
    const Status s = checkPropertyName(name);
    QVERIFY(!s.ok());
    QVERIFY(!checkTemplateProperty(name, QStringLiteral("1")).ok());
    QVERIFY(!checkCommandLineProperty(name, QStringLiteral("1")).ok());
    if (!shown.isEmpty())
        QVERIFY2(s.error().text.contains(shown), qPrintable(s.error().text));
    QVERIFY2(!hasUnprintable(s.error().message()), qPrintable(s.error().message()));
}

void TestPropertyPolicy::controlCharacterInValueRefused()
{
    const Status s = checkTemplateProperty(QStringLiteral("acks"), QStringLiteral("all\x1b[2J"));
    QVERIFY(!s.ok());
    QVERIFY2(s.error().text.contains(QLatin1String("\\x1b[2J")), qPrintable(s.error().text));
    QVERIFY(!hasUnprintable(s.error().text));
}

void TestPropertyPolicy::commandLineRefusesSecretsOnly()
{
    // The command line is the user's own: it may say where to connect.
    QVERIFY(checkCommandLineProperty(QStringLiteral("bootstrap.servers"), QStringLiteral("h:9092")).ok());
    QVERIFY(checkCommandLineProperty(QStringLiteral("security.protocol"), QStringLiteral("sasl_ssl")).ok());
    QVERIFY(checkCommandLineProperty(QStringLiteral("debug"), QStringLiteral("all")).ok());
    for (const char *secret :
         {"sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret"}) {
        const Status s = checkCommandLineProperty(QString::fromLatin1(secret), QStringLiteral("hunter2"));
        QVERIFY2(!s.ok(), secret);
        QVERIFY2(s.error().text.contains(QLatin1String("--password-stdin")), qPrintable(s.error().text));
        QVERIFY(!s.error().message().contains(QLatin1String("hunter2")));
    }
}

void TestPropertyPolicy::templateTransactionalIdNeedsThePrefix_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("says");
    QTest::newRow("ours") << QStringLiteral("kbatch-orders-1") << true << QString();
    QTest::newRow("another app's") << QStringLiteral("payments-service-0") << false
                                   << QStringLiteral("must start with \"kbatch-\"");
    QTest::newRow("prefix alone") << QStringLiteral("kbatch-") << false << QStringLiteral("go on after it");
    QTest::newRow("control character") << QStringLiteral("kbatch-\x01x") << false
                                       << QStringLiteral("has a control character");
    QTest::newRow("too long") << QStringLiteral("kbatch-") + QString(300, QLatin1Char('x')) << false
                              << QStringLiteral("longer than 200 characters");
}

void TestPropertyPolicy::templateTransactionalIdNeedsThePrefix()
{
    QFETCH(QString, id);
    QFETCH(bool, ok);
    QFETCH(QString, says);
    const Status s = checkTemplateTransactionalId(id);
    QCOMPARE(s.ok(), ok);
    if (!ok) {
        QVERIFY2(s.error().text.contains(says), qPrintable(s.error().text));
        QVERIFY(!hasUnprintable(s.error().text));
        QCOMPARE(s.error().field, QStringLiteral("transactionalId"));
    }
}

void TestPropertyPolicy::printableEscapesControls_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("orders-1 ünïcödé 😀") << QStringLiteral("orders-1 ünïcödé 😀");
    QTest::newRow("title sequence") << QStringLiteral("\x1b]0;owned\x07") << QStringLiteral("\\x1b]0;owned\\x07");
    QTest::newRow("clear screen") << QStringLiteral("\x1b[2J\x1b[H") << QStringLiteral("\\x1b[2J\\x1b[H");
    QTest::newRow("NUL") << QStringLiteral("a") + QChar(0) + QStringLiteral("b") << QStringLiteral("a\\x00b");
    QTest::newRow("newline and tab") << QStringLiteral("a\nb\tc") << QStringLiteral("a\\x0ab\\x09c");
    QTest::newRow("DEL and C1 CSI") << QStringLiteral("a\x7f") + QChar(0x9b) << QStringLiteral("a\\x7f\\x9b");
    QTest::newRow("bidi override") << QStringLiteral("txt\u202Egpj.exe") << QStringLiteral("txt\\u202egpj.exe");
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << QStringLiteral("\\ud800");
}

void TestPropertyPolicy::printableEscapesControls()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(printable(in), out);
    QCOMPARE(hasUnprintable(in), in != out);
    QVERIFY(!hasUnprintable(printable(in)));
}

void TestPropertyPolicy::quotedNameCutsLongNames()
{
    QCOMPARE(quotedName(u"short"), QStringLiteral("\"short\""));
    const QString longName(1000, QLatin1Char('n'));
    const QString q = quotedName(longName, 10);
    QCOMPARE(q, QStringLiteral("\"nnnnnnnnnn…\" (1000 characters)"));
    // A pair above the BMP is never split.
    const QString emoji = QString(9, QLatin1Char('a')) + QStringLiteral("😀😀");
    QVERIFY(!hasUnprintable(quotedName(emoji, 10)));
}

QTEST_GUILESS_MAIN(TestPropertyPolicy)
#include "tst_propertypolicy.moc"

// What the producer says when a message or the client fails (core/kafka/ProduceErrors.h), for the codes librdkafka
// 2.14.2 really reports in each case. The codes are rd_kafka_resp_err_t values, written out because the tests do not
// see rdkafka.h; the names the explanations print prove each one.

#include "core/kafka/ProduceErrors.h"

#include <QTest>

using namespace kbatch::core;

namespace {

// rd_kafka_resp_err_t values (librdkafka 2.14.2, rdkafka.h).
constexpr int MsgTimedOut = -192;            // RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
constexpr int UnknownPartition = -190;       // RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION
constexpr int Transport = -195;              // RD_KAFKA_RESP_ERR__TRANSPORT
constexpr int Ssl = -181;                    // RD_KAFKA_RESP_ERR__SSL
constexpr int Authentication = -169;         // RD_KAFKA_RESP_ERR__AUTHENTICATION
constexpr int AllBrokersDown = -187;         // RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN
constexpr int Resolve = -193;                // RD_KAFKA_RESP_ERR__RESOLVE
constexpr int MsgSizeTooLarge = 10;          // RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
constexpr int NotEnoughReplicas = 19;        // RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS
constexpr int TopicAuthorization = 29;       // RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
constexpr int ClusterAuthorization = 31;     // RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED
constexpr int SaslAuthenticationFailed = 58; // RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED

ProduceFacts orders()
{
    ProduceFacts f;
    f.topic = QStringLiteral("orders");
    f.messageMaxBytes = 1000000;
    f.messageTimeoutMs = 30000;
    return f;
}

} // namespace

Q_DECLARE_METATYPE(kbatch::core::ProduceFacts)
Q_DECLARE_METATYPE(kbatch::core::FatalError)

class TestProduceErrors : public QObject
{
    Q_OBJECT
private slots:
    void explainProduceError_data();
    void explainProduceError();
    void fatalErrorText_data();
    void fatalErrorText();
    void privateKeyAdvice();
    void hopelessConnectionErrors_data();
    void hopelessConnectionErrors();
};

void TestProduceErrors::explainProduceError_data()
{
    QTest::addColumn<int>("err");
    QTest::addColumn<ProduceFacts>("facts");
    QTest::addColumn<QString>("expected");

    // librdkafka refuses a message over its own message.max.bytes in the produce call; the broker refuses one under
    // it (the topic's max.message.bytes) in the delivery report. Both with MSG_SIZE_TOO_LARGE.
    ProduceFacts big = orders();
    big.rowBytes = 2000000;
    QTest::newRow("too large for the producer") << MsgSizeTooLarge << big
                                                << QStringLiteral("message of 2000000 bytes is larger than the "
                                                                  "producer's message.max.bytes (1000000); raise "
                                                                  "message.max.bytes (and the topic's "
                                                                  "max.message.bytes)");
    ProduceFacts underLimit = orders();
    underLimit.rowBytes = 600000;
    QTest::newRow("too large for the broker") << MsgSizeTooLarge << underLimit
                                              << QStringLiteral("message of 600000 bytes was refused by the broker as "
                                                                "too large: raise the topic's max.message.bytes (or "
                                                                "the broker's message.max.bytes)");
    ProduceFacts atLimit = orders();
    atLimit.rowBytes = 1000000;
    QTest::newRow("exactly the producer's limit is the broker's refusal")
        << MsgSizeTooLarge << atLimit
        << QStringLiteral("message of 1000000 bytes was refused by the broker as too large: raise the topic's "
                          "max.message.bytes (or the broker's message.max.bytes)");
    ProduceFacts partition = orders();
    partition.rowPartition = 7;
    QTest::newRow("unknown partition") << UnknownPartition << partition
                                       << QStringLiteral("partition 7 does not exist in topic 'orders'");
    QTest::newRow("timed out") << MsgTimedOut << orders()
                               << QStringLiteral("not acknowledged within message.timeout.ms (30000 ms)");
    QTest::newRow("no write ACL") << TopicAuthorization << orders()
                                  << QStringLiteral("not authorized to write to topic 'orders' "
                                                    "(TOPIC_AUTHORIZATION_FAILED); check the ACLs for this user");
    QTest::newRow("anything else: librdkafka's words")
        << NotEnoughReplicas << orders() << QStringLiteral("Broker: Not enough in-sync replicas");

    // A produce call or report failing with the producer's fatal error says so, with the fatal error's own advice.
    ProduceFacts fatal = orders();
    fatal.fatal = {ClusterAuthorization, QStringLiteral("Failed to acquire idempotence PID from broker TxnCoordinator/"
                                                        "1: Broker: Cluster authorization failed")};
    QTest::newRow("the producer's fatal error")
        << ClusterAuthorization << fatal
        << QStringLiteral("the producer hit a fatal error: Failed to acquire idempotence PID from broker "
                          "TxnCoordinator/1: Broker: Cluster authorization failed (CLUSTER_AUTHORIZATION_FAILED); an "
                          "idempotent producer needs WRITE on the topic (or IDEMPOTENT_WRITE on the cluster): check "
                          "the ACLs for topic 'orders', or turn idempotence off");
    QTest::newRow("another error while fatal") << MsgTimedOut << fatal
                                               << QStringLiteral("not acknowledged within message.timeout.ms "
                                                                 "(30000 ms)");
}

void TestProduceErrors::explainProduceError()
{
    QFETCH(int, err);
    QFETCH(ProduceFacts, facts);
    QFETCH(QString, expected);
    QCOMPARE(kbatch::core::explainProduceError(err, facts), expected);
}

void TestProduceErrors::fatalErrorText_data()
{
    QTest::addColumn<FatalError>("fatal");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cluster authorization: what to check")
        << FatalError{ClusterAuthorization, QStringLiteral("Broker: Cluster authorization failed")}
        << QStringLiteral("Broker: Cluster authorization failed (CLUSTER_AUTHORIZATION_FAILED); an idempotent "
                          "producer needs WRITE on the topic (or IDEMPOTENT_WRITE on the cluster): check the ACLs for "
                          "topic 'orders', or turn idempotence off");
    // librdkafka leaves the text empty, or names no error: its own description of the code, never garbage.
    QTest::newRow("no text") << FatalError{NotEnoughReplicas, {}}
                             << QStringLiteral("Broker: Not enough in-sync replicas (NOT_ENOUGH_REPLICAS)");
    QTest::newRow("no fatal error named") << FatalError{} << QStringLiteral("Local: Fatal error (_FATAL)");
}

void TestProduceErrors::fatalErrorText()
{
    QFETCH(FatalError, fatal);
    QFETCH(QString, expected);
    QCOMPARE(kbatch::core::fatalErrorText(fatal, QStringLiteral("orders")), expected);
}

void TestProduceErrors::privateKeyAdvice()
{
    // The kind, not the words, decides: rdk::createClient() sets it where librdkafka's text is read.
    Error key(QStringLiteral("cannot create the Kafka client: ssl.key.location failed: error:1E08010C:DECODER "
                             "routines::unsupported"));
    key.setKind(ErrorKind::PrivateKeyUnreadable);
    QVERIFY(explainClientCreation(key).text.endsWith(
        QLatin1String("(the client's private key could not be read: check that ssl.key.password is the key's "
                      "passphrase and that ssl.key.location is a PEM key)")));
    QCOMPARE(explainClientCreation(key).kind, ErrorKind::PrivateKeyUnreadable);
    const Error other(QStringLiteral("cannot create the Kafka client: ssl.key.location failed, as a word"));
    QCOMPARE(explainClientCreation(other).text, other.text);
}

void TestProduceErrors::hopelessConnectionErrors_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("hopeless");
    // What the error callback reports (librdkafka 2.14.2): a wrong SCRAM password on Kafka 4.4, SASL against a
    // broker without it (the sandbox), TLS to a listener that is not TLS or not trusted.
    QTest::newRow("wrong SCRAM password") << SaslAuthenticationFailed << true;
    QTest::newRow("SASL not offered") << Authentication << true;
    QTest::newRow("TLS handshake") << Ssl << true;
    // A broker that is down, restarting or not resolvable yet may come up within the connect timeout.
    QTest::newRow("connection refused") << Transport << false;
    QTest::newRow("all brokers down") << AllBrokersDown << false;
    QTest::newRow("name not resolved") << Resolve << false;
    QTest::newRow("none") << 0 << false;
}

void TestProduceErrors::hopelessConnectionErrors()
{
    QFETCH(int, code);
    QFETCH(bool, hopeless);
    QCOMPARE(connectionIsHopeless(code), hopeless);
}

QTEST_GUILESS_MAIN(TestProduceErrors)
#include "tst_produceerrors.moc"

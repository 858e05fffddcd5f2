#include "core/profiles/MemorySecretStore.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kbatch::core;
using St = SecretResult::Status;

class TestSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void writeReadDelete();
    void neverReportsInsideTheCall();
    void failures_data();
    void failures();
    void answerTwiceStillReportsOnce();
    void failedWriteLeavesNoStaleIndexEntry();
    void unconfirmedKeyThatIsMissingIsNotFound();
    void confirmedKeyThatIsMissingIsUnreadable();
    void slowKeychainIsAnnouncedAndStillAnswers();
    void destroyedStoreCancelsOnce();
    void deleteSecretsUsesThePersistentIndex();
    void deleteFailureKeepsTheIndex();
    void callbacksRespectTheirContext();
    void blockingHelpers();
    void keys();
};

static void drainEvents()
{
    // Lets any (wrong) second report arrive before counting.
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

static SecretResult resultOf(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(1).value<SecretResult>();
}

void TestSecretStore::writeReadDelete()
{
    MemorySecretStore store;
    QSignalSpy spy(&store, &SecretStore::finished);
    const SecretJobId w = store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, QByteArray("pw\0x", 4));
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toULongLong(), w);
    QCOMPARE(resultOf(spy, 0).status, St::Ok);

    const SecretJobId r = store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    QVERIFY(r != w);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(resultOf(spy, 1).status, St::Ok);
    QCOMPARE(resultOf(spy, 1).secret, QByteArray("pw\0x", 4));

    store.readSecret(QStringLiteral("p"), SecretKind::OAuthToken);
    QTRY_COMPARE(spy.size(), 3);
    QCOMPARE(resultOf(spy, 2).status, St::NotFound);
    QVERIFY(!resultOf(spy, 2).message.isEmpty());

    store.deleteSecrets(QStringLiteral("p"));
    QTRY_COMPARE(spy.size(), 4);
    QCOMPARE(resultOf(spy, 3).status, St::Ok);
    QVERIFY(store.contents().isEmpty());
    drainEvents();
    QCOMPARE(spy.size(), 4);
}

void TestSecretStore::neverReportsInsideTheCall()
{
    MemorySecretStore store; // completes synchronously inside start(); the signal must still wait
    QSignalSpy spy(&store, &SecretStore::finished);
    store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    store.deleteSecrets(QStringLiteral("nothing stored"));
    QCOMPARE(spy.size(), 0);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(resultOf(spy, 1).status, St::Ok); // nothing to delete is fine
}

void TestSecretStore::failures_data()
{
    QTest::addColumn<MemorySecretStore::Behaviour>("behaviour");
    QTest::addColumn<SecretResult::Status>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("unavailable") << MemorySecretStore::Behaviour::Unavailable << St::Unavailable
                                 << QStringLiteral("the memory store was told to be unavailable");
    QTest::newRow("error") << MemorySecretStore::Behaviour::Fail << St::Error
                           << QStringLiteral("the memory store was told to fail");
}

void TestSecretStore::failures()
{
    QFETCH(MemorySecretStore::Behaviour, behaviour);
    QFETCH(SecretResult::Status, status);
    QFETCH(QString, message);
    MemorySecretStore store;
    store.setBehaviour(behaviour);
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    store.deleteSecrets(QStringLiteral("p"));
    QTRY_COMPARE(spy.size(), 3);
    drainEvents();
    QCOMPARE(spy.size(), 3);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(resultOf(spy, i).status, status);
        QCOMPARE(resultOf(spy, i).message, message);
        QVERIFY(resultOf(spy, i).secret.isEmpty());
    }
    // A write without an answer may still land: its key stays indexed, so the delete tries it (and fails here).
    // A write the keychain refused stored nothing: the index forgot it, and there is nothing to delete.
    if (status == St::Unavailable) {
        QCOMPARE(resultOf(spy, 2).status, status);
        QCOMPARE(store.indexedKeys(QStringLiteral("p")), QStringList{QStringLiteral("p/sasl-password")});
    } else {
        QCOMPARE(resultOf(spy, 2).status, St::Ok);
        QVERIFY(store.indexedKeys(QStringLiteral("p")).isEmpty());
    }
}

void TestSecretStore::failedWriteLeavesNoStaleIndexEntry()
{
    // Once, a refused write left its key indexed, and a later profile of the same name was told "KBatch stored it
    // there" about a password that never was.
    MemorySecretStore store;
    store.setBehaviour(MemorySecretStore::Behaviour::Fail);
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(resultOf(spy, 0).status, St::Error);
    QVERIFY(store.indexedKeys(QStringLiteral("p")).isEmpty());
    store.setBehaviour(MemorySecretStore::Behaviour::Normal);
    store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(resultOf(spy, 1).status, St::NotFound);
}

void TestSecretStore::unconfirmedKeyThatIsMissingIsNotFound()
{
    MemorySecretStore store;
    store.setBehaviour(MemorySecretStore::Behaviour::Unavailable); // no answer: the write may or may not land
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    QTRY_COMPARE(spy.size(), 1);
    QCOMPARE(store.indexedKeys(QStringLiteral("p")).size(), 1);
    QVERIFY(!store.isConfirmed(QStringLiteral("p/sasl-password")));
    // It did not land: an honest "not found", and the index forgets it.
    store.setBehaviour(MemorySecretStore::Behaviour::Normal);
    store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(resultOf(spy, 1).status, St::NotFound);
    QVERIFY(store.indexedKeys(QStringLiteral("p")).isEmpty());
}

void TestSecretStore::confirmedKeyThatIsMissingIsUnreadable()
{
    // A locked Secret Service answers "nothing" for a key it holds: the index knows it was stored.
    QTemporaryDir dir;
    QSettings index(dir.filePath(QStringLiteral("index.ini")), QSettings::IniFormat);
    {
        MemorySecretStore store(&index);
        QSignalSpy s(&store, &SecretStore::finished);
        store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
        QTRY_COMPARE(s.size(), 1);
        QVERIFY(store.isConfirmed(QStringLiteral("p/sasl-password")));
    }
    MemorySecretStore empty(&index); // the same index, a keychain that returns nothing
    QSignalSpy s2(&empty, &SecretStore::finished);
    empty.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    QTRY_COMPARE(s2.size(), 1);
    QCOMPARE(resultOf(s2, 0).status, St::Error);
    QVERIFY2(resultOf(s2, 0).message.contains(QLatin1String("confirmed storing it")),
             qPrintable(resultOf(s2, 0).message));
}

void TestSecretStore::slowKeychainIsAnnouncedAndStillAnswers()
{
    MemorySecretStore store;
    store.setNoticeAfter(std::chrono::milliseconds(50));
    store.setAnswerDelay(std::chrono::milliseconds(400)); // a user typing a new keyring's password
    QSignalSpy waiting(&store, &SecretStore::jobWaiting);
    QSignalSpy done(&store, &SecretStore::finished);
    const SecretJobId job = store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    QTRY_COMPARE(waiting.size(), 1);
    QCOMPARE(waiting.at(0).at(0).toULongLong(), job);
    QCOMPARE(done.size(), 0);
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(resultOf(done, 0).status, St::Ok); // stored, and said so: never "not stored"
    QVERIFY(store.isConfirmed(QStringLiteral("p/sasl-password")));
    QCOMPARE(waiting.size(), 1); // announced once
}

void TestSecretStore::answerTwiceStillReportsOnce()
{
    MemorySecretStore store;
    store.setBehaviour(MemorySecretStore::Behaviour::AnswerTwice);
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "x");
    store.writeSecret(QStringLiteral("p"), SecretKind::KeyPassphrase, "y");
    store.deleteSecrets(QStringLiteral("p"));
    QTRY_COMPARE(spy.size(), 3);
    drainEvents();
    QCOMPARE(spy.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(resultOf(spy, i).status, St::Ok); // the first answer counts
}

void TestSecretStore::destroyedStoreCancelsOnce()
{
    auto store = std::make_unique<MemorySecretStore>();
    store->setBehaviour(MemorySecretStore::Behaviour::NeverAnswer);
    QList<QPair<quint64, SecretResult>> seen;
    QList<SecretJobId> startedWhileClosing;
    QObject receiver;
    SecretStore *raw = store.get();
    connect(raw, &SecretStore::finished, &receiver, [&, raw](quint64 job, const SecretResult &r) {
        seen.append({job, r});
        startedWhileClosing.append(raw->readSecret(QStringLiteral("p"), SecretKind::SaslPassword));
    });
    const SecretJobId a = store->readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    store->setBehaviour(MemorySecretStore::Behaviour::Normal);
    const SecretJobId b = store->readSecret(QStringLiteral("p"), SecretKind::SaslPassword); // done, not yet reported
    store.reset();
    drainEvents();
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen[0].first, b);
    QCOMPARE(seen[0].second.status, St::NotFound);
    QCOMPARE(seen[1].first, a);
    QCOMPARE(seen[1].second.status, St::Error);
    QCOMPARE(seen[1].second.message, QStringLiteral("cancelled: the secret store was closed first"));
    QCOMPARE(startedWhileClosing, (QList<SecretJobId>{0, 0})); // no new job on a store being destroyed
}

void TestSecretStore::deleteSecretsUsesThePersistentIndex()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("s.ini"));
    QSettings settings(ini, QSettings::IniFormat);
    MemorySecretStore store(&settings);
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "1");
    store.writeSecret(QStringLiteral("p"), SecretKind::KeyPassphrase, "2");
    store.writeSecret(QStringLiteral("p/x"), SecretKind::OAuthToken, "3"); // not p's, despite the prefix
    store.writeSecret(QStringLiteral("q"), SecretKind::SaslPassword, "4");
    QTRY_COMPARE(spy.size(), 4);
    {
        QSettings reread(ini, QSettings::IniFormat); // the index is on disk
        QCOMPARE(reread.value(QStringLiteral("secretIndex/keys")).toStringList().size(), 4);
    }
    QCOMPARE(store.indexedKeys(QStringLiteral("p")),
             (QStringList{QStringLiteral("p/sasl-password"), QStringLiteral("p/key-passphrase")}));
    const int before = store.operationsStarted();
    store.deleteSecrets(QStringLiteral("p"));
    QTRY_COMPARE(spy.size(), 5);
    QCOMPARE(resultOf(spy, 4).status, St::Ok);
    QCOMPARE(store.operationsStarted() - before, 2); // one delete per indexed key
    QCOMPARE(store.contents().keys().size(), 2);
    QVERIFY(store.contents().contains(QStringLiteral("p/x/oauth-token")));
    QVERIFY(store.contents().contains(QStringLiteral("q/sasl-password")));
    QVERIFY(store.indexedKeys(QStringLiteral("p")).isEmpty());
}

void TestSecretStore::deleteFailureKeepsTheIndex()
{
    MemorySecretStore store;
    QSignalSpy spy(&store, &SecretStore::finished);
    store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "1");
    QTRY_COMPARE(spy.size(), 1);
    store.setBehaviour(MemorySecretStore::Behaviour::Unavailable);
    store.deleteSecrets(QStringLiteral("p"));
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(resultOf(spy, 1).status, St::Unavailable);
    QCOMPARE(store.indexedKeys(QStringLiteral("p")), QStringList{QStringLiteral("p/sasl-password")}); // try again later
}

void TestSecretStore::callbacksRespectTheirContext()
{
    MemorySecretStore store;
    int calls = 0;
    auto context = std::make_unique<QObject>();
    QObject alive;
    const SecretJobId a = store.readSecret(QStringLiteral("p"), SecretKind::SaslPassword);
    store.onFinished(a, context.get(), [&calls](const SecretResult &) { calls += 100; });
    store.onFinished(a, &alive, [&calls](const SecretResult &r) { calls += r.status == St::NotFound ? 1 : 10; });
    context.reset();
    QTRY_COMPARE(calls, 1);
    drainEvents();
    QCOMPARE(calls, 1);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("already been reported")));
    store.onFinished(a, &alive, [&calls](const SecretResult &) { calls += 1000; });
    drainEvents();
    QCOMPARE(calls, 1);
}

void TestSecretStore::blockingHelpers()
{
    MemorySecretStore store;
    QCOMPARE(readSecretBlocking(store, QStringLiteral("p"), SecretKind::SaslPassword).error().message(),
             QStringLiteral("profile 'p': no SASL password stored in the system keychain"));
    QVERIFY(waitForSecretJob(store, store.writeSecret(QStringLiteral("p"), SecretKind::SaslPassword, "pw")).ok());
    QCOMPARE(readSecretBlocking(store, QStringLiteral("p"), SecretKind::SaslPassword).value(), QByteArray("pw"));

    ConnectionProfile profile;
    profile.name = QStringLiteral("p");
    profile.securityProtocol = SecurityProtocol::SaslSsl;
    profile.keyFile = QStringLiteral("/k");
    const auto resolved = resolveSecretsBlocking(store, profile);
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->saslPassword, std::optional(QByteArray("pw")));
    QVERIFY(!resolved->keyPassphrase); // optional and absent

    profile.name = QStringLiteral("other");
    QCOMPARE(resolveSecretsBlocking(store, profile).error().message(),
             QStringLiteral("profile 'other': no SASL password stored in the system keychain"));
    store.setBehaviour(MemorySecretStore::Behaviour::Unavailable);
    QCOMPARE(readSecretBlocking(store, QStringLiteral("p"), SecretKind::SaslPassword).error().message(),
             QStringLiteral("profile 'p': cannot read the SASL password: the memory store was told to be unavailable"));
}

void TestSecretStore::keys()
{
    QCOMPARE(SecretStore::serviceName(), QStringLiteral("kbatch"));
    QCOMPARE(SecretStore::keyFor(QStringLiteral("Prod EU"), SecretKind::SaslPassword),
             QStringLiteral("Prod EU/sasl-password"));
    QCOMPARE(SecretStore::keyFor(QStringLiteral("x"), SecretKind::KeyPassphrase), QStringLiteral("x/key-passphrase"));
    QCOMPARE(SecretStore::keyFor(QStringLiteral("x"), SecretKind::OAuthToken), QStringLiteral("x/oauth-token"));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"

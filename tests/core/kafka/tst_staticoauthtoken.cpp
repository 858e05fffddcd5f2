// The static OAUTHBEARER token reader: what librdkafka is told about a token (principal, expiry) and the clear
// errors for tokens that cannot work. The real broker accepting such a token is tested in tests/broker (R6).

#include "core/kafka/StaticOAuthToken.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace kbatch::core;

class TestStaticOAuthToken : public QObject
{
    Q_OBJECT
private slots:
    void jwtClaims();
    void opaqueToken_data();
    void opaqueToken();
    void errors_data();
    void errors();
};

static const qint64 now = 1'800'000'000'000; // 2027-01-15 08:00:00 UTC

static QByteArray part(const QJsonObject &o)
{
    return QJsonDocument(o)
        .toJson(QJsonDocument::Compact)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

static QByteArray jwt(const QJsonObject &claims)
{
    return part({{QStringLiteral("alg"), QStringLiteral("none")}}) + '.' + part(claims) + '.';
}

void TestStaticOAuthToken::jwtClaims()
{
    const QByteArray token = jwt({{QStringLiteral("sub"), QStringLiteral("alice")},
                                  {QStringLiteral("exp"), 1'800'000'600},
                                  {QStringLiteral("iat"), 1'799'999'000}});
    const auto t = parseStaticOAuthToken(token, now);
    QVERIFY2(t.ok(), qPrintable(t.ok() ? QString() : t.error().message()));
    QCOMPARE(t.value().token, token);
    QCOMPARE(t.value().principal, QStringLiteral("alice"));
    QCOMPARE(t.value().expiresAtMs, 1'800'000'600'000);
    QVERIFY(t.value().expiryFromToken);

    // Without "sub" and "exp": a stand-in principal and an hour's lifetime (asked again at 80 % of it).
    const auto bare = parseStaticOAuthToken(jwt({{QStringLiteral("scope"), QStringLiteral("write")}}), now);
    QVERIFY(bare.ok());
    QCOMPARE(bare.value().principal, QStringLiteral("kbatch"));
    QCOMPARE(bare.value().expiresAtMs, now + StaticOAuthToken::defaultLifetimeMs);
    QVERIFY(!bare.value().expiryFromToken);
}

void TestStaticOAuthToken::opaqueToken_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("random string") << QByteArray("2YotnFZFEjr1zCsicMWpAA");
    QTest::newRow("two dots, not base64") << QByteArray("a!b.c!d.e");
    QTest::newRow("two dots, header not JSON") << QByteArray("YWJj.YWJj.YWJj");
}

void TestStaticOAuthToken::opaqueToken()
{
    QFETCH(QByteArray, token);
    const auto t = parseStaticOAuthToken(token, now);
    QVERIFY(t.ok());
    QCOMPARE(t.value().token, token);
    QCOMPARE(t.value().principal, QStringLiteral("kbatch"));
    QCOMPARE(t.value().expiresAtMs, now + StaticOAuthToken::defaultLifetimeMs);
}

void TestStaticOAuthToken::errors_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("oauthToken: the OAuth token is empty");
    QTest::newRow("trailing newline") << QByteArray("abc.def\n")
                                      << QStringLiteral("oauthToken: the OAuth token contains a space, line break "
                                                        "or control character; paste the token alone");
    QTest::newRow("Bearer prefix") << QByteArray("Bearer abc")
                                   << QStringLiteral("oauthToken: the OAuth token contains a space, line break or "
                                                     "control character; paste the token alone");
    QTest::newRow("expired") << jwt({{QStringLiteral("sub"), QStringLiteral("alice")},
                                     {QStringLiteral("exp"), 1'799'996'400}})
                             << QStringLiteral("oauthToken: the OAuth token expired at 2027-01-15 07:00:00 UTC; "
                                               "store a fresh one in the profile");
    const QByteArray header = part({{QStringLiteral("alg"), QStringLiteral("none")}});
    QTest::newRow("claims not an object")
        << header + '.' + QByteArray("[1,2]").toBase64(QByteArray::Base64UrlEncoding) + '.'
        << QStringLiteral("oauthToken: the OAuth token looks like a JWT but its claims are not a JSON object");
}

void TestStaticOAuthToken::errors()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, expected);
    const auto t = parseStaticOAuthToken(token, now);
    QVERIFY(!t.ok());
    QCOMPARE(t.error().message(), expected);
    if (!token.isEmpty())
        QVERIFY(!t.error().message().contains(QString::fromUtf8(token.trimmed())));
}

QTEST_GUILESS_MAIN(TestStaticOAuthToken)
#include "tst_staticoauthtoken.moc"

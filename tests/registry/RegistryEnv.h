#pragma once

// The registry that `tests/registry/registry up` started (CTest fixture "registry"): its URLs and the files and
// credentials made for this run, from STATE_DIR/registry.json; and a few helpers the registry tests share.
// Header-only, like tests/common.

#include "core/model/RegistrySettings.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>

#include <optional>

namespace kbatch::test {

struct RegistryEnv
{
    QString ccompat;                           // the Confluent-compatible API, no authentication
    QString http, https, httpsWrongHost, mtls; // the same API behind the auth proxy
    QString user, password, readonlyUser, readonlyPassword, token;
    QString ca, untrustedCa, clientCert, clientKey;

    // KBATCH_REGISTRY_STATE from the environment, else the directory CMake compiled in. A registry that did not
    // come up is an error, never a skip: callers QVERIFY the result.
    static std::optional<RegistryEnv> load()
    {
        const QString dir = qEnvironmentVariable("KBATCH_REGISTRY_STATE", QStringLiteral(KBATCH_REGISTRY_STATE));
        QFile file(dir + QStringLiteral("/registry.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("%s: %s; is the registry up? (tests/registry/registry up %s)", qPrintable(file.fileName()),
                     qPrintable(file.errorString()), qPrintable(dir));
            return std::nullopt;
        }
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject auth = o.value(QLatin1String("auth")).toObject();
        const auto s = [](const QJsonObject &obj, const char *name) {
            return obj.value(QLatin1String(name)).toString();
        };
        RegistryEnv env;
        env.ccompat = s(o, "ccompat");
        env.http = s(auth, "http");
        env.https = s(auth, "https");
        env.httpsWrongHost = s(auth, "https_wrong_host");
        env.mtls = s(auth, "mtls");
        env.token = s(auth, "token");
        env.ca = s(auth, "ca");
        env.untrustedCa = s(auth, "untrusted_ca");
        env.clientCert = s(auth, "client_cert");
        env.clientKey = s(auth, "client_key");
        const QJsonObject users = auth.value(QLatin1String("users")).toObject();
        const QJsonObject readers = auth.value(QLatin1String("readonly_users")).toObject();
        if (!users.isEmpty()) {
            env.user = users.keys().front();
            env.password = users.value(env.user).toString();
        }
        if (!readers.isEmpty()) {
            env.readonlyUser = readers.keys().front();
            env.readonlyPassword = readers.value(env.readonlyUser).toString();
        }
        if (env.ccompat.isEmpty() || env.http.isEmpty() || env.ca.isEmpty() || env.user.isEmpty()) {
            qWarning("%s is incomplete", qPrintable(file.fileName()));
            return std::nullopt;
        }
        return env;
    }

    core::RegistrySettings settings(const QString &url) const
    {
        core::RegistrySettings s;
        s.url = QUrl(url);
        s.timeoutMs = 15000;
        return s;
    }
};

// A fresh prefix for subjects and topics, so that reruns against the same registry and broker never meet old ones.
inline QString freshName(const char *what)
{
    return QStringLiteral("%1-%2")
        .arg(QLatin1String(what))
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

// A loopback port that nothing listens on: bound, then closed.
inline quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// One plain HTTP request with Qt's own client (not KBatch's): (status, body). For setting up the registry.
inline QPair<int, QByteArray> rawRequest(const QByteArray &method, const QString &url, const QByteArray &body = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/vnd.schemaregistry.v1+json"));
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    delete reply;
    return {status, answer};
}

} // namespace kbatch::test

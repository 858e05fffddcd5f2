#include "RegistryClient.h"

#include "RegistryAnswer.h"

#include "SchemaLog.h"
#include "core/format/JsonReader.h"
#include "core/format/JsonWriter.h"
#include "core/model/Printable.h"

#include <QFile>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QSslKey>

namespace kbatch::core {

namespace {

using Kind = RegistryError::Kind;

constexpr char ContentType[] = "application/vnd.schemaregistry.v1+json";
// References nest at most this deep (a chain of imports); deeper is taken for a loop.
constexpr int MaxReferenceDepth = 32;
// An answer is untrusted input: a registry (or whatever answers at its URL) that sends more than this is cut off
// rather than read into memory whole. The largest real schemas are a few hundred KiB.
constexpr qint64 MaxAnswerBytes = qint64(16) * 1024 * 1024;
constexpr char TooLargeProperty[] = "kbatchAnswerTooLarge";

} // namespace

RegistryClient::RegistryClient(RegistrySettings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_network(new QNetworkAccessManager(this))
{
    // Credentials in the URL would end up in messages and logs: they go to basic authentication instead.
    if (!m_settings.url.userName().isEmpty()) {
        if (m_settings.username.isEmpty()) {
            m_settings.username = m_settings.url.userName();
            m_settings.password = m_settings.url.password().toUtf8();
        }
        m_settings.url.setUserInfo({});
    }
    m_basePath = m_settings.url.path();
    while (m_basePath.endsWith(QLatin1Char('/')))
        m_basePath.chop(1);
    if (!m_settings.url.isValid() || m_settings.url.host().isEmpty() ||
        (m_settings.url.scheme() != QLatin1String("http") && m_settings.url.scheme() != QLatin1String("https"))) {
        m_settingsError =
            error(Kind::Settings,
                  QStringLiteral("the registry URL '%1' is not an http:// or https:// URL").arg(displayUrl()));
        return;
    }

    m_ssl = QSslConfiguration::defaultConfiguration();
    if (!m_settings.caFile.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_settings.caFile, QSsl::Pem);
        if (cas.isEmpty()) {
            m_settingsError = error(Kind::Settings, QStringLiteral("registry CA file '%1': no PEM certificate in it "
                                                                   "(or it cannot be read)")
                                                        .arg(m_settings.caFile));
            return;
        }
        m_ssl.addCaCertificates(cas);
    }
    if (!m_settings.clientCertificateFile.isEmpty() || !m_settings.clientKeyFile.isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_settings.clientCertificateFile, QSsl::Pem);
        if (certs.isEmpty()) {
            m_settingsError = error(Kind::Settings, QStringLiteral("registry client certificate '%1': no PEM "
                                                                   "certificate in it (or it cannot be read)")
                                                        .arg(m_settings.clientCertificateFile));
            return;
        }
        QFile keyFile(m_settings.clientKeyFile);
        QByteArray pem;
        if (keyFile.open(QIODevice::ReadOnly))
            pem = keyFile.readAll();
        QSslKey key(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, m_settings.clientKeyPassphrase);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey, m_settings.clientKeyPassphrase);
        if (key.isNull()) {
            // An encrypted key says so in its PEM ("ENCRYPTED PRIVATE KEY", or "Proc-Type: 4,ENCRYPTED"): then the
            // passphrase is what failed, and the user is told which of the two cases it is, never the passphrase.
            const bool encrypted = pem.contains("ENCRYPTED");
            const QString why = !encrypted ? QStringLiteral("cannot read it (not a PEM RSA or EC private key)")
                                : m_settings.clientKeyPassphrase.isEmpty()
                                    ? QStringLiteral("the passphrase is missing: the key is encrypted, "
                                                     "give the registry key passphrase")
                                    : QStringLiteral("the passphrase is wrong: the encrypted key "
                                                     "does not open with it");
            m_settingsError = error(Kind::Settings,
                                    QStringLiteral("registry client key '%1': %2").arg(m_settings.clientKeyFile, why));
            return;
        }
        m_ssl.setLocalCertificate(certs.front());
        m_ssl.setPrivateKey(key);
    }
}

RegistryClient::~RegistryClient() = default;

QString RegistryClient::displayUrl() const
{
    return m_settings.url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

RegistryError RegistryClient::error(Kind kind, const QString &text, int status, int code) const
{
    RegistryError e;
    e.kind = kind;
    e.text = text;
    e.httpStatus = status;
    e.errorCode = code;
    return e;
}

template <typename T> RegistryClient::Callback<T> RegistryClient::guarded(QObject *context, Callback<T> done)
{
    const bool hasContext = context != nullptr;
    return [guard = QPointer<QObject>(context), hasContext, done = std::move(done)](const RegistryResult<T> &r) {
        if (!hasContext || guard)
            done(r);
    };
}

template <typename T> void RegistryClient::post(Callback<T> done, RegistryResult<T> result)
{
    // Never before the caller is back in the event loop, as the network answers are.
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result = std::move(result)] { done(result); }, Qt::QueuedConnection);
}

QString RegistryClient::subjectPath(const QString &subject)
{
    return QStringLiteral("/subjects/") + QString::fromLatin1(QUrl::toPercentEncoding(subject));
}

QByteArray RegistryClient::schemaBody(const Schema &schema)
{
    QByteArray body("{\"schema\":");
    appendJsonString(body, schema.text);
    if (schema.format != SchemaFormat::Avro) { // absent means AVRO, and some registries want it absent
        body.append(",\"schemaType\":");
        appendJsonString(body, registryTypeName(schema.format).toUtf8());
    }
    if (!schema.references.isEmpty()) {
        body.append(",\"references\":[");
        for (qsizetype i = 0; i < schema.references.size(); ++i) {
            const SchemaReference &r = schema.references[i];
            body.append(i ? ",{\"name\":" : "{\"name\":");
            appendJsonString(body, r.name.toUtf8());
            body.append(",\"subject\":");
            appendJsonString(body, r.subject.toUtf8());
            body.append(",\"version\":" + QByteArray::number(r.version) + '}');
        }
        body.append(']');
    }
    body.append('}');
    return body;
}

void RegistryClient::send(const QByteArray &method, const QString &path, const QString &query, const QByteArray &body,
                          const NotFoundText &notFound, Handler handler)
{
    if (m_settingsError) {
        post<QByteArray>(std::move(handler), *m_settingsError);
        return;
    }
    QUrl url = m_settings.url;
    url.setPath(m_basePath + path, QUrl::TolerantMode);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Accept", QByteArray(ContentType) + ", application/json");
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray(ContentType));
    if (!m_settings.username.isEmpty())
        request.setRawHeader("Authorization",
                             "Basic " +
                                 QByteArray(m_settings.username.toUtf8() + ':' + m_settings.password).toBase64());
    else if (!m_settings.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_settings.bearerToken);
    request.setTransferTimeout(m_settings.timeoutMs);
    // A registry's answer is untrusted: a redirect to another scheme, host or port would take the request, and the
    // credentials in its headers, somewhere the user did not choose. Only the same origin is followed.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    if (url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(m_ssl);

    ++m_requests;
    qCDebug(lcSchema) << "registry request" << method << path; // never the headers: they hold the credentials
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    auto sslProblems = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, this, [sslProblems](const QList<QSslError> &errors) {
        for (const QSslError &e : errors) {
            QString text = e.errorString();
            const QSslCertificate cert = e.certificate();
            if (!cert.isNull())
                text += QStringLiteral(" (certificate for %1, issued by %2)")
                            .arg(cert.subjectInfo(QSslCertificate::CommonName).join(QLatin1String(", ")),
                                 cert.issuerInfo(QSslCertificate::CommonName).join(QLatin1String(", ")));
            if (!sslProblems->contains(text))
                sslProblems->append(text);
        }
    });
    const QString where = displayUrl();
    const QString what = QString::fromLatin1(method) + QLatin1Char(' ') + path;
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
        if (received > MaxAnswerBytes && !reply->property(TooLargeProperty).toBool()) {
            reply->setProperty(TooLargeProperty, true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, sslProblems, where, what, notFound, handler] {
        reply->deleteLater();
        if (reply->property(TooLargeProperty).toBool()) {
            handler(error(Kind::BadAnswer, QStringLiteral("the registry at %1 answered %2 with more than %3 MiB: not "
                                                          "read")
                                               .arg(where, what)
                                               .arg(MaxAnswerBytes / (qint64(1024) * 1024))));
            return;
        }
        const QByteArray answer = reply->readAll();
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
        if (reply->error() == QNetworkReply::InsecureRedirectError || (status >= 300 && status < 400)) {
            const QByteArray location = reply->rawHeader("Location");
            const QUrl to = location.isEmpty() ? QUrl() : reply->url().resolved(QUrl::fromEncoded(location));
            handler(error(Kind::BadAnswer,
                          QStringLiteral("the registry at %1 redirected %2 to %3: not followed (only a redirect on "
                                         "the same scheme, host and port is)")
                              .arg(where, what,
                                   to.isEmpty() ? QStringLiteral("another address")
                                                : printableCut(to.toDisplayString(QUrl::RemoveUserInfo), 200))));
            return;
        }
        qCDebug(lcSchema) << "registry answer" << what << status << reply->error();
        if (status >= 200 && status < 300) {
            handler(answer);
            return;
        }
        if (status == 0) {
            switch (reply->error()) {
            case QNetworkReply::SslHandshakeFailedError:
                handler(
                    error(Kind::Tls, QStringLiteral("TLS with the registry at %1 failed: %2")
                                         .arg(where, sslProblems->isEmpty() ? reply->errorString()
                                                                            : sslProblems->join(QLatin1String("; ")))));
                return;
            case QNetworkReply::OperationCanceledError:
            case QNetworkReply::TimeoutError:
                handler(error(Kind::Unreachable, QStringLiteral("no answer from the registry at %1 within %2 ms")
                                                     .arg(where)
                                                     .arg(m_settings.timeoutMs)));
                return;
            default: {
                // Network-level texts ("Connection refused", "Host ... not found") hold no credentials. A TLS alert
                // after the handshake (a server that wants a client certificate) comes as a read error: say TLS.
                // With TLS 1.3 the alert may also be lost in a race with the server closing: a closed connection
                // before any answer over https, without a client certificate, is said as the likely TLS cause.
                QString text = reply->errorString();
                const bool https = reply->url().scheme() == QLatin1String("https");
                const bool closedWithoutCertificate = https && reply->error() == QNetworkReply::RemoteHostClosedError &&
                                                      m_settings.clientCertificateFile.isEmpty();
                if (closedWithoutCertificate)
                    text += QStringLiteral(" (before any answer: a registry that requires a client certificate does "
                                           "that, and none is set)");
                const bool tlsAlert =
                    closedWithoutCertificate ||
                    (https && (text.contains(QLatin1String("SSL")) || text.contains(QLatin1String("alert"))));
                handler(tlsAlert ? error(Kind::Tls,
                                         QStringLiteral("TLS with the registry at %1 failed: %2").arg(where, text))
                                 : error(Kind::Unreachable,
                                         QStringLiteral("cannot reach the registry at %1: %2").arg(where, text)));
                return;
            }
            }
        }
        Answer parsed;
        const bool isJson = parsed.parse(answer);
        const QString said =
            isJson && !parsed.message.isEmpty() ? parsed.message : QString::fromUtf8(answer.left(200)).simplified();
        const int code = parsed.errorCode;
        switch (status) {
        case 401:
            handler(error(Kind::Unauthorized,
                          m_settings.username.isEmpty() && m_settings.bearerToken.isEmpty()
                              ? QStringLiteral("the registry at %1 needs credentials (HTTP 401)").arg(where)
                              : QStringLiteral("the registry at %1 refused the credentials (HTTP 401)").arg(where),
                          status, code));
            return;
        case 403:
            handler(error(Kind::Forbidden,
                          QStringLiteral("the registry at %1 does not allow %2 with these credentials (HTTP 403)")
                              .arg(where, what),
                          status, code));
            return;
        case 404:
            handler(error(Kind::NotFound,
                          // The registry's own 404s carry 404xx codes; a plain 404 is a path no registry serves.
                          code >= 40400 && code < 40500
                              ? notFound(code) + QStringLiteral(" (registry at %1)").arg(where)
                              : QStringLiteral("%1 is not a Schema Registry API at %2 (HTTP 404 "
                                               "without a registry error): is the URL right?")
                                    .arg(what, where),
                          status, code));
            return;
        case 409:
            handler(error(
                Kind::Incompatible,
                QStringLiteral("the registry at %1 refused the schema as incompatible (HTTP 409): %2").arg(where, said),
                status, code));
            return;
        case 422:
            handler(error(Kind::InvalidSchema,
                          QStringLiteral("the registry at %1 cannot use the schema (HTTP 422): %2").arg(where, said),
                          status, code));
            return;
        default:
            handler(error(
                Kind::Failed,
                QStringLiteral("the registry at %1 answered HTTP %2 to %3: %4").arg(where).arg(status).arg(what, said),
                status, code));
        }
    });
}

void RegistryClient::subjectVersion(const QString &subject, int version, QObject *context, Callback<Schema> done)
{
    Callback<Schema> callback = guarded<Schema>(context, std::move(done));
    if (version > 0) {
        if (const auto it = m_byVersion.constFind({subject, version}); it != m_byVersion.constEnd()) {
            post<Schema>(std::move(callback), *it);
            return;
        }
    }
    const QString v = version > 0 ? QString::number(version) : QStringLiteral("latest");
    const NotFoundText notFound = [subject, version](int code) {
        if (code == 40402 && version > 0)
            return QStringLiteral("version %1 of subject '%2' does not exist").arg(version).arg(subject);
        if (code == 40402)
            return QStringLiteral("subject '%1' has no versions").arg(subject);
        return QStringLiteral("subject '%1' does not exist").arg(subject);
    };
    send("GET", subjectPath(subject) + QStringLiteral("/versions/") + v, {}, {}, notFound,
         [this, subject, callback](const RegistryResult<QByteArray> &r) {
             if (!r && r.error().kind == Kind::NotFound && r.error().errorCode == 40402) {
                 // Apicurio (unlike Confluent) answers 40402 also when the subject itself does not exist: ask the
                 // subject's version list, which tells the two apart, so that the message says which it is.
                 const RegistryError &versionError = r.error();
                 send(
                     "GET", subjectPath(subject) + QStringLiteral("/versions"), {}, {},
                     [subject](int) { return QStringLiteral("subject '%1' does not exist").arg(subject); },
                     [callback, versionError](const RegistryResult<QByteArray> &list) {
                         callback(!list && list.error().kind == Kind::NotFound ? list.error() : versionError);
                     });
                 return;
             }
             if (!r) {
                 callback(r.error());
                 return;
             }
             Answer a;
             if (!a.parse(*r) || !a.hasSchema || a.id < 0 || a.version < 0 || !formatFromRegistryType(a.schemaType)) {
                 callback(error(Kind::BadAnswer, QStringLiteral("the registry at %1 gave no schema, id and version "
                                                                "for subject '%2'")
                                                     .arg(displayUrl(), subject)));
                 return;
             }
             Schema s;
             s.id = int(a.id);
             s.subject = subject;
             s.version = int(a.version);
             s.format = *formatFromRegistryType(a.schemaType);
             s.text = a.schema;
             s.references = a.references;
             m_byVersion.insert({subject, s.version}, s);
             callback(s);
         });
}

void RegistryClient::schemaById(int id, QObject *context, Callback<ResolvedSchema> done)
{
    Callback<ResolvedSchema> callback = guarded<ResolvedSchema>(context, std::move(done));
    if (const auto it = m_byId.constFind(id); it != m_byId.constEnd()) {
        post<ResolvedSchema>(std::move(callback), *it);
        return;
    }
    const NotFoundText notFound = [id](int) { return QStringLiteral("schema id %1 does not exist").arg(id); };
    send("GET", QStringLiteral("/schemas/ids/") + QString::number(id), {}, {}, notFound,
         [this, id, callback](const RegistryResult<QByteArray> &r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             Answer a;
             if (!a.parse(*r) || !a.hasSchema || !formatFromRegistryType(a.schemaType)) {
                 callback(
                     error(Kind::BadAnswer,
                           QStringLiteral("the registry at %1 gave no schema for id %2").arg(displayUrl()).arg(id)));
                 return;
             }
             Schema s;
             s.id = id;
             s.format = *formatFromRegistryType(a.schemaType);
             s.text = a.schema;
             s.references = a.references;
             resolveReferences(s, this, [this, id, callback](const RegistryResult<ResolvedSchema> &resolved) {
                 if (resolved)
                     m_byId.insert(id, *resolved);
                 callback(resolved);
             });
         });
}

void RegistryClient::subjectVersionsOfId(int id, QObject *context, Callback<QList<SubjectVersion>> done)
{
    Callback<QList<SubjectVersion>> callback = guarded<QList<SubjectVersion>>(context, std::move(done));
    const NotFoundText notFound = [id](int) { return QStringLiteral("schema id %1 does not exist").arg(id); };
    send("GET", QStringLiteral("/schemas/ids/%1/versions").arg(id), {}, {}, notFound,
         [this, id, callback](const RegistryResult<QByteArray> &r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             QList<SubjectVersion> found;
             JsonReader reader(*r);
             bool ok = reader.beginArray();
             while (ok && found.size() < MaxSubjectVersions && reader.nextElement()) {
                 SubjectVersion sv;
                 QByteArray name, subject;
                 QByteArrayView number;
                 ok = reader.beginObject();
                 while (ok && reader.nextMember(name)) {
                     if (name == "subject")
                         ok = reader.readString(subject);
                     else if (name == "version")
                         ok = reader.readNumber(number);
                     else
                         ok = reader.skipValue();
                 }
                 sv.subject = QString::fromUtf8(subject);
                 sv.version = number.toInt();
                 if (ok && !reader.hasError() && !sv.subject.isEmpty())
                     found.append(sv);
             }
             if (!ok || reader.hasError()) {
                 callback(error(Kind::BadAnswer, QStringLiteral("the registry at %1 gave no list of subjects for "
                                                                "schema id %2")
                                                     .arg(displayUrl())
                                                     .arg(id)));
                 return;
             }
             callback(found);
         });
}

void RegistryClient::resolveReferences(const Schema &schema, QObject *context, Callback<ResolvedSchema> done)
{
    Callback<ResolvedSchema> callback = guarded<ResolvedSchema>(context, std::move(done));
    auto resolved = std::make_shared<ResolvedSchema>();
    resolved->schema = schema;
    if (schema.references.isEmpty()) {
        post<ResolvedSchema>(std::move(callback), *resolved);
        return;
    }
    auto seen = std::make_shared<QSet<QPair<QString, int>>>();
    fetchReferences(
        schema.references, resolved, seen, 0, [resolved, callback] { callback(*resolved); },
        [callback](const RegistryError &e) { callback(e); });
}

// Depth first, one reference at a time: each referenced schema lands in `into` after the schemas it references.
void RegistryClient::fetchReferences(const QList<SchemaReference> &references,
                                     const std::shared_ptr<ResolvedSchema> &into,
                                     const std::shared_ptr<QSet<QPair<QString, int>>> &seen, int depth,
                                     const std::function<void()> &done,
                                     const std::function<void(const RegistryError &)> &failed)
{
    if (references.isEmpty()) {
        done();
        return;
    }
    if (depth > MaxReferenceDepth) {
        failed(error(Kind::BadAnswer, QStringLiteral("schema references nest more than %1 deep (a loop?) at the "
                                                     "registry at %2")
                                          .arg(MaxReferenceDepth)
                                          .arg(displayUrl())));
        return;
    }
    const SchemaReference &first = references.front();
    const QList<SchemaReference> rest = references.mid(1);
    const auto next = [this, rest, into, seen, depth, done, failed] {
        fetchReferences(rest, into, seen, depth, done, failed);
    };
    if (seen->contains({first.subject, first.version})) {
        next();
        return;
    }
    seen->insert({first.subject, first.version});
    subjectVersion(first.subject, first.version, this,
                   [this, into, seen, depth, next, failed, first](const RegistryResult<Schema> &r) {
                       if (!r) {
                           RegistryError e = r.error();
                           e.text = QStringLiteral("reference '%1': %2").arg(first.name, e.text);
                           failed(e);
                           return;
                       }
                       const Schema &referenced = *r;
                       fetchReferences(
                           referenced.references, into, seen, depth + 1,
                           [into, referenced, next] {
                               into->referenced.append(referenced);
                               next();
                           },
                           failed);
                   });
}

void RegistryClient::lookup(const QString &subject, const Schema &schema, QObject *context, Callback<Schema> done)
{
    Callback<Schema> callback = guarded<Schema>(context, std::move(done));
    const NotFoundText notFound = [subject](int code) {
        return code == 40403 || code == 40402
                   ? QStringLiteral("subject '%1' does not hold this schema").arg(subject)
                   : QStringLiteral("subject '%1' does not exist, or does not hold this schema").arg(subject);
    };
    send("POST", subjectPath(subject), QStringLiteral("normalize=true"), schemaBody(schema), notFound,
         [this, subject, schema, callback](const RegistryResult<QByteArray> &r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             Answer a;
             if (!a.parse(*r) || a.id < 0) {
                 callback(error(Kind::BadAnswer, QStringLiteral("the registry at %1 gave no id for the schema in "
                                                                "subject '%2'")
                                                     .arg(displayUrl(), subject)));
                 return;
             }
             Schema found = schema;
             found.id = int(a.id);
             found.subject = subject;
             found.version = a.version > 0 ? int(a.version) : 0;
             // The registered text (it may differ in whitespace): that is what readers will fetch by the id.
             if (a.hasSchema)
                 found.text = a.schema;
             if (found.version > 0)
                 m_byVersion.insert({subject, found.version}, found);
             callback(found);
         });
}

void RegistryClient::registerSchema(const QString &subject, const Schema &schema, QObject *context,
                                    Callback<Schema> done)
{
    Callback<Schema> callback = guarded<Schema>(context, std::move(done));
    const NotFoundText notFound = [subject](int code) {
        return code == 40402 ? QStringLiteral("a reference of the schema for subject '%1' does not exist").arg(subject)
                             : QStringLiteral("cannot register in subject '%1': not found").arg(subject);
    };
    send("POST", subjectPath(subject) + QStringLiteral("/versions"), {}, schemaBody(schema), notFound,
         [this, subject, schema, callback](const RegistryResult<QByteArray> &r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             Answer a;
             if (!a.parse(*r) || a.id < 0) {
                 callback(error(Kind::BadAnswer, QStringLiteral("the registry at %1 gave no id for the schema "
                                                                "registered in subject '%2'")
                                                     .arg(displayUrl(), subject)));
                 return;
             }
             Schema registered = schema;
             registered.id = int(a.id);
             registered.subject = subject;
             registered.version = a.version > 0 ? int(a.version) : 0;
             callback(registered);
         });
}

void RegistryClient::checkCompatibility(const QString &subject, const Schema &schema, QObject *context,
                                        Callback<CompatibilityResult> done)
{
    Callback<CompatibilityResult> callback = guarded<CompatibilityResult>(context, std::move(done));
    const NotFoundText notFound = [subject](int) {
        return QStringLiteral("subject '%1' does not exist (nothing to be compatible with)").arg(subject);
    };
    send("POST", QStringLiteral("/compatibility") + subjectPath(subject) + QStringLiteral("/versions/latest"), {},
         schemaBody(schema), notFound, [this, subject, callback](const RegistryResult<QByteArray> &r) {
             if (!r) {
                 callback(r.error());
                 return;
             }
             Answer a;
             if (!a.parse(*r) || a.isCompatible < 0) {
                 callback(error(
                     Kind::BadAnswer,
                     QStringLiteral("the registry at %1 gave no verdict for subject '%2'").arg(displayUrl(), subject)));
                 return;
             }
             CompatibilityResult c;
             c.compatible = a.isCompatible == 1;
             c.messages = a.messages;
             callback(c);
         });
}

void RegistryClient::listSubjects(QObject *context, Callback<QStringList> done)
{
    Callback<QStringList> callback = guarded<QStringList>(context, std::move(done));
    send(
        "GET", QStringLiteral("/subjects"), {}, {}, [](int) { return QStringLiteral("no subjects list"); },
        [this, callback](const RegistryResult<QByteArray> &r) {
            if (!r) {
                callback(r.error());
                return;
            }
            QStringList subjects;
            JsonReader reader(*r);
            bool ok = reader.beginArray();
            while (ok && reader.nextElement()) {
                QByteArray s;
                ok = reader.readString(s);
                subjects.append(QString::fromUtf8(s));
            }
            if (!ok || reader.hasError()) {
                callback(error(Kind::BadAnswer,
                               QStringLiteral("the registry at %1 gave no list of subjects").arg(displayUrl())));
                return;
            }
            callback(subjects);
        });
}

void RegistryClient::clearCache()
{
    m_byId.clear();
    m_byVersion.clear();
}

} // namespace kbatch::core

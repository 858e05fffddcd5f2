#pragma once

#include "RegistryError.h"
#include "Schema.h"
#include "core/model/RegistrySettings.h"

#include <QHash>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QSslConfiguration>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace kbatch::core {

// A registry's verdict on a schema against a subject's latest version.
struct CompatibilityResult
{
    bool compatible = false;
    QStringList messages; // why not, when the registry says (Apicurio says nothing here; its 409s do)
};

// A subject and version under which a schema id is registered (one id may be under several subjects).
struct SubjectVersion
{
    QString subject;
    int version = 0;

    friend bool operator==(const SubjectVersion &, const SubjectVersion &) = default;
};

// A client of Confluent's Schema Registry REST API, as Confluent, Apicurio (/apis/ccompat/v7), Karapace and Redpanda
// serve it: QNetworkAccessManager, asynchronous.
//
// Every operation calls `done` exactly once, on this object's thread, and never before control returns to the event
// loop (so connecting state after the call is always in time); not at all when `context` (if given) is destroyed
// first. Errors are RegistryError values whose text is one line naming the URL (never credentials): unreachable,
// TLS, 401, 403, 404 (unknown subject, version or id), 409 (with the registry's reason), 422, answers that are not
// the API's.
//
// Caching: a schema by id and a subject's numbered version never change, so each is asked for once per client;
// "latest" is asked every time it is asked for (SchemaResolver asks once per send). A send of a million rows costs a
// handful of requests; requestCount() lets tests count them.
//
// Thread: create and use on one thread with an event loop (the UI thread: nothing here blocks; the CLI's main
// thread). Blocking use is for the CLI and tests only: RegistryWait.h.
class RegistryClient : public QObject
{
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(const RegistryResult<T> &)>;

    // Credentials written into the URL ("https://user:pw@host") are moved to basic authentication and dropped from
    // the URL. A CA file or client key that cannot be read fails every request with Kind::Settings.
    explicit RegistryClient(RegistrySettings settings, QObject *parent = nullptr);
    ~RegistryClient() override;

    // The base URL as shown in messages: no user name, no password.
    QString displayUrl() const;

    // GET /subjects/{subject}/versions/{version}; `version` 0 means latest. The schema with subject, version and id.
    // Errors: NotFound "subject 'x' does not exist" / "version 3 of subject 'x' does not exist" (a registry that
    // answers both with 40402, as Apicurio does, costs one more request to tell them apart).
    void subjectVersion(const QString &subject, int version, QObject *context, Callback<Schema> done);
    // GET /schemas/ids/{id}, then each of its references (recursively, each once): what a codec compiles.
    // Errors: NotFound "schema id 99 does not exist".
    void schemaById(int id, QObject *context, Callback<ResolvedSchema> done);
    // GET /schemas/ids/{id}/versions: the subjects and versions that hold schema `id` (the registry's order), at most
    // MaxSubjectVersions of them (an answer is untrusted input: a longer list is cut, not read whole). Not cached:
    // a later registration may add one. Errors: NotFound "schema id 99 does not exist".
    void subjectVersionsOfId(int id, QObject *context, Callback<QList<SubjectVersion>> done);
    static constexpr qsizetype MaxSubjectVersions = 64;
    // Fetches what `schema`'s references resolve to, recursively (nothing to fetch when it has none).
    void resolveReferences(const Schema &schema, QObject *context, Callback<ResolvedSchema> done);
    // POST /subjects/{subject}?normalize=true: the id and version under which `schema` (text, format, references)
    // is registered in `subject`. normalize: registries compare the text byte for byte otherwise (Apicurio does).
    // Errors: NotFound when the subject does not exist or does not hold this schema.
    void lookup(const QString &subject, const Schema &schema, QObject *context, Callback<Schema> done);
    // POST /subjects/{subject}/versions: registers `schema` (or finds it, when the subject has it already); the
    // schema with its id (the version is not in the answer: 0). Errors: Incompatible (409) with the registry's
    // reason, InvalidSchema (422), Forbidden for read-only credentials.
    void registerSchema(const QString &subject, const Schema &schema, QObject *context, Callback<Schema> done);
    // POST /compatibility/subjects/{subject}/versions/latest.
    void checkCompatibility(const QString &subject, const Schema &schema, QObject *context,
                            Callback<CompatibilityResult> done);
    // GET /subjects.
    void listSubjects(QObject *context, Callback<QStringList> done);

    // HTTP requests sent so far (cache hits send none).
    qint64 requestCount() const { return m_requests; }
    // Forgets every cached schema (after a registry was reset, for example).
    void clearCache();

private:
    struct Answer;
    using Handler = std::function<void(const RegistryResult<QByteArray> &)>;
    // For a 404: the message, given the registry's error_code.
    using NotFoundText = std::function<QString(int errorCode)>;

    void send(const QByteArray &method, const QString &path, const QString &query, const QByteArray &body,
              const NotFoundText &notFound, Handler handler);
    template <typename T> void post(Callback<T> done, RegistryResult<T> result);
    template <typename T> static Callback<T> guarded(QObject *context, Callback<T> done);
    RegistryError error(RegistryError::Kind kind, const QString &text, int status = 0, int code = 0) const;
    void fetchReferences(const QList<SchemaReference> &references, const std::shared_ptr<ResolvedSchema> &into,
                         const std::shared_ptr<QSet<QPair<QString, int>>> &seen, int depth,
                         const std::function<void()> &done, const std::function<void(const RegistryError &)> &failed);
    static QByteArray schemaBody(const Schema &schema);
    static QString subjectPath(const QString &subject);

    RegistrySettings m_settings;
    QString m_basePath;
    QNetworkAccessManager *m_network = nullptr;
    QSslConfiguration m_ssl;
    std::optional<RegistryError> m_settingsError;
    QHash<int, ResolvedSchema> m_byId;
    QHash<QPair<QString, int>, Schema> m_byVersion;
    qint64 m_requests = 0;
};

} // namespace kbatch::core

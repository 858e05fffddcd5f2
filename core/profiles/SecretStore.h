#pragma once

#include "ConnectionProfile.h"
#include "Secrets.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QSettings;

namespace kbatch::core {

// The outcome of one SecretStore job. `message` never contains the secret.
struct SecretResult
{
    enum class Status : std::uint8_t {
        Ok,          // done; for a read, `secret` holds the value
        NotFound,    // a read found nothing under that key
        Unavailable, // no usable keychain: no D-Bus session, no Secret Service, no answer in time, locked
        Error,       // the keychain answered with a failure (access denied, ...)
    };
    Status status = Status::Error;
    QString message;
    QByteArray secret;

    bool ok() const { return status == Status::Ok; }
};

using SecretJobId = quint64;

// Asynchronous storage for profile secrets, keyed per profile: service "kbatch", key "<profile>/<kind>".
//
// Every readSecret/writeSecret/deleteSecrets returns a job id and reports `finished` for it EXACTLY ONCE on every
// path (success, not found, backend error, no backend, timeout), and never before control returns to the event
// loop, so connecting after the call is always in time. If the store is destroyed first, the jobs still pending are
// reported from the destructor with Status::Error "cancelled"; a job started from such a report gets id 0 and no
// report (the store is gone).
//
// A keychain cannot list its entries, so the store keeps an index of the keys it wrote (names only, never values)
// in QSettings; deleteSecrets removes every indexed key of the profile.
//
// Thread: create and call on one thread that runs an event loop (the UI thread; the CLI's main thread).
class SecretStore : public QObject
{
    Q_OBJECT
public:
    // `index`: where the key index lives (not owned; null keeps it in memory).
    explicit SecretStore(QSettings *index = nullptr, QObject *parent = nullptr);
    ~SecretStore() override;

    SecretJobId readSecret(const QString &profile, SecretKind kind);
    SecretJobId writeSecret(const QString &profile, SecretKind kind, const QByteArray &secret);
    SecretJobId deleteSecrets(const QString &profile); // Ok also when there was nothing to delete

    // Calls `callback` once with the result of `job`, unless `context` is destroyed first. Call it right after
    // starting the job (before returning to the event loop).
    void onFinished(SecretJobId job, QObject *context, std::function<void(const SecretResult &)> callback);

    // The indexed keys ("<profile>/<kind>") of `profile`.
    QStringList indexedKeys(const QString &profile) const;

    static QString serviceName();                                   // "kbatch"
    static QString keyFor(const QString &profile, SecretKind kind); // "<profile>/<kind>"

Q_SIGNALS:
    void finished(quint64 job, const kbatch::core::SecretResult &result);

protected:
    enum class Operation : std::uint8_t { Read, Write, Delete };

    // Starts one keychain operation. The implementation must call complete(op, ...) once, now or later; extra calls
    // are ignored (and logged), so timeouts and late backend answers may race safely.
    virtual void start(SecretJobId op, Operation operation, const QString &key, const QByteArray &secret) = 0;
    void complete(SecretJobId op, SecretResult result);
    bool isPending(SecretJobId op) const { return m_pending.contains(op); }

private:
    struct Job
    {
        Operation operation = Operation::Read;
        QString key;
        SecretJobId parent = 0; // a deleteSecrets job's parts report to it instead of emitting
        int remaining = 0;      // a deleteSecrets job: parts still running
        SecretResult firstFailure;
        bool failed = false;
    };
    struct Callback
    {
        QPointer<QObject> context;
        std::function<void(const SecretResult &)> function;
    };

    SecretJobId newJob(Job job);
    void ready(SecretJobId job, SecretResult result); // emits on a later event loop iteration
    void deliver(SecretJobId job);
    QStringList index() const;
    void setIndex(const QStringList &keys);

    QSettings *m_index;
    QStringList m_memoryIndex;
    SecretJobId m_nextId = 1;
    bool m_closing = false; // in the destructor: a `finished` handler must not start new jobs
    QHash<SecretJobId, Job> m_pending;
    QHash<SecretJobId, SecretResult> m_ready;
    QHash<SecretJobId, QList<Callback>> m_callbacks;
};

// Waits for `job` by running a local QEventLoop. ONLY for the command-line tool, whose main thread has nothing else
// to do; never on the UI thread (a nested event loop there re-enters widgets). The store's own timeout bounds the wait.
SecretResult waitForSecretJob(SecretStore &store, SecretJobId job);

// CLI helper on top of waitForSecretJob. Errors: "profile 'x': no SASL password stored ..." (not found), the
// keychain's unavailable/error message.
Result<QByteArray> readSecretBlocking(SecretStore &store, const QString &profile, SecretKind kind);

// CLI helper: reads every secret the profile needs (secretsNeeded); a missing optional one is left empty, a missing
// required one is an error, as is an unavailable keychain.
Result<ResolvedSecrets> resolveSecretsBlocking(SecretStore &store, const ConnectionProfile &profile);

} // namespace kbatch::core

Q_DECLARE_METATYPE(kbatch::core::SecretResult)

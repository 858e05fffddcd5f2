#pragma once

#include "ConnectionProfile.h"
#include "Secrets.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <chrono>
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
    // A failed write that left the keychain as it was (it failed before the old item was cleared).
    bool unchanged = false;

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
// in QSettings; deleteSecrets removes every indexed key of the profile. The index follows what the keychain holds:
// a key is indexed when its write starts (a write that times out may still land, and must stay deletable), marked
// confirmed when the keychain says it stored it or returns it, and dropped when a write definitely failed or a read
// finds nothing under a key that was never confirmed. Only a confirmed key that comes back missing is reported as
// "stored but not returned" (a locked keychain answers lookups with nothing).
//
// A keychain may wait for its user: gnome-keyring asks for a password when it creates or unlocks a keyring. A job
// without an answer after noticeAfter() (5 s) is announced once with jobWaiting(), so that the user is told what
// is going on, and goes on waiting: only the store's own deadline ends it.
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
    // Whether the keychain said it stored `key` (or returned it) since it was last written.
    bool isConfirmed(const QString &key) const;

    // How long a job may run before jobWaiting() announces it.
    void setNoticeAfter(std::chrono::milliseconds after) { m_noticeAfter = after; }
    std::chrono::milliseconds noticeAfter() const { return m_noticeAfter; }

    static QString serviceName();                                   // "kbatch"
    static QString keyFor(const QString &profile, SecretKind kind); // "<profile>/<kind>"

Q_SIGNALS:
    void finished(quint64 job, const kbatch::core::SecretResult &result);
    // Once per job that has had no answer for noticeAfter(); its `finished` comes later.
    void jobWaiting(quint64 job);

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
    QStringList unconfirmed() const;
    void setConfirmed(const QString &key, bool confirmed);
    void forget(const QString &key); // from the index and the unconfirmed list

    QSettings *m_index;
    QStringList m_memoryIndex;
    QStringList m_memoryUnconfirmed;
    std::chrono::milliseconds m_noticeAfter{5000};
    SecretJobId m_nextId = 1;
    bool m_closing = false; // in the destructor: a `finished` handler must not start new jobs
    QHash<SecretJobId, Job> m_pending;
    QHash<SecretJobId, SecretResult> m_ready;
    QHash<SecretJobId, QList<Callback>> m_callbacks;
};

// Waits for `job` by running a local QEventLoop. ONLY for the command-line tool, whose main thread has nothing else
// to do; never on the UI thread (a nested event loop there re-enters widgets). The store's own timeout bounds the wait.
// `onWaiting` runs if the store announces the job as waiting (jobWaiting()).
SecretResult waitForSecretJob(SecretStore &store, SecretJobId job, const std::function<void()> &onWaiting = {});

// CLI helper on top of waitForSecretJob. Errors: "profile 'x': no SASL password stored ..." (not found), the
// keychain's unavailable/error message.
Result<QByteArray> readSecretBlocking(SecretStore &store, const QString &profile, SecretKind kind,
                                      const std::function<void()> &onWaiting = {});

// CLI helper: reads every secret the profile needs (secretsNeeded); a missing optional one is left empty, a missing
// required one is an error, as is an unavailable keychain.
Result<ResolvedSecrets> resolveSecretsBlocking(SecretStore &store, const ConnectionProfile &profile,
                                               const std::function<void()> &onWaiting = {});
// The same for the secrets `needs` names (registrySecretsNeeded(), say), into `out`.
Status resolveSecretsBlocking(SecretStore &store, const QString &profile, const QList<SecretNeed> &needs,
                              ResolvedSecrets &out, const std::function<void()> &onWaiting = {});

} // namespace kbatch::core

Q_DECLARE_METATYPE(kbatch::core::SecretResult)

#include "SecretStore.h"

#include "ProfilesLog.h"

#include <QEventLoop>
#include <QSettings>
#include <QTimer>

namespace kbatch::core {

namespace {
const QString IndexKey = QStringLiteral("secretIndex/keys");
// Keys whose last write has not been confirmed by the keychain (it failed without a word, or timed out).
const QString UnconfirmedKey = QStringLiteral("secretIndex/unconfirmed");
} // namespace

SecretStore::SecretStore(QSettings *index, QObject *parent) : QObject(parent), m_index(index)
{
    qRegisterMetaType<SecretResult>();
}

SecretStore::~SecretStore()
{
    m_closing = true;
    // Exactly once, even now: results already made are delivered, jobs still running are cancelled.
    const QList<SecretJobId> ready = m_ready.keys();
    for (SecretJobId job : ready)
        deliver(job);
    const auto pending = m_pending;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        if (it->parent != 0)
            continue;
        m_ready.insert(it.key(), SecretResult{SecretResult::Status::Error,
                                              QStringLiteral("cancelled: the secret store was closed first"),
                                              {}});
        deliver(it.key());
    }
}

QString SecretStore::serviceName()
{
    return QStringLiteral("kbatch");
}

QString SecretStore::keyFor(const QString &profile, SecretKind kind)
{
    return profile + QLatin1Char('/') + toString(kind);
}

QStringList SecretStore::index() const
{
    return m_index ? m_index->value(IndexKey).toStringList() : m_memoryIndex;
}

void SecretStore::setIndex(const QStringList &keys)
{
    if (!m_index) {
        m_memoryIndex = keys;
        return;
    }
    if (keys.isEmpty())
        m_index->remove(IndexKey);
    else
        m_index->setValue(IndexKey, keys);
    m_index->sync();
}

QStringList SecretStore::unconfirmed() const
{
    return m_index ? m_index->value(UnconfirmedKey).toStringList() : m_memoryUnconfirmed;
}

void SecretStore::setConfirmed(const QString &key, bool confirmed)
{
    QStringList keys = unconfirmed();
    if (confirmed == !keys.contains(key))
        return;
    if (confirmed)
        keys.removeAll(key);
    else
        keys.append(key);
    if (!m_index) {
        m_memoryUnconfirmed = keys;
        return;
    }
    if (keys.isEmpty())
        m_index->remove(UnconfirmedKey);
    else
        m_index->setValue(UnconfirmedKey, keys);
    m_index->sync();
}

void SecretStore::forget(const QString &key)
{
    QStringList keys = index();
    if (keys.removeAll(key) > 0)
        setIndex(keys);
    setConfirmed(key, true);
}

bool SecretStore::isConfirmed(const QString &key) const
{
    return index().contains(key) && !unconfirmed().contains(key);
}

QStringList SecretStore::indexedKeys(const QString &profile) const
{
    QStringList out;
    const QString prefix = profile + QLatin1Char('/');
    for (const QString &key : index()) {
        // The kind is the last segment, so "a/b" never matches the keys of profile "a".
        if (key.startsWith(prefix) && secretKindFromString(key.mid(prefix.size())))
            out.append(key);
    }
    return out;
}

SecretJobId SecretStore::newJob(Job job)
{
    Q_ASSERT(!m_closing);
    const SecretJobId id = m_nextId++;
    const bool announce = job.parent == 0;
    m_pending.emplace(id, std::move(job));
    if (announce)
        QTimer::singleShot(m_noticeAfter, this, [this, id] {
            if (m_pending.contains(id))
                emit jobWaiting(id);
        });
    return id;
}

SecretJobId SecretStore::readSecret(const QString &profile, SecretKind kind)
{
    if (m_closing)
        return 0;
    const QString key = keyFor(profile, kind);
    const SecretJobId id = newJob({Operation::Read, key, 0, 0, {}, false});
    start(id, Operation::Read, key, QByteArray());
    return id;
}

SecretJobId SecretStore::writeSecret(const QString &profile, SecretKind kind, const QByteArray &secret)
{
    if (m_closing)
        return 0;
    const QString key = keyFor(profile, kind);
    // Indexed before writing: if the write times out but lands later, deleteSecrets still finds it. Unconfirmed
    // until the keychain says it stored it.
    QStringList keys = index();
    if (!keys.contains(key)) {
        keys.append(key);
        setIndex(keys);
    }
    setConfirmed(key, false);
    const SecretJobId id = newJob({Operation::Write, key, 0, 0, {}, false});
    start(id, Operation::Write, key, secret);
    return id;
}

SecretJobId SecretStore::deleteSecrets(const QString &profile)
{
    if (m_closing)
        return 0;
    const QStringList keys = indexedKeys(profile);
    const SecretJobId id = newJob({Operation::Delete, profile, 0, int(keys.size()), {}, false});
    if (keys.isEmpty()) {
        complete(id, SecretResult{SecretResult::Status::Ok, {}, {}});
        return id;
    }
    QList<SecretJobId> parts;
    for (const QString &key : keys)
        parts.append(newJob({Operation::Delete, key, id, 0, {}, false}));
    for (qsizetype i = 0; i < keys.size(); ++i)
        start(parts[i], Operation::Delete, keys[i], QByteArray());
    return id;
}

void SecretStore::complete(SecretJobId op, SecretResult result)
{
    const auto it = m_pending.find(op);
    if (it == m_pending.end()) {
        qCDebug(lcProfiles) << "ignored a second completion of secret job" << op;
        return;
    }
    const Job job = *it;
    m_pending.erase(it);
    if (job.operation != Operation::Read)
        result.secret.clear();
    if (job.operation == Operation::Write) {
        if (result.ok())
            setConfirmed(job.key, true);
        else if (result.status != SecretResult::Status::Unavailable && !result.unchanged)
            forget(job.key); // the keychain answered "no" after clearing the key: nothing is stored under it
        // Unavailable (no answer in time): the write may still land; the key stays indexed, unconfirmed.
    }
    if (job.operation == Operation::Read && result.ok() && index().contains(job.key))
        setConfirmed(job.key, true);
    // A locked Secret Service answers a lookup with "nothing", exactly as for a secret never stored. The index
    // knows better: a key the keychain confirmed storing that comes back missing is reported as unreadable. A key it
    // never confirmed was never stored (or was lost): the index forgets it and the read is an honest "not found".
    if (job.operation == Operation::Read && result.status == SecretResult::Status::NotFound &&
        index().contains(job.key)) {
        if (unconfirmed().contains(job.key))
            forget(job.key);
        else
            result = SecretResult{SecretResult::Status::Error,
                                  QStringLiteral("the system keychain did not return it although it confirmed "
                                                 "storing it: if the keychain is locked, unlock it; otherwise store "
                                                 "it again"),
                                  {}};
    }
    if (job.parent == 0) {
        ready(op, std::move(result));
        return;
    }
    // One part of a deleteSecrets job.
    if (result.ok())
        forget(job.key);
    const auto parent = m_pending.find(job.parent);
    if (parent == m_pending.end())
        return;
    if (!result.ok() && !parent->failed) {
        parent->failed = true;
        parent->firstFailure = std::move(result);
    }
    if (--parent->remaining == 0) {
        const SecretResult total =
            parent->failed ? parent->firstFailure : SecretResult{SecretResult::Status::Ok, {}, {}};
        complete(job.parent, total);
    }
}

void SecretStore::ready(SecretJobId job, SecretResult result)
{
    m_ready.emplace(job, std::move(result));
    // Queued so that `finished` never fires inside the call that started the job.
    QMetaObject::invokeMethod(
        this, [this, job] { deliver(job); }, Qt::QueuedConnection);
}

void SecretStore::deliver(SecretJobId job)
{
    const auto it = m_ready.find(job);
    if (it == m_ready.end())
        return;
    const SecretResult result = std::move(*it);
    m_ready.erase(it);
    const QList<Callback> callbacks = m_callbacks.take(job);
    Q_EMIT finished(job, result);
    for (const Callback &cb : callbacks) {
        if (cb.context)
            cb.function(result);
    }
}

void SecretStore::onFinished(SecretJobId job, QObject *context, std::function<void(const SecretResult &)> callback)
{
    if (!m_pending.contains(job) && !m_ready.contains(job)) {
        qCWarning(lcProfiles) << "onFinished for secret job" << job << "which has already been reported";
        return;
    }
    m_callbacks[job].append({context, std::move(callback)});
}

SecretResult waitForSecretJob(SecretStore &store, SecretJobId job, const std::function<void()> &onWaiting)
{
    QEventLoop loop;
    const QMetaObject::Connection waiting =
        QObject::connect(&store, &SecretStore::jobWaiting, &loop, [job, &onWaiting](quint64 waitingJob) {
            if (waitingJob == job && onWaiting)
                onWaiting();
        });
    std::optional<SecretResult> result;
    store.onFinished(job, &loop, [&](const SecretResult &r) {
        result = r;
        loop.quit();
    });
    if (!result)
        loop.exec();
    QObject::disconnect(waiting);
    return result.value_or(SecretResult{SecretResult::Status::Error, QStringLiteral("no answer"), {}});
}

Result<QByteArray> readSecretBlocking(SecretStore &store, const QString &profile, SecretKind kind,
                                      const std::function<void()> &onWaiting)
{
    const SecretResult r = waitForSecretJob(store, store.readSecret(profile, kind), onWaiting);
    switch (r.status) {
    case SecretResult::Status::Ok:
        return r.secret;
    case SecretResult::Status::NotFound:
        return Error(QStringLiteral("profile '%1': no %2 stored in the system keychain").arg(profile, describe(kind)));
    case SecretResult::Status::Unavailable:
    case SecretResult::Status::Error:
        break;
    }
    return Error(QStringLiteral("profile '%1': cannot read the %2: %3").arg(profile, describe(kind), r.message));
}

Result<ResolvedSecrets> resolveSecretsBlocking(SecretStore &store, const ConnectionProfile &profile,
                                               const std::function<void()> &onWaiting)
{
    ResolvedSecrets out;
    if (auto read = resolveSecretsBlocking(store, profile.name, secretsNeeded(profile), out, onWaiting); !read)
        return read.error();
    return out;
}

Status resolveSecretsBlocking(SecretStore &store, const QString &profile, const QList<SecretNeed> &needs,
                              ResolvedSecrets &out, const std::function<void()> &onWaiting)
{
    for (const SecretNeed &need : needs) {
        const SecretResult r = waitForSecretJob(store, store.readSecret(profile, need.kind), onWaiting);
        if (r.ok())
            out[need.kind] = r.secret;
        else if (r.status == SecretResult::Status::NotFound && !need.required)
            continue;
        else if (r.status == SecretResult::Status::NotFound)
            return Error(
                QStringLiteral("profile '%1': no %2 stored in the system keychain").arg(profile, describe(need.kind)));
        else
            return Error(
                QStringLiteral("profile '%1': cannot read the %2: %3").arg(profile, describe(need.kind), r.message));
    }
    return Ok{};
}

} // namespace kbatch::core

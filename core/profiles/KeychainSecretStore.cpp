#include "KeychainSecretStore.h"

#include "ProfilesLog.h"

#include <QTimer>

#include <qt6keychain/keychain.h>

namespace kbatch::core {

namespace {

using SecretStatus = SecretResult::Status;

SecretResult mapError(QKeychain::Error error, const QString &text, bool isRead, bool isDelete)
{
    switch (error) {
    case QKeychain::NoError:
        return {SecretStatus::Ok, {}, {}};
    case QKeychain::EntryNotFound:
        if (isDelete) // nothing to delete is what deleting wants
            return {SecretStatus::Ok, {}, {}};
        return {isRead ? SecretStatus::NotFound : SecretStatus::Error,
                QStringLiteral("not found in the system keychain"),
                {}};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // QtKeychain reports a missing D-Bus session or Secret Service as OtherError with libsecret's message.
        return {SecretStatus::Unavailable,
                QStringLiteral("the system keychain is unavailable (%1); a Secret Service such as gnome-keyring or "
                               "KWallet must run in the desktop session")
                    .arg(text),
                {}};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {SecretStatus::Error,
                QStringLiteral("the system keychain refused access (%1); is it locked?").arg(text),
                {}};
    case QKeychain::CouldNotDeleteEntry:
        break;
    }
    return {SecretStatus::Error, QStringLiteral("the system keychain failed: %1").arg(text), {}};
}

bool storableAsText(const QByteArray &secret)
{
    // libsecret stores C strings: text must be valid UTF-8 without NUL to come back byte for byte.
    return !secret.contains('\0') && QString::fromUtf8(secret).toUtf8() == secret;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QSettings *index, QObject *parent) : SecretStore(index, parent) {}

void KeychainSecretStore::start(SecretJobId op, Operation operation, const QString &key, const QByteArray &secret)
{
    // One deadline for the whole operation, retry included.
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, op] {
        qCWarning(lcProfiles) << "keychain operation timed out";
        finish(op, {SecretStatus::Unavailable,
                    QStringLiteral("the system keychain did not answer within %1 s (is a D-Bus session with a "
                                   "Secret Service such as gnome-keyring running?)")
                        .arg(double(m_timeout.count()) / 1000.0),
                    {},
                    false});
    });
    m_timers.insert(op, timer);
    timer->start(m_timeout);
    // A write first clears the key: QtKeychain stores text and binary values as different items and reads text
    // first, so an old text item would otherwise shadow a new binary one.
    attempt(op, operation == Operation::Write ? Step::ClearBeforeWrite : Step::Run, operation, key, secret, false);
}

void KeychainSecretStore::finish(SecretJobId op, SecretResult result)
{
    if (QTimer *timer = m_timers.take(op))
        timer->deleteLater();
    complete(op, std::move(result));
}

void KeychainSecretStore::attempt(SecretJobId op, Step step, Operation operation, const QString &key,
                                  const QByteArray &secret, bool retried)
{
    QKeychain::Job *job = nullptr;
    if (step == Step::ClearBeforeWrite || operation == Operation::Delete) {
        job = new QKeychain::DeletePasswordJob(serviceName());
    } else if (operation == Operation::Read) {
        job = new QKeychain::ReadPasswordJob(serviceName());
    } else {
        auto *write = new QKeychain::WritePasswordJob(serviceName());
        if (storableAsText(secret))
            write->setTextData(QString::fromUtf8(secret));
        else
            write->setBinaryData(secret);
        job = write;
    }
    // No parent: a job must outlive us if the backend answers late (libsecret keeps a raw pointer to it).
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [=, this](QKeychain::Job *done) {
        if (!isPending(op))
            return; // timed out already
        const bool isDelete = step == Step::ClearBeforeWrite || operation == Operation::Delete;
        SecretResult result = mapError(done->error(), done->errorString(), operation == Operation::Read, isDelete);
        if (result.status == SecretStatus::Unavailable && !retried) {
            qCInfo(lcProfiles) << "keychain not ready, retrying once:" << done->errorString();
            QTimer::singleShot(m_retryDelay, this, [=, this] {
                if (isPending(op))
                    attempt(op, step, operation, key, secret, true);
            });
            return;
        }
        if (result.ok() && step == Step::ClearBeforeWrite) {
            attempt(op, Step::Run, operation, key, secret, retried);
            return;
        }
        if (result.ok() && operation == Operation::Read)
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(done)->binaryData();
        // A write that failed while clearing the old item left the keychain as it was.
        result.unchanged = !result.ok() && step == Step::ClearBeforeWrite;
        finish(op, std::move(result));
    });
    job->start();
}

} // namespace kbatch::core

#pragma once

#include "SecretStore.h"

#include <QHash>

#include <chrono>

class QTimer;

namespace kbatch::core {

// SecretStore on the system keychain through QtKeychain (Secret Service via libsecret on Linux: gnome-keyring,
// KeePassXC, KWallet's Secret Service; Keychain on macOS; Credential Manager on Windows).
//
// - Never falls back to plaintext: QtKeychain's insecure fallback (secrets in QSettings) is switched off on every job.
// - One retry, after a short delay, when the backend looks not ready (no Secret Service yet at session start).
// - A deadline per operation (3 minutes by default), so a hung D-Bus still reports once, with Status::Unavailable.
//   It is long because the keychain may be waiting for its user: creating or unlocking a keyring asks for a
//   password. After 5 s the job is announced as waiting (SecretStore::jobWaiting()), so the user hears of it.
//   QtKeychain runs its jobs one after another; a job that never returns keeps later ones waiting, and they time
//   out too. A late answer after the deadline is ignored.
// - Secrets that are valid UTF-8 are stored as text (what `secret-tool lookup` prints), others as base64 binary;
//   a write clears the key first so that the two forms never coexist.
//
// On Linux the items carry the attributes service "kbatch" ("server") and key "<profile>/<kind>" ("user") of
// QtKeychain's "org.qt.keychain" schema. Same thread rules as SecretStore.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QSettings *index = nullptr, QObject *parent = nullptr);

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setRetryDelay(std::chrono::milliseconds delay) { m_retryDelay = delay; }

protected:
    void start(SecretJobId op, Operation operation, const QString &key, const QByteArray &secret) override;

private:
    enum class Step : std::uint8_t { ClearBeforeWrite, Run };
    void attempt(SecretJobId op, Step step, Operation operation, const QString &key, const QByteArray &secret,
                 bool retried);
    void finish(SecretJobId op, SecretResult result);

    QHash<SecretJobId, QTimer *> m_timers; // the deadline of each running operation

    std::chrono::milliseconds m_timeout{180000};
    std::chrono::milliseconds m_retryDelay{500};
};

} // namespace kbatch::core

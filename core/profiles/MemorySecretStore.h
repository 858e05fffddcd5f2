#pragma once

#include "SecretStore.h"

#include <QHash>

namespace kbatch::core {

// A SecretStore in memory, for tests and for a session without a keychain. It can be told to fail, to never answer
// (to test cancellation) or to answer twice (to test that `finished` still fires once). Same thread rules as
// SecretStore.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    enum class Behaviour : std::uint8_t { Normal, Unavailable, Fail, NeverAnswer, AnswerTwice };

    explicit MemorySecretStore(QSettings *index = nullptr, QObject *parent = nullptr);

    void setBehaviour(Behaviour behaviour) { m_behaviour = behaviour; }
    // Answer only after `delay`, like a keychain that waits for its user to type a keyring password.
    void setAnswerDelay(std::chrono::milliseconds delay) { m_delay = delay; }
    QHash<QString, QByteArray> contents() const { return m_secrets; } // key -> secret
    int operationsStarted() const { return m_started; }

protected:
    void start(SecretJobId op, Operation operation, const QString &key, const QByteArray &secret) override;

private:
    QHash<QString, QByteArray> m_secrets;
    Behaviour m_behaviour = Behaviour::Normal;
    int m_started = 0;
    std::chrono::milliseconds m_delay{0};
};

} // namespace kbatch::core

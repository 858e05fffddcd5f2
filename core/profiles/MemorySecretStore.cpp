#include "MemorySecretStore.h"

#include <QTimer>

namespace kbatch::core {

MemorySecretStore::MemorySecretStore(QSettings *index, QObject *parent) : SecretStore(index, parent) {}

void MemorySecretStore::start(SecretJobId op, Operation operation, const QString &key, const QByteArray &secret)
{
    if (m_delay.count() > 0) {
        const auto delay = std::exchange(m_delay, std::chrono::milliseconds(0));
        QTimer::singleShot(delay, this, [=, this] {
            start(op, operation, key, secret);
            m_delay = delay;
        });
        return;
    }
    ++m_started;
    SecretResult result{SecretResult::Status::Ok, {}, {}};
    switch (m_behaviour) {
    case Behaviour::NeverAnswer:
        return;
    case Behaviour::Unavailable:
        complete(
            op, {SecretResult::Status::Unavailable, QStringLiteral("the memory store was told to be unavailable"), {}});
        return;
    case Behaviour::Fail:
        complete(op, {SecretResult::Status::Error, QStringLiteral("the memory store was told to fail"), {}});
        return;
    case Behaviour::Normal:
    case Behaviour::AnswerTwice:
        break;
    }
    switch (operation) {
    case Operation::Read:
        if (m_secrets.contains(key))
            result.secret = m_secrets.value(key);
        else
            result = {SecretResult::Status::NotFound, QStringLiteral("no secret stored under %1").arg(key), {}};
        break;
    case Operation::Write:
        m_secrets.insert(key, secret);
        break;
    case Operation::Delete:
        m_secrets.remove(key);
        break;
    }
    complete(op, result);
    if (m_behaviour == Behaviour::AnswerTwice)
        complete(op, {SecretResult::Status::Error, QStringLiteral("second answer"), {}});
}

} // namespace kbatch::core

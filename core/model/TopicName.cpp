#include "TopicName.h"

namespace kbatch::core {

namespace {

constexpr int MaxTopicNameLength = 249;

bool isLegal(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.' || u == '_' ||
           u == '-';
}

Error topicError(const QString &text)
{
    return Error(text, {}, 0, 0, QStringLiteral("topic"));
}

} // namespace

Status checkTopicName(const QString &name)
{
    if (name.isEmpty())
        return topicError(QStringLiteral("no topic name"));
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return topicError(QStringLiteral("'%1' cannot be a Kafka topic name").arg(name));
    if (name.size() > MaxTopicNameLength)
        return topicError(QStringLiteral("the name is %1 characters long; Kafka allows at most %2")
                              .arg(name.size())
                              .arg(MaxTopicNameLength));
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        if (isLegal(c))
            continue;
        const QString shown =
            c == QLatin1Char(' ') ? QStringLiteral("a space")
            : c.isPrint() && !c.isSpace()
                ? QStringLiteral("'%1'").arg(c)
                : QStringLiteral("U+%1").arg(QString::number(c.unicode(), 16).toUpper(), 4, QLatin1Char('0'));
        return topicError(QStringLiteral("'%1' has %2 at position %3; Kafka topic names allow only ASCII letters, "
                                         "digits, '.', '_' and '-'")
                              .arg(name, shown)
                              .arg(i + 1));
    }
    return Ok{};
}

} // namespace kbatch::core

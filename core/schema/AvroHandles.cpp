#include "AvroHandles.h"

namespace kbatch::core {

std::unique_lock<std::mutex> lockAvroErrors()
{
    static std::mutex mutex;
    return std::unique_lock<std::mutex>(mutex);
}

QString avroErrorText()
{
    const char *text = avro_strerror();
    if (!text || !*text)
        return QStringLiteral("unknown error");
    return QString::fromUtf8(text).trimmed();
}

} // namespace kbatch::core

#include "Importers.h"

#include "JsonContext.h"
#include "TextInput.h"
#include "TextLines.h"

namespace kbatch::core {

Result<Batch> importTextLines(QByteArrayView data, const QString &fileName, std::optional<QByteArray> keyDelimiter)
{
    if (keyDelimiter && keyDelimiter->isEmpty())
        return Error(QStringLiteral("the key delimiter is empty"), fileName, 0, 0);
    QByteArray converted;
    if (auto e = textAsUtf8(data, converted, fileName))
        return *e;
    Batch batch;
    batch.reserve(countLines(data), data.size());
    Message message;
    forEachLine(data, [&](QByteArrayView line, int) {
        if (line.isEmpty())
            return true;
        message.key = Payload();
        if (keyDelimiter) {
            const qsizetype at = line.indexOf(*keyDelimiter);
            if (at >= 0) {
                message.key = textOrBinaryPayload(line.first(at).toByteArray());
                line = line.sliced(at + keyDelimiter->size());
            }
        }
        message.value = textOrBinaryPayload(line.toByteArray());
        batch.append(message);
        return true;
    });
    return batch;
}

} // namespace kbatch::core

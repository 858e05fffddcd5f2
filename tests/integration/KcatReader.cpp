#include "KcatReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTest>

namespace kbatch::test {

static QByteArray runKcat(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral("kcat"), args);
    if (!p.waitForStarted(10000)) {
        qWarning("kcat did not start: %s", qPrintable(p.errorString()));
        return {};
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("kcat %s failed (exit %d): %s", qPrintable(args.join(QLatin1Char(' '))), p.exitCode(),
                 p.readAllStandardError().constData());
        return {};
    }
    return p.readAllStandardOutput();
}

QList<KcatRecord> kcatReadAll(const QString &bootstrap, const QString &topic, const QStringList &extra)
{
    const QStringList base = QStringList{QStringLiteral("-C"),
                                         QStringLiteral("-q"),
                                         QStringLiteral("-e"),
                                         QStringLiteral("-b"),
                                         bootstrap,
                                         QStringLiteral("-t"),
                                         topic} +
                             extra;
    // Raw bytes, length-prefixed: binary-safe keys and values (-1 length = null).
    const QByteArray raw = runKcat(base + QStringList{QStringLiteral("-f"), QStringLiteral("%p %o %T %K %S\n%k%s\n")});
    QMap<QPair<int, qint64>, KcatRecord> byPos;
    qsizetype pos = 0;
    while (pos < raw.size()) {
        const qsizetype nl = raw.indexOf('\n', pos);
        if (nl < 0)
            break;
        const QList<QByteArray> f = raw.mid(pos, nl - pos).split(' ');
        if (f.size() != 5) {
            qWarning("unexpected kcat line: %s", raw.mid(pos, nl - pos).constData());
            return {};
        }
        KcatRecord r;
        r.partition = f[0].toInt();
        r.offset = f[1].toLongLong();
        r.timestamp = f[2].toLongLong();
        const qsizetype klen = f[3].toLongLong();
        const qsizetype vlen = f[4].toLongLong();
        pos = nl + 1;
        if (klen >= 0) {
            r.key = raw.mid(pos, klen);
            pos += klen;
        }
        if (vlen >= 0) {
            r.value = raw.mid(pos, vlen);
            pos += vlen;
        }
        pos += 1; // the trailing newline
        byPos.insert({r.partition, r.offset}, r);
    }
    // Headers from -J.
    const QByteArray json = runKcat(base + QStringList{QStringLiteral("-J")});
    for (const QByteArray &line : json.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QPair<int, qint64> key{o.value(QStringLiteral("partition")).toInt(),
                                     qint64(o.value(QStringLiteral("offset")).toDouble())};
        if (!byPos.contains(key))
            continue;
        const QJsonArray h = o.value(QStringLiteral("headers")).toArray();
        for (qsizetype i = 0; i + 1 < h.size(); i += 2) {
            std::optional<QByteArray> v;
            if (!h[i + 1].isNull())
                v = h[i + 1].toString().toUtf8();
            byPos[key].headers.append({h[i].toString().toUtf8(), v});
        }
    }
    return byPos.values();
}

bool kcatProduce(const QString &bootstrap, const QString &topic, const QByteArray &input, const QStringList &extra)
{
    QProcess p;
    p.start(QStringLiteral("kcat"),
            QStringList{QStringLiteral("-P"), QStringLiteral("-b"), bootstrap, QStringLiteral("-t"), topic} + extra);
    if (!p.waitForStarted(10000))
        return false;
    p.write(input);
    p.closeWriteChannel();
    return p.waitForFinished(60000) && p.exitCode() == 0;
}

} // namespace kbatch::test

#include "SandboxProcess.h"

#include <QDeadlineTimer>

namespace kbatch::test {

SandboxProcess::~SandboxProcess()
{
    stop();
}

QByteArray SandboxProcess::readLine(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains('\n') && !deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(int(deadline.remainingTime())))
            break;
        m_buffer += m_process.readAllStandardOutput();
    }
    const qsizetype nl = m_buffer.indexOf('\n');
    if (nl < 0)
        return {};
    const QByteArray line = m_buffer.left(nl).trimmed();
    m_buffer.remove(0, nl + 1);
    return line.isEmpty() ? QByteArray(" ") : line;
}

bool SandboxProcess::start(const QString &cli, const QStringList &arguments)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(cli, QStringList{QStringLiteral("sandbox")} + arguments);
    if (!m_process.waitForStarted(10000)) {
        qWarning("cannot start %s: %s", qPrintable(cli), qPrintable(m_process.errorString()));
        return false;
    }
    const QByteArray line = readLine(15000);
    if (line.isEmpty()) {
        qWarning("the sandbox printed no bootstrap list: %s", m_process.readAllStandardError().constData());
        return false;
    }
    m_bootstrap = QString::fromUtf8(line).trimmed();
    return true;
}

bool SandboxProcess::command(const QString &line)
{
    m_process.write(line.toUtf8() + '\n');
    const QByteArray answer = readLine(10000);
    if (answer.isEmpty()) {
        qWarning("no answer to '%s'", qPrintable(line));
        return false;
    }
    if (answer != "ok")
        qWarning("'%s' answered: %s", qPrintable(line), answer.constData());
    return answer == "ok";
}

void SandboxProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

} // namespace kbatch::test

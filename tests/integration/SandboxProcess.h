#pragma once

// `kbatch-cli sandbox` in a process of its own, with its fault commands on standard input.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace kbatch::test {

class SandboxProcess
{
public:
    ~SandboxProcess();
    // Starts the sandbox and waits for its bootstrap line. Returns false (with a warning) on failure.
    bool start(const QString &cli, const QStringList &arguments);
    QString bootstrap() const { return m_bootstrap; }
    // Sends one fault command and waits for its "ok"; false on "error: ..." or no answer.
    bool command(const QString &line);
    // SIGTERM and wait.
    void stop();

private:
    QByteArray readLine(int timeoutMs); // empty on timeout
    QProcess m_process;
    QString m_bootstrap;
    QByteArray m_buffer;
};

} // namespace kbatch::test

#pragma once

#include "core/model/Error.h"

#include <QByteArray>
#include <QString>

namespace kbatch::cli {

// The --report file of kbatch-cli send: one JSON line per message, written as results arrive.
//
// A report is the truth or the exit status says otherwise. Every write is checked; the first failure (a full disk,
// /dev/full, a closed pipe) is kept and every later write is skipped, so the caller can stop the send and say that
// the report is incomplete. The report may never be the template it reports on: open() refuses a path that is the
// same file (same device and inode, however it is reached: symlink, hard link, /proc/self/fd) before truncating it.
class ReportWriter
{
public:
    ReportWriter() = default;
    ReportWriter(const ReportWriter &) = delete;
    ReportWriter &operator=(const ReportWriter &) = delete;
    ~ReportWriter();

    // `target` is a path or "-" for standard output. `input` is the template being sent.
    core::Status open(const QString &target, const QString &input);
    // Writes all of `bytes` or records the failure; false once any write has failed.
    bool write(const QByteArray &bytes);
    // Flushes to the file (fsync for a regular file, so a full disk shows here and not after exit 0) and closes it.
    bool finish();

    bool failed() const { return !m_error.isEmpty(); }
    bool brokenPipe() const { return m_brokenPipe; }
    // "--report FILE: write failed: <reason>"; empty while all is well.
    const QString &error() const { return m_error; }
    const QString &target() const { return m_target; }

private:
    void setFailed(int err);

    int m_fd = -1;
    bool m_ownsFd = false;
    bool m_regular = false;
    bool m_brokenPipe = false;
    QString m_target;
    QString m_error;
};

} // namespace kbatch::cli

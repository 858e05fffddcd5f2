#include "ReportWriter.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kbatch::cli {

ReportWriter::~ReportWriter()
{
    if (m_ownsFd && m_fd >= 0)
        ::close(m_fd);
}

core::Status ReportWriter::open(const QString &target, const QString &input)
{
    m_target = target;
    if (target == QLatin1String("-")) {
        m_fd = STDOUT_FILENO;
    } else {
        const QByteArray path = QFile::encodeName(target);
        // Before anything is truncated: the report must never replace the template (or a file it shares an inode
        // with). Open without O_TRUNC, compare, then truncate.
        m_fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0666);
        if (m_fd < 0)
            return core::Error(QStringLiteral("cannot write %1: %2").arg(target, qt_error_string(errno)), {}, 0, 0,
                               QStringLiteral("--report"));
        m_ownsFd = true;
        // Back to blocking writes (O_NONBLOCK only kept the open of a FIFO without a reader from hanging).
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) & ~O_NONBLOCK);
    }
    struct stat report = {}, templ = {};
    if (::fstat(m_fd, &report) == 0 && ::stat(QFile::encodeName(input).constData(), &templ) == 0 &&
        report.st_dev == templ.st_dev && report.st_ino == templ.st_ino)
        return core::Error(
            QStringLiteral("%1 is the template being sent (%2): the report would overwrite it; write the "
                           "report elsewhere")
                .arg(target, input),
            {}, 0, 0, QStringLiteral("--report"));
    m_regular = S_ISREG(report.st_mode);
    if (m_ownsFd && m_regular && ::ftruncate(m_fd, 0) != 0)
        return core::Error(QStringLiteral("cannot truncate %1: %2").arg(target, qt_error_string(errno)), {}, 0, 0,
                           QStringLiteral("--report"));
    return core::Ok{};
}

void ReportWriter::setFailed(int err)
{
    m_brokenPipe = err == EPIPE;
    m_error = m_brokenPipe ? QStringLiteral("--report %1: the reader closed the pipe").arg(m_target)
                           : QStringLiteral("--report %1: write failed: %2").arg(m_target, qt_error_string(err));
}

bool ReportWriter::write(const QByteArray &bytes)
{
    if (failed() || m_fd < 0)
        return false;
    const char *p = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(m_fd, p, std::size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            setFailed(errno);
            return false;
        }
        if (n == 0) { // a write that makes no progress: the device is full
            setFailed(ENOSPC);
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

bool ReportWriter::finish()
{
    if (m_fd < 0)
        return !failed();
    if (!failed() && m_regular && ::fsync(m_fd) != 0 && errno != EINVAL)
        setFailed(errno);
    if (m_ownsFd) {
        if (::close(m_fd) != 0 && !failed())
            setFailed(errno);
        m_ownsFd = false;
    }
    m_fd = -1;
    return !failed();
}

} // namespace kbatch::cli

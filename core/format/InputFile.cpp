#include "InputFile.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kbatch::core {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

const char *kindOf(mode_t mode)
{
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a file";
}

// An open file descriptor, closed on every path.
struct Fd
{
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(Fd &&o) noexcept : fd(std::exchange(o.fd, -1)) {}
    Fd &operator=(Fd &&) = delete;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

struct Opened
{
    Fd fd;
    struct stat st;
    bool stream; // a FIFO or pipe: read whole, bounded in bytes and in time without data
};

Result<Opened> openInput(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat st;
    // stat() first: a device is refused without opening it (opening some has effects), and follows symlinks, so a
    // link to /dev/zero is refused as what it points to.
    if (::stat(native.constData(), &st) != 0)
        return Error(QStringLiteral("cannot open the file: %1").arg(systemError(errno)), path, 0, 0);
    if (S_ISDIR(st.st_mode))
        return Error(QStringLiteral("cannot read a directory"), path, 0, 0);
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
        return Error(QStringLiteral("not a regular file (%1): only files and pipes are read")
                         .arg(QLatin1String(kindOf(st.st_mode))),
                     path, 0, 0);
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    Fd fd(::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.fd < 0)
        return Error(QStringLiteral("cannot open the file: %1").arg(systemError(errno)), path, 0, 0);
    if (::fstat(fd.fd, &st) != 0)
        return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path, 0, 0);
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) // replaced between stat() and open()
        return Error(QStringLiteral("not a regular file (%1): only files and pipes are read")
                         .arg(QLatin1String(kindOf(st.st_mode))),
                     path, 0, 0);
    // A regular file of size 0 may still have content (files under /proc): read it like a stream.
    const bool stream = !S_ISREG(st.st_mode) || st.st_size == 0;
    return Opened{std::move(fd), st, stream};
}

QString tooLarge(qint64 size, qint64 limit)
{
    return QStringLiteral("the file is too large (%1 bytes; the limit is %2 bytes)").arg(size).arg(limit);
}

// A Qt resource (":/templates/..."): compiled into the program, read through QFile like before.
bool isResource(const QString &path)
{
    return path.startsWith(QLatin1Char(':'));
}

Result<QByteArray> readResource(const QString &path, qint64 limit)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot open the file: %1").arg(file.errorString()), path, 0, 0);
    if (file.size() > limit)
        return Error(tooLarge(file.size(), limit), path, 0, 0);
    return file.readAll();
}

// A FIFO, a pipe or a size-0 file, read to its end within the limits.
Result<QByteArray> readStream(int fd, const QString &path, const InputLimits &limits)
{
    QByteArray data;
    char buffer[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, limits.idleTimeoutMs);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path, 0, 0);
        }
        if (ready == 0) {
            // A FIFO that no program writes to never says so: it has no data, and no end either.
            return Error(QStringLiteral("no data for %1 s: a FIFO with no writer? (%2 bytes read so far)")
                             .arg(limits.idleTimeoutMs / 1000.0)
                             .arg(data.size()),
                         path, 0, 0);
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path, 0, 0);
        }
        if (n == 0)
            return data;
        if (data.size() + n > limits.maxBytes)
            return Error(QStringLiteral("the file is too large (more than %1 bytes)").arg(limits.maxBytes), path, 0, 0);
        data.append(buffer, n);
    }
}

QString changedText(qint64 sizeNow, qint64 sizeThen)
{
    if (sizeNow != sizeThen)
        return QStringLiteral("the file changed while it was read: it is %1 bytes now, it was %2 bytes when reading "
                              "began")
            .arg(sizeNow)
            .arg(sizeThen);
    return QStringLiteral("the file changed while it was read: it was written to after reading began");
}

} // namespace

Result<QByteArray> readInputFile(const QString &path, const InputLimits &limits)
{
    if (isResource(path))
        return readResource(path, limits.maxBytes);
    auto opened = openInput(path);
    if (!opened)
        return opened.error();
    if (opened->stream)
        return readStream(opened->fd.fd, path, limits);
    const qint64 size = opened->st.st_size;
    if (size > limits.maxBytes)
        return Error(tooLarge(size, limits.maxBytes), path, 0, 0);
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    qint64 got = 0;
    while (got < size) {
        const ssize_t n = ::pread(opened->fd.fd, data.data() + got, std::size_t(size - got), off_t(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)), path, 0, 0);
        if (n == 0)
            break;
        got += n;
    }
    struct stat now;
    if (got < size || ::fstat(opened->fd.fd, &now) != 0 || now.st_size != size ||
        now.st_mtim.tv_sec != opened->st.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened->st.st_mtim.tv_nsec)
        return Error(changedText(got < size ? got : qint64(now.st_size), size), path, 0, 0);
    return data;
}

Result<InputWindow> InputWindow::open(const QString &path, qsizetype windowBytes, const InputLimits &limits)
{
    InputWindow w;
    if (isResource(path)) {
        auto data = readResource(path, limits.maxBytes);
        if (!data)
            return data.error();
        w.holdWhole(std::move(data.value()));
        return w;
    }
    auto opened = openInput(path);
    if (!opened)
        return opened.error();
    if (opened->stream) {
        auto data = readStream(opened->fd.fd, path, limits);
        if (!data)
            return data.error();
        w.holdWhole(std::move(data.value()));
        return w;
    }
    w.m_size = opened->st.st_size;
    if (w.m_size > limits.maxBytes)
        return Error(tooLarge(w.m_size, limits.maxBytes), path, 0, 0);
    w.m_mtime = opened->st.st_mtim;
    w.m_fd = opened->fd.release();
    if (auto s = w.fill(0, std::max<qsizetype>(windowBytes, 1)); !s)
        return Error(s.error().text, path, 0, 0);
    return w;
}

void InputWindow::holdWhole(QByteArray data)
{
    m_owned = std::move(data);
    m_memory = m_owned;
    m_size = m_owned.size();
    m_window = m_owned.constData();
    m_length = m_owned.size();
}

InputWindow InputWindow::fromMemory(QByteArrayView data, qsizetype windowBytes)
{
    InputWindow w;
    w.m_memory = data;
    w.m_size = data.size();
    if (windowBytes >= data.size()) {
        w.m_window = data.data();
        w.m_length = data.size();
    } else {
        // Reading from memory cannot fail: only a file that changes while it is read can.
        [[maybe_unused]] const Status filled = w.fill(0, std::max<qsizetype>(windowBytes, 1));
        Q_ASSERT(filled.ok());
    }
    return w;
}

InputWindow::InputWindow(InputWindow &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_mtime(other.m_mtime), m_owned(std::move(other.m_owned)),
      m_memory(other.m_memory), m_buffer(std::move(other.m_buffer)), m_window(other.m_window), m_length(other.m_length),
      m_offset(other.m_offset), m_size(other.m_size)
{
    // Moving a QByteArray keeps its heap block, so m_memory and m_window still point at the right bytes.
}

InputWindow &InputWindow::operator=(InputWindow &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_mtime = other.m_mtime;
        m_owned = std::move(other.m_owned);
        m_memory = other.m_memory;
        m_buffer = std::move(other.m_buffer);
        m_window = other.m_window;
        m_length = other.m_length;
        m_offset = other.m_offset;
        m_size = other.m_size;
    }
    return *this;
}

InputWindow::~InputWindow()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status InputWindow::checkUnchanged() const
{
    if (m_fd < 0)
        return Ok{};
    struct stat st;
    if (::fstat(m_fd, &st) != 0)
        return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)));
    if (st.st_size != m_size || st.st_mtim.tv_sec != m_mtime.tv_sec || st.st_mtim.tv_nsec != m_mtime.tv_nsec)
        return Error(changedText(st.st_size, m_size));
    return Ok{};
}

Status InputWindow::readAt(char *into, qint64 at, qsizetype n) const
{
    if (m_fd < 0) {
        if (n > 0) // an empty QByteArray's data() may be null, and memcpy's arguments never may
            std::memcpy(into, m_memory.data() + at, std::size_t(n));
        return Ok{};
    }
    qsizetype got = 0;
    while (got < n) {
        const ssize_t r = ::pread(m_fd, into + got, std::size_t(n - got), off_t(at + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return Error(QStringLiteral("cannot read the file: %1").arg(systemError(errno)));
        if (r == 0) { // shorter than when reading began
            struct stat st;
            return Error(changedText(::fstat(m_fd, &st) == 0 ? qint64(st.st_size) : at + got, m_size));
        }
        got += r;
    }
    return checkUnchanged();
}

Result<QByteArray> InputWindow::peek(qint64 at, qsizetype n) const
{
    at = std::clamp<qint64>(at, 0, m_size);
    n = qsizetype(std::min<qint64>(n, m_size - at));
    QByteArray out(n, Qt::Uninitialized);
    if (auto s = readAt(out.data(), at, n); !s)
        return s.error();
    return out;
}

Status InputWindow::fill(qsizetype keepFrom, qint64 capacity)
{
    const qsizetype kept = std::max<qsizetype>(m_length - keepFrom, 0);
    const qint64 start = m_offset + keepFrom;
    const qsizetype length = qsizetype(std::min<qint64>(capacity, m_size - start));
    if (length > m_buffer.size()) {
        QByteArray bigger(length, Qt::Uninitialized);
        if (kept > 0)
            std::memcpy(bigger.data(), m_window + keepFrom, std::size_t(kept));
        m_buffer = std::move(bigger);
    } else if (kept > 0 && keepFrom > 0) {
        std::memmove(m_buffer.data(), m_window + keepFrom, std::size_t(kept));
    }
    m_window = m_buffer.constData();
    m_offset = start;
    m_length = kept;
    if (auto s = readAt(m_buffer.data() + kept, start + kept, length - kept); !s)
        return s;
    m_length = length;
    return Ok{};
}

Status InputWindow::advance(qsizetype keepFrom)
{
    Q_ASSERT(keepFrom >= 0);
    if (m_window != m_buffer.constData()) { // the whole input is in view already: only the start moves
        keepFrom = std::min(keepFrom, m_length);
        m_window += keepFrom;
        m_length -= keepFrom;
        m_offset += keepFrom;
        return Ok{};
    }
    const qsizetype kept = std::max<qsizetype>(m_length - keepFrom, 0);
    const qint64 capacity = std::max<qint64>(m_buffer.size(), 1);
    return fill(keepFrom, kept >= capacity ? capacity * 2 : capacity);
}

Status InputWindow::readToEnd(qsizetype keepFrom)
{
    if (m_window != m_buffer.constData() || atEnd())
        return advance(keepFrom);
    return fill(keepFrom, m_size - (m_offset + keepFrom));
}

} // namespace kbatch::core

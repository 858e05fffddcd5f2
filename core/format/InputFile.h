#pragma once

#include "core/model/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <ctime>

namespace kbatch::core {

// Internal to core/format: how templates and imported files are read. Inputs may come from anyone, so reading one
// never hangs, never takes unbounded memory and never faults:
//  - a regular file is read with pread() (never mapped: a mapped file truncated by another program meanwhile ends
//    the process with SIGBUS) and refused over the byte limit before a byte is read;
//  - a FIFO or pipe (`<(cmd)`, /dev/stdin on a pipe) is read without blocking, within the byte limit, and given up
//    after `idleTimeoutMs` without data (a FIFO with no writer would block an open() or read() forever);
//  - anything else (a character or block device such as /dev/zero, a socket) is refused as not a regular file.
// Every Error names the file.
struct InputLimits
{
    qint64 maxBytes = qint64(1) << 30;
    int idleTimeoutMs = 10000;
};

// Reads a whole input file for a parser (a Qt resource, ":/...", through QFile).
Result<QByteArray> readInputFile(const QString &path, const InputLimits &limits = {});

// A file read piece by piece into one reused buffer (the window), for a parser that goes through it once: the
// template reader. Memory stays at the window's size whatever the file's, and a file that changes while it is read
// (an editor saving in place) is an error at the next piece, not a crash.
//
// The parser reads bytes(); when it needs more it calls advance() with the first byte it still needs, which moves
// the bytes from there to the front, reads more after them, and doubles the window when they already filled it.
// Views into bytes() are valid until the next advance() or readToEnd(). A FIFO or pipe is read whole (bounded by the
// limits) and its window is the whole input; so is a Qt resource (":/templates/..."), read through QFile.
class InputWindow
{
public:
    static constexpr qsizetype DefaultBytes = qsizetype(1) << 20;

    static Result<InputWindow> open(const QString &path, qsizetype windowBytes = DefaultBytes,
                                    const InputLimits &limits = {});
    // `data` read as a file of that content would be, through a window of `windowBytes` (tests and fuzzing). `data`
    // must outlive the window.
    static InputWindow fromMemory(QByteArrayView data, qsizetype windowBytes);

    InputWindow(InputWindow &&other) noexcept;
    InputWindow &operator=(InputWindow &&other) noexcept;
    InputWindow(const InputWindow &) = delete;
    InputWindow &operator=(const InputWindow &) = delete;
    ~InputWindow();

    QByteArrayView bytes() const { return QByteArrayView(m_window, m_length); }
    qint64 offset() const { return m_offset; } // of bytes()[0] in the file
    qint64 size() const { return m_size; }     // of the file, when reading began
    bool atEnd() const { return m_offset + m_length >= m_size; }

    // `n` bytes at `at` (fewer at the end of the file), read apart from the window: the start and the end of a file.
    Result<QByteArray> peek(qint64 at, qsizetype n) const;
    // Drops the bytes before `keepFrom` and reads more: at least one byte unless atEnd(). The Error (no position: the
    // caller knows where it was) when the file changed since reading began: shrank, grew, or was written to.
    Status advance(qsizetype keepFrom);
    // As advance(), reading everything up to the end of the file.
    Status readToEnd(qsizetype keepFrom);

private:
    InputWindow() = default;
    void holdWhole(QByteArray data); // the whole input, read already: the window is all of it
    Status fill(qsizetype keepFrom, qint64 capacity);
    Status readAt(char *into, qint64 at, qsizetype n) const;
    Status checkUnchanged() const;

    int m_fd = -1;
    timespec m_mtime = {};
    QByteArray m_owned;      // a stream read whole
    QByteArrayView m_memory; // the source when not reading from m_fd
    QByteArray m_buffer;     // the window's storage when it is not a view of m_memory
    const char *m_window = nullptr;
    qsizetype m_length = 0;
    qint64 m_offset = 0;
    qint64 m_size = 0;
};

} // namespace kbatch::core

#include "ThreadPriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace kbatch::core {

void applyToCurrentThread(ThreadPriority priority)
{
    if (priority == ThreadPriority::Normal)
        return;
#ifdef Q_OS_LINUX
    // On Linux the nice value belongs to each thread: PRIO_PROCESS with a thread id changes only that thread.
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    errno = 0;
    const int current = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        setpriority(PRIO_PROCESS, tid, qMin(current + 5, 19));
#endif
}

} // namespace kbatch::core

#pragma once

#if defined(__SANITIZE_THREAD__)
#define KBATCH_HANDOVER_SEEN_BY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KBATCH_HANDOVER_SEEN_BY_TSAN 1
#endif
#endif

#ifdef KBATCH_HANDOVER_SEEN_BY_TSAN
#include <mutex>
#endif

namespace kbatch::core {

// A queued call (QMetaObject::invokeMethod with Qt::QueuedConnection) from a worker thread already runs on the
// receiver's thread after everything the worker did before posting it: Qt orders the two through the lock of its
// event queue. That lock is a futex inside libQt6Core, which ThreadSanitizer sees only when Qt itself is built with
// it (Debian's is not). It would then report each hand-over as a race: the posted results against their use on the
// receiving thread, and Qt's event and functor, allocated in the post, against their deletion after the call.
//
// Under ThreadSanitizer only, the post (Qt's allocation of the event included) and the start of the queued call
// each take a std::mutex, which it does see. The call cannot start before the post has queued it, so this adds no
// order that Qt does not already guarantee; it only shows that order. A plain release before the post and an
// acquire in the call would not do: Qt allocates its event after such a release. The mutex is one for the process,
// not a member: the call must take it before it reads anything of its own, its captured `this` included. It is
// held for the length of a post; posts come at most every few milliseconds. Everything else the call touches is
// still checked. In other builds both functions are empty.
//
// post(): any thread. received(): first thing in the queued call, on the receiving thread.
class QueuedHandOver
{
public:
    template <typename Post> static void post(Post &&doPost)
    {
#ifdef KBATCH_HANDOVER_SEEN_BY_TSAN
        const std::lock_guard lock(s_mutex);
#endif
        doPost();
    }

    static void received()
    {
#ifdef KBATCH_HANDOVER_SEEN_BY_TSAN
        const std::lock_guard lock(s_mutex);
#endif
    }

    QueuedHandOver() = delete;

private:
#ifdef KBATCH_HANDOVER_SEEN_BY_TSAN
    static inline std::mutex s_mutex;
#endif
};

} // namespace kbatch::core

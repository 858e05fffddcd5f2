#pragma once

// How hard the threads that move messages compete with the rest of the process for the CPU.

namespace kbatch::core {

enum class ThreadPriority {
    Normal,
    // For work that shares the process with a user interface: on a busy machine (a 2-core laptop sending a million
    // messages to an in-process sandbox) the UI thread must get the CPU first, or the window stutters while results
    // arrive. On Linux the calling thread's nice value goes up by 5; threads it creates afterwards (librdkafka's)
    // inherit it. Throughput is unchanged when the CPU is not contended.
    Background,
};

// Applies `priority` to the calling thread. Normal does nothing (a nice value cannot be lowered back without
// privileges). Best effort: a refusal by the system is ignored.
void applyToCurrentThread(ThreadPriority priority);

} // namespace kbatch::core

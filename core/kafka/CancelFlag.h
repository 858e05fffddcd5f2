#pragma once

#include <atomic>

namespace kbatch::core {

// Set from any thread to make a blocking query (fetchMetadata(), fetchTopics(), peekTopic()) give up early: it
// checks the flag at least every 100 ms while it waits for a broker, and then returns an error that says so.
using CancelFlag = std::atomic<bool>;

} // namespace kbatch::core

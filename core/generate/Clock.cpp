#include "Clock.h"

#include <chrono>

namespace kbatch::core {

namespace {
class SystemClock final : public Clock
{
public:
    std::int64_t nowMs() const override
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};
} // namespace

const Clock &systemClock()
{
    static const SystemClock clock;
    return clock;
}

} // namespace kbatch::core

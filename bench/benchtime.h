#pragma once

// Timing helpers of the benchmarks that time short things many times.
#include <algorithm>
#include <chrono>

namespace rwbench {

using Clock = std::chrono::steady_clock;

inline double ms(Clock::time_point since)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// the fastest of `rounds` runs of f, in ms (the least disturbed by the machine)
template <typename F>
double best(int rounds, F&& f)
{
    double out = 1e300;
    for (int r = 0; r < rounds; ++r) {
        const auto t0 = Clock::now();
        f();
        out = std::min(out, ms(t0));
    }
    return out;
}

} // namespace rwbench

#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace rw {

// Runs fn(begin, end) over [0, count) in blocks of `grain` on every core, for
// data-parallel loops inside one core function (hashing millions of records).
// Blocks are taken in order from a shared counter; fn must be safe to call
// concurrently on disjoint ranges. Small counts run on the calling thread.
template <class Fn>
void parallelFor(std::size_t count, std::size_t grain, Fn&& fn)
{
    grain = std::max<std::size_t>(grain, 1);
    const std::size_t blocks = (count + grain - 1) / grain;
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(blocks, std::max(1u, std::thread::hardware_concurrency())));
    if (threads <= 1) {
        if (count > 0)
            fn(std::size_t{0}, count);
        return;
    }
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t b = next++; b < blocks; b = next++)
            fn(b * grain, std::min(count, (b + 1) * grain));
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
}

} // namespace rw

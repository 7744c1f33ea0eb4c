#pragma once

// Counts heap allocations through the sanitizers' allocator hooks (the asan
// preset, RW_ASAN): what "painting allocates nothing per item" tests use.
#include <cstddef>
#include <functional>

namespace rwtest {

// Installs the hooks once; false without the sanitizers (the caller skips).
bool countAllocationsAvailable();
// The allocations `work` makes.
std::size_t countAllocations(const std::function<void()>& work);

} // namespace rwtest

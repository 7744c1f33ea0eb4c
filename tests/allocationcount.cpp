#include "tests/allocationcount.h"

#include <atomic>

#ifdef RW_ASAN
// the sanitizers' allocator hooks (sanitizer/allocator_interface.h, which GCC does not install)
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*onMalloc)(const volatile void*, std::size_t),
                                                         void (*onFree)(const volatile void*));
#endif

namespace rwtest {

namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_allocations{0};

[[maybe_unused]] void onMalloc(const volatile void*, std::size_t)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
}
[[maybe_unused]] void onFree(const volatile void*) {}

} // namespace

bool countAllocationsAvailable()
{
#ifdef RW_ASAN
    static const bool installed = (__sanitizer_install_malloc_and_free_hooks(onMalloc, onFree), true);
    return installed;
#else
    return false;
#endif
}

std::size_t countAllocations(const std::function<void()>& work)
{
    g_allocations = 0;
    g_counting = true;
    work();
    g_counting = false;
    return g_allocations.load();
}

} // namespace rwtest

#include "app/cli/interrupt.h"

#include <csignal>
#include <iterator>

namespace rw {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

// Ctrl+C, and what a service manager, `timeout` or a closed terminal sends: each stops the work cleanly
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3]{};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true, std::memory_order_relaxed);
}

} // namespace

InterruptScope::InterruptScope()
{
    g_interrupted.store(false);
    struct sigaction action{};
    action.sa_handler = onInterrupt;
    action.sa_flags = SA_RESETHAND; // a second Ctrl+C is the default: the end
    sigemptyset(&action.sa_mask);
    for (std::size_t k = 0; k < std::size(kSignals); ++k)
        sigaction(kSignals[k], &action, &g_previous[k]);
}

InterruptScope::~InterruptScope()
{
    for (std::size_t k = 0; k < std::size(kSignals); ++k)
        sigaction(kSignals[k], &g_previous[k], nullptr);
}

const std::atomic<bool>& InterruptScope::flag()
{
    return g_interrupted;
}

void InterruptScope::request()
{
    g_interrupted.store(true);
}

} // namespace rw

#include "app/cli/interrupt.h"

#include <csignal>

namespace rw {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

struct sigaction g_previous{};

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
    sigaction(SIGINT, &action, &g_previous);
}

InterruptScope::~InterruptScope()
{
    sigaction(SIGINT, &g_previous, nullptr);
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

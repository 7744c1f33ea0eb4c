#pragma once

// Ctrl+C (and SIGTERM, SIGHUP) for long CLI work (a batch, a watch): the first one sets a flag the work
// checks between files and passes into loads and analyses as their cancel
// token, so the command stops cleanly and writes nothing half-done; a second
// SIGINT ends the process at once (the handler is reset after the first).
#include <atomic>

namespace rw {

class InterruptScope
{
public:
    InterruptScope();  // installs the handler and clears the flag
    ~InterruptScope(); // restores what was there before
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    static const std::atomic<bool>& flag();
    static void request(); // what SIGINT does: for tests, and for callers that stop the work themselves
};

} // namespace rw

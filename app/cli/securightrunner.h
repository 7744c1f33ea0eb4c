#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace rw {

// What securight reads from its environment, given by the caller so that
// tests choose it.
struct SecurightEnvironment
{
    std::string xdgConfigHome; // empty: unset
    std::string home;
    bool stdinIsTerminal = false; // standard input is not a pipe or socket: trace watch then needs a SOURCE
};

// One `securight` invocation (arguments without the program name); returns
// the exit code: 0, 1 an unreadable trace, 2 a usage error or an invalid
// configuration, 5 when --fail-on is reached.
int runSecuright(const std::vector<std::string>& args, const SecurightEnvironment& environment,
                 std::ostream& out, std::ostream& err);

} // namespace rw

// securight: the seed's name for run-trace analysis (`securight trace
// analyze FILE`, `securight trace watch`), the same rw_cli code as
// aisecops-replay --analyze and --watch.
#include "app/cli/clioutput.h"
#include "app/cli/securightrunner.h"

#include <cstdlib>
#include <iostream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace {

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

} // namespace

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    // trace watch reads standard input by default only when something writes to it (a pipe, a socket):
    // not a terminal, not /dev/null, not a closed descriptor
    struct stat in{};
    const bool piped = ::fstat(STDIN_FILENO, &in) == 0 && (S_ISFIFO(in.st_mode) || S_ISSOCK(in.st_mode));
    const rw::SecurightEnvironment env{environment("XDG_CONFIG_HOME"), environment("HOME"), !piped};
    return rw::finishStandardOutput(rw::runSecuright(args, env, std::cout, std::cerr), std::cout, std::cerr);
}

#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// Runs one CLI invocation; returns the process exit code.
int runCli(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

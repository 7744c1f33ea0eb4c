#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --check-policy, and --policy with or without --diff / --baseline.
int runPolicyCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

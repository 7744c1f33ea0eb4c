#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --analyze (also `securight trace analyze`) and --check-profile. Exit codes:
// 0, 1 an audit file that cannot be read or a run that is not found, 2 an
// unreadable or invalid analysis configuration, 5 when an anomaly reaches
// --fail-on.
int runAnalyzeCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

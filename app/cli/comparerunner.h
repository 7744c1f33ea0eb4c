#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --trace-id A --compare-trace B: the two traces aligned by plan and step,
// as text or (--json) as a JSON document; A from the first --audit-file, B
// from the second (or the same file).
int runCompareCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

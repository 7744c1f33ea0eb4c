#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --evidence, --verify and --generate-key.
int runEvidenceCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

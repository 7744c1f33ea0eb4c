#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --build-profile DIR... [--glob G] [--agent GLOB] --output profiles/NAME.json:
// a tool-sequence baseline of the runs under the folders (reference §3.8),
// which --sequence-profile (or an agent's sequence_profile in analysis.yaml)
// then gives unusual_tool_sequence. Without --agent the runs must be of one
// agent. --profile only lends its trusted networks (destination classes).
int runBuildProfile(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

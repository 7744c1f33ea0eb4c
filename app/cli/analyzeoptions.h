#pragma once

// The rules of the analysis options of aisecops-replay (--analyze,
// --check-profile and what refines them), apart from the other actions'.
#include "app/cli/clioptions.h"

#include <string>
#include <vector>

namespace rw {

// Any of --profile, --behaviour, --exfil, --sequence-profile, --fail-on.
bool hasAnalysisOptions(const CliOptions& options);
// Empty when `given` (every option of the call, in order) fits the action;
// otherwise the usage error.
std::string analysisOptionsError(const CliOptions& options, const std::vector<std::string>& given);

} // namespace rw

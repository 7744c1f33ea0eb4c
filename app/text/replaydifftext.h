#pragma once

#include "replay/policy/replaydiffjson.h"

#include <string>

namespace rw {

// Text renderings of re-evaluation results for the CLI.
std::string replayDiffText(const ReplayDiffContext& context, const std::vector<FileDiff>& files);
std::string policyDecisionsText(const ReplayDiffContext& context, const std::vector<FileDiff>& files);
std::string bundleDiagnosticLine(const BundleDiagnostic& d);

} // namespace rw

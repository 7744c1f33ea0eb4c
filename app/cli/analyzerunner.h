#pragma once

#include "app/cli/clioptions.h"
#include "replay/analysis/analyzer.h"

#include <functional>
#include <memory>

#include <ostream>

namespace rw {

// --analyze (also `securight trace analyze`) and --check-profile. Exit codes:
// 0, 1 an audit file that cannot be read or a run that is not found, 2 an
// unreadable or invalid analysis configuration, 5 when an anomaly reaches
// --fail-on.
int runAnalyzeCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

// The analysis configuration the options name (--profile, --behaviour, --exfil,
// --sequence-profile, --policy-version, or the defaults), changed by `adjust`
// before it is compiled; its findings on `diag` (warnings unless --quiet);
// nullptr when it has errors.
std::shared_ptr<const analysis::AnalysisRules> loadAnalysisRules(
    const CliOptions& options, std::ostream& diag, const std::function<void(analysis::AnalysisConfig&)>& adjust = {});

} // namespace rw

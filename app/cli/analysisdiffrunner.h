#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --analyze --diff (detector what-if): the runs of --audit-file (or --batch
// DIR...) analysed under the baseline configuration A (--baseline-profile,
// --baseline-behaviour, --baseline-exfil; what is not given is B's) and under
// B (--profile, --behaviour, --exfil, ...): the anomalies that appear, vanish
// or change severity and the policy checks whose result changes, one line
// each and a summary; --output writes analysis-diff.json
// (docs/analysis-diff.schema.json). Exit 3 with --fail-on-change when
// anything changed.
int runAnalysisDiff(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

#pragma once

// The batch merge's hook for runs its map steps found in several files
// (BatchMergeOptions::joinSplitRuns): each file read again once, checked to
// hold the bytes the map step analysed (SHA-256), and every such run
// analysed whole from its pieces (replay/analysis/splitrun.h), its row and
// facts made as the map step makes them.
#include "app/cli/batchmerge.h"
#include "app/cli/clioptions.h"
#include "replay/analysis/analyzer.h"

#include <atomic>
#include <string>
#include <vector>

namespace rw {

// `rules`: the parts' configuration; nullptr when the merge does not have it,
// every run then kept apart for `unavailable`
std::vector<SplitOutcome> joinSplitRuns(const std::vector<SplitRun>& runs, const CliOptions& options,
                                        const analysis::AnalysisRules* rules, const std::string& unavailable,
                                        const std::atomic<bool>* cancel);

} // namespace rw

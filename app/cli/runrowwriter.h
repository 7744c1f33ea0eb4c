#pragma once

// A batch's run rows written straight to text: the bytes of
// analysisRunJson(run) dumped compact (ASCII, as nlohmann::ordered_json::dump
// with ensure_ascii gives them), without building the JSON tree, which costs
// more than the analysis itself on a gigabyte of runs; and the facts of a run
// the merge reads (batchfacts.h), made from the run and written the same way.
// A test holds both to the tree-built forms.
#include "app/cli/batchfacts.h"
#include "replay/analysis/anomaly.h"

#include <string>
#include <vector>

namespace rw {

// `messages`, when given, receives each anomaly's message (for runFactsOf)
void appendRunRow(std::string& out, const analysis::RunAnalysis& run, std::vector<std::string>* messages = nullptr);

} // namespace rw

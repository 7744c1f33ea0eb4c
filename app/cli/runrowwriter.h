#pragma once

// A batch's run rows written straight to text: the bytes of
// analysisRunJson(run) dumped compact (ASCII, as nlohmann::ordered_json::dump
// with ensure_ascii gives them), without building the JSON tree, which costs
// more than the analysis itself on a gigabyte of runs; and the facts of a run
// the merge reads (batchmerge.h) made from the run directly. A test holds both
// to the tree-built forms.
#include "replay/analysis/anomaly.h"

#include <nlohmann/json.hpp>

#include <string>

namespace rw {

void appendRunRow(std::string& out, const analysis::RunAnalysis& run);
nlohmann::ordered_json runFactsOf(const analysis::RunAnalysis& run);

} // namespace rw

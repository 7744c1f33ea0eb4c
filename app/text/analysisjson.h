#pragma once

// The --json document of `aisecops-replay --analyze` and `securight trace
// analyze --json`: every run with its anomalies (reference §3.10 record,
// witnesses included), policy checks and notes, and the configuration that
// produced them by path and SHA-256. Keys in a fixed order and nothing of the
// moment (no time of analysis), so the same inputs give the same bytes. In
// rw_text, beside the wording it carries, since the CLI (--analyze --json,
// the batch) and evidence bundles of the CLI and the workbench all write it.
#include "replay/analysis/analyzer.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace rw {

nlohmann::ordered_json analysisJson(const std::vector<analysis::RunAnalysis>& runs,
                                    const analysis::AnalysisConfig& config);
nlohmann::ordered_json anomalyJson(const analysis::Anomaly& anomaly);
// one run of that document, and its `config`: a batch's map step writes them per file
nlohmann::ordered_json analysisRunJson(const analysis::RunAnalysis& run);
nlohmann::ordered_json analysisConfigJson(const analysis::AnalysisConfig& config);

} // namespace rw

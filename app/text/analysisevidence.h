#pragma once

// The run-trace analysis an evidence bundle carries (the members and their
// checks: replay/evidence/evidenceanalysis.h), assembled the same way for the
// CLI (--evidence --with-analysis) and the workbench's export: the analysis
// of exactly the exported traces as analysis/report.json, and the exact bytes
// of every configuration file it used, read again and refused when changed
// since the analysis read it.
#include "model/workspace.h"
#include "replay/analysis/analyzer.h"
#include "replay/evidence/evidencebundle.h"

#include <atomic>
#include <string>

namespace rw {

// Adds analysis/report.json and analysis/config/ to `request` (whose rows are
// chosen); the reason it could not, in words, or empty.
std::string addEvidenceAnalysis(EvidenceRequest& request, const Workspace& ws, const analysis::AnalysisRules& rules,
                                const std::string& tool, const std::atomic<bool>* cancel = nullptr);

} // namespace rw

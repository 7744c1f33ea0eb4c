#pragma once

#include "app/cli/clioptions.h"
#include "replay/analysis/analyzer.h"

#include <ostream>

namespace rw {

// --analyze --batch DIR… --output report.json (and `securight trace analyze
// DIR --batch --output report.json`): every trace file under the folders,
// analysed one after another; prints the seed's lines (files found, runs by
// their worst severity, where the report went) and writes the report (the
// --json document of every run plus inputs with their SHA-256, problems and
// totals) through a temporary file renamed into place. Exit codes as
// runAnalyzeCommand's.
int runBatchAnalysis(const CliOptions& options, const analysis::AnalysisRules& rules, std::ostream& out,
                     std::ostream& err);

// --merge-reports PART... --output report.json: the parts of map steps that
// ran elsewhere (--batch … --part) merged into the report --batch would
// have written, with its lines and exit codes.
int runMergeReports(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw

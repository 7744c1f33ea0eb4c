#pragma once

// The words of a detector what-if (replay/analysis/analysisdiff.h), for the
// CLI's --analyze --diff and any view that shows one: one line per change,
// marked as a diff reads (+ appears under B, - vanishes, ~ changes), and a
// summary. Values from traces and configuration files in their visible form.
#include "replay/analysis/analysisdiff.h"

#include <QString>

namespace rw {

// "+ [WARN] run-12345 step 2 (prod-triage-au-east): Permission escalation — ..."
// "~ [WARN → CRITICAL] run-12345 step 2 (...): ..."
QString anomalyChangeLine(const analysis::AnomalyChange& change);
// "~ run-12345 (prod-triage-au-east) SOP-114 approved-tools “title”: PASS → FAIL" ("not applied" when absent)
QString checkChangeLine(const analysis::CheckChange& change);
// "Under B: 3 anomalies appear, 1 vanishes, 2 change severity, 1 policy check changes (12 runs, 40 anomalies unchanged)"
// or "No change: ..." when nothing differs
QString analysisDiffSummary(const analysis::AnalysisDiff& diff);

} // namespace rw

#pragma once

// The wording of run-trace analysis (reference §2.4): the run report of
// `securight trace analyze` and `aisecops-replay --analyze`, the notes of
// detectors that could not judge, and (anomalytext.h) each anomaly's line.
// The CLI and the workbench both word analyses here. Values taken from
// traces and configuration files are shown in their visible form.
#include "app/text/anomalytext.h"
#include "replay/analysis/anomaly.h"

#include <QString>

namespace rw {

// PASS, WARN, FAIL
QString checkResultLabel(analysis::CheckResult result);
// Why a detector said nothing about a run.
QString noteText(const analysis::AnalysisNote& note);
// Where the baseline came from ("baseline inferred from the trace (no profile)").
QString baselineSourceText(analysis::BaselineSource source);

// The report of one run in the seed's layout (a line per item, no
// indentation, a line break after each): header, permissions, anomalies,
// one section per behavioural policy applied, summary, then notes.
QString analysisReportText(const analysis::RunAnalysis& run);

// One anomaly as the workbench's drawer shows it, a line per item: severity,
// detector and score; its message; the rule; the run, agent and step; each
// witness (file, line, byte offset, length, JSON pointer and value); the
// run's baseline and where it came from; its context, one key a line.
QString anomalyCardText(const analysis::Anomaly& anomaly, const analysis::RunAnalysis& run);

} // namespace rw

#pragma once

// The words of the live watch (aisecops-replay --watch, securight trace
// watch): the seed's compact lines, the full form's reasoning and anomalies,
// the JSON Lines records, and what happened to the source. Untrusted values
// are escaped for the terminal (terminaltext.h); JSON escapes on its own.
#include "model/followtypes.h"
#include "replay/analysis/liveanalyzer.h"

#include <string>

namespace rw {

// "Watching agent: prod-triage-au-east (run-c891f...)"
std::string watchingLine(const analysis::LiveRunInfo& run);
// "14:22:14 [step 2] restart_service service.restart OK service:restart [ESCALATED]", then a
// "[CRITICAL data_exfiltration]" for each new anomaly at warn or above that is no escalation
std::string compactStepLine(const analysis::LiveStep& step);
// the compact line, then "    reasoning: ..." and each new anomaly as "    [WARN] Step 2: ..."
std::string fullStepLines(const analysis::LiveStep& step);
// JSON Lines: one object for the step (type "step"), then one per anomaly (type "anomaly")
std::string jsonStepLines(const analysis::LiveStep& step);
// anomalies only the completed run shows: "At the end of run-x: [CRITICAL] Step 1: ..." a line each
std::string lateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies);
std::string jsonLateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies);
std::string jsonRunLine(const char* type, const analysis::LiveRunInfo& run, const analysis::RunAnalysis* result);
std::string jsonNoteLine(const FollowNote& note);
std::string jsonRejectedLine(const std::string& file, const Diagnostic& finding);
// "Note: audit.jsonl rotated at byte 12345: read to its end (...)"
std::string followNoteText(const FollowNote& note);

} // namespace rw

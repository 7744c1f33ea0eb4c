#pragma once

// The words of the live watch (aisecops-replay --watch, securight trace
// watch): the seed's compact lines, the full form's reasoning and anomalies,
// the JSON Lines records, and what happened to the source. Untrusted values
// are escaped for the terminal (terminaltext.h); JSON escapes on its own.
#include "model/followtypes.h"
#include "replay/analysis/liveanalyzer.h"

#include <cstdint>
#include <map>
#include <string>

namespace rw {

// Where bundle B decides a decision point otherwise (--watch --policy B.yaml).
struct PolicyVerdict
{
    std::string file;
    std::uint64_t line = 0, offset = 0;
    std::string time, traceId, agentId, tool;
    std::string before, after; // the recorded decision, then B's
    std::string rule;          // the rule of B that decided, if one did
};

struct PolicyWatchTotals
{
    std::uint64_t points = 0, changed = 0, notReplayable = 0;
    std::map<std::string, std::uint64_t> flips; // "allowed->blocked"
};

// "Watching agent: prod-triage-au-east (run-c891f...)"
std::string watchingLine(const analysis::LiveRunInfo& run);
// "14:22:14 [step 2] restart_service service.restart OK service:restart [ESCALATED]", then a
// "[CRITICAL data_exfiltration]" for each new anomaly at warn or above that is no escalation
// (and " [B: BLOCKED]" when bundle B decides the step otherwise)
std::string compactStepLine(const analysis::LiveStep& step, const PolicyVerdict* b = nullptr);
// the compact line, then "    reasoning: ..." and each new anomaly as "    [WARN] Step 2: ..."
std::string fullStepLines(const analysis::LiveStep& step, const PolicyVerdict* b = nullptr);
// JSON Lines: one object for the step (type "step"), then one per anomaly (type "anomaly")
// (B's verdict as the step's "policy_b" member)
std::string jsonStepLines(const analysis::LiveStep& step, const PolicyVerdict* b = nullptr);
// an interceptor event as it arrives (JSON form): {"type":"event","event_id",...,"file","line","offset",...}
std::string jsonEventLine(const analysis::LiveEvent& event);
// a decision point no step line shows: "14:22:14 [trace t-1] send_email allowed -> blocked (rule r) under B"
std::string policyVerdictLine(const PolicyVerdict& b);
std::string jsonPolicyVerdictLine(const PolicyVerdict& b);
// "Policy B (b.yaml): 3 of 41 decisions decided otherwise (allowed->blocked 2); 1 not replayable"
std::string policyWatchTotalsLine(const std::string& bundle, const PolicyWatchTotals& totals);
// anomalies only the completed run shows: "At the end of run-x: [CRITICAL] Step 1: ..." a line each
std::string lateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies);
std::string jsonLateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies);
std::string jsonRunLine(const char* type, const analysis::LiveRunInfo& run, const analysis::RunAnalysis* result);
std::string jsonNoteLine(const FollowNote& note);
std::string jsonRejectedLine(const std::string& file, const Diagnostic& finding);
// "Note: audit.jsonl rotated at byte 12345: read to its end (...)"
std::string followNoteText(const FollowNote& note);

} // namespace rw

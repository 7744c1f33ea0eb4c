#pragma once

#include "model/replaymodel.h"
#include "model/tracesummary.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

// One disagreement between plan, policy decision and execution outcome. The
// field names and words follow upstream's mismatch object.
struct Mismatch
{
    std::string type;
    std::string expected;
    std::string actual;
    std::string severity; // critical | high | medium
    std::string reason;
};

// Upstream's in-trace replay diff (reference §3): what was planned, what the
// policy decided, what was executed, and the governance result.
struct InTraceDiff
{
    std::string_view traceId;
    std::int64_t planEvent = -1;     // first `plan` event
    std::int64_t decisionEvent = -1; // last decision / mcp_policy_decision with a policy word
    std::optional<std::string_view> planId;
    std::optional<std::string_view> plannedTool;
    std::optional<std::string_view> plannedIntent;
    std::optional<std::string_view> plannedRiskLevel;
    std::vector<std::string_view> plannedCapabilities;
    std::optional<std::string_view> policyDecision;
    bool executed = false;
    std::vector<Mismatch> mismatches;
    std::vector<std::string_view> violations;
    Governance governance = Governance::Observed;
    std::string governanceResult; // governanceName(governance), as upstream's JSON writes it
    std::string summary;

    std::string_view executionOutcome() const { return executed ? "executed" : "not_performed"; }
};

InTraceDiff computeInTraceDiff(const ReplayModel& model, const TraceSummary& summary);

// Upstream's one-sentence risk explanation (reference §5.8).
std::string explainGovernanceDecision(std::optional<std::string_view> tool, std::optional<std::string_view> capability,
                                      std::optional<std::string_view> decision,
                                      std::optional<std::string_view> reason,
                                      std::optional<std::string_view> matchedRule,
                                      const std::vector<std::string_view>& budgetViolations);

} // namespace rw

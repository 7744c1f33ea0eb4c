#pragma once

#include "policyengine.h"
#include "replaymodel.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rw {

// A decision point: one policy evaluation recorded in the log — the
// `decision` event of an execution plan, an `mcp_policy_decision` event, or a
// step of a run trace.
bool isDecisionPoint(const ReplayModel& model, const EventRecord& e);

// The request a decision point evaluated, rebuilt from the logged event. The
// logged runtime_budget is the old bundle's and is dropped. `missing` names
// the facts the log lacks; such a point is not replayable.
PolicyRequest buildRequest(const ReplayModel& model, const EventRecord& e, std::vector<std::string>* missing);

struct DecisionSnapshot
{
    std::string decision;
    std::optional<std::string> matchedRule;
    std::string reason;
};

struct PointResult
{
    std::uint32_t event = 0;
    std::size_t trace = 0;
    bool replayable = true;
    std::vector<std::string> missing;
    DecisionSnapshot before; // recorded, or the baseline bundle's
    std::optional<PolicyOutcome> baseline;
    PolicyOutcome after;
    bool changed = false;
};

struct ReplayDiffSummary
{
    std::size_t decisionPoints = 0;
    std::size_t changed = 0;
    std::size_t unchanged = 0;
    std::size_t notReplayable = 0;
    std::map<std::string, std::size_t> flips; // "blocked->allowed"
    std::map<std::string, std::size_t> byRule, byAgent, byTool, byTenant; // changed points
    std::vector<std::string> rulesNeverFired;  // rules[N] of the new bundle no point matched
    std::size_t capabilityGateSkipped = 0;
};

struct ReplayDiffResult
{
    std::vector<PointResult> points;
    ReplayDiffSummary summary;
};

// Re-evaluates every decision point of the model (or of one trace) under
// `after`, against the recorded decisions or, when `baseline` is given, against
// the baseline bundle's decisions.
ReplayDiffResult reevaluate(const ReplayModel& model, std::optional<std::size_t> trace, const PolicyEngine& after,
                            const PolicyEngine* baseline = nullptr);

} // namespace rw

#pragma once

#include "model/replaymodel.h"
#include "replay/policy/policyengine.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rw {

// A decision point: one policy evaluation recorded in the log — the
// `decision` event of an execution plan, an `mcp_policy_decision` event, or a
// step of a run trace.
bool isDecisionPoint(const ReplayModel& model, const EventRecord& e);

// Facts a request needs, as bits of PointResult::missing.
enum MissingFact : std::uint8_t { MissingTool = 1, MissingAgent = 2, MissingArguments = 4, MissingDecision = 8 };
std::vector<std::string> missingFactNames(std::uint8_t missing);

// The request a decision point evaluated, rebuilt from the logged event into
// `request` (its vectors are reused). The logged runtime_budget is the old
// bundle's and is dropped. Returns the facts the log lacks; a point with any
// is not replayable.
std::uint8_t buildRequest(const ReplayModel& model, const EventRecord& e, PolicyRequest& request);

struct DecisionSnapshot
{
    std::string decision;
    std::optional<std::string> matchedRule;
    std::string reason;
};

// One decision point, compactly: texts are made only for what is shown.
struct PointResult
{
    std::uint32_t event = 0;
    std::uint8_t missing = 0; // MissingFact bits; non-zero: not replayable
    bool mcp = false;
    bool changed = false;
    CompactOutcome after;
    std::optional<CompactOutcome> baseline;

    bool replayable() const { return missing == 0; }
};

// The decisions on each side of a point, as the output shows them.
std::string_view beforeDecision(const ReplayModel& model, const PointResult& p);
std::string_view afterDecision(const PointResult& p);
DecisionSnapshot beforeSnapshot(const ReplayModel& model, const PointResult& p, const PolicyEngine* baseline);
PolicyOutcome afterOutcome(const ReplayModel& model, const PointResult& p, const PolicyEngine& after);

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
    std::vector<PointResult> points; // file order
    ReplayDiffSummary summary;
};

// Re-evaluates every decision point of the model (or of one trace) under
// `after`, against the recorded decisions or, when `baseline` is given, against
// the baseline bundle's decisions.
ReplayDiffResult reevaluate(const ReplayModel& model, std::optional<std::size_t> trace, const PolicyEngine& after,
                            const PolicyEngine* baseline = nullptr);

} // namespace rw

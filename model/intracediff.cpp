#include "model/intracediff.h"

#include "model/eventjson.h"

namespace rw {

namespace {

std::optional<std::string_view> opt(const ReplayModel& m, const EventRecord& e, Field f)
{
    if (e.s(f) == kNoStr)
        return std::nullopt;
    return m.str(e, f);
}

// planned tool when the plan event names none: the first plan step's tool
std::optional<std::string_view> firstStepTool(const ReplayModel& model, const EventRecord& plan)
{
    if (!plan.has(EventFlag::HasPlanSteps) || plan.planStepCount == 0)
        return std::nullopt;
    const auto json = parseEventJson(model, plan);
    if (!json || !json->contains("plan_steps"))
        return std::nullopt;
    const auto& steps = (*json)["plan_steps"];
    if (!steps.is_array() || steps.empty() || !steps[0].is_object())
        return std::nullopt;
    const auto it = steps[0].find("tool_name");
    if (it == steps[0].end() || !it->is_string())
        return std::nullopt;
    // the pool holds every tool name of the file; fall back to nothing if not
    const StrId id = model.pool().find(it->get<std::string>());
    return id == kNoStr ? std::nullopt : std::optional<std::string_view>(model.str(id));
}

} // namespace

std::string explainGovernanceDecision(std::optional<std::string_view> tool, std::optional<std::string_view> capability,
                                      std::optional<std::string_view> decision,
                                      std::optional<std::string_view> reason,
                                      std::optional<std::string_view> matchedRule,
                                      const std::vector<std::string_view>& budgetViolations)
{
    const std::string toolName(tool.value_or("None"));
    const bool hasReason = reason && !reason->empty();
    const bool hasCap = capability && !capability->empty();
    if (!budgetViolations.empty())
        return "Runtime budget blocked execution because " + std::string(budgetViolations.front()) +
               " was exceeded.";
    const Decision d = decision ? decisionFromText(*decision) : Decision::None;
    if (d == Decision::Blocked) {
        if (hasCap)
            return "Policy blocked " + toolName + " because " + std::string(*capability) +
                   " is not allowed for this agent.";
        if (hasReason)
            return "Policy blocked " + toolName + ": " + std::string(*reason);
        return "Policy blocked " + toolName + ".";
    }
    if (d == Decision::RequireApproval) {
        if (hasCap)
            return "Execution required approval because " + std::string(*capability) + " is marked high risk.";
        if (hasReason)
            return "Execution required approval: " + std::string(*reason);
        return "Execution required approval before the tool could run.";
    }
    if (d == Decision::Allowed) {
        if (matchedRule && !matchedRule->empty())
            return "Policy allowed " + toolName + " under " + std::string(*matchedRule) + ".";
        return "Policy allowed " + toolName + ".";
    }
    if (hasReason)
        return std::string(*reason);
    return "Governance decision was evaluated.";
}

InTraceDiff computeInTraceDiff(const ReplayModel& model, const TraceSummary& summary)
{
    InTraceDiff d;
    d.traceId = model.str(summary.traceId);
    const auto events = model.traceEvents(summary.trace);
    for (const std::uint32_t i : events) {
        const EventRecord& e = model.event(i);
        const std::string_view type = model.str(e, Field::EventType);
        if (type == "plan" && d.planEvent < 0)
            d.planEvent = i;
        if ((type == "decision" || type == "mcp_policy_decision") &&
            (e.decision == Decision::Allowed || e.decision == Decision::Blocked ||
             e.decision == Decision::RequireApproval))
            d.decisionEvent = i;
        if (type == "tool_executed")
            d.executed = true;
    }
    if (d.planEvent >= 0) {
        const EventRecord& plan = model.event(static_cast<std::size_t>(d.planEvent));
        d.planId = opt(model, plan, Field::PlanId);
        d.plannedTool = opt(model, plan, Field::ToolName);
        if (!d.plannedTool)
            d.plannedTool = firstStepTool(model, plan);
        d.plannedIntent = opt(model, plan, Field::PlanIntent);
        d.plannedRiskLevel = opt(model, plan, Field::PlanRiskLevel);
        for (const StrId c : model.list(plan.requestedCaps))
            d.plannedCapabilities.push_back(model.str(c));
    }
    std::optional<std::string_view> decisionReason, decisionTool;
    Decision policy = Decision::None;
    if (d.decisionEvent >= 0) {
        const EventRecord& dec = model.event(static_cast<std::size_t>(d.decisionEvent));
        policy = dec.decision;
        d.policyDecision = model.str(dec, Field::Decision);
        decisionReason = opt(model, dec, Field::Reason);
        decisionTool = opt(model, dec, Field::ToolName);
    }
    for (const StrId v : summary.violations)
        d.violations.push_back(model.str(v));

    const EventRecord& last = model.event(static_cast<std::size_t>(summary.lastEvent));
    const std::optional<std::string_view> finalTool = opt(model, last, Field::ToolName);
    if (policy == Decision::Blocked && d.executed)
        d.mismatches.push_back({"blocked_execution_occurred", "not_performed", "executed", "critical",
                                "Policy blocked the action, but execution occurred."});
    if (policy == Decision::RequireApproval && d.executed && last.decision != Decision::Allowed)
        d.mismatches.push_back({"approval_execution_without_allowed_final_state", "approval_before_execution",
                                std::string(model.str(last, Field::Decision)), "high",
                                "Approval was required, but the tool executed without an allowed final state."});
    if (d.plannedTool && finalTool && *d.plannedTool != *finalTool)
        d.mismatches.push_back({"tool_mismatch", std::string(*d.plannedTool), std::string(*finalTool), "medium",
                                "The final event tool differs from the planned tool."});
    for (const std::string_view v : d.violations)
        d.mismatches.push_back({"runtime_budget_violation", "within_budget", std::string(v), "high",
                                "Runtime budget violation observed: " + std::string(v)});

    const bool critical = std::any_of(d.mismatches.begin(), d.mismatches.end(),
                                      [](const Mismatch& m) { return m.severity == "critical"; });
    if (critical)
        d.governance = Governance::Violation;
    else if (policy == Decision::Blocked && !d.executed)
        d.governance = Governance::Blocked;
    else if (policy == Decision::RequireApproval && !d.executed)
        d.governance = Governance::Enforced;
    else if (policy == Decision::Allowed && d.executed)
        d.governance = Governance::Matched;
    else if (!d.mismatches.empty())
        d.governance = Governance::Review;
    else
        d.governance = Governance::Observed;
    d.governanceResult = governanceName(d.governance);

    const auto tool = d.plannedTool ? d.plannedTool : decisionTool;
    d.summary = explainGovernanceDecision(tool, std::nullopt, d.policyDecision, decisionReason, std::nullopt,
                                          d.violations) +
                " Governance result is " + d.governanceResult + "; execution outcome is " +
                std::string(d.executionOutcome()) + ".";
    return d;
}

} // namespace rw

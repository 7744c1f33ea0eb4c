#include "replay/graph/executiongraph.h"

#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/vocabulary.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace rw {

namespace {

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

// Each event once, first occurrence kept. Lists are appended to without a
// check while the graph is built (a search per event was quadratic for the
// agent node of a 2M-event trace); this runs once per list at the end.
void keepFirstOccurrences(std::vector<std::uint32_t>& events)
{
    if (std::adjacent_find(events.begin(), events.end(), std::greater_equal<>()) == events.end())
        return; // strictly increasing: the usual case, nothing repeats
    std::unordered_set<std::uint32_t> seen;
    seen.reserve(events.size());
    events.erase(std::remove_if(events.begin(), events.end(), [&](std::uint32_t e) { return !seen.insert(e).second; }),
                 events.end());
}

class Builder
{
public:
    Builder(const ReplayModel& model, ExecutionGraph& graph) : m(model), g(graph) {}

    bool has(const std::string& key) const { return m_index.count(key) > 0; }

    std::size_t node(const std::string& key, GraphNodeKind kind, std::string label, std::string detail = {},
                     std::string decision = {}, int branch = -1)
    {
        const auto existing = m_index.find(key);
        if (existing != m_index.end())
            return existing->second;
        GraphNode n;
        n.key = key;
        n.kind = kind;
        n.label = std::move(label);
        n.detail = std::move(detail);
        n.decision = std::move(decision);
        n.branch = branch;
        g.nodes.push_back(std::move(n));
        m_index[key] = g.nodes.size() - 1;
        return g.nodes.size() - 1;
    }

    void edge(std::size_t from, std::size_t to, std::uint32_t event)
    {
        const auto [it, added] = m_edgeIndex.try_emplace((static_cast<std::uint64_t>(from) << 32) | to, g.edges.size());
        if (!added) {
            g.edges[it->second].events.push_back(event);
            return;
        }
        GraphEdge e;
        e.from = from;
        e.to = to;
        e.events.push_back(event);
        g.edges.push_back(std::move(e));
    }

    // repeats are removed by finish()
    static void addEvent(std::vector<std::uint32_t>& events, std::uint32_t e) { events.push_back(e); }

    void finish()
    {
        for (GraphNode& n : g.nodes)
            keepFirstOccurrences(n.events);
        for (GraphEdge& e : g.edges)
            keepFirstOccurrences(e.events);
    }

    std::string s(const EventRecord& e, Field f) const { return std::string(m.str(e, f)); }

    const ReplayModel& m;
    ExecutionGraph& g;

private:
    std::unordered_map<std::string, std::size_t> m_index;
    std::unordered_map<std::uint64_t, std::size_t> m_edgeIndex; // from << 32 | to
};

// a provenance source by its interned strings: no key text per item
struct SourceKey
{
    StrId type, name, trust;
    bool operator==(const SourceKey&) const = default;
};
struct SourceKeyHash
{
    std::size_t operator()(const SourceKey& k) const
    {
        return std::hash<std::uint64_t>{}((static_cast<std::uint64_t>(k.type) << 32 | k.name) * 31 + k.trust);
    }
};

bool untrustedLevel(std::string_view trust)
{
    const Trust t = trustFromText(trust);
    return t == Trust::External || t == Trust::Unverified;
}

bool isLlmInput(std::string_view type) { return type == "user_input" || type.starts_with("prompt_"); }
bool isLlmOutput(std::string_view type) { return type.starts_with("output_"); }

} // namespace

ExecutionGraph buildExecutionGraph(const ReplayModel& m, std::size_t trace, const GraphLimits& limits)
{
    ExecutionGraph g;
    Builder b(m, g);
    const auto events = m.traceEvents(trace);
    if (events.empty())
        return g;

    // provenance sources (one node per distinct source, up to the limit) feed the agent
    std::vector<std::size_t> sources;
    std::unordered_set<std::size_t> sourceSet;
    std::unordered_map<SourceKey, std::size_t, SourceKeyHash> sourceNodes;
    std::map<std::size_t, std::size_t> foldedSourceItems; // fold node -> provenance items
    std::size_t agent = 0;
    bool haveAgent = false;
    for (const std::uint32_t i : events) {
        const EventRecord& e = m.event(i);
        if (!haveAgent || e.s(Field::AgentId) != kNoStr) {
            const std::string name = e.s(Field::AgentName) != kNoStr ? b.s(e, Field::AgentName) : b.s(e, Field::AgentId);
            std::string detail;
            if (e.s(Field::AgentId) != kNoStr)
                detail = b.s(e, Field::AgentId);
            if (e.s(Field::AgentTrustLevel) != kNoStr)
                detail += (detail.empty() ? "" : " · ") + b.s(e, Field::AgentTrustLevel);
            if (e.s(Field::AgentEnvironment) != kNoStr)
                detail += (detail.empty() ? "" : " · ") + b.s(e, Field::AgentEnvironment);
            if (!haveAgent) {
                agent = b.node("agent", GraphNodeKind::Agent, name.empty() ? "unknown agent" : name, detail);
                haveAgent = true;
            } else if (!detail.empty()) {
                g.nodes[agent].detail = detail;
            }
        }
        b.addEvent(g.nodes[agent].events, i);
        for (const ProvenanceItem& p : m.provenance(e)) {
            const SourceKey sk{p.sourceType, p.sourceName, p.trustLevel};
            auto known = sourceNodes.find(sk);
            std::size_t n = 0;
            if (known != sourceNodes.end()) {
                n = known->second;
            } else {
                const std::string type(m.str(p.sourceType)), name(m.str(p.sourceName)), trust(m.str(p.trustLevel));
                const std::string key = "source:" + type + "/" + name + "/" + trust;
                if (b.has(key) || sources.size() < limits.maxSources) {
                    n = b.node(key, GraphNodeKind::Provenance, upper(type) + (name.empty() ? "" : " " + name), trust);
                    g.nodes[n].trust = trust;
                    sourceNodes.emplace(sk, n);
                } else {
                    // past the limit: one node per trust class keeps untrusted paths visible
                    const std::string cls = untrustedLevel(trust) ? trust : std::string("other");
                    n = b.node("source:more/" + cls, GraphNodeKind::Provenance, "MORE SOURCES", cls);
                    g.nodes[n].trust = cls == "other" ? std::string() : cls;
                    ++foldedSourceItems[n];
                    ++g.collapsedSources;
                }
            }
            b.addEvent(g.nodes[n].events, i);
            if (sourceSet.insert(n).second)
                sources.push_back(n);
            b.edge(n, agent, i);
        }
    }

    if (m.event(events.front()).has(EventFlag::RunStep)) {
        // run traces: the steps in order
        std::size_t previous = agent;
        std::size_t step = 0;
        std::int64_t more = -1;
        for (const std::uint32_t i : events) {
            const EventRecord& e = m.event(i);
            if (++step > limits.maxStepsShown) {
                if (more < 0) {
                    more = static_cast<std::int64_t>(b.node("step:more", GraphNodeKind::Collapsed, "more steps"));
                    b.edge(previous, static_cast<std::size_t>(more), i);
                }
                g.nodes[static_cast<std::size_t>(more)].events.push_back(i);
                ++g.collapsedSteps;
                continue;
            }
            const std::string decision = b.s(e, Field::Decision);
            std::string detail = b.s(e, Field::PlanIntent);
            if (e.has(EventFlag::Escalated))
                detail += (detail.empty() ? "" : " · ") + std::string("escalated permission");
            // the label names the step by its step_index (0-based, as the run
            // itself does); the key stays positional so a duplicate index
            // cannot fold two steps into one node
            const RunStep* runStep = m.runStep(i);
            const std::int64_t name = runStep ? runStep->stepIndex : static_cast<std::int64_t>(step - 1);
            const std::size_t n = b.node("step:" + std::to_string(step), GraphNodeKind::RunStep,
                                         "step " + std::to_string(name) + ": " + b.s(e, Field::ToolName), detail, decision);
            g.nodes[n].events.push_back(i);
            b.edge(previous, n, i);
            previous = n;
        }
        if (more >= 0)
            g.nodes[static_cast<std::size_t>(more)].detail = std::to_string(g.collapsedSteps) + " more steps";
    } else {
        // group by execution plan, first-seen order; LLM and plan-less events apart
        // keyed by the interned id: absent and "" are the same plan-less group
        std::vector<std::vector<std::uint32_t>> plans;
        std::unordered_map<StrId, std::size_t> planIndex;
        std::vector<std::uint32_t> llmIn, llmOut;
        for (const std::uint32_t i : events) {
            const EventRecord& e = m.event(i);
            const std::string_view type = m.str(e, Field::EventType);
            if (e.s(Field::DecisionStage) == kNoStr && isLlmInput(type)) {
                llmIn.push_back(i);
                continue;
            }
            if (e.s(Field::DecisionStage) == kNoStr && (isLlmOutput(type) || (type == "final_output" && e.s(Field::ExecutionPlanId) == kNoStr))) {
                llmOut.push_back(i);
                continue;
            }
            const StrId id = e.s(Field::ExecutionPlanId);
            const StrId plan = id != kNoStr && !m.str(id).empty() ? id : kNoStr;
            const auto [it, added] = planIndex.try_emplace(plan, plans.size());
            if (added)
                plans.emplace_back();
            plans[it->second].push_back(i);
        }
        std::size_t entry = agent;
        if (!llmIn.empty()) {
            const EventRecord& last = m.event(llmIn.back());
            const std::size_t n = b.node("llm:input", GraphNodeKind::LlmInput, "LLM input", b.s(last, Field::Reason), b.s(last, Field::Decision));
            g.nodes[n].events = llmIn;
            b.edge(agent, n, llmIn.front());
            entry = n;
        }
        if (!llmOut.empty()) {
            const EventRecord& last = m.event(llmOut.back());
            const std::size_t n = b.node("llm:output", GraphNodeKind::LlmOutput, "LLM output", b.s(last, Field::Reason), b.s(last, Field::Decision));
            g.nodes[n].events = llmOut;
            b.edge(entry, n, llmOut.front());
            entry = n;
        }

        // plans beyond the limit fold into one node per (tool, outcome)
        std::vector<std::size_t> outcomes;
        std::unordered_set<std::size_t> outcomeSet;
        std::unordered_map<std::string, std::size_t> folded;
        int planNumber = 0;
        for (const std::vector<std::uint32_t>& pe : plans) {
            ++planNumber;
            const int branch = planNumber - 1;
            const std::string prefix = "plan" + std::to_string(planNumber) + ":";
            // what happened in this plan
            std::int64_t planEvent = -1, decisionEvent = -1, callEvent = -1, outcomeEvent = -1, executedEvent = -1, mcpEvent = -1;
            for (const std::uint32_t i : pe) {
                const std::string_view type = m.str(m.event(i), Field::EventType);
                if (type == "plan" && planEvent < 0)
                    planEvent = i;
                else if (type == "decision")
                    decisionEvent = i;
                else if (type == "tool_call")
                    callEvent = i;
                else if (type == "tool_allowed" || type == "tool_blocked" || type == "approval_required")
                    outcomeEvent = i;
                else if (type == "tool_executed")
                    executedEvent = i;
                else if (type == "mcp_policy_decision")
                    mcpEvent = i;
            }
            const EventRecord& head = m.event(pe.front());
            const std::string tool = b.s(head, Field::ToolName);
            const std::int64_t deciding = outcomeEvent >= 0 ? outcomeEvent : decisionEvent >= 0 ? decisionEvent : pe.back();
            const std::string finalDecision = b.s(m.event(static_cast<std::size_t>(deciding)), Field::Decision);
            const Decision finalValue = m.event(static_cast<std::size_t>(deciding)).decision;
            if (static_cast<std::size_t>(planNumber) > limits.maxPlansShown) {
                std::string key = "similar:" + tool + "/" + finalDecision;
                std::size_t n = 0;
                if (folded.count(key) || folded.size() < limits.maxFoldedGroups) {
                    n = b.node(key, GraphNodeKind::Collapsed, "similar tool calls: " + tool, "", finalDecision);
                    g.nodes[n].detail = std::to_string(++folded[key]) + " more " + finalDecision;
                } else {
                    // past the group limit too: everything else in one node
                    key = "similar:*";
                    n = b.node(key, GraphNodeKind::Collapsed, "other tool calls", "", "");
                    g.nodes[n].detail = std::to_string(++folded[key]) + " more, other tools or outcomes";
                }
                g.nodes[n].events.insert(g.nodes[n].events.end(), pe.begin(), pe.end());
                b.edge(entry, n, pe.front());
                if (outcomeSet.insert(n).second)
                    outcomes.push_back(n);
                ++g.collapsedPlans;
                continue;
            }
            std::size_t previous = entry;
            auto step = [&](std::int64_t event, const std::string& suffix, GraphNodeKind kind, std::string label,
                            std::string detail, std::string decision) {
                const std::size_t n = b.node(prefix + suffix, kind, std::move(label), std::move(detail), std::move(decision), branch);
                if (event >= 0)
                    b.addEvent(g.nodes[n].events, static_cast<std::uint32_t>(event));
                b.edge(previous, n, static_cast<std::uint32_t>(event >= 0 ? event : pe.front()));
                previous = n;
                return n;
            };
            if (planEvent >= 0) {
                const EventRecord& e = m.event(static_cast<std::size_t>(planEvent));
                std::string caps;
                for (const StrId c : m.list(e.requestedCaps))
                    caps += (caps.empty() ? "" : ", ") + std::string(m.str(c));
                std::string detail = "risk " + b.s(e, Field::PlanRiskLevel);
                if (!caps.empty())
                    detail += " · " + caps;
                detail += " · " + std::to_string(e.planStepCount) + " step(s)";
                step(planEvent, "plan", GraphNodeKind::Plan,
                     "plan " + std::to_string(planNumber) + ": " + (e.s(Field::PlanIntent) != kNoStr ? b.s(e, Field::PlanIntent) : tool),
                     detail, "");
            }
            if (decisionEvent >= 0) {
                const EventRecord& e = m.event(static_cast<std::size_t>(decisionEvent));
                const std::string rule = b.s(e, Field::MatchedRule);
                const std::string decision = b.s(e, Field::Decision);
                // capability check -> policy evaluation -> budget check
                if (e.has(EventFlag::HasGrantedCaps) || rule == "capability_gate")
                    step(decisionEvent, "capability", GraphNodeKind::Capability, "capability check",
                         rule == "capability_gate" ? "denied" : "granted",
                         decisionName(rule == "capability_gate" ? Decision::Blocked : Decision::Allowed));
                step(decisionEvent, "policy", GraphNodeKind::Policy, "policy: " + decision,
                     rule.empty() ? std::string("default allow") : rule, decision);
                if (rule != "capability_gate" && e.has(EventFlag::HasRuntimeUsage))
                    step(decisionEvent, "budget", GraphNodeKind::Budget, "budget check",
                         e.s(Field::BudgetStatus) != kNoStr ? b.s(e, Field::BudgetStatus) : std::string("checked"),
                         decisionName(rule == "agent_limits" ? Decision::Blocked : Decision::Allowed));
            }
            if (mcpEvent >= 0) {
                const EventRecord& e = m.event(static_cast<std::size_t>(mcpEvent));
                step(mcpEvent, "mcp", GraphNodeKind::McpPolicy, "MCP policy: " + b.s(e, Field::Decision),
                     b.s(e, Field::ClientId) + " → " + b.s(e, Field::ServerName), b.s(e, Field::Decision));
            }
            const bool approvalNeeded = std::any_of(pe.begin(), pe.end(), [&](std::uint32_t i) {
                return m.event(i).decision == Decision::RequireApproval;
            });
            std::string approvalId;
            for (const std::uint32_t i : pe)
                if (m.event(i).s(Field::ApprovalId) != kNoStr)
                    approvalId = b.s(m.event(i), Field::ApprovalId);
            if (approvalNeeded) {
                const bool approved = outcomeEvent >= 0 && m.event(static_cast<std::size_t>(outcomeEvent)).decision == Decision::Allowed;
                step(outcomeEvent, "approval", GraphNodeKind::Approval, approved ? "approved" : "approval required",
                     approvalId, decisionName(approved ? Decision::Allowed : Decision::RequireApproval));
            }
            if (callEvent >= 0)
                step(callEvent, "call", GraphNodeKind::ToolCall, "request " + tool, "", decisionName(Decision::Pending));
            // the outcome: only an executed tool says "executed"
            std::string label;
            Decision outcomeDecision = Decision::Observed;
            std::int64_t outcomeSource = outcomeEvent >= 0 ? outcomeEvent : deciding;
            if (executedEvent >= 0) {
                label = "executed " + tool;
                outcomeDecision = Decision::Allowed;
                outcomeSource = executedEvent;
            } else if (finalValue == Decision::Blocked) {
                label = "blocked: not executed";
                outcomeDecision = Decision::Blocked;
            } else if (finalValue == Decision::RequireApproval) {
                label = "held for approval: not executed";
                outcomeDecision = Decision::RequireApproval;
            } else {
                label = "not performed (dry run)";
            }
            const std::size_t o = step(outcomeSource, "outcome", GraphNodeKind::Outcome, label,
                                       outcomeSource >= 0 ? b.s(m.event(static_cast<std::size_t>(outcomeSource)), Field::Reason) : "",
                                       decisionName(outcomeDecision));
            for (const std::uint32_t i : pe)
                if (m.str(m.event(i), Field::EventType) == "final_output")
                    b.addEvent(g.nodes[o].events, i);
            if (outcomeSet.insert(o).second)
                outcomes.push_back(o);
        }
        if (outcomes.empty() && entry != agent)
            outcomes.push_back(entry);
        const InTraceDiff diff = computeInTraceDiff(m, summarizeTrace(m, trace));
        const std::size_t gov = b.node("governance", GraphNodeKind::Governance, "governance: " + diff.governanceResult,
                                       std::string(diff.executionOutcome()),
                                       diff.governance == Governance::Violation ? decisionName(Decision::Blocked)
                                       : diff.governance == Governance::Matched ? decisionName(Decision::Allowed)
                                                                                : "");
        g.nodes[gov].events.push_back(events.back());
        for (const std::size_t o : outcomes)
            b.edge(o, gov, events.back());
        if (outcomes.empty())
            b.edge(agent, gov, events.back());
    }

    for (const auto& [n, items] : foldedSourceItems)
        g.nodes[n].detail += " · " + std::to_string(items) + " more items";
    b.finish();

    // paths from external or unverified sources
    std::vector<std::vector<std::size_t>> outEdges(g.nodes.size());
    for (std::size_t e = 0; e < g.edges.size(); ++e)
        outEdges[g.edges[e].from].push_back(e);
    std::vector<bool> tainted(g.nodes.size(), false);
    std::vector<std::size_t> queue;
    for (const std::size_t s : sources)
        if (untrustedLevel(g.nodes[s].trust)) {
            tainted[s] = true;
            queue.push_back(s);
        }
    while (!queue.empty()) {
        const std::size_t n = queue.back();
        queue.pop_back();
        for (const std::size_t ei : outEdges[n]) {
            GraphEdge& e = g.edges[ei];
            e.untrusted = true;
            if (!tainted[e.to]) {
                tainted[e.to] = true;
                queue.push_back(e.to);
            }
        }
    }
    return g;
}

} // namespace rw

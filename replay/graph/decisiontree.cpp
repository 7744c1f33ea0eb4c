#include "replay/graph/decisiontree.h"

#include "model/eventjson.h"
#include "model/vocabulary.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>
#include <optional>
#include <map>
#include <unordered_map>

namespace rw {

namespace {

using Json = nlohmann::json;

// Alternatives and selections are untrusted: bounded in size, parsed with a
// depth limit (copying or printing a deeper DOM would recurse past the stack).
constexpr std::size_t kMaxDepth = 32;

std::optional<Json> parseBounded(std::string_view text, std::size_t maxBytes)
{
    if (text.size() > maxBytes)
        return std::nullopt;
    return parseJsonValue(text, kMaxDepth);
}

std::string text(const ReplayModel& m, StrId id)
{
    return id == kNoStr ? std::string() : std::string(m.str(id));
}

std::string member(const Json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string score(const Json& object)
{
    const auto it = object.find("score");
    if (it == object.end() || !it->is_number())
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", it->get<double>());
    return std::string("score ") + buf;
}

std::string joined(std::initializer_list<std::string> parts)
{
    std::string out;
    for (const std::string& p : parts)
        if (!p.empty())
            out += (out.empty() ? "" : " · ") + p;
    return out;
}

class Tree
{
public:
    explicit Tree(ExecutionGraph& g) : m_g(g) {}

    std::size_t node(std::string key, GraphNodeKind kind, std::string label, std::string detail, std::string decision,
                     std::vector<std::uint32_t> events)
    {
        GraphNode n;
        n.key = std::move(key);
        n.kind = kind;
        n.label = std::move(label);
        n.detail = std::move(detail);
        n.decision = std::move(decision);
        n.events = std::move(events);
        m_g.nodes.push_back(std::move(n));
        m_parent.push_back(SIZE_MAX);
        return m_g.nodes.size() - 1;
    }

    void link(std::size_t parent, std::size_t child, std::uint32_t event)
    {
        GraphEdge e;
        e.from = parent;
        e.to = child;
        e.events.push_back(event);
        m_g.edges.push_back(std::move(e));
        m_parent[child] = parent;
    }

    // The path from the root to `last` is the chosen one (a step blocked on
    // the way is part of it: the agent went on from there). Off it, a node the
    // policy blocked is a policy-rejected branch, any other was explored and
    // left; so is the end of the path when the policy blocked it. Edges take
    // the mark of the node they lead to.
    void mark(std::size_t last)
    {
        const auto blocked = [](const GraphNode& n) { return decisionFromText(n.decision) == Decision::Blocked; };
        for (std::size_t n = last; n != SIZE_MAX; n = m_parent[n])
            if (m_g.nodes[n].mark == BranchMark::None)
                m_g.nodes[n].mark = BranchMark::Chosen;
        if (blocked(m_g.nodes[last]) && m_g.nodes[last].mark == BranchMark::Chosen)
            m_g.nodes[last].mark = BranchMark::PolicyRejected;
        for (GraphNode& n : m_g.nodes) {
            if (n.mark != BranchMark::None)
                continue;
            if (blocked(n)) {
                n.mark = BranchMark::PolicyRejected;
            } else {
                n.mark = BranchMark::Abandoned;
                n.label += " (abandoned)"; // in words as well as dashes: not to be read as an alternative
            }
        }
        for (GraphEdge& e : m_g.edges)
            e.mark = m_g.nodes[e.to].mark;
    }

private:
    ExecutionGraph& m_g;
    std::vector<std::size_t> m_parent;
};

void runTree(const ReplayModel& m, std::span<const std::uint32_t> events, const DecisionTreeLimits& limits,
             ExecutionGraph& g)
{
    Tree t(g);
    const RunInfo* run = m.runOf(events.front());
    const std::size_t root =
        t.node("run", GraphNodeKind::Agent, run ? text(m, run->agentId) : std::string("run"),
               run ? joined({text(m, run->runId), text(m, run->trigger)}) : std::string(), {}, {events.front()});
    g.nodes[root].mark = BranchMark::Chosen;
    // The nodes first, in file order; then each hangs off its parent, found
    // among all the steps (a document may list them out of order).
    struct Entry
    {
        std::size_t node;
        std::uint32_t event;
        std::int64_t stepIndex, parentStepIndex;
        std::vector<std::size_t> alternatives;
    };
    std::vector<Entry> entries;
    std::map<std::int64_t, std::size_t> byIndex; // step_index -> entry (the first with it)
    struct PendingAlternative
    {
        std::size_t node;
        std::string action;
        std::int64_t step; // the step it lost to
        bool takenLater = false;
    };
    std::vector<PendingAlternative> pendingAlternatives;
    std::int64_t more = -1;
    std::uint32_t moreFirst = 0;
    std::size_t shown = 0;
    for (const std::uint32_t i : events) {
        const EventRecord& e = m.event(i);
        const RunStep* step = m.runStep(i);
        if (!step)
            continue;
        if (++shown > limits.maxNodes) {
            if (more < 0) {
                more = static_cast<std::int64_t>(t.node("step:more", GraphNodeKind::Collapsed, "more steps", {}, {}, {}));
                moreFirst = i;
            }
            g.nodes[static_cast<std::size_t>(more)].events.push_back(i);
            ++g.collapsedSteps;
            continue;
        }
        // the alternatives weighed (objects), the first maxAlternatives of them drawn
        std::string selected, unread;
        std::vector<Json> alternatives;
        std::size_t weighed = 0;
        if (step->alternatives != kNoStr) {
            const std::optional<Json> parsed = parseBounded(m.str(step->alternatives), limits.maxAlternativeBytes);
            if (parsed && parsed->is_array()) {
                for (const Json& a : *parsed) {
                    if (!a.is_object())
                        continue;
                    if (++weighed <= limits.maxAlternatives)
                        alternatives.push_back(a);
                }
                if (const std::size_t skipped = parsed->size() - weighed)
                    unread = std::to_string(skipped) + " alternative(s) not objects: not drawn";
            } else {
                unread = "alternatives not read (not an array, too deep or over " +
                         std::to_string(limits.maxAlternativeBytes / 1024) + " KiB)";
            }
        }
        if (step->selection != kNoStr)
            if (const std::optional<Json> sel = parseBounded(m.str(step->selection), limits.maxAlternativeBytes); sel && sel->is_object())
                selected = joined({score(*sel), member(*sel, "criteria")});
        const std::string action = text(m, e.s(Field::PlanIntent));
        const std::string tool = text(m, e.s(Field::ToolName));
        std::string detail = tool; // the decision is the node's colour
        if (weighed > 0)
            detail = joined({detail, "chosen over " + std::to_string(weighed) + (weighed == 1 ? " alternative" : " alternatives"), selected});
        if (weighed > alternatives.size())
            detail += " (" + std::to_string(weighed - alternatives.size()) + " not drawn)";
        detail = joined({detail, unread});
        // keyed by position: a repeated step_index never folds two steps into one node
        const std::string key = "step:" + std::to_string(shown);
        Entry entry{t.node(key, GraphNodeKind::RunStep, "step " + std::to_string(step->stepIndex) + ": " + (action.empty() ? tool : action),
                           std::move(detail), text(m, e.s(Field::Decision)), {i}),
                    i, step->stepIndex, step->parentStepIndex, {}};
        const std::string taken = "step " + std::to_string(step->stepIndex);
        for (std::size_t a = 0; a < alternatives.size(); ++a) {
            const Json& alt = alternatives[a];
            const std::string name = member(alt, "action");
            // beside the step that won, from the same parent: say which one it lost to
            const std::size_t leaf =
                t.node(key + ":alt" + std::to_string(a + 1), GraphNodeKind::Alternative,
                       (name.empty() ? std::string("alternative") : name) + " (not taken)",
                       joined({"lost to " + taken, member(alt, "tool"), score(alt), member(alt, "rejection_reasoning")}), {}, {i});
            g.nodes[leaf].mark = BranchMark::Rejected;
            entry.alternatives.push_back(leaf);
            pendingAlternatives.push_back({leaf, name, step->stepIndex, false});
        }
        // an alternative set aside before and taken now (after going back): not "not taken" after all
        for (PendingAlternative& p : pendingAlternatives)
            if (!p.takenLater && p.step < step->stepIndex && !action.empty() && p.action == action) {
                p.takenLater = true; // the first step that took it
                g.nodes[p.node].label = p.action + " (not taken then; taken at step " + std::to_string(step->stepIndex) + ")";
            }
        byIndex.emplace(step->stepIndex, entries.size());
        entries.push_back(std::move(entry));
    }

    // Each step under its parent_step_index, or by default the step before
    // it by step_index; only an earlier step_index is a parent (a tree, never
    // a cycle), else the nearest earlier one, else the run. The path taken
    // ends at the highest step_index.
    std::size_t last = root;
    std::int64_t lastIndex = std::numeric_limits<std::int64_t>::min();
    const auto nearestBelow = [&](std::int64_t index) -> const Entry* {
        const auto it = byIndex.lower_bound(index);
        return it == byIndex.begin() ? nullptr : &entries[std::prev(it)->second];
    };
    for (const Entry& entry : entries) {
        const Entry* usual = nearestBelow(entry.stepIndex);
        const Entry* parent = usual;
        if (entry.parentStepIndex != kNoNumber && entry.parentStepIndex < entry.stepIndex)
            if (const auto it = byIndex.find(entry.parentStepIndex); it != byIndex.end())
                parent = &entries[it->second];
        if (parent != usual && parent) // the agent went back
            g.nodes[entry.node].detail = joined({"back to step " + std::to_string(parent->stepIndex), g.nodes[entry.node].detail});
        const std::size_t from = parent ? parent->node : root;
        t.link(from, entry.node, entry.event);
        for (const std::size_t alt : entry.alternatives)
            t.link(from, alt, entry.event);
        if (entry.stepIndex >= lastIndex) {
            lastIndex = entry.stepIndex;
            last = entry.node;
        }
    }
    if (more >= 0) {
        // the steps past the limit, after the last one drawn
        t.link(last, static_cast<std::size_t>(more), moreFirst);
        g.nodes[static_cast<std::size_t>(more)].detail = std::to_string(g.collapsedSteps) + " more steps";
        last = static_cast<std::size_t>(more);
    }
    t.mark(last);
}

void planTree(const ReplayModel& m, std::span<const std::uint32_t> events, const DecisionTreeLimits& limits,
              ExecutionGraph& g)
{
    Tree t(g);
    std::string agent;
    for (const std::uint32_t i : events)
        if (const EventRecord& e = m.event(i); e.s(Field::AgentName) != kNoStr || e.s(Field::AgentId) != kNoStr) {
            agent = text(m, e.s(Field::AgentName) != kNoStr ? e.s(Field::AgentName) : e.s(Field::AgentId));
            break;
        }
    const std::size_t root = t.node("agent", GraphNodeKind::Agent, agent.empty() ? std::string("unknown agent") : agent,
                                    {}, {}, {events.front()});
    g.nodes[root].mark = BranchMark::Chosen;
    // the execution plans in first-seen order (events without a plan belong to the trace, not a branch)
    std::vector<std::vector<std::uint32_t>> plans;
    std::unordered_map<StrId, std::size_t> planIndex;
    for (const std::uint32_t i : events) {
        const StrId id = m.event(i).s(Field::ExecutionPlanId);
        if (id == kNoStr || m.str(id).empty())
            continue;
        const auto [it, added] = planIndex.try_emplace(id, plans.size());
        if (added)
            plans.emplace_back();
        plans[it->second].push_back(i);
    }
    if (plans.empty()) // events without plan ids (older interceptors): the trace is one branch
        plans.emplace_back(events.begin(), events.end());
    std::size_t goOnFrom = root, last = root;
    std::int64_t more = -1;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        const std::vector<std::uint32_t>& pe = plans[p];
        if (p >= limits.maxNodes) {
            if (more < 0) {
                more = static_cast<std::int64_t>(t.node("plan:more", GraphNodeKind::Collapsed, "more plans", {}, {}, {}));
                t.link(goOnFrom, static_cast<std::size_t>(more), pe.front());
            }
            auto& held = g.nodes[static_cast<std::size_t>(more)].events;
            held.insert(held.end(), pe.begin(), pe.end());
            ++g.collapsedPlans;
            last = static_cast<std::size_t>(more);
            continue;
        }
        // the plan's decision as the execution graph takes it: its outcome
        // (tool_allowed, tool_blocked, approval_required), else its policy decision, else its last word
        std::int64_t outcome = -1, decisionEvent = -1, lastWord = -1, intentEvent = -1;
        for (const std::uint32_t i : pe) {
            const EventRecord& e = m.event(i);
            const std::string_view type = m.str(e, Field::EventType);
            if (type == "tool_allowed" || type == "tool_blocked" || type == "approval_required")
                outcome = i;
            else if (type == "decision")
                decisionEvent = i;
            if (e.decision == Decision::Allowed || e.decision == Decision::Blocked || e.decision == Decision::RequireApproval)
                lastWord = i;
            if (intentEvent < 0 && e.s(Field::PlanIntent) != kNoStr)
                intentEvent = i;
        }
        const std::int64_t deciding = outcome >= 0 ? outcome : decisionEvent >= 0 ? decisionEvent : lastWord;
        const EventRecord& head = m.event(pe.front());
        const EventRecord* decided = deciding >= 0 ? &m.event(static_cast<std::size_t>(deciding)) : nullptr;
        const std::string intent = intentEvent >= 0 ? text(m, m.event(static_cast<std::size_t>(intentEvent)).s(Field::PlanIntent)) : std::string();
        const std::string tool = text(m, head.s(Field::ToolName));
        const bool blocked = decided && decided->decision == Decision::Blocked;
        const std::string reason = decided ? text(m, decided->s(Field::Reason)) : std::string();
        const std::size_t n = t.node(
            "plan" + std::to_string(p + 1), GraphNodeKind::Plan,
            "plan " + std::to_string(p + 1) + ": " + (intent.empty() ? tool : intent),
            blocked ? joined({tool, "rejected by policy", reason})
            : decided && decided->decision == Decision::RequireApproval ? joined({tool, "approval required", reason})
            : intent.empty() || intent == tool ? std::string() : tool,
            decided ? text(m, decided->s(Field::Decision)) : std::string(), pe);
        t.link(goOnFrom, n, pe.front());
        last = n;
        // a plan blocked by policy is a branch given up; the next plan goes on from before it
        if (!blocked)
            goOnFrom = n;
    }
    t.mark(last);
}

} // namespace

ExecutionGraph buildDecisionTree(const ReplayModel& model, std::size_t trace, const DecisionTreeLimits& limits)
{
    ExecutionGraph g;
    if (trace >= model.traceCount())
        return g;
    const std::span<const std::uint32_t> events = model.traceEvents(trace);
    if (events.empty())
        return g;
    if (model.event(events.front()).has(EventFlag::RunStep))
        runTree(model, events, limits, g);
    else
        planTree(model, events, limits, g);
    return g;
}

} // namespace rw

#include "replay/compare/graphdiff.h"

#include "model/vocabulary.h"

#include <map>

namespace rw {

namespace {

std::string matchKey(const GraphNode& n)
{
    // provenance keys end in "/<trust>": match on type and name only
    if (n.kind == GraphNodeKind::Provenance && n.key.size() >= n.trust.size() + 1 &&
        n.key.compare(n.key.size() - n.trust.size(), n.trust.size(), n.trust) == 0)
        return n.key.substr(0, n.key.size() - n.trust.size() - 1);
    return n.key;
}

std::string describeChange(const GraphNode& l, const GraphNode& r)
{
    std::string out;
    auto add = [&](const std::string& what) { out += (out.empty() ? "was " : ", ") + what; };
    if (l.decision != r.decision)
        add(l.decision.empty() ? std::string("no decision") : l.decision);
    if (l.trust != r.trust)
        add("trust " + (l.trust.empty() ? std::string("none") : l.trust));
    if (l.label != r.label && l.decision == r.decision)
        add("\"" + l.label + "\"");
    return out;
}

} // namespace

const char* diffMarkName(DiffMark mark)
{
    switch (mark) {
    case DiffMark::Same: return "same";
    case DiffMark::Changed: return "changed";
    case DiffMark::Added: return "added";
    case DiffMark::Removed: return "removed";
    }
    return "";
}

GraphDiff diffGraphs(const ExecutionGraph& left, const ExecutionGraph& right)
{
    GraphDiff d;
    d.graph.nodes = right.nodes;
    d.graph.edges = right.edges;
    d.graph.collapsedPlans = right.collapsedPlans;
    d.nodeMarks.assign(right.nodes.size(), DiffMark::Added);
    d.was.assign(right.nodes.size(), std::string());

    std::map<std::string, std::size_t> rightIndex;
    for (std::size_t i = 0; i < right.nodes.size(); ++i)
        rightIndex.emplace(matchKey(right.nodes[i]), i);
    std::vector<std::size_t> leftToMerged(left.nodes.size());
    for (std::size_t i = 0; i < left.nodes.size(); ++i) {
        const GraphNode& l = left.nodes[i];
        const auto it = rightIndex.find(matchKey(l));
        if (it == rightIndex.end()) {
            GraphNode copy = l;
            copy.events.clear();
            leftToMerged[i] = d.graph.nodes.size();
            d.graph.nodes.push_back(std::move(copy));
            d.nodeMarks.push_back(DiffMark::Removed);
            d.was.emplace_back();
            ++d.removed;
            continue;
        }
        leftToMerged[i] = it->second;
        const GraphNode& r = right.nodes[it->second];
        const std::string change = describeChange(l, r);
        d.nodeMarks[it->second] = change.empty() ? DiffMark::Same : DiffMark::Changed;
        d.was[it->second] = change;
        if (!change.empty())
            ++d.changed;
    }
    for (const DiffMark m : d.nodeMarks)
        if (m == DiffMark::Added)
            ++d.added;

    d.edgeMarks.assign(right.edges.size(), DiffMark::Added);
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> edgeIndex;
    for (std::size_t i = 0; i < right.edges.size(); ++i)
        edgeIndex.emplace(std::make_pair(right.edges[i].from, right.edges[i].to), i);
    for (const GraphEdge& e : left.edges) {
        const auto key = std::make_pair(leftToMerged[e.from], leftToMerged[e.to]);
        const auto it = edgeIndex.find(key);
        if (it != edgeIndex.end()) {
            d.edgeMarks[it->second] = DiffMark::Same;
            d.graph.edges[it->second].untrusted = d.graph.edges[it->second].untrusted || e.untrusted;
            continue;
        }
        GraphEdge copy = e;
        copy.from = key.first;
        copy.to = key.second;
        copy.events.clear();
        edgeIndex.emplace(key, d.graph.edges.size());
        d.graph.edges.push_back(std::move(copy));
        d.edgeMarks.push_back(DiffMark::Removed);
    }
    return d;
}

void applyOverrides(ExecutionGraph& graph, const CompareSide& side)
{
    std::map<int, std::string> branchDecision; // plan branch -> the re-evaluated decision
    for (GraphNode& n : graph.nodes) {
        if (n.kind != GraphNodeKind::Policy && n.kind != GraphNodeKind::McpPolicy)
            continue;
        for (const std::uint32_t e : n.events) {
            const auto it = side.overrides.find(e);
            if (it == side.overrides.end())
                continue;
            const DecisionOverride& o = it->second;
            if (n.decision != o.decision)
                branchDecision[n.branch] = o.decision;
            n.decision = o.decision;
            if (n.kind == GraphNodeKind::Policy) {
                n.label = "policy: " + o.decision;
                n.detail = o.matchedRule ? *o.matchedRule : std::string("default allow");
            } else {
                n.label = "MCP policy: " + o.decision;
            }
        }
    }
    for (GraphNode& n : graph.nodes) {
        const auto it = branchDecision.find(n.branch);
        if (n.kind != GraphNodeKind::Outcome || it == branchDecision.end())
            continue;
        n.decision = it->second;
        const Decision d = decisionFromText(it->second);
        if (d == Decision::Blocked)
            n.label = "would be blocked: not executed";
        else if (d == Decision::RequireApproval)
            n.label = "would be held for approval";
        else
            n.label = "would be allowed";
    }
}

std::string graphDiffText(const GraphDiff& d)
{
    std::string out;
    for (std::size_t i = 0; i < d.graph.nodes.size(); ++i) {
        const GraphNode& n = d.graph.nodes[i];
        out += std::string("node ") + diffMarkName(d.nodeMarks[i]) + " " + n.key + " " + n.label;
        if (!d.was[i].empty())
            out += " (" + d.was[i] + ")";
        out += "\n";
    }
    for (std::size_t i = 0; i < d.graph.edges.size(); ++i) {
        const GraphEdge& e = d.graph.edges[i];
        out += std::string("edge ") + diffMarkName(d.edgeMarks[i]) + " " + d.graph.nodes[e.from].key + " -> " +
               d.graph.nodes[e.to].key + "\n";
    }
    return out;
}

} // namespace rw

// The execution graph as a value: the names of its node kinds and branch
// marks, finding a node, and its text form for golden tests. Apart from the
// builder (executiongraph.cpp), which decision trees (decisiontree.cpp) do
// without.
#include "replay/graph/executiongraph.h"

namespace rw {

const char* graphNodeKindName(GraphNodeKind kind)
{
    switch (kind) {
    case GraphNodeKind::Provenance: return "provenance";
    case GraphNodeKind::Agent: return "agent";
    case GraphNodeKind::LlmInput: return "llm_input";
    case GraphNodeKind::LlmOutput: return "llm_output";
    case GraphNodeKind::Plan: return "plan";
    case GraphNodeKind::Capability: return "capability";
    case GraphNodeKind::Budget: return "budget";
    case GraphNodeKind::Policy: return "policy";
    case GraphNodeKind::McpPolicy: return "mcp_policy";
    case GraphNodeKind::Approval: return "approval";
    case GraphNodeKind::ToolCall: return "tool_call";
    case GraphNodeKind::Outcome: return "outcome";
    case GraphNodeKind::Governance: return "governance";
    case GraphNodeKind::RunStep: return "run_step";
    case GraphNodeKind::Collapsed: return "collapsed";
    case GraphNodeKind::Alternative: return "alternative";
    }
    return "node";
}

const char* branchMarkName(BranchMark mark)
{
    switch (mark) {
    case BranchMark::None: return "";
    case BranchMark::Chosen: return "chosen";
    case BranchMark::Rejected: return "rejected";
    case BranchMark::PolicyRejected: return "policy-rejected";
    case BranchMark::Abandoned: return "abandoned";
    }
    return "";
}

// a lookup for tests and diffs of graphs that are bounded in size
std::int64_t ExecutionGraph::findNode(const std::string& key) const
{
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].key == key)
            return static_cast<std::int64_t>(i);
    return -1;
}

std::string graphText(const ReplayModel& m, const ExecutionGraph& g)
{
    auto lines = [&](const std::vector<std::uint32_t>& events) {
        std::string out;
        for (const std::uint32_t e : events)
            out += (out.empty() ? "" : ",") + std::to_string(m.event(e).line);
        return out;
    };
    std::string out;
    for (const GraphNode& n : g.nodes)
        out += "node " + n.key + " [" + graphNodeKindName(n.kind) + "] " + n.label + (n.detail.empty() ? "" : " | " + n.detail) +
               (n.decision.empty() ? "" : " {" + n.decision + "}") +
               (n.mark == BranchMark::None ? "" : std::string(" <") + branchMarkName(n.mark) + ">") + " lines " + lines(n.events) + "\n";
    for (const GraphEdge& e : g.edges)
        out += "edge " + g.nodes[e.from].key + " -> " + g.nodes[e.to].key + (e.untrusted ? " (untrusted)" : "") +
               (e.mark == BranchMark::None ? "" : std::string(" <") + branchMarkName(e.mark) + ">") + "\n";
    if (g.collapsedPlans)
        out += "collapsed plans: " + std::to_string(g.collapsedPlans) + "\n";
    if (g.collapsedSteps)
        out += "collapsed steps: " + std::to_string(g.collapsedSteps) + "\n";
    if (g.collapsedSources)
        out += "collapsed source items: " + std::to_string(g.collapsedSources) + "\n";
    return out;
}

} // namespace rw

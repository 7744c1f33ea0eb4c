#pragma once

#include "model/replaymodel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rw {

enum class GraphNodeKind : std::uint8_t {
    Provenance,
    Agent,
    LlmInput,
    LlmOutput,
    Plan,
    Capability,
    Budget,
    Policy,
    McpPolicy,
    Approval,
    ToolCall,
    Outcome,
    Governance,
    RunStep,
    Collapsed,
    Alternative, // decision trees: an option considered and not taken
};
const char* graphNodeKindName(GraphNodeKind kind);

// Decision trees (decisiontree.h): where a node or edge is among the branches.
// Execution graphs leave it None.
enum class BranchMark : std::uint8_t {
    None,
    Chosen,         // on the path to the last step or plan
    Rejected,       // an alternative the agent weighed and did not take
    PolicyRejected, // a plan blocked by policy
    Abandoned,      // explored, then left: a later step resumed from before it
};
const char* branchMarkName(BranchMark mark);

// A node of a trace's execution graph. Every node and edge keeps the indexes
// (ReplayModel::event) of the events it came from.
struct GraphNode
{
    std::string key; // stable, unique: used as the Graphviz id and in golden tests
    GraphNodeKind kind = GraphNodeKind::Plan;
    std::string label;
    std::string detail;
    std::string decision; // allowed | blocked | require_approval | pending | ... or empty
    std::string trust;    // provenance nodes
    int branch = -1;      // execution plan index, -1 for nodes shared by the trace
    std::vector<std::uint32_t> events;
    BranchMark mark = BranchMark::None;
};

struct GraphEdge
{
    std::size_t from = 0; // node indexes
    std::size_t to = 0;
    bool untrusted = false; // on a path from an external or unverified provenance source
    std::vector<std::uint32_t> events;
    BranchMark mark = BranchMark::None; // the node it leads to's
};

struct ExecutionGraph
{
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
    std::size_t collapsedPlans = 0;   // plans folded into "similar" nodes to stay under the limit
    std::size_t collapsedSteps = 0;   // run-trace steps folded into one "more steps" node
    std::size_t collapsedSources = 0; // provenance items of sources past the limit, folded per trust class

    bool folded() const { return collapsedPlans > 0 || collapsedSteps > 0 || collapsedSources > 0; }

    std::int64_t findNode(const std::string& key) const;
};

// The graph is folded while it is built, so its size is bounded whatever the
// trace (a 1M-step run or 500k plans): building stays linear and Graphviz
// gets at most a few hundred nodes.
struct GraphLimits
{
    std::size_t maxPlansShown = 24;   // beyond: repeated plans fold into one node per (tool, outcome)
    std::size_t maxFoldedGroups = 24; // beyond: the remaining plans fold into one "other tool calls" node
    std::size_t maxStepsShown = 100;  // run traces: later steps fold into one node
    std::size_t maxSources = 24;      // provenance sources; later ones fold into one node per trust class
};

// The graph of one trace: provenance sources -> agent -> each execution plan
// (plan -> capability check -> budget check -> policy evaluation -> approval ->
// tool call -> outcome) as parallel branches -> governance result; LLM and
// MCP events get their own nodes; run traces are a chain of steps. A blocked
// request never shows an executed tool.
ExecutionGraph buildExecutionGraph(const ReplayModel& model, std::size_t trace, const GraphLimits& limits = {});

// "node <key> <kind> <label> | <detail> [events]" and "edge <from> -> <to>" lines, for golden tests.
// Node and edge event lists hold each event once, in first-seen order.
std::string graphText(const ReplayModel& model, const ExecutionGraph& graph);

} // namespace rw

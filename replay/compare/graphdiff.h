#pragma once

#include "replay/compare/tracecompare.h"
#include "replay/graph/executiongraph.h"

#include <string>
#include <vector>

namespace rw {

enum class DiffMark : std::uint8_t { Same, Changed, Added, Removed };
const char* diffMarkName(DiffMark mark);

// Two execution graphs overlaid: the right graph's nodes and edges, plus the
// left's that the right lacks (marked Removed, their event lists emptied:
// those events belong to the other side). Nodes match on their structural key
// (provenance sources on type and name, so a trust change is a change, not a
// removal plus an addition).
struct GraphDiff
{
    ExecutionGraph graph;
    std::vector<DiffMark> nodeMarks; // parallel to graph.nodes
    std::vector<DiffMark> edgeMarks; // parallel to graph.edges
    std::vector<std::string> was;    // per node: what the left side showed, when Changed
    std::size_t added = 0, removed = 0, changed = 0;
};

GraphDiff diffGraphs(const ExecutionGraph& left, const ExecutionGraph& right);

// The graph of a re-evaluated trace: policy and MCP policy nodes of the
// overridden events show the new decision and rule, and their plan's outcome
// says what would have happened.
void applyOverrides(ExecutionGraph& graph, const CompareSide& side);

// "node <mark> <key> ..." / "edge <mark> <from> -> <to>" lines, for tests.
std::string graphDiffText(const GraphDiff& diff);

} // namespace rw

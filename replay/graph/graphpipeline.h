#pragma once

#include "replay/graph/executiongraph.h"
#include "replay/graph/graphlayout.h"

#include <atomic>
#include <optional>
#include <string>

namespace rw {

// The two recipes every graph user follows (the trace page, the comparison,
// the graph export, the CLI's --graph, the benchmarks): build the trace's
// graph, hand its DOT to the layout helper (killed past the time limit or when
// `cancel` is set), and read what it returns.

// Positions for drawing: the layout when the helper made one; otherwise `run`
// says why (BadOutput when its text did not parse).
struct GraphPlacement
{
    std::optional<GraphLayout> layout;
    LayoutRun run; // its output dropped once read
};
GraphPlacement placeGraph(const ExecutionGraph& graph, int timeoutMs = 10000, const std::atomic<bool>* cancel = nullptr);

// A trace's graph and its placement.
struct LaidOutGraph
{
    ExecutionGraph graph;
    GraphPlacement placement;
};
LaidOutGraph layOutTraceGraph(const ReplayModel& model, std::size_t trace, int timeoutMs = 10000,
                              const std::atomic<bool>* cancel = nullptr);

// A trace's decision tree (decisiontree.h) and its placement.
LaidOutGraph layOutDecisionTree(const ReplayModel& model, std::size_t trace, int timeoutMs = 10000,
                                const std::atomic<bool>* cancel = nullptr);

// A file's bytes: "dot" is the DOT text itself, "svg" and "png" are rendered
// by the helper; empty `bytes` and `run.error` set when that failed. `graph`
// says what was folded, for the note beside the file.
struct RenderedGraph
{
    ExecutionGraph graph;
    std::string bytes;
    LayoutRun run;
};
RenderedGraph renderTraceGraph(const ReplayModel& model, std::size_t trace, const std::string& format, int timeoutMs = 20000,
                               const std::atomic<bool>* cancel = nullptr);

} // namespace rw

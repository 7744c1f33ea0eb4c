#include "replay/graph/graphpipeline.h"

#include "replay/graph/decisiontree.h"

#include "replay/graph/graphdot.h"

namespace rw {

GraphPlacement placeGraph(const ExecutionGraph& graph, int timeoutMs, const std::atomic<bool>* cancel)
{
    GraphPlacement out;
    out.run = runLayoutHelper(toDot(graph), "plain", timeoutMs, cancel);
    if (out.run.error == LayoutError::None && !(out.layout = parsePlainLayout(out.run.output, graph.nodes.size(), &out.run.detail)))
        out.run.error = LayoutError::BadOutput;
    out.run.output.clear(); // laid out or not, the text is not needed again
    return out;
}

LaidOutGraph layOutTraceGraph(const ReplayModel& model, std::size_t trace, int timeoutMs, const std::atomic<bool>* cancel)
{
    LaidOutGraph out;
    out.graph = buildExecutionGraph(model, trace);
    out.placement = placeGraph(out.graph, timeoutMs, cancel);
    return out;
}

LaidOutGraph layOutDecisionTree(const ReplayModel& model, std::size_t trace, int timeoutMs, const std::atomic<bool>* cancel)
{
    LaidOutGraph out;
    out.graph = buildDecisionTree(model, trace);
    out.placement = placeGraph(out.graph, timeoutMs, cancel);
    return out;
}

RenderedGraph renderTraceGraph(const ReplayModel& model, std::size_t trace, const std::string& format, int timeoutMs,
                               const std::atomic<bool>* cancel)
{
    RenderedGraph out;
    out.graph = buildExecutionGraph(model, trace);
    std::string dot = toDot(out.graph);
    if (format == "dot") {
        out.bytes = std::move(dot);
        return out;
    }
    out.run = runLayoutHelper(dot, format, timeoutMs, cancel);
    if (out.run.error == LayoutError::None)
        out.bytes = std::move(out.run.output);
    out.run.output.clear();
    return out;
}

} // namespace rw

#include "replay/compare/comparisonbuilder.h"

#include "replay/compare/reevaluatedside.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphpipeline.h"

namespace rw {

namespace {

void layOut(ComparisonResult& r, const std::atomic<bool>* cancel)
{
    GraphPlacement placed = placeGraph(r.graph.graph, 10000, cancel);
    r.layout = std::move(placed.layout);
    r.layoutRun = std::move(placed.run);
}

} // namespace

ComparisonResult compareWorkspaceRows(std::shared_ptr<const Workspace> ws, std::size_t left, std::size_t right,
                                      const std::atomic<bool>* cancel)
{
    ComparisonResult r;
    r.ws = std::move(ws);
    const TraceRow& l = r.ws->row(left);
    const TraceRow& t = r.ws->row(right);
    r.left = {&r.ws->fileOf(l), l.trace, {}};
    r.right = {&r.ws->fileOf(t), t.trace, {}};
    r.comparison = compareTraces(r.left, r.right);
    r.graph = diffGraphs(buildExecutionGraph(*r.left.model, l.trace), buildExecutionGraph(*r.right.model, t.trace));
    layOut(r, cancel);
    return r;
}

ComparisonResult compareWithPolicy(std::shared_ptr<const Workspace> ws, std::size_t row, const PolicyEngine& engine,
                                   const std::atomic<bool>* cancel)
{
    ComparisonResult r;
    r.ws = std::move(ws);
    const TraceRow& t = r.ws->row(row);
    const WorkspaceReevaluation one = reevaluateRows(*r.ws, {static_cast<std::uint32_t>(row)}, engine);
    r.left = {&r.ws->fileOf(t), t.trace, {}};
    r.right = one.rows.empty() ? r.left : reevaluatedSide(*r.ws, one.rows.front(), engine);
    r.comparison = compareTraces(r.left, r.right);
    const ExecutionGraph recorded = buildExecutionGraph(*r.left.model, t.trace);
    ExecutionGraph after = recorded;
    applyOverrides(after, r.right);
    r.graph = diffGraphs(recorded, after);
    layOut(r, cancel);
    return r;
}

} // namespace rw

#pragma once

#include "model/workspace.h"
#include "replay/compare/graphdiff.h"
#include "replay/compare/tracecompare.h"
#include "replay/graph/graphlayout.h"
#include "replay/policy/policyengine.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace rw {

// Everything one comparison shows, built in the core so that the session (and
// any front end) runs the same recipe: the sides aligned plan by plan and step
// by step, the overlay of their execution graphs, and its layout (in the
// helper process, killed when `cancel` is set).
struct ComparisonResult
{
    std::shared_ptr<const Workspace> ws; // keeps the sides' models alive
    CompareSide left, right;
    TraceComparison comparison;
    GraphDiff graph;
    std::optional<GraphLayout> layout;
    LayoutRun layoutRun; // without a layout: why (layoutErrorText words it); its output is dropped
};

// Two traces of the workspace, as recorded.
ComparisonResult compareWorkspaceRows(std::shared_ptr<const Workspace> ws, std::size_t left, std::size_t right,
                                      const std::atomic<bool>* cancel = nullptr);
// One trace as recorded against the same trace re-evaluated under `engine`.
ComparisonResult compareWithPolicy(std::shared_ptr<const Workspace> ws, std::size_t row, const PolicyEngine& engine,
                                   const std::atomic<bool>* cancel = nullptr);

} // namespace rw

#pragma once

#include "model/workspace.h"
#include "replay/policy/reevaluation.h"
#include "replay/policy/replaydiffjson.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rw {

// Re-evaluation of some rows (traces) of a workspace under one bundle, with
// the workspace rows behind every count so a view can filter to them.
struct WorkspaceReevaluation
{
    struct Row
    {
        std::uint32_t row = 0; // workspace row
        std::vector<PointResult> points;
    };
    struct NotReplayable
    {
        std::uint32_t row = 0;
        std::uint32_t event = 0;
        std::uint8_t missing = 0; // MissingFact bits
    };

    std::vector<Row> rows; // the examined rows that hold at least one decision point
    ReplayDiffSummary summary;
    std::size_t tracesExamined = 0;
    std::size_t tracesChanged = 0;
    bool cancelled = false;
    // count key ("blocked->allowed", a rule, an agent, a tool) -> rows with a changed point under it
    std::map<std::string, std::vector<std::uint32_t>> flipRows, ruleRows, agentRows, toolRows;
    std::vector<NotReplayable> notReplayable;

    const Row* find(std::uint32_t workspaceRow) const;
};

// `progress(done)` is called every few hundred rows; returning false stops
// the work (a newer request replaced it) and marks the result cancelled.
WorkspaceReevaluation reevaluateRows(const Workspace& ws, const std::vector<std::uint32_t>& rows,
                                     const PolicyEngine& engine,
                                     const std::function<bool(std::size_t done)>& progress = {});

// The re-evaluation of exactly these rows, grouped per file as replayDiffJson
// takes it (an evidence bundle's replay-diff.json covers what it exports).
std::vector<FileDiff> reevaluateRowsByFile(const Workspace& ws, const std::vector<std::uint32_t>& rows, const PolicyEngine& engine);

} // namespace rw

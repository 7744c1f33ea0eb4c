#pragma once

// The permission heatmap of seed 004's dashboard (reference §3.12): agents ×
// permissions, each cell how often the agent's runs used the permission,
// with what an auditor looks for on top: grants never used
// (over-provisioning) and permissions escalated in many of the agent's runs
// (a baseline that is too narrow, or an agent reaching too far). Built from
// the analysis of the open files, off the GUI thread; a plain value.
#include "replay/analysis/workspaceanalysis.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rw::analysis {

struct HeatCell
{
    std::uint32_t uses = 0;          // steps that used it
    std::uint32_t runs = 0;          // runs that used it
    std::uint32_t escalated = 0;     // runs where it was used outside the baseline
    std::uint32_t grantedUnused = 0; // runs that were granted it and never used it
};

// "Frequently escalated": in at least `runs` of the agent's runs and at least
// `share` of them.
struct HeatThresholds
{
    std::uint32_t runs = 2;
    double share = 0.2;
};

struct PermissionHeatmap
{
    std::vector<std::string> agents;      // rows: agent ids (a run without one: its agent name, else "")
    std::vector<std::uint32_t> agentRuns; // runs of each agent (in the window)
    std::vector<std::string> permissions; // columns, sorted
    std::vector<HeatCell> cells;          // agents.size() x permissions.size(), by row
    std::uint32_t maxUses = 0;
    HeatThresholds thresholds;
    // agents and permissions left out past kMaxHeatmapSide each (those in the fewest runs)
    std::size_t agentsLeftOut = 0, permissionsLeftOut = 0;

    const HeatCell& at(std::size_t agent, std::size_t permission) const { return cells[agent * permissions.size() + permission]; }
    bool overProvisioned(std::size_t agent, std::size_t permission) const; // granted in its runs, never used
    bool frequentlyEscalated(std::size_t agent, std::size_t permission) const;
};

// The grid's names come from the logs: at most this many agents and this many
// permissions are kept (those in the most runs), so a log cannot ask for a
// grid of gigabytes.
inline constexpr std::size_t kMaxHeatmapSide = 2000;

// When the analysed runs started: the span a time window is chosen in.
struct RunStartSpan
{
    std::int64_t firstUs = kNoTime, lastUs = kNoTime; // kNoTime: no run has a start time
    std::size_t dated = 0, undated = 0;               // runs with a start time, and without one
};
RunStartSpan runStartSpan(const WorkspaceAnalysis& analysis);

// Every run of `analysis` that started in [fromUs, toUs) (kNoTime: no bound;
// a run without a start time counts when there is no bound), agents and
// permissions in name order.
PermissionHeatmap buildPermissionHeatmap(const WorkspaceAnalysis& analysis, std::int64_t fromUs = kNoTime,
                                         std::int64_t toUs = kNoTime, HeatThresholds thresholds = {});

} // namespace rw::analysis

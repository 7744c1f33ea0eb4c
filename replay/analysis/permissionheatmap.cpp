#include "replay/analysis/permissionheatmap.h"

#include "model/timestamp.h"

#include <algorithm>
#include <map>
#include <set>

namespace rw::analysis {

bool PermissionHeatmap::overProvisioned(std::size_t agent, std::size_t permission) const
{
    const HeatCell& c = at(agent, permission);
    return c.grantedUnused > 0 && c.uses == 0;
}

bool PermissionHeatmap::frequentlyEscalated(std::size_t agent, std::size_t permission) const
{
    const HeatCell& c = at(agent, permission);
    return c.escalated >= thresholds.runs && agentRuns[agent] > 0 &&
           static_cast<double>(c.escalated) >= thresholds.share * static_cast<double>(agentRuns[agent]);
}

RunStartSpan runStartSpan(const WorkspaceAnalysis& analysis)
{
    RunStartSpan span;
    for (const std::vector<RunAnalysis>& file : analysis.files)
        for (const RunAnalysis& run : file) {
            const std::optional<std::int64_t> started = parseTimestamp(run.startedAt);
            if (!started) {
                ++span.undated;
                continue;
            }
            ++span.dated;
            span.firstUs = span.firstUs == kNoTime ? *started : std::min(span.firstUs, *started);
            span.lastUs = span.lastUs == kNoTime ? *started : std::max(span.lastUs, *started);
        }
    return span;
}

PermissionHeatmap buildPermissionHeatmap(const WorkspaceAnalysis& analysis, std::int64_t fromUs, std::int64_t toUs,
                                         HeatThresholds thresholds)
{
    // first the sets of names (their order is the map's), then the counts
    std::map<std::string, std::uint32_t> agentRow;
    std::map<std::string, std::uint32_t> permissionColumn;
    std::vector<const RunAnalysis*> runs;
    for (const std::vector<RunAnalysis>& file : analysis.files)
        for (const RunAnalysis& run : file) {
            if (fromUs != kNoTime || toUs != kNoTime) {
                const std::optional<std::int64_t> started = parseTimestamp(run.startedAt);
                if (!started || (fromUs != kNoTime && *started < fromUs) || (toUs != kNoTime && *started >= toUs))
                    continue;
            }
            runs.push_back(&run);
            agentRow.emplace(run.agentId, 0);
            for (const std::string& p : run.used)
                permissionColumn.emplace(p, 0);
            for (const std::string& p : run.granted)
                permissionColumn.emplace(p, 0);
        }
    PermissionHeatmap out;
    out.thresholds = thresholds;
    // past the bound, those in the fewest runs go (their runs still count for the others)
    const auto keep = [](std::map<std::string, std::uint32_t>& names, const std::map<std::string, std::uint32_t>& runsOf,
                         std::vector<std::string>& kept, std::size_t& leftOut) {
        std::vector<std::pair<std::uint32_t, std::string>> ranked;
        for (const auto& [name, unused] : names)
            ranked.emplace_back(runsOf.count(name) ? runsOf.at(name) : 0, name);
        if (ranked.size() > kMaxHeatmapSide) {
            std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            leftOut = ranked.size() - kMaxHeatmapSide;
            for (std::size_t i = kMaxHeatmapSide; i < ranked.size(); ++i)
                names.erase(ranked[i].second);
        }
        for (auto& [name, index] : names) {
            index = static_cast<std::uint32_t>(kept.size());
            kept.push_back(name);
        }
    };
    std::map<std::string, std::uint32_t> agentRunCount, permissionRunCount;
    for (const RunAnalysis* run : runs) {
        ++agentRunCount[run->agentId];
        for (const std::string& p : run->used)
            ++permissionRunCount[p];
        for (const std::string& p : run->granted)
            ++permissionRunCount[p];
    }
    keep(agentRow, agentRunCount, out.agents, out.agentsLeftOut);
    keep(permissionColumn, permissionRunCount, out.permissions, out.permissionsLeftOut);
    out.agentRuns.assign(out.agents.size(), 0);
    out.cells.assign(out.agents.size() * out.permissions.size(), {});
    HeatCell ignored; // a permission left out of the grid
    for (const RunAnalysis* run : runs) {
        const auto agent = agentRow.find(run->agentId);
        if (agent == agentRow.end())
            continue;
        const std::uint32_t row = agent->second;
        ++out.agentRuns[row];
        const auto cell = [&](const std::string& permission) -> HeatCell& {
            const auto column = permissionColumn.find(permission);
            return column == permissionColumn.end() ? ignored : out.cells[row * out.permissions.size() + column->second];
        };
        const std::set<std::string> used(run->used.begin(), run->used.end());
        for (std::size_t k = 0; k < run->used.size(); ++k) {
            HeatCell& c = cell(run->used[k]);
            c.uses += static_cast<std::uint32_t>(k < run->uses.size() ? std::max<std::int64_t>(run->uses[k], 1) : 1);
            ++c.runs;
            out.maxUses = std::max(out.maxUses, c.uses);
        }
        for (const std::string& p : run->escalated)
            ++cell(p).escalated;
        for (const std::string& p : std::set<std::string>(run->granted.begin(), run->granted.end()))
            if (!used.count(p))
                ++cell(p).grantedUnused;
    }
    return out;
}

} // namespace rw::analysis

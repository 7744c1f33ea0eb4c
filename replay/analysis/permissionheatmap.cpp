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
    for (auto& [name, row] : agentRow) {
        row = static_cast<std::uint32_t>(out.agents.size());
        out.agents.push_back(name);
    }
    for (auto& [name, column] : permissionColumn) {
        column = static_cast<std::uint32_t>(out.permissions.size());
        out.permissions.push_back(name);
    }
    out.agentRuns.assign(out.agents.size(), 0);
    out.cells.assign(out.agents.size() * out.permissions.size(), {});
    for (const RunAnalysis* run : runs) {
        const std::uint32_t row = agentRow.at(run->agentId);
        ++out.agentRuns[row];
        const auto cell = [&](const std::string& permission) -> HeatCell& {
            return out.cells[row * out.permissions.size() + permissionColumn.at(permission)];
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

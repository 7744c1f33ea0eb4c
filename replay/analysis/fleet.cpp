#include "replay/analysis/fleet.h"

#include "model/timestamp.h"

#include <algorithm>
#include <map>
#include <set>

namespace rw::analysis {

namespace {

template <typename T>
using ByName = std::map<std::string, T, std::less<>>;

template <typename T>
T& slot(ByName<T>& map, std::string_view name)
{
    const auto it = map.lower_bound(name);
    if (it != map.end() && it->first == name)
        return it->second;
    return map.emplace_hint(it, std::string(name), T{})->second;
}

} // namespace

FleetSummary summarizeFleet(const std::vector<RunAnalysis>& runs, const FleetOptions& o)
{
    FleetSummary out;
    // agent, then permission (the order of the cells), looked up by view: a
    // fleet's runs name the same few pairs over and over, and allocate
    // nothing once a pair is known
    ByName<ByName<HeatCell>> cells;
    ByName<ByName<std::int64_t>> granted;
    ByName<std::int64_t> agentRuns;
    std::vector<std::string_view> held;
    for (const RunAnalysis& r : runs) {
        if (o.fromUs != 0 || o.toUs != 0) {
            const auto start = parseTimestamp(r.startedAt);
            if (!start || (o.fromUs != 0 && *start < o.fromUs) || (o.toUs != 0 && *start >= o.toUs)) {
                ++out.skipped;
                continue;
            }
        }
        ++out.runs;
        ++slot(agentRuns, r.agentId);
        ByName<HeatCell>& agentCells = slot(cells, r.agentId);
        for (std::size_t i = 0; i < r.used.size(); ++i) {
            HeatCell& c = slot(agentCells, r.used[i]);
            c.uses += i < r.uses.size() ? r.uses[i] : 1;
            ++c.runs;
            if (std::find(r.escalated.begin(), r.escalated.end(), r.used[i]) != r.escalated.end())
                ++c.escalatedRuns;
        }
        // what the run held: the baseline it was judged against and what it recorded as granted
        held.assign(r.baseline.begin(), r.baseline.end());
        held.insert(held.end(), r.granted.begin(), r.granted.end());
        std::sort(held.begin(), held.end());
        held.erase(std::unique(held.begin(), held.end()), held.end());
        ByName<std::int64_t>& agentGranted = slot(granted, r.agentId);
        for (const std::string_view p : held)
            ++slot(agentGranted, p);
    }
    for (auto& [agent, row] : cells)
        for (auto& [permission, cell] : row) {
            cell.agent = agent;
            cell.permission = permission;
            out.cells.push_back(cell);
            const std::int64_t total = agentRuns[agent];
            const double share = total ? static_cast<double>(cell.escalatedRuns) / static_cast<double>(total) : 0.0;
            if (cell.escalatedRuns >= o.minEscalatedRuns && share >= o.minEscalatedShare)
                out.frequentEscalations.push_back({agent, permission, cell.escalatedRuns, total, share});
        }
    for (const auto& [agent, row] : granted) {
        const auto used = cells.find(agent);
        for (const auto& [permission, n] : row)
            if ((used == cells.end() || !used->second.count(permission)) &&
                permission.find('*') == std::string::npos) // a glob grant cannot be "never used"
                out.overProvisioned.push_back({agent, permission, n, 0});
    }
    std::stable_sort(out.frequentEscalations.begin(), out.frequentEscalations.end(),
                     [](const FrequentEscalation& a, const FrequentEscalation& b) { return a.share > b.share; });
    return out;
}

} // namespace rw::analysis

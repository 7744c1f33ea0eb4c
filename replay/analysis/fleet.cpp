#include "replay/analysis/fleet.h"

#include "model/timestamp.h"

#include <algorithm>
#include <map>
#include <set>

namespace rw::analysis {

FleetSummary summarizeFleet(const std::vector<RunAnalysis>& runs, const FleetOptions& o)
{
    FleetSummary out;
    using Key = std::pair<std::string, std::string>; // agent, permission
    std::map<Key, HeatCell> cells;
    std::map<Key, std::int64_t> granted;
    std::map<std::string, std::int64_t> agentRuns;
    for (const RunAnalysis& r : runs) {
        if (o.fromUs != 0 || o.toUs != 0) {
            const auto start = parseTimestamp(r.startedAt);
            if (!start || (o.fromUs != 0 && *start < o.fromUs) || (o.toUs != 0 && *start >= o.toUs)) {
                ++out.skipped;
                continue;
            }
        }
        ++out.runs;
        ++agentRuns[r.agentId];
        for (std::size_t i = 0; i < r.used.size(); ++i) {
            HeatCell& c = cells[{r.agentId, r.used[i]}];
            c.uses += i < r.uses.size() ? r.uses[i] : 1;
            ++c.runs;
            if (std::find(r.escalated.begin(), r.escalated.end(), r.used[i]) != r.escalated.end())
                ++c.escalatedRuns;
        }
        // what the run held: the baseline it was judged against and what it recorded as granted
        std::set<std::string> held(r.baseline.begin(), r.baseline.end());
        held.insert(r.granted.begin(), r.granted.end());
        for (const std::string& p : held)
            ++granted[{r.agentId, p}];
    }
    for (auto& [key, cell] : cells) {
        cell.agent = key.first;
        cell.permission = key.second;
        out.cells.push_back(cell);
        const std::int64_t total = agentRuns[key.first];
        const double share = total ? static_cast<double>(cell.escalatedRuns) / static_cast<double>(total) : 0.0;
        if (cell.escalatedRuns >= o.minEscalatedRuns && share >= o.minEscalatedShare)
            out.frequentEscalations.push_back({key.first, key.second, cell.escalatedRuns, total, share});
    }
    for (const auto& [key, n] : granted)
        if (!cells.count(key) && key.second.find('*') == std::string::npos) // a glob grant cannot be "never used"
            out.overProvisioned.push_back({key.first, key.second, n, 0});
    std::stable_sort(out.frequentEscalations.begin(), out.frequentEscalations.end(),
                     [](const FrequentEscalation& a, const FrequentEscalation& b) { return a.share > b.share; });
    return out;
}

} // namespace rw::analysis

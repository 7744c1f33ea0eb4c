#include "replay/policy/workspacereevaluation.h"

#include <algorithm>

namespace rw {

const WorkspaceReevaluation::Row* WorkspaceReevaluation::find(std::uint32_t workspaceRow) const
{
    const auto it = std::lower_bound(rows.begin(), rows.end(), workspaceRow,
                                     [](const Row& r, std::uint32_t value) { return r.row < value; });
    return it != rows.end() && it->row == workspaceRow ? &*it : nullptr;
}

WorkspaceReevaluation reevaluateRows(const Workspace& ws, const std::vector<std::uint32_t>& rows,
                                     const PolicyEngine& engine, const std::function<bool(std::size_t)>& progress)
{
    WorkspaceReevaluation out;
    std::vector<std::uint32_t> sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::map<std::string, std::size_t> neverFired;
    std::size_t withPoints = 0;
    auto merge = [](std::map<std::string, std::size_t>& into, const std::map<std::string, std::size_t>& from) {
        for (const auto& [key, count] : from)
            into[key] += count;
    };
    auto note = [](std::map<std::string, std::vector<std::uint32_t>>& into, const std::map<std::string, std::size_t>& from,
                   std::uint32_t row) {
        for (const auto& entry : from)
            into[entry.first].push_back(row);
    };
    for (std::size_t n = 0; n < sorted.size(); ++n) {
        if (progress && n % 256 == 0 && !progress(n)) {
            out.cancelled = true;
            return out;
        }
        const std::uint32_t r = sorted[n];
        const TraceRow& row = ws.row(r);
        const ReplayModel& model = ws.fileOf(row);
        ReplayDiffResult result = reevaluate(model, row.trace, engine);
        ++out.tracesExamined;
        if (result.points.empty())
            continue;
        ++withPoints;
        ReplayDiffSummary& s = out.summary;
        const ReplayDiffSummary& t = result.summary;
        s.decisionPoints += t.decisionPoints;
        s.changed += t.changed;
        s.unchanged += t.unchanged;
        s.notReplayable += t.notReplayable;
        s.capabilityGateSkipped += t.capabilityGateSkipped;
        merge(s.flips, t.flips);
        merge(s.byRule, t.byRule);
        merge(s.byAgent, t.byAgent);
        merge(s.byTool, t.byTool);
        merge(s.byTenant, t.byTenant);
        for (const std::string& rule : t.rulesNeverFired)
            ++neverFired[rule];
        if (t.changed > 0) {
            ++out.tracesChanged;
            note(out.flipRows, t.flips, r);
            note(out.ruleRows, t.byRule, r);
            note(out.agentRows, t.byAgent, r);
            note(out.toolRows, t.byTool, r);
        }
        for (const PointResult& p : result.points)
            if (!p.replayable())
                out.notReplayable.push_back({r, p.event, p.missing});
        out.rows.push_back({r, std::move(result.points)});
    }
    // a rule never fired overall when it fired in none of the traces
    for (const auto& [rule, count] : neverFired)
        if (count == withPoints)
            out.summary.rulesNeverFired.push_back(rule);
    std::sort(out.summary.rulesNeverFired.begin(), out.summary.rulesNeverFired.end(),
              [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
    if (progress)
        progress(sorted.size());
    return out;
}

std::vector<FileDiff> reevaluateRowsByFile(const Workspace& ws, const std::vector<std::uint32_t>& rows, const PolicyEngine& engine)
{
    std::vector<FileDiff> files;
    for (std::size_t f = 0; f < ws.fileCount(); ++f) {
        std::vector<FileDiff> perTrace;
        for (const std::uint32_t r : rows)
            if (ws.row(r).file == f)
                perTrace.push_back({&ws.file(f), reevaluate(ws.file(f), ws.row(r).trace, engine)});
        if (perTrace.empty())
            continue;
        FileDiff fd{&ws.file(f), {}};
        for (const FileDiff& t : perTrace)
            fd.result.points.insert(fd.result.points.end(), t.result.points.begin(), t.result.points.end());
        fd.result.summary = mergeSummaries(perTrace);
        files.push_back(std::move(fd));
    }
    return files;
}

} // namespace rw

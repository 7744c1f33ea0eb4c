#include "replay/analysis/analysisdiff.h"

#include <unordered_map>

namespace rw::analysis {

namespace {

void diffRun(const RunAnalysis& a, const RunAnalysis& b, AnalysisDiff& diff)
{
    diff.anomaliesBefore += static_cast<std::int64_t>(a.anomalies.size());
    diff.anomaliesAfter += static_cast<std::int64_t>(b.anomalies.size());
    std::unordered_map<std::string, const Anomaly*> before;
    for (const Anomaly& x : a.anomalies)
        before.emplace(x.fingerprint, &x);
    for (const Anomaly& y : b.anomalies) {
        const auto it = before.find(y.fingerprint);
        if (it == before.end()) {
            diff.changes.push_back({AnomalyChange::Kind::Appeared, std::nullopt, y});
            continue;
        }
        if (it->second->severity != y.severity)
            diff.changes.push_back({AnomalyChange::Kind::SeverityChanged, *it->second, y});
        else
            ++diff.unchanged;
        before.erase(it);
    }
    for (const Anomaly& x : a.anomalies) // A's order for what vanished
        if (before.count(x.fingerprint))
            diff.changes.push_back({AnomalyChange::Kind::Vanished, x, std::nullopt});

    const auto key = [](const PolicyCheckResult& c) { return c.policy + '\x1f' + c.check; };
    std::unordered_map<std::string, const PolicyCheckResult*> checksBefore;
    for (const PolicyCheckResult& c : a.checks)
        checksBefore.emplace(key(c), &c);
    for (const PolicyCheckResult& c : b.checks) {
        const auto it = checksBefore.find(key(c));
        if (it == checksBefore.end())
            diff.checkChanges.push_back({b.runId, b.agentId, c.policy, c.check, c.title, std::nullopt, c.result});
        else if (it->second->result != c.result)
            diff.checkChanges.push_back({b.runId, b.agentId, c.policy, c.check, c.title, it->second->result, c.result});
        if (it != checksBefore.end())
            checksBefore.erase(it);
    }
    for (const PolicyCheckResult& c : a.checks)
        if (checksBefore.count(key(c)))
            diff.checkChanges.push_back({a.runId, a.agentId, c.policy, c.check, c.title, c.result, std::nullopt});
}

} // namespace

void diffAnalyses(const std::vector<RunAnalysis>& before, const std::vector<RunAnalysis>& after, AnalysisDiff& diff)
{
    // the same model gives the same runs in the same order under any configuration
    const std::size_t n = std::min(before.size(), after.size());
    for (std::size_t i = 0; i < n; ++i) {
        ++diff.runs;
        diffRun(before[i], after[i], diff);
    }
}

} // namespace rw::analysis

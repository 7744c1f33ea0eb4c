// Anomaly feed benchmark (issue 15): 100,000 anomalies filtered and grouped
// (groupAnomalies, what the feed runs as a filter is typed) and handed to its
// model with the tree expanded, as ratios to a baseline in the same run: one
// pass that only reads each anomaly's severity (the least a filter does).
// Target: a filtered feed of 100,000 anomalies within 50 ms.
//   bench_anomalyfeed [ANOMALIES]
#include "bench/benchtime.h"
#include "replay/analysis/anomalyquery.h"
#include "views/models/anomalyfeedmodel.h"

#include <QApplication>
#include <QTreeView>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

using rwbench::best;
using rwbench::Clock;
using rwbench::ms;
using namespace rw;
using namespace rw::analysis;

namespace {

// runs of ten anomalies each, of every detector and severity, agents and rules as the samples name them
std::shared_ptr<WorkspaceAnalysis> synthetic(std::size_t count)
{
    auto an = std::make_shared<WorkspaceAnalysis>();
    an->files.emplace_back();
    std::mt19937 rng(42);
    const char* rules[] = {"escalation.not-in-baseline", "sequence.new-tool", "retry.repeated", "exfil.read-encode-post",
                           "policy.SOP-114.escalation-approval", "integrity.not-granted", "sequence.rare-transition"};
    for (std::size_t i = 0; i < count; ++i) {
        if (i % 10 == 0) {
            RunAnalysis run;
            run.runId = "run-" + std::to_string(i / 10);
            run.agentId = "agent-" + std::to_string(rng() % 500);
            an->files[0].push_back(std::move(run));
        }
        RunAnalysis& run = an->files[0].back();
        Anomaly a;
        a.detector = static_cast<Detector>(rng() % kDetectorCount);
        a.severity = static_cast<analysis::Severity>(rng() % 3);
        a.ruleId = rules[static_cast<std::size_t>(a.detector)];
        a.runId = run.runId;
        a.agentId = run.agentId;
        a.stepIndex = static_cast<std::int64_t>(i % 10);
        a.key = "perm:" + std::to_string(rng() % 300);
        a.score = static_cast<int>(rng() % 100);
        run.anomalies.push_back(std::move(a));
        an->anomalies.push_back({0, static_cast<std::uint32_t>(an->files[0].size() - 1),
                                 static_cast<std::uint32_t>(run.anomalies.size() - 1), -1, -1,
                                 1772719200000000 + static_cast<std::int64_t>(i) * 1000000});
    }
    return an;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const std::size_t count = argc > 1 ? std::stoul(argv[1]) : 100000;
    const std::shared_ptr<const WorkspaceAnalysis> an = synthetic(count);
    volatile std::size_t sink = 0;
    const double baseline = best(5, [&] {
        std::size_t n = 0;
        for (const AnomalyRef& r : an->anomalies)
            n += an->anomaly(r).severity == analysis::Severity::Critical;
        sink = n;
    });
    std::printf("%zu anomalies; baseline (one pass reading each severity): %.2f ms\n", an->anomalies.size(), baseline);
    AnomalyFeedModel model;
    QTreeView view;
    view.setUniformRowHeights(true);
    view.setModel(&model);
    view.resize(1200, 500);
    view.show();
    for (const char* query : {"", "severity>=warn", "anomaly:data_exfiltration severity:critical", "agent:agent-42",
                              "time>=2026-03-06T00:00:00Z", "perm:29", "rule:policy. status:open"}) {
        const AnomalyQuery q = *AnomalyQuery::parse(query);
        std::size_t shown = 0;
        const double filter = best(5, [&] {
            shown = 0;
            for (const AnomalyGroup& g : groupAnomalies(*an, q, nullptr))
                shown += g.members.size();
        });
        // what the feed does on each keystroke: filter, reset the model, open the groups (one by one:
        // QTreeView::expandAll took 1.8 s over 100,000 rows in 21 groups), and draw
        const double whole = best(5, [&] {
            model.setResult(an, nullptr, groupAnomalies(*an, q, nullptr));
            for (int g = 0; g < model.rowCount(); ++g)
                view.expand(model.index(g, 0));
            (void)view.grab(); // the layout the expansion deferred, and one frame drawn
        });
        std::printf("%-46s %6zu shown  filter %6.2f ms (%5.1fx)  + model and tree %6.2f ms (%5.1fx)  target <= 50 ms\n",
                    (std::string("'") + query + "'").c_str(), shown, filter, filter / baseline, whole, whole / baseline);
    }
    model.setResult(an, nullptr, groupAnomalies(*an, *AnomalyQuery::parse(""), nullptr));
    const double sorting = best(3, [&] { model.sort(AnomalyFeedModel::TimeColumn, Qt::DescendingOrder); });
    std::printf("sort by time, all shown: %.2f ms (%.1fx)\n", sorting, sorting / baseline);
    return sink == SIZE_MAX ? 1 : 0;
}

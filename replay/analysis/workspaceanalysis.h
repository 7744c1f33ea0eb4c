#pragma once

// The analysis of every file open in the workbench, as its views read it:
// each file's runs with their anomalies (analyzeModel), and every anomaly
// located once, off the GUI thread, in the workspace: the row of its trace
// in the trace list and the event of its step, so that the anomaly feed, the
// trace list's `anomalies>0` and the timeline's badges never search.
#include "model/rowanomalies.h"
#include "model/workspace.h"
#include "replay/analysis/analyzer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace rw::analysis {

// One anomaly, by where it lies in the analysis and in the workspace.
struct AnomalyRef
{
    std::uint32_t file = 0;  // Workspace::file() and WorkspaceAnalysis::files
    std::uint32_t run = 0;   // in that file's runs
    std::uint32_t index = 0; // in the run's anomalies
    std::int64_t row = -1;   // the trace list's workspace row of its run (-1: none)
    std::int64_t event = -1; // the event of its step in the file's model (-1: about the whole run, or not found)
    std::int64_t timeUs = kNoTime; // its step's time (else its run's first event's)
};

struct WorkspaceAnalysis
{
    std::vector<std::vector<RunAnalysis>> files; // by workspace file
    std::vector<AnomalyRef> anomalies;           // by file, run, then as the run lists them
    std::vector<RowAnomalies> rows;              // by workspace row (model/rowanomalies.h)
    bool complete = true;                        // false: cancelled part-way

    const RunAnalysis& run(const AnomalyRef& a) const { return files[a.file][a.run]; }
    const Anomaly& anomaly(const AnomalyRef& a) const { return files[a.file][a.run].anomalies[a.index]; }
};

// Analyses every file of `ws` with `rules`; `progress` (may be empty) hears
// the files done. Cancelled: what was analysed so far, `complete` false.
std::shared_ptr<WorkspaceAnalysis> analyzeWorkspace(const Workspace& ws, const AnalysisRules& rules,
                                                    const std::atomic<bool>* cancel = nullptr,
                                                    const std::function<void(std::size_t done, std::size_t total)>& progress = {});

// The anomalies of workspace row `row`, by position in `analysis.anomalies` (in their order).
std::vector<std::uint32_t> anomaliesOfRow(const WorkspaceAnalysis& analysis, std::int64_t row);
// The worst anomaly at each event of row `row` that has one: (event index, Severity's value).
std::vector<std::pair<std::uint32_t, std::uint8_t>> worstByEvent(const WorkspaceAnalysis& analysis, std::int64_t row);

} // namespace rw::analysis

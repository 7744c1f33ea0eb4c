#include "replay/analysis/workspaceanalysis.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rw::analysis {

namespace {

// the event of trace `trace` whose record holds byte `offset` (a witness points at the step's own record)
std::int64_t eventAt(const ReplayModel& model, std::size_t trace, std::uint64_t offset)
{
    const std::span<const std::uint32_t> events = model.traceEvents(trace);
    // a trace's events are in file order: the last one starting at or before the offset
    auto it = std::upper_bound(events.begin(), events.end(), offset,
                               [&](std::uint64_t at, std::uint32_t e) { return at < model.event(e).offset; });
    if (it == events.begin())
        return -1;
    const EventRecord& rec = model.event(*std::prev(it));
    return offset < rec.offset + std::max<std::uint64_t>(rec.length, 1) ? static_cast<std::int64_t>(*std::prev(it)) : -1;
}

void locate(WorkspaceAnalysis& out, const Workspace& ws, std::uint32_t file,
            const std::unordered_map<std::string_view, std::uint32_t>& rowOfRun)
{
    const ReplayModel& model = ws.file(file);
    const std::vector<RunAnalysis>& runs = out.files[file];
    for (std::uint32_t r = 0; r < runs.size(); ++r) {
        const auto found = rowOfRun.find(runs[r].runId);
        const std::int64_t row = found == rowOfRun.end() ? -1 : static_cast<std::int64_t>(found->second);
        const TraceRow* traceRow = row >= 0 ? &ws.row(static_cast<std::size_t>(row)) : nullptr;
        for (std::uint32_t k = 0; k < runs[r].anomalies.size(); ++k) {
            const Anomaly& a = runs[r].anomalies[k];
            AnomalyRef ref{file, r, k, row, -1, traceRow ? traceRow->firstSeenUs : kNoTime};
            if (traceRow && a.stepIndex >= 0) {
                // the witness of this file that is about the step itself
                for (const Witness& w : a.witness)
                    if (w.stepIndex == a.stepIndex && (w.file.empty() || w.file == model.path())) {
                        ref.event = eventAt(model, traceRow->trace, w.offset);
                        break;
                    }
                if (ref.event >= 0 && model.event(static_cast<std::size_t>(ref.event)).timeUs != kNoTime)
                    ref.timeUs = model.event(static_cast<std::size_t>(ref.event)).timeUs;
            }
            out.anomalies.push_back(ref);
            if (row >= 0) {
                RowAnomalies& counts = out.rows[static_cast<std::size_t>(row)];
                const auto severity = static_cast<std::uint8_t>(a.severity);
                counts.worst = counts.count == 0 ? severity : std::max(counts.worst, severity);
                counts.critical += a.severity == Severity::Critical;
                counts.warn += a.severity == Severity::Warn;
                ++counts.count;
            }
        }
    }
}

} // namespace

std::shared_ptr<WorkspaceAnalysis> analyzeWorkspace(const Workspace& ws, const AnalysisRules& rules,
                                                    const std::atomic<bool>* cancel,
                                                    const std::function<void(std::size_t, std::size_t)>& progress)
{
    auto out = std::make_shared<WorkspaceAnalysis>();
    out->rows.resize(ws.rows().size());
    // each file's rows by trace id (a run's id is its trace's)
    std::vector<std::unordered_map<std::string_view, std::uint32_t>> rowOfRun(ws.fileCount());
    for (std::uint32_t i = 0; i < ws.rows().size(); ++i) {
        const TraceRow& row = ws.row(i);
        rowOfRun[row.file].emplace(ws.str(row, row.traceId), i);
    }
    for (std::size_t f = 0; f < ws.fileCount(); ++f) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            out->complete = false;
            break;
        }
        const ReplayModel& model = ws.file(f);
        out->files.push_back(analyzeModel(model, rules, model.sha256(), cancel));
        if (cancel && cancel->load(std::memory_order_relaxed))
            out->complete = false;
        locate(*out, ws, static_cast<std::uint32_t>(f), rowOfRun[f]);
        if (progress)
            progress(f + 1, ws.fileCount());
    }
    return out;
}

std::vector<std::uint32_t> anomaliesOfRow(const WorkspaceAnalysis& analysis, std::int64_t row)
{
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < analysis.anomalies.size(); ++i)
        if (analysis.anomalies[i].row == row)
            out.push_back(i);
    return out;
}

std::vector<std::pair<std::uint32_t, std::uint8_t>> worstByEvent(const WorkspaceAnalysis& analysis, std::int64_t row)
{
    std::unordered_map<std::uint32_t, std::uint8_t> worst;
    for (const std::uint32_t position : anomaliesOfRow(analysis, row))
        if (const AnomalyRef& ref = analysis.anomalies[position]; ref.event >= 0) {
            const auto severity = static_cast<std::uint8_t>(analysis.anomaly(ref).severity);
            auto [it, added] = worst.emplace(static_cast<std::uint32_t>(ref.event), severity);
            if (!added)
                it->second = std::max(it->second, severity);
        }
    std::vector<std::pair<std::uint32_t, std::uint8_t>> out(worst.begin(), worst.end());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace rw::analysis

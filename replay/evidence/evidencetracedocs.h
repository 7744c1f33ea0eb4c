#pragma once

#include "model/workspace.h"
#include "replay/evidence/evidencereport.h"

#include <string>
#include <vector>

namespace rw {

struct EvidenceMember
{
    std::string name;
    std::string bytes;
};

// The documents an evidence bundle holds for one trace, under its folder:
// summary.json, diff.json, evidence.json, evidence.md (upstream's shapes),
// timeline.csv and graph.dot; the DOT again for an SVG layout, and the row
// of the report. Reads the workspace only, so it runs beside the copying of
// the trace's records.
struct TraceDocuments
{
    std::vector<EvidenceMember> members;
    std::string dot;
    EvidenceTrace report;
};
TraceDocuments traceDocuments(const Workspace& ws, std::uint32_t row, const std::string& folderPrefix,
                              const std::string& createdAt);

// timeline.csv of one trace: a row per event, formula-like cells neutralised.
std::string timelineCsv(const ReplayModel& m, std::size_t trace);

} // namespace rw

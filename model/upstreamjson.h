#pragma once

#include "model/intracediff.h"
#include "model/replaymodel.h"
#include "model/tracesummary.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rw {

// Serialisers to the JSON shapes of upstream's replay API (reference §2.3,
// peer-compat README "Shapes"), so that scripts written against upstream keep
// working. Key order, null handling and number typing follow upstream.
namespace upstream {

using Json = nlohmann::ordered_json;

// GET /replay/{trace_id}
Json traceResult(const ReplayModel& model, const TraceSummary& summary);
// GET /replay/{trace_id}/summary
Json summary(const ReplayModel& model, const TraceSummary& summary);
// one row of GET /replay
Json listRow(const ReplayModel& model, const TraceSummary& summary);
// GET /replay/{trace_id}/diff; keepNulls + sorted keys gives the diff CLI's form
Json diff(const InTraceDiff& diff, bool keepNulls);
// one timeline entry of GET /replay/{trace_id}
Json timelineEntry(const ReplayModel& model, const EventRecord& rec);

struct ListFilter
{
    std::optional<std::string> decision;
    std::optional<std::string> tool;
    std::optional<std::string> trust;
    std::size_t limit = 50;
};
// Traces matching the filter, sorted as upstream does (last_seen descending,
// compared as strings, ties in first-seen order), cut to the limit.
std::vector<std::size_t> listTraces(const ReplayModel& model, const std::vector<TraceSummary>& summaries,
                                    const ListFilter& filter);
// GET /replay body for the traces listTraces returned
Json list(const ReplayModel& model, const std::vector<TraceSummary>& summaries, const std::vector<std::size_t>& rows,
          std::size_t limit);

// aisecops-evidence's document for one trace (reference §4); dump it with
// dumpSorted. `generatedAt` is the export time in upstream's ISO form.
Json evidence(const ReplayModel& model, const TraceSummary& summary, const InTraceDiff& diff, const std::string& generatedAt);
// The same document in aisecops-evidence's Markdown template.
std::string evidenceMarkdown(const Json& evidence);

// Python's json.dumps(indent=2, ensure_ascii=True) text, with a final newline.
std::string dump(const Json& j);
// nlohmann's std::map-backed json sorts keys as Python's sort_keys does.
std::string dumpSorted(const Json& j);

} // namespace upstream
} // namespace rw

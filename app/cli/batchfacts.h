#pragma once

// The facts of a run that a batch's merge reads (totals, the fleet section,
// compliance, the index): a plain value the map step makes from the run
// itself (runFactsOf), written beside the run's row in a part file
// (appendRunFacts) and read back from a part, made safe there, since a part
// may come from another machine (factsFromJson). Plain strings and lists, not
// a JSON tree: a gigabyte of runs has hundreds of thousands of them, and a
// tree's nodes cost more to make and free than the analysis.
#include "replay/analysis/anomaly.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rw {

struct AnomalyFacts
{
    std::string anomalyId, fingerprint, detector, ruleId, severity, message;
};

struct CheckFacts
{
    std::string policy, check, result;
    std::vector<std::int64_t> steps;
};

struct RunFacts
{
    std::string runId, agentId, file;
    std::string startedAt, worst; // "" is written as null
    bool clean = true;
    std::vector<std::string> baseline, granted, used, escalated;
    std::vector<std::pair<std::string, std::int64_t>> uses; // steps per permission, in `used` order
    std::uint64_t line = 0, offset = 0, length = 0;         // where the run lies in its file
    std::vector<analysis::RunSegment> segments;             // joined by the merge: each piece (never read from a part)
    std::string form;                                       // document, stream or trace ("" from an older part)
    std::vector<AnomalyFacts> anomalies;
    std::vector<CheckFacts> checks;
};

// the facts of an analysed run; `messages` its anomalies' messages when the
// caller has them already (the row writer made them), else made here
RunFacts runFactsOf(const analysis::RunAnalysis& run, std::vector<std::string> messages = {});

// the facts as a part's line: compact JSON, ASCII (nlohmann's ensure_ascii form)
void appendRunFacts(std::string& out, const RunFacts& facts);

// A run's facts from a part file, made safe to read: every key of the wrong
// type or missing is a neutral value ("", false lists, 0), never an error.
RunFacts factsFromJson(const nlohmann::ordered_json& in);

// a string member of a JSON object (a part's header, an input), "" when absent or not a string
std::string factText(const nlohmann::ordered_json& j, const char* key);

} // namespace rw

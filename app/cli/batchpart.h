#pragma once

// A batch's part file: what the map step writes and the merge reads
// (batchmerge.h).
//
// A part file (schema replay-workbench/analysis-part) is JSON Lines: a header
// line with `config` (the configuration's hashes: parts of different
// configurations never merge), `files` (what a walk found, when the part comes
// from one: every such file must then be analysed by some part), `problems`,
// `inputs` and `metrics` (governance counts by hour, agent, tool and tenant,
// which add up); then two lines per run, its facts and its row.
#include "app/cli/batchfacts.h"
#include "replay/analysis/governance.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

inline constexpr const char* kBatchPartSchema = "replay-workbench/analysis-part";

struct BatchRun
{
    std::string row;              // compact JSON, one line
    RunFacts facts;  // what the merge reads of the row (runFactsOf)
};

struct BatchPart
{
    nlohmann::ordered_json header; // schema, version, tool, config, files, problems, inputs
    std::vector<BatchRun> runs;
    analysis::GovernanceCounts governance; // the header's `metrics` in a part file
};

// an empty part of this configuration (`config` as analysisConfigJson gives it)
BatchPart newBatchPart(const nlohmann::ordered_json& config);

// the part as a file: the header line, then one line per run
void emitBatchPart(const BatchPart& part, const std::function<void(std::string_view)>& sink);
std::string batchPartText(const BatchPart& part);
// A part file as the map step wrote it, read with limits (it may come from
// another machine): at most 8 GiB, lines of at most 256 MiB (the header 1 GiB)
// nested at most 32 deep, every row one JSON object. The merge trusts a run's
// facts line as it trusts the row beside it (both are the map step's word).
std::optional<BatchPart> readBatchPart(const std::string& path, std::string& error);

} // namespace rw

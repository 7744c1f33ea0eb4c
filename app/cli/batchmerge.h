#pragma once

// A batch analysis is a map and a merge, so that it runs past one machine:
// the map step turns trace files into a *part* (their inputs with SHA-256,
// every run's row, the walk's problems), the merge turns any number of parts
// into report.json. `--batch` on one machine runs exactly these two steps in
// one process; a cluster (scripts/cluster/dask-batch.py) runs the map on its
// workers and `--merge-reports` locally, and gets the same bytes.
//
// A part (schema replay-workbench/analysis-part) holds `config` (the
// configuration's hashes: parts of different configurations never merge),
// `files` (what a walk found, when the part comes from one: every such file
// must then be analysed by some part), `problems`, `inputs` and `runs`.
#include "replay/analysis/fleet.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rw {

inline constexpr const char* kBatchPartSchema = "replay-workbench/analysis-part";

// an empty part of this configuration (`config` as analysisConfigJson gives it)
nlohmann::ordered_json newBatchPart(const nlohmann::ordered_json& config);

// Moves `from`'s files, problems, inputs and runs to the end of `into`.
void appendBatchPart(nlohmann::ordered_json& into, nlohmann::ordered_json&& from);

struct BatchMergeOptions
{
    analysis::FleetOptions fleet;
    std::string window; // as given, for the report
};

struct MergedBatch
{
    nlohmann::ordered_json report;
    std::size_t files = 0;
    std::size_t critical = 0, warning = 0, clean = 0; // runs by their worst severity
};

// The report of the parts, whatever their order and however the files were
// shared out: inputs by path, each file's runs in file order, problems by
// path. A run id found in two files is a problem (a rotated log, a copy).
// nullopt with `error` when the parts do not belong together: another
// schema, another configuration, a file in two parts, a walked file that no
// part analysed. `names` (the parts' files) are for those messages.
std::optional<MergedBatch> mergeBatchParts(std::vector<nlohmann::ordered_json> parts,
                                           const std::vector<std::string>& names, const BatchMergeOptions& options,
                                           std::string& error);

// A part file as the map step wrote it, read with limits (it may come from
// another machine): at most 8 GiB, nesting at most 32 deep, valid JSON.
std::optional<nlohmann::ordered_json> readBatchPart(const std::string& path, std::string& error);

// --jsonl: the report's runs, one compact line each
std::string batchRunLines(const nlohmann::ordered_json& report);
// --index: one line per run: run and agent id, file, its SHA-256, line, byte
// offset and length, worst severity, so a reader opens "the runs behind" a count
std::string batchIndexLines(const nlohmann::ordered_json& report);

} // namespace rw

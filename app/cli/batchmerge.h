#pragma once

// A batch analysis is a map and a merge, so that it runs past one machine:
// the map step turns trace files into a *part* (their inputs with SHA-256,
// every run's row, the walk's problems), the merge turns any number of parts
// into report.json. `--batch` on one machine runs exactly these two steps in
// one process; a cluster (scripts/cluster/dask-batch.py) runs the map on its
// workers and `--merge-reports` locally, and gets the same bytes.
//
// A run travels as its row, compact JSON text made once in the map (on the
// worker that analysed it), and the few facts of it the merge needs (totals,
// the fleet section, compliance, the index): the merge never rebuilds a row,
// so a gigabyte of runs merges at the speed of copying text.
//
// The part file itself: batchpart.h.
#include "app/cli/batchfacts.h"
#include "app/cli/batchpart.h"
#include "replay/analysis/controls.h"
#include "replay/analysis/fleet.h"
#include "replay/analysis/governance.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rw {

// A run that the map steps found in several files: each file's piece, in the
// report's order of files.
struct SplitRun
{
    std::string runId;
    struct Piece
    {
        const RunFacts* facts = nullptr; // its file, location and findings as the map step saw them
        std::string sha256;              // of its file, as the map step read it
        std::uint64_t size = 0;          // of its file then (a live log grows after)
    };
    std::vector<Piece> pieces;
};

// What became of a split run: analysed whole (the run, and the change to the
// governance counts: the trace counted once), or kept apart for `reason`.
struct SplitOutcome
{
    std::optional<BatchRun> whole;
    analysis::GovernanceCounts correction;
    std::string reason; // when not joined: why ("a copy", "... changed since it was analysed")
};

struct BatchMergeOptions
{
    analysis::FleetOptions fleet;
    std::string window;                             // as given, for the report
    const analysis::ControlSet* controls = nullptr; // --controls: the compliance section
    // analyses split runs whole (batchjoin.h), one outcome per run in order;
    // unset, they are kept apart and reported as run_in_several_files
    std::function<std::vector<SplitOutcome>(const std::vector<SplitRun>&)> joinSplitRuns;
};

struct MergedBatch
{
    nlohmann::ordered_json report; // everything but the runs
    std::vector<BatchRun> runs;    // in the report's order
    std::size_t files = 0;
    std::size_t critical = 0, warning = 0, clean = 0; // runs by their worst severity
    std::size_t controlsPassed = 0, controlsFailed = 0, controlsNotExamined = 0;
    std::size_t joined = 0; // runs found in several files and analysed whole
    analysis::GovernanceCounts governance; // the parts' `metrics` rows, summed
};

// The report of the parts, whatever their order and however the files were
// shared out: inputs by path, each file's runs in file order, problems by
// path. A run id found in several files (a log rotated in the middle of a
// trace) is analysed whole when options.joinSplitRuns can (one row, at its
// first piece), else each piece is kept and the run is a problem.
// nullopt with `error` when the parts do not belong together: another
// schema, another configuration, a file in two parts, a walked file that no
// part analysed. `names` (the parts' files) are for those messages.
std::optional<MergedBatch> mergeBatchParts(std::vector<BatchPart> parts, const std::vector<std::string>& names,
                                           const BatchMergeOptions& options, std::string& error);

// report.json: the report's keys indented, then `runs`, one compact row a
// line, passed piece by piece to `sink` (or made into one string)
void emitBatchReport(const MergedBatch& merged, const std::function<void(std::string_view)>& sink);
std::string batchReportText(const MergedBatch& merged);
// --jsonl: the report's runs, one compact line each
void emitBatchRunLines(const MergedBatch& merged, const std::function<void(std::string_view)>& sink);
// --index: one line per run: run and agent id, file, its SHA-256, line, byte
// offset and length, worst severity, so a reader opens "the runs behind" a count
std::string batchIndexLines(const MergedBatch& merged);

} // namespace rw

#pragma once

// A trace split across files (a log rotated in the middle of a trace, a run
// stream continued in the next file) analysed whole: the records of each
// piece, taken from its file by byte range, are joined in time order into one
// stream, analysed as one run, and every location of the result is mapped
// back to the file and bytes it came from. What a batch's merge does with the
// runs that its map steps found in several files.
//
// Interceptor traces (by trace id) and run streams (by run id) can be split;
// a run document is whole by nature, so the same run id in two documents is
// two copies, never joined.
#include "replay/analysis/analyzer.h"
#include "replay/analysis/governance.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rw {
class ReplayModel;
}

namespace rw::analysis {

enum class RecordKind : std::uint8_t { Other, RunStarted, RunCompleted };

// one record of a file: a line of an audit log or of a run stream
struct RecordRange
{
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t line = 0;
    RecordKind kind = RecordKind::Other; // a stream's run_started or run_completed line
};

// The records of the named runs in one loaded file, in file order: every
// event of an interceptor trace; every line of a run stream whose run_id is
// the run's (run_started and run_completed with its steps), its keys read as
// the stream importer reads them (unescaped, the last of a repeated key).
// Runs of run documents and names the file does not hold are left out.
std::map<std::string, std::vector<RecordRange>> runRecords(const ReplayModel& model, const std::set<std::string>& ids);

// One file's piece of a split run: its records' bytes copied out of the
// file, so that files are read one at a time and closed.
struct RunPiece
{
    std::string file, sha256;
    std::string data;                   // the records' bytes one after the other, records[k] after those before it
    std::vector<RecordRange> records;   // runRecords of the run in this file
    RunSegment where;                   // where the map step placed the piece (the row's location)
};
// `records` of a file's bytes, as RunPiece::data holds them
std::string recordBytes(std::string_view fileBytes, const std::vector<RecordRange>& records);

enum class JoinProblem : std::uint8_t {
    None,
    NotSplittable, // a piece is no stream and no interceptor trace (a run document), or holds no record
    Overlap,       // a record is in two pieces (a copy, a backup of part of the log), or pieces interleave in time
    OrderUnknown,  // nothing tells which piece comes first (untimed stream pieces without step indexes)
    NotOneRun,     // the joined records did not read as one run (formats mixed, a record no longer parses)
};

struct JoinedRun
{
    RunAnalysis run; // located at its first piece, `segments` naming every piece
    // what the per-trace counters of the pieces' files must change by: the
    // whole trace counted once, in its own bucket, instead of once per piece
    // (the events' counters need nothing: each event is in one file only)
    GovernanceCounts correction;
};

struct JoinResult
{
    std::optional<JoinedRun> joined;
    JoinProblem problem = JoinProblem::None;
};

// The run `runId` analysed whole from its pieces (two or more, any order).
// They are put in order: a stream's piece with run_started first, the one
// with run_completed last, the others by their first step index (or time);
// a trace's pieces by time. Pieces that share a record or interleave in time
// are not joined, nor pieces whose order nothing tells.
JoinResult analyzeJoinedRun(std::vector<RunPiece> pieces, const std::string& runId, const AnalysisRules& rules);

} // namespace rw::analysis
